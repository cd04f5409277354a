import CRMCore
import Foundation
import GRDB
import Playbook

/// The states one CRM record went through, in order, with when it entered each: what a
/// process is measured on.
///
/// A trace comes from the process runtime's `process_history` when the runtime ran the record,
/// else from what the CRM kept about the record before any process ran (its status history, its
/// audit trail, or its timestamps). CRM traces hold the CRM's own status values; `restricted(to:)`
/// turns them into model states.
public struct ProcessTrace: Sendable, Hashable, Codable {
    /// Where a trace was read from, most trustworthy first.
    public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
        /// The runtime's `process_history`: every transition the runtime made.
        case runtime
        /// `ticket_status_changes` or `opportunity_stage_changes`.
        case statusHistory = "status_history"
        /// The status changes in `audit_log` (leads).
        case auditTrail = "audit_trail"
        /// A lead's `created_at`, first activity, `converted_at` and `disqualified_at`.
        case timestamps

        /// `status history`, as reports write it.
        public var label: String { rawValue.replacingOccurrences(of: "_", with: " ") }
    }

    public struct Step: Sendable, Hashable, Codable {
        public var state: String
        public var at: Timestamp

        public init(state: String, at: Timestamp) {
            self.state = state
            self.at = at
        }
    }

    public var recordID: Int64
    /// The user who owns the record in the CRM (a ticket's assignee); decides pilot or control.
    public var ownerID: Int64?
    public var source: Source
    /// The variant the runtime ran the record on; nil for CRM data.
    public var variant: ProcessVariant.Kind?
    public var steps: [Step]

    public init(recordID: Int64, ownerID: Int64?, source: Source, variant: ProcessVariant.Kind? = nil, steps: [Step]) {
        self.recordID = recordID
        self.ownerID = ownerID
        self.source = source
        self.variant = variant
        self.steps = steps
    }

    /// When the record entered its first state.
    public var startedAt: Timestamp? { steps.first?.at }

    /// The trace with only the steps whose value is a state of `variant`, and a repeated state
    /// kept once, at its first entry (a CRM value the model does not know, between two visits
    /// of one state, is not a move of the model).
    public func restricted(to variant: ProcessVariant) -> ProcessTrace {
        let ids = Set(variant.states.map(\.id))
        var kept: [Step] = []
        for step in steps where ids.contains(step.state) && kept.last?.state != step.state {
            kept.append(step)
        }
        var trace = self
        trace.steps = kept
        return trace
    }
}

/// Reads the traces of every record of a process's entity, and says what CRM data can show.
///
/// Per record, in order of preference: the runtime's history (records with a `process_instances`
/// row of the process); else tickets' `ticket_status_changes`, opportunities'
/// `opportunity_stage_changes`, leads' status changes in `audit_log`, else a lead's timestamps
/// (`created_at` → `new`, first activity → `contacted`, `converted_at` → `converted`,
/// `disqualified_at` → `disqualified`). Other entities keep no status history in the CRM: only
/// the runtime's records are read for them.
public struct ProcessTraces: Sendable {
    public let process: ProcessModel
    /// Steps after this instant are left out, and records that start after it.
    public let asOf: Timestamp?

    public init(process: ProcessModel, asOf: Timestamp? = nil) {
        self.process = process
        self.asOf = asOf
    }

    /// The entity's status values in the CRM (the `stage` of an opportunity), or nil when the
    /// CRM keeps no status history for the entity.
    public static func statusValues(of entity: String) -> [String]? {
        let field: (EntityDescriptor, String)? = switch entity {
        case "lead": (EntityCatalog.lead, "status")
        case "ticket": (EntityCatalog.ticket, "status")
        case "opportunity": (EntityCatalog.opportunity, "stage")
        default: nil
        }
        guard let (descriptor, name) = field, case .choice(let values)? = descriptor.field(name)?.kind else { return nil }
        return values
    }

    /// Every record's trace, runtime history first, in record id order.
    public func read(_ db: Database) throws -> [ProcessTrace] {
        let owners = try ownersByRecord(db)
        let runtime = try runtimeTraces(owners: owners, db)
        let run = Set(runtime.map(\.recordID))
        let crm = try crmTraces(db).filter { !run.contains($0.recordID) }
        return (runtime + crm).compactMap(cut).sorted { $0.recordID < $1.recordID }
    }

    /// How many records of the entity, created by `asOf`, have no trace (`traced` have one).
    public func recordsWithoutHistory(traced: Int, _ db: Database) throws -> Int {
        guard let table = crmTable else { return 0 }
        let all = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name) WHERE created_at <= ?",
                                   arguments: [asOf?.secondsSinceEpoch ?? Int64.max]) ?? 0
        return max(0, all - traced)
    }

    /// `trace` without the steps after `asOf`; nil when nothing is left.
    func cut(_ trace: ProcessTrace) -> ProcessTrace? {
        var trace = trace
        if let asOf { trace.steps = trace.steps.filter { $0.at <= asOf } }
        return trace.steps.isEmpty ? nil : trace
    }

    private var entity: String { process.entity.id }

    /// The CRM table of an entity whose history the CRM keeps, and the column naming the user
    /// who owns a record (a ticket's assignee). Constants: never built from playbook text.
    private var crmTable: (name: String, owner: String)? {
        switch entity {
        case "lead": ("leads", "owner_id")
        case "ticket": ("tickets", "assignee_id")
        case "opportunity": ("opportunities", "owner_id")
        default: nil
        }
    }

    /// The CRM owner of each record of the entity (empty for entities the CRM does not own).
    private func ownersByRecord(_ db: Database) throws -> [Int64: Int64] {
        guard let table = crmTable else { return [:] }
        var owners: [Int64: Int64] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, \(table.owner) FROM \(table.name) WHERE \(table.owner) IS NOT NULL")
        while let row = try rows.next() { owners[row[0]] = row[1] }
        return owners
    }

    private func runtimeTraces(owners: [Int64: Int64], _ db: Database) throws -> [ProcessTrace] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT i.record_id, i.variant, i.assignee_id, h.to_state, h.at
            FROM process_instances i JOIN process_history h ON h.instance_id = i.id
            WHERE i.process_id = ? AND i.entity = ?
            ORDER BY i.record_id, h.seq
            """, arguments: [process.id, entity])
        return group(rows) { recordID, rows in
            let variantText: String = rows[0]["variant"]
            return ProcessTrace(recordID: recordID, ownerID: owners[recordID] ?? rows[0]["assignee_id"], source: .runtime,
                                variant: ProcessVariant.Kind(rawValue: variantText),
                                steps: rows.map { .init(state: $0["to_state"], at: Timestamp(secondsSinceEpoch: $0["at"])) })
        }
    }

    private func crmTraces(_ db: Database) throws -> [ProcessTrace] {
        switch entity {
        case "ticket":
            return try changeHistory(db, sql: """
                SELECT t.id AS record_id, t.assignee_id AS owner_id, t.created_at,
                       c.from_status AS from_value, c.to_status AS to_value, c.changed_at
                FROM tickets t JOIN ticket_status_changes c ON c.ticket_id = t.id
                ORDER BY t.id, c.changed_at, c.id
                """)
        case "opportunity":
            return try changeHistory(db, sql: """
                SELECT o.id AS record_id, o.owner_id, o.created_at,
                       c.from_stage AS from_value, c.to_stage AS to_value, c.changed_at
                FROM opportunities o JOIN opportunity_stage_changes c ON c.opportunity_id = o.id
                ORDER BY o.id, c.changed_at, c.id
                """)
        case "lead":
            let audited = try leadAuditTraces(db)
            let byAudit = Set(audited.map(\.recordID))
            return audited + (try leadTimestampTraces(db)).filter { !byAudit.contains($0.recordID) }
        default:
            return []
        }
    }

    /// Traces from a table of changes (`from_value` → `to_value` at `changed_at`). A history whose
    /// first change does not start from nothing began before it was recorded: the record was in
    /// the first change's `from_value` since it was created.
    private func changeHistory(_ db: Database, sql: String) throws -> [ProcessTrace] {
        group(try Row.fetchAll(db, sql: sql)) { recordID, rows in
            var steps: [ProcessTrace.Step] = []
            if let from: String = rows[0]["from_value"] {
                steps.append(.init(state: from, at: Timestamp(secondsSinceEpoch: rows[0]["created_at"])))
            }
            steps += rows.map { .init(state: $0["to_value"], at: Timestamp(secondsSinceEpoch: $0["changed_at"])) }
            return ProcessTrace(recordID: recordID, ownerID: rows[0]["owner_id"], source: .statusHistory, steps: steps)
        }
    }

    /// Leads whose audit trail holds at least one status change: the status they were created
    /// with (the `create` entry, or, for a lead an import created, the first change's old
    /// status at `created_at`), then each change.
    private func leadAuditTraces(_ db: Database) throws -> [ProcessTrace] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.record_id, a.at, a.action, l.owner_id, l.created_at,
                   json_extract(a.before, '$.status') AS old_status, json_extract(a.after, '$.status') AS new_status
            FROM audit_log a JOIN leads l ON l.id = a.record_id
            WHERE a.entity = 'lead' AND (a.action = 'create' OR a.action = 'update')
            ORDER BY a.record_id, a.at, a.id
            """)
        return group(rows) { recordID, rows in
            let changes = rows.filter { row in
                guard row["action"] == "update", let old: String = row["old_status"], let new: String = row["new_status"]
                else { return false }
                return old != new
            }
            guard let first = changes.first else { return nil }
            var steps: [ProcessTrace.Step]
            if let created = rows.first(where: { $0["action"] == "create" }), let status: String = created["new_status"] {
                steps = [.init(state: status, at: Timestamp(secondsSinceEpoch: created["at"]))]
            } else {
                steps = [.init(state: first["old_status"], at: Timestamp(secondsSinceEpoch: rows[0]["created_at"]))]
            }
            steps += changes.map { .init(state: $0["new_status"], at: Timestamp(secondsSinceEpoch: $0["at"])) }
            return ProcessTrace(recordID: recordID, ownerID: rows[0]["owner_id"], source: .auditTrail, steps: steps)
        }
    }

    /// Every lead's trace from its timestamps. The first activity counts as contact only before
    /// the lead was converted or disqualified: an activity after that is a follow-up.
    private func leadTimestampTraces(_ db: Database) throws -> [ProcessTrace] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT l.id, l.owner_id, l.created_at, l.converted_at, l.disqualified_at,
                   (SELECT min(a.at) FROM activities a WHERE a.lead_id = l.id) AS first_activity_at
            FROM leads l ORDER BY l.id
            """)
        return rows.map { row in
            let created: Int64 = row["created_at"]
            var steps = [ProcessTrace.Step(state: "new", at: Timestamp(secondsSinceEpoch: created))]
            var ends: [ProcessTrace.Step] = []
            if let at: Int64 = row["converted_at"] { ends.append(.init(state: "converted", at: Timestamp(secondsSinceEpoch: at))) }
            if let at: Int64 = row["disqualified_at"] {
                ends.append(.init(state: "disqualified", at: Timestamp(secondsSinceEpoch: at)))
            }
            ends.sort { $0.at < $1.at }
            if let activity: Int64 = row["first_activity_at"] {
                let at = Timestamp(secondsSinceEpoch: max(activity, created))
                if ends.first.map({ at < $0.at }) ?? true { steps.append(.init(state: "contacted", at: at)) }
            }
            return ProcessTrace(recordID: row["id"], ownerID: row["owner_id"], source: .timestamps, steps: steps + ends)
        }
    }

    /// Rows ordered by `record_id` (first column), handed over one record at a time.
    private func group(_ rows: [Row], _ make: (Int64, [Row]) -> ProcessTrace?) -> [ProcessTrace] {
        var traces: [ProcessTrace] = []
        var start = 0
        while start < rows.count {
            let id: Int64 = rows[start][0]
            var end = start + 1
            while end < rows.count, (rows[end][0] as Int64) == id { end += 1 }
            if let trace = make(id, Array(rows[start..<end])) { traces.append(trace) }
            start = end
        }
        return traces
    }
}
