import CRMCore
import Engine
import Foundation
import GRDB

/// The CRM history of a window as events to replay in a scratch copy, in time order: each
/// record created again at its `created_at`, its activities logged at their `at`, its status
/// changes made when they happened.
///
/// Where a status change's time comes from depends on what the CRM keeps:
/// - tickets and opportunities: their status (stage) history tables;
/// - leads: `disqualified_at` (status `disqualified`) and `converted_at` (a conversion into the
///   account the lead became);
/// - any entity: its other timestamp fields that users may set, set at their own time.
struct ReplayPlan {
    let window: SimulationReport.Window
    let scale: Double

    private(set) var events: [Event] = []
    private(set) var notes: [String] = []

    init(window: SimulationReport.Window, scale: Double) {
        self.window = window
        self.scale = scale
    }

    /// One record of the history, replayed as copy `copy` (0 for the first; more with `scale` > 1).
    struct RecordKey: Hashable {
        let entity: String
        let sourceID: Int64
        let copy: Int
    }

    struct Event {
        enum Kind {
            case create(fields: [String: String])
            case update(fields: [String: String])
            case activity(fields: [String: String], link: String)
            case convertLead(accountID: Int64)
        }

        let at: Int64
        /// Generation order: keeps a record's creation before its changes at the same second.
        let order: Int
        let record: RecordKey
        let kind: Kind
    }

    /// Activities are logged on these entities through these columns.
    static let activityLinks = ["lead": "lead_id", "opportunity": "opportunity_id", "account": "account_id",
                                "contact": "contact_id"]
    /// Status history tables: (table, record column, value column, time column, entity field).
    static let statusHistory = [
        "ticket": ("ticket_status_changes", "ticket_id", "to_status", "changed_at", "status"),
        "opportunity": ("opportunity_stage_changes", "opportunity_id", "to_stage", "changed_at", "stage"),
    ]
    /// Copies of one record are this far apart.
    static let copySpacing: Int64 = 15 * 60

    // MARK: Collecting

    mutating func collect(entity name: String, _ db: Database) throws {
        guard let entity = EntityCatalog.entity(named: name), entity.field("created_at") != nil else {
            notes.append("\(name) records have no creation time, so their history cannot be replayed")
            return
        }
        let start = window.start.secondsSinceEpoch, end = window.end.secondsSinceEpoch
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(entity.columns.joined(separator: ", ")) FROM \(entity.table)
            WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id
            """, arguments: [start, end])
        let history = Self.statusHistory[name]
        let statusField = history?.4 ?? (entity.field("status") != nil ? "status" : nil)
        // Lifecycle instants are replayed as changes, not copied into the creation.
        let lifecycle = Set(entity.fields.filter { field in
            if case .timestamp = field.kind { return field.name != "created_at" } else { return false }
        }.map(\.name))
        var changes: [Int64: [(at: Int64, fields: [String: String])]] = [:]
        var initial: [Int64: String] = [:]
        if let (table, recordColumn, valueColumn, timeColumn, field) = history {
            for row in try Row.fetchAll(db, sql: """
                SELECT h.\(recordColumn) AS record, h.\(valueColumn) AS value, h.\(timeColumn) AS at, h.from_\(field) IS NULL AS first
                FROM \(table) h JOIN \(entity.table) r ON r.id = h.\(recordColumn)
                WHERE r.created_at >= ? AND r.created_at < ? ORDER BY h.\(recordColumn), h.\(timeColumn), h.id
                """, arguments: [start, end]) {
                let record: Int64 = row["record"]
                if row["first"] as Bool, initial[record] == nil {
                    initial[record] = row["value"]
                } else {
                    changes[record, default: []].append((row["at"], [field: row["value"]]))
                }
            }
        }
        var activities: [Int64: [Row]] = [:]
        if let link = Self.activityLinks[name] {
            for row in try Row.fetchAll(db, sql: """
                SELECT a.\(link) AS record, a.kind, a.subject, a.owner_id, a.at FROM activities a
                JOIN \(entity.table) r ON r.id = a.\(link)
                WHERE r.created_at >= ? AND r.created_at < ? AND a.at < ? ORDER BY a.\(link), a.at, a.id
                """, arguments: [start, end, end]) {
                activities[row["record"], default: []].append(row)
            }
        }

        for (index, row) in rows.enumerated() {
            let id: Int64 = row["id"]
            let created: Int64 = row["created_at"]
            var fields: [String: String] = [:]
            for field in entity.fields where !field.readOnly && !lifecycle.contains(field.name) && field.name != statusField {
                let text = RecordView.text(row, column: field.name, entity)
                if !text.isEmpty { fields[field.name] = text }
            }
            if let statusField, let value = initial[id] { fields[statusField] = value }
            var later: [(at: Int64, kind: Event.Kind)] = (changes[id] ?? []).map { ($0.at, .update(fields: $0.fields)) }
            for name in lifecycle.sorted() {
                guard let at: Int64 = row[name], let field = entity.field(name) else { continue }
                if entity.name == "lead" && name == "converted_at" {
                    if let account: Int64 = row["converted_account_id"] { later.append((at, .convertLead(accountID: account))) }
                } else if entity.name == "lead" && name == "disqualified_at" {
                    later.append((at, .update(fields: ["status": "disqualified", name: Self.time(at)])))
                } else if !field.readOnly && history == nil {
                    later.append((at, .update(fields: [name: Self.time(at)])))
                }
            }
            for activity in activities[id] ?? [] {
                guard let link = Self.activityLinks[name] else { break }
                var fields = ["kind": activity["kind"] as String, "subject": activity["subject"] as String? ?? "Activity"]
                if let owner: Int64 = activity["owner_id"] { fields["owner_id"] = String(owner) }
                later.append((activity["at"], .activity(fields: fields, link: link)))
            }
            for copy in 0..<copies(of: index) {
                let key = RecordKey(entity: name, sourceID: id, copy: copy)
                let shift = Int64(copy) * Self.copySpacing
                var creation = fields
                if copy > 0 {
                    creation["created_at"] = Self.time(created + shift)
                    if let naturalKey = entity.naturalKey, let value = creation[naturalKey], naturalKey == "name" {
                        creation[naturalKey] = value + " (copy \(copy + 1))"
                    }
                }
                append(at: created + shift, key, .create(fields: creation))
                for event in later where event.at + shift < end {
                    append(at: max(event.at, created) + shift, key, event.kind)
                }
            }
        }
    }

    /// How many times record `index` is replayed: `scale` on average, spread evenly.
    private func copies(of index: Int) -> Int {
        Int((Double(index + 1) * scale).rounded(.down)) - Int((Double(index) * scale).rounded(.down))
    }

    private mutating func append(at: Int64, _ record: RecordKey, _ kind: Event.Kind) {
        events.append(Event(at: at, order: events.count, record: record, kind: kind))
    }

    static func time(_ seconds: Int64) -> String { Timestamp(secondsSinceEpoch: seconds).description }

    // MARK: Replaying

    struct Outcome {
        var counts = SimulationReport.Replayed()
        var worker = ProcessWorker.Report()
    }

    /// Replays the events in time order; before each new moment, the worker runs up to just
    /// before it (a change at the second a timer runs out is on time, as with a live worker).
    /// An event today's CRM refuses is counted and skipped, with the first reasons noted.
    mutating func run(on database: WorkspaceDatabase, worker: ProcessWorker,
                      progress: ((Double) -> Void)?) throws -> Outcome {
        let ordered = events.sorted { ($0.at, $0.order) < ($1.at, $1.order) }
        var outcome = Outcome()
        var ids: [RecordKey: Int64] = [:]
        var reasons: [String] = []
        let actor = CRMActor.operatorActor(named: "simulation")
        var index = 0
        var lastReported = 0.0
        while index < ordered.count {
            let at = ordered[index].at
            outcome.worker.add(try worker.run(until: Timestamp(secondsSinceEpoch: at - 1)))
            let store = CRMStore(clock: .fixed(Timestamp(secondsSinceEpoch: at)))
            try database.write { db in
                while index < ordered.count && ordered[index].at == at {
                    let event = ordered[index]
                    index += 1
                    do {
                        try db.inSavepoint {
                            try apply(event, store: store, actor: actor, ids: &ids, counts: &outcome.counts, db)
                            return .commit
                        }
                    } catch let error as CRMError {
                        outcome.counts.skipped += 1
                        if reasons.count < 3 { reasons.append("\(event.record.entity) \(event.record.sourceID): \(error)") }
                    }
                }
            }
            let done = Double(index) / Double(ordered.count)
            if done - lastReported >= 0.05 || index == ordered.count {
                lastReported = done
                progress?(done)
            }
        }
        if outcome.counts.skipped > 0 {
            notes.append("\(outcome.counts.skipped) event\(outcome.counts.skipped == 1 ? " was" : "s were") refused by "
                         + "today's CRM rules and skipped, for example: " + reasons.joined(separator: "; "))
        }
        return outcome
    }

    private func apply(_ event: Event, store: CRMStore, actor: CRMActor, ids: inout [RecordKey: Int64],
                       counts: inout SimulationReport.Replayed, _ db: Database) throws {
        guard let entity = EntityCatalog.entity(named: event.record.entity) else { return }
        switch event.kind {
        case .create(let fields):
            ids[event.record] = try store.create(entity, fields: fields, as: actor, db)
            counts.records += 1
        case .update(let fields):
            guard let id = ids[event.record] else { return }
            try store.update(entity, id: id, fields: fields, as: actor, db)
            counts.changes += 1
        case .activity(var fields, let link):
            guard let id = ids[event.record] else { return }
            fields[link] = String(id)
            fields["at"] = Self.time(event.at)
            try store.create(EntityCatalog.activity, fields: fields, as: actor, db)
            counts.activities += 1
        case .convertLead(let accountID):
            guard let id = ids[event.record] else { return }
            _ = try LeadConversion(store: store).convert(leadID: id, accountID: accountID, as: actor, db)
            counts.changes += 1
        }
    }
}
