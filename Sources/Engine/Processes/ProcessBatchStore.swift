import CRMCore
import Foundation
import GRDB
import Playbook

/// The process runtime's rows during one transaction (a worker's batch, a user's action): read
/// once, changed in memory, and written by `flush` at the end, a few statements for the whole
/// batch instead of several for every transition.
///
/// This is safe because the caller holds SQLite's write lock for the whole transaction: no one
/// else changes these tables meanwhile, and `flush` runs inside the same transaction, so the
/// batch still commits all or nothing. Nothing outside the runtime reads the process tables
/// before the commit. CRM records are not kept here: the runtime's changes to them go through
/// `CRMStore` at once, validated and audited.
struct ProcessBatchStore {
    /// One record in one process.
    struct Instance {
        let id: Int64
        let activationID: Int64
        let processID: String
        let variant: String
        let entity: String
        let recordID: Int64
        var state: String
        var stateEnteredAt: Int64
        var seq: Int
        var assigneeID: Int64?
        let startedAt: Int64
        var endedAt: Int64?
    }

    private struct RecordKey: Hashable {
        let entity: String
        let recordID: Int64
    }

    /// A timer's or an incident's identity: the instance, its state visit, the kind and the
    /// transition (-1: the state's own SLA), as the tables' keys have it.
    private struct VisitKey: Hashable {
        let instanceID: Int64
        let seq: Int
        let kind: String
        let index: Int
    }

    private var instances: [Int64: Instance] = [:]
    /// Records whose instances in the database are all in `instances`.
    private var loadedRecords: Set<RecordKey> = []
    private var instancesOfRecord: [RecordKey: [Int64]] = [:]
    private var nextInstanceID: Int64?
    /// Instances to insert (in creation order) and to update.
    private var created: [Int64] = []
    private var changed: Set<Int64> = []

    private var history: [[DatabaseValue]] = []
    /// Timers set in this transaction, in the order they were set (which is the order of the ids
    /// the database gives them, and so the order the worker fires timers due at one moment).
    private var newTimers: [VisitKey: Int64] = [:]
    private var newTimerOrder: [VisitKey] = []
    private var newTimersOfInstance: [Int64: [VisitKey]] = [:]
    /// Timers in the database to delete: fired ones by id; those of a state left, by instance and
    /// the visit they are older than; all of a deleted record's.
    private var firedTimers: [Int64] = []
    private var timersBefore: [Int64: Int] = [:]
    private var incidents: [VisitKey: (at: Int64, detail: String)] = [:]
    private var incidentOrder: [VisitKey] = []
    private var messages: [[DatabaseValue]] = []
    private var messageKeys: Set<String> = []
    private var roundRobin: [String: (activationID: Int64, role: String, position: Int)] = [:]
    private var roundRobinChanged: Set<String> = []
    /// Open records per assignee: counted in the database (as the transaction began) when first
    /// needed, plus what this transaction moved.
    private var countedLoad: [Int64: Int] = [:]
    private var loadDelta: [Int64: Int] = [:]

    // MARK: Instances

    /// The open instances of a record, in id order.
    mutating func openInstances(entity: String, recordID: Int64, _ db: Database) throws -> [Instance] {
        let key = RecordKey(entity: entity, recordID: recordID)
        try load(key, db)
        return (instancesOfRecord[key] ?? []).compactMap { instances[$0] }.filter { $0.endedAt == nil }
    }

    /// Whether the record is already in the process (open or ended).
    mutating func hasInstance(entity: String, recordID: Int64, processID: String, _ db: Database) throws -> Bool {
        let key = RecordKey(entity: entity, recordID: recordID)
        try load(key, db)
        return (instancesOfRecord[key] ?? []).contains { instances[$0]?.processID == processID }
    }

    /// An open instance by id, nil when it has ended or does not exist.
    mutating func openInstance(id: Int64, _ db: Database) throws -> Instance? {
        if let known = instances[id] { return known.endedAt == nil ? known : nil }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(Self.columns) FROM process_instances WHERE id = ?
            """), arguments: [id]) else { return nil }
        let instance = Self.instance(row)
        remember(instance)
        return instance.endedAt == nil ? instance : nil
    }

    /// Loads, in two statements, the instances of `records` and those with `instanceIDs`.
    mutating func preload(records: [(entity: String, recordID: Int64)], instanceIDs: [Int64], _ db: Database) throws {
        let keys = Set(records.map { RecordKey(entity: $0.entity, recordID: $0.recordID) }).subtracting(loadedRecords)
        if !keys.isEmpty {
            let pairs = keys.map { [$0.entity.databaseValue, $0.recordID.databaseValue] }
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.columns) FROM process_instances
                WHERE (entity, record_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?)) ORDER BY id
                """), arguments: [Self.json(pairs)]) {
                let instance = Self.instance(row)
                if instances[instance.id] == nil { remember(instance) }
            }
            loadedRecords.formUnion(keys)
        }
        let ids = instanceIDs.filter { instances[$0] == nil }
        if !ids.isEmpty {
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.columns) FROM process_instances WHERE id IN (SELECT value FROM json_each(?))
                """), arguments: [Self.json(ids.map(\.databaseValue))]) {
                let instance = Self.instance(row)
                if instances[instance.id] == nil { remember(instance) }
            }
        }
    }

    private mutating func load(_ key: RecordKey, _ db: Database) throws {
        guard !loadedRecords.contains(key) else { return }
        loadedRecords.insert(key)
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT \(Self.columns) FROM process_instances WHERE entity = ? AND record_id = ? ORDER BY id
            """), arguments: [key.entity, key.recordID]) {
            let instance = Self.instance(row)
            if instances[instance.id] == nil { remember(instance) }
        }
    }

    private mutating func remember(_ instance: Instance) {
        instances[instance.id] = instance
        let key = RecordKey(entity: instance.entity, recordID: instance.recordID)
        if !(instancesOfRecord[key] ?? []).contains(instance.id) {
            instancesOfRecord[key, default: []].append(instance.id)
            instancesOfRecord[key]!.sort()
        }
    }

    /// A new instance, with the id the database would give it.
    mutating func createInstance(activationID: Int64, processID: String, variant: String, entity: String, recordID: Int64,
                                 state: String, at: Int64, _ db: Database) throws -> Instance {
        if nextInstanceID == nil {
            nextInstanceID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) + 1 FROM process_instances"))
        }
        let instance = Instance(id: nextInstanceID!, activationID: activationID, processID: processID, variant: variant,
                                entity: entity, recordID: recordID, state: state, stateEnteredAt: at, seq: 0,
                                assigneeID: nil, startedAt: at, endedAt: nil)
        nextInstanceID! += 1
        remember(instance)
        created.append(instance.id)
        return instance
    }

    /// Records the instance's new state, visit, assignee or end.
    mutating func update(_ instance: Instance) {
        if let old = instances[instance.id] {
            if old.assigneeID != instance.assigneeID && old.endedAt == nil {
                if let previous = old.assigneeID { loadDelta[previous, default: 0] -= 1 }
                if let next = instance.assigneeID { loadDelta[next, default: 0] += 1 }
            }
            if old.endedAt == nil && instance.endedAt != nil, let assignee = instance.assigneeID {
                loadDelta[assignee, default: 0] -= 1
            }
        }
        instances[instance.id] = instance
        changed.insert(instance.id)
    }

    // MARK: History, timers, incidents, messages

    mutating func appendHistory(_ instance: Instance, from: String?, at: Int64, trigger: String, actor: String) {
        history.append([instance.id.databaseValue, instance.seq.databaseValue, from.databaseValue,
                        instance.state.databaseValue, at.databaseValue, trigger.databaseValue, actor.databaseValue])
    }

    /// Sets a timer (a second one of the same identity is ignored, as the table's key would).
    mutating func schedule(_ instance: Instance, kind: String, index: Int, at due: Int64) {
        let key = VisitKey(instanceID: instance.id, seq: instance.seq, kind: kind, index: index)
        guard newTimers[key] == nil else { return }
        newTimers[key] = due
        newTimerOrder.append(key)
        newTimersOfInstance[instance.id, default: []].append(key)
    }

    /// Drops the instance's timers of visits before `seq` (the state it left).
    mutating func dropTimers(of instanceID: Int64, before seq: Int) {
        for key in newTimersOfInstance[instanceID] ?? [] where key.seq < seq { newTimers[key] = nil }
        timersBefore[instanceID] = max(timersBefore[instanceID] ?? 0, seq)
    }

    /// Drops all the instance's timers (its record was deleted).
    mutating func dropAllTimers(of instanceID: Int64) {
        dropTimers(of: instanceID, before: Int.max)
    }

    /// A timer read from the database fired (or was found stale): it goes.
    mutating func fired(timerID: Int64) {
        firedTimers.append(timerID)
    }

    mutating func incident(_ instance: Instance, kind: String, index: Int, at: Int64, detail: String) {
        let key = VisitKey(instanceID: instance.id, seq: instance.seq, kind: kind, index: index)
        guard incidents[key] == nil else { return }
        incidents[key] = (at, detail)
        incidentOrder.append(key)
    }

    /// Queues a message; a second one with the same idempotency key is ignored, as the outbox's key would.
    mutating func message(projectID: String, at: Int64, role: String, user: Int64?, subject: String, body: String,
                          key: String) {
        guard messageKeys.insert(key).inserted else { return }
        messages.append([projectID.databaseValue, at.databaseValue, role.databaseValue, user.databaseValue,
                         subject.databaseValue, body.databaseValue, key.databaseValue])
    }

    // MARK: Assignment state

    /// The next round-robin position for the activation and role, moved on by one.
    mutating func nextRoundRobinPosition(activationID: Int64, role: String, _ db: Database) throws -> Int {
        let key = "\(activationID)|\(role)"
        let position = try roundRobin[key]?.position ?? Int.fetchOne(db.cachedStatement(sql: """
            SELECT position FROM process_round_robin WHERE activation_id = ? AND role = ?
            """), arguments: [activationID, role]) ?? 0
        roundRobin[key] = (activationID, role, position + 1)
        roundRobinChanged.insert(key)
        return position
    }

    /// Open records per candidate, as they stand now.
    mutating func openLoad(of candidates: [Int64], _ db: Database) throws -> [Int64: Int] {
        let uncounted = candidates.filter { countedLoad[$0] == nil }
        if !uncounted.isEmpty {
            for id in uncounted { countedLoad[id] = 0 }
            // The database holds the counts as the transaction began; `loadDelta` what it moved since.
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT assignee_id, count(*) FROM process_instances
                WHERE ended_at IS NULL AND assignee_id IN (\(uncounted.map { _ in "?" }.joined(separator: ", ")))
                GROUP BY assignee_id
                """), arguments: StatementArguments(uncounted)) {
                countedLoad[row[0]] = row[1]
            }
        }
        var load: [Int64: Int] = [:]
        for id in candidates { load[id] = (countedLoad[id] ?? 0) + (loadDelta[id] ?? 0) }
        return load
    }

    // MARK: Writing

    /// Writes everything this transaction changed, in a few statements (JSON arrays of rows read
    /// by `json_each`). Call it once, at the end, inside the same transaction.
    mutating func flush(_ db: Database) throws {
        if !created.isEmpty {
            try db.cachedStatement(sql: """
                INSERT INTO process_instances (id, activation_id, process_id, variant, entity, record_id, state,
                                               state_entered_at, seq, assignee_id, started_at, ended_at)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6,
                       value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11
                FROM json_each(?)
                """).execute(arguments: [Self.json(created.compactMap { instances[$0] }.map(Self.row))])
        }
        let updated = changed.subtracting(created).sorted().compactMap { instances[$0] }
        if !updated.isEmpty {
            try db.cachedStatement(sql: """
                UPDATE process_instances SET state = j.value ->> 1, state_entered_at = j.value ->> 2, seq = j.value ->> 3,
                                             assignee_id = j.value ->> 4, ended_at = j.value ->> 5
                FROM json_each(?) AS j WHERE process_instances.id = j.value ->> 0
                """).execute(arguments: [Self.json(updated.map { i in
                    [i.id.databaseValue, i.state.databaseValue, i.stateEnteredAt.databaseValue, i.seq.databaseValue,
                     i.assigneeID.databaseValue, i.endedAt.databaseValue]
                })])
        }
        if !history.isEmpty {
            try db.cachedStatement(sql: """
                INSERT INTO process_history (instance_id, seq, from_state, to_state, at, trigger, actor)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6
                FROM json_each(?)
                """).execute(arguments: [Self.json(history)])
        }
        if !firedTimers.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM process_timers WHERE id IN (SELECT value FROM json_each(?))")
                .execute(arguments: [Self.json(firedTimers.map(\.databaseValue))])
        }
        if !timersBefore.isEmpty {
            try db.cachedStatement(sql: """
                DELETE FROM process_timers WHERE id IN (
                    SELECT t.id FROM json_each(?) AS j
                    JOIN process_timers t ON t.instance_id = j.value ->> 0 AND t.seq < j.value ->> 1)
                """).execute(arguments: [Self.json(timersBefore.sorted { $0.key < $1.key }.map { entry in
                    [entry.key.databaseValue, Int64(min(entry.value, Int(Int32.max))).databaseValue]
                })])
        }
        let timers = newTimerOrder.compactMap { key in newTimers[key].map { (key, $0) } }
        if !timers.isEmpty {
            try db.cachedStatement(sql: """
                INSERT INTO process_timers (instance_id, seq, kind, transition_index, due_at)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?) WHERE true
                ON CONFLICT DO NOTHING
                """).execute(arguments: [Self.json(timers.map { key, due in
                    [key.instanceID.databaseValue, key.seq.databaseValue, key.kind.databaseValue, key.index.databaseValue,
                     due.databaseValue]
                })])
        }
        if !incidentOrder.isEmpty {
            try db.cachedStatement(sql: """
                INSERT INTO process_incidents (instance_id, seq, kind, transition_index, at, detail)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?) WHERE true
                ON CONFLICT DO NOTHING
                """).execute(arguments: [Self.json(incidentOrder.compactMap { key in
                    incidents[key].map { value in
                        [key.instanceID.databaseValue, key.seq.databaseValue, key.kind.databaseValue, key.index.databaseValue,
                         value.at.databaseValue, value.detail.databaseValue]
                    }
                })])
        }
        if !messages.isEmpty {
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO engine_outbox (project_id, created_at, recipient_role, recipient_user_id, subject, body,
                                                     idempotency_key)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6
                FROM json_each(?)
                """).execute(arguments: [Self.json(messages)])
        }
        for key in roundRobinChanged.sorted() {
            guard let entry = roundRobin[key] else { continue }
            try db.cachedStatement(sql: """
                INSERT INTO process_round_robin (activation_id, role, position) VALUES (?, ?, ?)
                ON CONFLICT (activation_id, role) DO UPDATE SET position = excluded.position
                """).execute(arguments: [entry.activationID, entry.role, entry.position])
        }
        self = ProcessBatchStore()
    }

    // MARK: Rows

    private static let columns = """
        id, activation_id, process_id, variant, entity, record_id, state, state_entered_at, seq, assignee_id, started_at, ended_at
        """

    private static func instance(_ row: Row) -> Instance {
        Instance(id: row[0], activationID: row[1], processID: row[2], variant: row[3], entity: row[4], recordID: row[5],
                 state: row[6], stateEnteredAt: row[7], seq: row[8], assigneeID: row[9], startedAt: row[10], endedAt: row[11])
    }

    private static func row(_ i: Instance) -> [DatabaseValue] {
        [i.id.databaseValue, i.activationID.databaseValue, i.processID.databaseValue, i.variant.databaseValue,
         i.entity.databaseValue, i.recordID.databaseValue, i.state.databaseValue, i.stateEnteredAt.databaseValue,
         i.seq.databaseValue, i.assigneeID.databaseValue, i.startedAt.databaseValue, i.endedAt.databaseValue]
    }

    /// Rows as a JSON array of arrays (`[[1, "new", null], …]`) for `json_each`.
    ///
    /// Written by hand (`JSONText`): the values are integers, text and nulls only, and Foundation's
    /// `JSONSerialization` (bridging every value to an `NSObject` on Linux) took a third of the
    /// worker's time.
    private static func json(_ rows: [[DatabaseValue]]) -> String {
        var out = "["
        for (r, row) in rows.enumerated() {
            if r > 0 { out += "," }
            out += "["
            for (c, value) in row.enumerated() {
                if c > 0 { out += "," }
                append(value, to: &out)
            }
            out += "]"
        }
        return out + "]"
    }

    private static func json(_ values: [DatabaseValue]) -> String {
        var out = "["
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            append(value, to: &out)
        }
        return out + "]"
    }

    private static func append(_ value: DatabaseValue, to out: inout String) {
        switch value.storage {
        case .int64(let n): out += String(n)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let text):
            out += "\""
            JSONText.appendQuoted(text, to: &out)
            out += "\""
        case .null, .blob: out += "null"
        }
    }
}
