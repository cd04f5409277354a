import CRMCore
import Foundation
import GRDB
import RolloutMetrics
import Playbook

/// Runs a playbook's business processes on CRM records (A5): each record of a process's entity
/// that enters a running activation has a state; CRM changes, timers and users' actions move it
/// along the model's transitions.
///
/// Everything here runs inside a write transaction the caller owns (the worker's batch, or a
/// user's action), and every effect is a row written in that transaction: a crash loses the
/// whole batch or nothing, and the rerun does the same work in the same order. The process
/// tables' rows are kept in a `ProcessBatchStore` and written by `flush`, which the caller runs
/// at the end of the transaction; CRM records change at once, through `CRMStore`.
struct ProcessRuntime {
    let playbook: Playbook
    let projectID: String
    /// Business calendar SLA and timer hours run on; nil: round-the-clock hours.
    let calendar: BusinessCalendar?
    /// The playbook's plugins, for `do: [{plugin: ID}]` effects.
    var plugins: (any PluginBridge)?

    /// Activations by entity, loaded once per batch.
    private(set) var activations: [String: [Activation]] = [:]
    /// Pilot members per pilot group, loaded on first use.
    private var pilotMembers: [String: Set<Int64>] = [:]
    /// Holders of each playbook role, loaded on first use.
    private var roleHolders: [String: [Int64]] = [:]
    /// The process tables' rows this transaction reads and changes.
    private var store = ProcessBatchStore()
    /// Read ahead for a batch (`prefetch`): the records each activity is logged on, and what each
    /// audited update changed.
    private var activityLinks: [Int64: [(entity: String, recordID: Int64)]] = [:]
    private var updates: [Int64: (changed: Set<String>, after: [String: ConditionValue])] = [:]
    /// The earliest time of anything this runtime scheduled (a timer, a queued change) in the
    /// current batch; the worker stops the batch before any item later than it.
    var earliestScheduled: Int64?

    struct Activation {
        let id: Int64
        let process: ProcessModel
        let variant: ProcessVariant
        let entity: EntityDescriptor
        let pilotGroupID: String?
        let startedAt: Int64
        let endedAt: Int64?

        func isRunning(at time: Int64) -> Bool { startedAt <= time && (endedAt.map { time < $0 } ?? true) }
    }

    typealias Instance = ProcessBatchStore.Instance

    init(playbook: Playbook, projectID: String, _ db: Database) throws {
        self.playbook = playbook
        self.projectID = projectID
        self.calendar = try BusinessCalendarStore.workspaceCalendar(db)?.calendar
        try loadActivations(db)
    }

    /// Writes the process tables' changes; the caller runs it once, before its transaction commits.
    mutating func flush(_ db: Database) throws {
        try store.flush(db)
    }

    mutating func loadActivations(_ db: Database) throws {
        activations = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, process_id, variant, entity, pilot_group_id, started_at, ended_at FROM process_activations
            WHERE project_id = ? ORDER BY id
            """), arguments: [projectID]) {
            guard let process = playbook.process(row["process_id"]),
                  let variant = (row["variant"] as String) == "as_is" ? process.asIs : process.toBe,
                  let entity = EntityCatalog.entity(named: row["entity"])
            else { continue }
            activations[entity.name, default: []].append(Activation(
                id: row["id"], process: process, variant: variant, entity: entity, pilotGroupID: row["pilot_group_id"],
                startedAt: row["started_at"], endedAt: row["ended_at"]))
        }
    }

    // MARK: CRM changes

    /// Applies one queued CRM change (a `process_inbox` row) at its own time.
    mutating func apply(change: Row, _ db: Database) throws -> Int {
        let entityName: String = change["entity"]
        let action: String = change["action"]
        let at: Int64 = change["at"]
        guard let recordID: Int64 = change["record_id"] ?? nil else {
            return action == "import" ? try applyImport(auditID: change["audit_id"], entity: entityName, at: at, db) : 0
        }
        var transitions = 0
        if entityName == "activity" && action == "create" {
            transitions += try activityLogged(activityID: recordID, at: at, db)
        }
        switch action {
        case "create":
            transitions += try recordCreated(entity: entityName, recordID: recordID, at: at, db)
        case "update":
            transitions += try recordUpdated(entity: entityName, recordID: recordID, auditID: change["audit_id"], at: at, db)
        case "delete":
            for instance in try openInstances(entity: entityName, recordID: recordID, db) {
                transitions += try fireFirst(instance, at: at, db, trigger: "event:deleted") { trigger in
                    if case .event(.deleted, _) = trigger { return true } else { return false }
                }
                if var ending = try store.openInstance(id: instance.id, db) {
                    ending.endedAt = at
                    store.update(ending)
                }
                store.dropAllTimers(of: instance.id)
            }
        default:
            break
        }
        return transitions
    }

    /// An import's creations are one audit row naming the batch's id range.
    private mutating func applyImport(auditID: Int64, entity: String, at: Int64, _ db: Database) throws -> Int {
        guard let range = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT b.first_created_id, b.last_created_id FROM audit_log l JOIN import_batches b ON b.id = l.batch_id
            WHERE l.id = ?
            """), arguments: [auditID]), let first: Int64 = range[0], let last: Int64 = range[1], first <= last
        else { return 0 }
        var transitions = 0
        for id in first...last { transitions += try recordCreated(entity: entity, recordID: id, at: at, db) }
        return transitions
    }

    /// A new record enters every running activation of its entity whose population it belongs to.
    private mutating func recordCreated(entity: String, recordID: Int64, at: Int64, _ db: Database) throws -> Int {
        guard let candidates = activations[entity]?.filter({ $0.isRunning(at: at) }), !candidates.isEmpty else { return 0 }
        var transitions = 0
        for activation in candidates {
            if let pilot = activation.pilotGroupID {
                let owner = try ownerID(activation.entity, recordID: recordID, db)
                guard let owner, try members(ofPilot: pilot, db).contains(owner) else { continue }
            }
            guard let initial = activation.variant.initialState,
                  try !store.hasInstance(entity: entity, recordID: recordID, processID: activation.process.id, db)
            else { continue }  // already in this process
            var instance = try store.createInstance(
                activationID: activation.id, processID: activation.process.id, variant: activation.variant.kind.rawValue,
                entity: entity, recordID: recordID, state: initial.id, at: at, db)
            try enter(&instance, state: initial.id, from: nil, at: at, trigger: "start", actor: "process", activation, db)
            transitions += 1
            transitions += try fireFirst(instance, at: at, db, trigger: "event:created") { trigger in
                if case .event(.created, _) = trigger { return true } else { return false }
            }
        }
        return transitions
    }

    private mutating func recordUpdated(entity: String, recordID: Int64, auditID: Int64, at: Int64,
                                        _ db: Database) throws -> Int {
        let instances = try openInstances(entity: entity, recordID: recordID, db)
        guard !instances.isEmpty else { return 0 }
        var changed: Set<String>?
        var after: [String: ConditionValue]?
        var transitions = 0
        for instance in instances {
            guard let activation = activation(instance.activationID) else { continue }
            let waiting = activation.variant.transitions.contains { transition in
                guard transition.from.id == instance.state, case .event(let event, _) = transition.trigger else { return false }
                return event == .updated || event == .fieldChanged
            }
            guard waiting else { continue }
            if changed == nil {
                if updates[auditID] == nil { try readUpdates([auditID], db) }
                (changed, after) = updates[auditID].map { ($0.changed, $0.after) } ?? ([], nil)
            }
            let fields = changed ?? []
            transitions += try fireFirst(instance, at: at, db, trigger: "event:updated", eventField: fields.sorted().first,
                                         record: after) { trigger in
                switch trigger {
                case .event(.updated, _): return true
                case .event(.fieldChanged, let field?): return fields.contains(field)
                case .event(.fieldChanged, nil): return !fields.isEmpty
                default: return false
                }
            }
        }
        return transitions
    }

    /// An activity moves the records it is logged on (its lead, opportunity, account, contact).
    private mutating func activityLogged(activityID: Int64, at: Int64, _ db: Database) throws -> Int {
        if activityLinks[activityID] == nil { try readActivityLinks([activityID], db) }
        var transitions = 0
        for (entity, recordID) in activityLinks[activityID] ?? [] {
            for instance in try openInstances(entity: entity, recordID: recordID, db) {
                transitions += try fireFirst(instance, at: at, db, trigger: "event:activity_logged") { trigger in
                    if case .event(.activityLogged, _) = trigger { return true } else { return false }
                }
            }
        }
        return transitions
    }

    // MARK: Reading ahead

    /// Reads, in a few statements, what the batch's changes and timers will need one by one: the
    /// instances of their records, the records their activities are logged on, what their
    /// updates changed.
    mutating func prefetch(changes: [Row], timers: [Row], _ db: Database) throws {
        let watched = Set(activations.keys)
        var activities: [Int64] = [], audits: [Int64] = [], records: [(String, Int64)] = []
        for change in changes {
            guard let recordID: Int64 = change[4] else { continue }
            let entity: String = change[3], action: String = change[5]
            if entity == "activity" && action == "create" { activities.append(recordID) }
            guard watched.contains(entity) else { continue }
            records.append((entity, recordID))
            if action == "update" { audits.append(change[1]) }
        }
        try readActivityLinks(activities, db)
        for links in activityLinks.values { records += links.map { ($0.entity, $0.recordID) } }
        try store.preload(records: records, instanceIDs: timers.map { $0[1] }, db)
        try readUpdates(audits, db)
    }

    private mutating func readActivityLinks(_ ids: [Int64], _ db: Database) throws {
        guard !ids.isEmpty else { return }
        for id in ids { activityLinks[id] = [] }
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, lead_id, opportunity_id, account_id, contact_id FROM activities
            WHERE id IN (SELECT value FROM json_each(?))
            """), arguments: [Self.jsonArray(ids)]) {
            var links: [(String, Int64)] = []
            for (index, entity) in ["lead", "opportunity", "account", "contact"].enumerated() {
                if activations[entity] != nil, let recordID: Int64 = row[index + 1] { links.append((entity, recordID)) }
            }
            activityLinks[row[0]] = links
        }
    }

    /// The fields each update changed, and the record as the change left it: guards of a
    /// `field_changed` or `updated` transition read that, not the record as it is when the
    /// worker gets to the change, so a late worker decides as a prompt one would.
    ///
    /// SQLite's JSON functions compare the audit entry's before and after images, field by field
    /// (`->>` reads the before image through SQLite's cache of parsed JSON); of the record as the
    /// change left it, only the changed fields and those the guards read are kept.
    private mutating func readUpdates(_ auditIDs: [Int64], _ db: Database) throws {
        guard !auditIDs.isEmpty else { return }
        let reading = activations.values.joined().reduce(into: Set<String>()) { $0.formUnion(Self.recordFields(read: $1.variant)) }
        for id in auditIDs { updates[id] = ([], [:]) }
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT l.id, a.key, a.type, a.atom, a.atom IS NOT (l.before ->> a.key) AS changed
            FROM audit_log l, json_each(l.after) a
            WHERE l.id IN (SELECT value FROM json_each(?)) AND l.before IS NOT NULL
              AND (a.atom IS NOT (l.before ->> a.key) OR a.key IN (SELECT value FROM json_each(?)))
            """), arguments: [Self.jsonArray(auditIDs), "[" + reading.sorted().map { JSONText.quoted($0) }.joined(separator: ",") + "]"]) {
            let id: Int64 = row[0]
            let key: String = row[1]
            if row[4] as Bool { updates[id]!.changed.insert(key) }
            let value: ConditionValue
            switch row[2] as String {
            case "integer", "real": value = .number(row[3] as Double)
            case "true": value = .number(1)
            case "false": value = .number(0)
            case "text": value = .string(row[3] as String)
            case "null": value = .null
            default: value = .unknown
            }
            updates[id]!.after[key] = value
        }
    }

    private static func jsonArray(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    /// The record fields (`record.status`) the guards of a variant read.
    static func recordFields(read variant: ProcessVariant) -> Set<String> {
        Set(variant.transitions.compactMap(\.guardCondition).flatMap(\.expression.names).compactMap { path in
            path.components.count == 2 && path.components[0] == "record" ? path.components[1] : nil
        })
    }

    // MARK: Timers

    /// Fires one due timer (a `process_timers` row the worker read when its batch began).
    /// Returns the transitions made, or nil when the timer no longer applies: its record left
    /// the state, or ended, earlier in the batch. Either way the row goes.
    mutating func fire(timer: Row, _ db: Database) throws -> Int? {
        store.fired(timerID: timer["id"])
        guard let instance = try store.openInstance(id: timer["instance_id"], db), instance.seq == timer["seq"] as Int else {
            return nil
        }
        guard let activation = activation(instance.activationID) else { return 0 }
        let at: Int64 = timer["due_at"]
        let index: Int = timer["transition_index"]
        let transition = index >= 0 && index < activation.variant.transitions.count ? activation.variant.transitions[index] : nil
        switch timer["kind"] as String {
        case "transition":
            guard let transition else { return 0 }
            return try fire(transition, index: index, instance, activation, at: at, trigger: "timer:after", actor: "process",
                            eventField: nil, db)
        case "sla":
            let hours = transition?.slaHours ?? activation.variant.state(instance.state)?.slaHours ?? 0
            let what = transition.map { "the move \($0.from.id) → \($0.to.id)" } ?? "state '\(instance.state)'"
            store.incident(instance, kind: "sla-breached", index: index, at: at,
                           detail: "\(what) exceeded its \(Self.hours(hours)) SLA")
            if let assignee = instance.assigneeID {
                notify(user: assignee, role: nil, subject: "SLA breached: \(activation.process.name) \(activation.entity.name) \(instance.recordID)",
                           body: "\(what) exceeded its \(Self.hours(hours)) SLA.", key: "process:\(instance.id):\(instance.seq):sla:\(index)", at: at)
            }
            return 0
        case "escalation":
            guard let escalation = transition?.escalation else { return 0 }
            var escalated = instance
            let target = try choose(role: escalation.to.id, strategy: .load, activation, instance, restrictToScope: false, db)
            if let target {
                escalated.assigneeID = target
                try assign(escalated, activation, at: at, db)
            }
            store.incident(instance, kind: "escalated", index: index, at: at,
                           detail: "not moved from '\(instance.state)' within \(Self.hours(escalation.afterHours)); escalated to \(escalation.to.id)"
                              + (target.map { " (user \($0))" } ?? " (nobody holds the role)"))
            notify(user: target, role: escalation.to.id,
                       subject: "Escalated: \(activation.process.name) \(activation.entity.name) \(instance.recordID)",
                       body: "Still in '\(instance.state)' after \(Self.hours(escalation.afterHours)).",
                       key: "process:\(instance.id):\(instance.seq):escalation:\(index)", at: at)
            return 0
        default:
            return 0
        }
    }

    // MARK: Users' actions

    /// A user takes an action (`qualify`) on a record; the first matching transition from its
    /// state whose role and guard allow it fires.
    mutating func act(entity: String, recordID: Int64, action: String, userID: Int64?, actorLabel: String, at: Int64,
                      _ db: Database) throws -> [String] {
        let instances = try openInstances(entity: entity, recordID: recordID, db)
        guard !instances.isEmpty else {
            throw EngineError("\(entity) \(recordID) is in no running process")
        }
        var moved: [String] = []
        var refusals: [String] = []
        var offered: Set<String> = []
        for instance in instances {
            guard let activation = activation(instance.activationID) else { continue }
            for (index, transition) in activation.variant.transitions.enumerated() where transition.from.id == instance.state {
                guard case .action(let name, let by) = transition.trigger else { continue }
                offered.insert(name)
                guard name == action else { continue }
                if let role = by?.id, let userID, !(try holders(ofRole: role, db).contains(userID)) {
                    refusals.append("'\(action)' in \(activation.process.id) is for role \(role), which \(actorLabel) does not hold")
                    continue
                }
                if let condition = transition.guardCondition {
                    switch try evaluate(condition, activation, instance, eventField: nil, db) {
                    case .holds: break
                    case .error(let message): throw EngineError("guard of '\(action)' in \(activation.process.id): \(message)")
                    default:
                        refusals.append("'\(action)' in \(activation.process.id) needs \(condition.text)")
                        continue
                    }
                }
                _ = try fire(transition, index: index, instance, activation, at: at, trigger: "action:\(action)",
                             actor: actorLabel, eventField: nil, checkGuard: false, db)
                moved.append("\(activation.process.id): \(transition.from.id) → \(transition.to.id)")
                break
            }
        }
        if moved.isEmpty {
            if !refusals.isEmpty { throw EngineError(refusals.joined(separator: "; ")) }
            let states = instances.map(\.state).joined(separator: ", ")
            throw EngineError("no action '\(action)' from state \(states) of \(entity) \(recordID)"
                              + (offered.isEmpty ? "; no action is possible there" : "; possible: \(offered.sorted().joined(separator: ", "))"))
        }
        return moved
    }

    // MARK: Moving a record

    /// Fires the first transition from the instance's state that `matches` and whose guard holds.
    private mutating func fireFirst(_ instance: Instance, at: Int64, _ db: Database, trigger label: String,
                                    eventField: String? = nil, record: [String: ConditionValue]? = nil,
                                    matches: (ProcessTransition.Trigger) -> Bool) throws -> Int {
        guard let activation = activation(instance.activationID) else { return 0 }
        for (index, transition) in activation.variant.transitions.enumerated()
        where transition.from.id == instance.state && matches(transition.trigger) {
            let fired = try fire(transition, index: index, instance, activation, at: at, trigger: label, actor: "process",
                                 eventField: eventField, record: record, db)
            if fired > 0 { return fired }
        }
        return 0
    }

    /// Moves the record along `transition` when its guard holds: effects, then the new state.
    @discardableResult
    private mutating func fire(_ transition: ProcessTransition, index: Int, _ instance: Instance, _ activation: Activation,
                               at: Int64, trigger: String, actor: String, eventField: String?, checkGuard: Bool = true,
                               record: [String: ConditionValue]? = nil, _ db: Database) throws -> Int {
        if checkGuard, let condition = transition.guardCondition {
            guard try evaluate(condition, activation, instance, eventField: eventField, record: record, db) == .holds else {
                return 0
            }
        }
        var moving = instance
        for (position, effect) in transition.effects.enumerated() {
            try perform(effect, position: position, to: transition.to.id, &moving, activation, at: at, db)
        }
        try enter(&moving, state: transition.to.id, from: instance.state, at: at, trigger: trigger, actor: actor, activation, db)
        return 1
    }

    /// The record enters `state`: a history row, the old state's timers dropped, the new
    /// state's timers set, its assignment made; a final state ends the instance.
    private mutating func enter(_ instance: inout Instance, state: String, from: String?, at: Int64, trigger: String,
                                actor: String, _ activation: Activation, _ db: Database) throws {
        instance.seq += 1
        instance.state = state
        instance.stateEnteredAt = at
        let final = activation.variant.state(state)?.final ?? false
        if final { instance.endedAt = at }
        store.update(instance)
        store.appendHistory(instance, from: from, at: at, trigger: trigger, actor: actor)
        // The state left can only have timers the model gives it.
        if instance.seq > 1, let from, Self.hasTimers(activation.variant, state: from) {
            store.dropTimers(of: instance.id, before: instance.seq)
        }
        guard !final else { return }
        if let hours = activation.variant.state(state)?.slaHours {
            try schedule(instance, kind: "sla", index: -1, at: due(after: hours, from: at), db)
        }
        var assigned = false
        for (index, transition) in activation.variant.transitions.enumerated() where transition.from.id == state {
            if case .timer(let hours) = transition.trigger {
                try schedule(instance, kind: "transition", index: index, at: due(after: hours, from: at), db)
            }
            if let hours = transition.slaHours {
                try schedule(instance, kind: "sla", index: index, at: due(after: hours, from: at), db)
            }
            if let escalation = transition.escalation {
                try schedule(instance, kind: "escalation", index: index, at: due(after: escalation.afterHours, from: at), db)
            }
            if !assigned, let assignment = transition.assignment {
                assigned = true
                let target = try choose(role: assignment.role?.id, strategy: assignment.strategy, activation, instance,
                                        restrictToScope: true, db)
                if let target, target != instance.assigneeID {
                    instance.assigneeID = target
                    try assign(instance, activation, at: at, db)
                }
            }
        }
    }

    /// Whether entering `state` sets a timer: its SLA, or an `after:`, SLA or escalation of a
    /// transition from it.
    static func hasTimers(_ variant: ProcessVariant, state: String) -> Bool {
        if variant.state(state)?.slaHours != nil { return true }
        return variant.transitions.contains { transition in
            guard transition.from.id == state else { return false }
            if case .timer = transition.trigger { return true }
            return transition.slaHours != nil || transition.escalation != nil
        }
    }

    private mutating func schedule(_ instance: Instance, kind: String, index: Int, at due: Int64, _ db: Database) throws {
        store.schedule(instance, kind: kind, index: index, at: due)
        earliestScheduled = min(earliestScheduled ?? due, due)
    }

    /// When a timer of `hours` started at `start` is due. Under a day it counts working hours on
    /// the business calendar (`4h` is four working hours); a day or more counts calendar time
    /// (`3d` is 72 hours, `2w` two weeks), as people mean it. Round the clock without a calendar.
    func due(after hours: Double, from start: Int64) -> Int64 {
        let seconds = Int64((hours * 3600).rounded())
        guard hours < 24, let calendar else { return start + seconds }
        return calendar.addingWorkingSeconds(seconds, to: start)
    }

    private mutating func perform(_ effect: ProcessEffect, position: Int, to state: String, _ instance: inout Instance,
                                  _ activation: Activation, at: Int64, _ db: Database) throws {
        let key = "process:\(instance.id):\(instance.seq):effect:\(position)"
        switch effect {
        case .set(let fields, _):
            try change(activation.entity, recordID: instance.recordID, fields: fields, activation, at: at, db)
        case .notify(let role, let subject, _):
            notify(user: nil, role: role.id, subject: subject,
                       body: "\(activation.process.name): \(activation.entity.name) \(instance.recordID) leaves '\(instance.state)'.",
                       key: key, at: at)
        case .activity(let kind, let subject, _):
            let column = ["lead": "lead_id", "opportunity": "opportunity_id", "account": "account_id", "contact": "contact_id"]
            guard let link = column[activation.entity.name] else {
                throw EngineError("an activity can be logged on a lead, opportunity, account or contact, not on a \(activation.entity.name)")
            }
            guard let owner = try instance.assigneeID ?? ownerID(activation.entity, recordID: instance.recordID, db) else {
                throw EngineError("\(activation.entity.name) \(instance.recordID) has neither assignee nor owner to log the activity for")
            }
            try CRMStore(clock: .fixed(Timestamp(secondsSinceEpoch: at))).create(
                EntityCatalog.activity,
                fields: ["kind": kind, "subject": subject, "owner_id": String(owner), link: String(instance.recordID),
                         "at": Timestamp(secondsSinceEpoch: at).description],
                as: actor(activation), db)
        case .plugin(let name, let arguments, _):
            let context = PluginStepContext(
                projectID: projectID, phaseID: nil, at: Timestamp(secondsSinceEpoch: at), key: key, pilotUserIDs: [],
                record: .init(entity: activation.entity.name, id: instance.recordID, processID: activation.process.id,
                              from: instance.state, to: state))
            do {
                guard let plugins else {
                    throw EngineError("no plugin is loaded that provides it; install the playbook's plugins")
                }
                // A savepoint, so a failed action's writes are undone and the transition goes on.
                try db.inSavepoint {
                    _ = try plugins.perform(name, arguments: arguments, context: context, db)
                    return .commit
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                throw error
            } catch {
                // The record moves on; the failure is kept and its process owner told.
                try db.execute(sql: """
                    INSERT INTO process_effect_failures (project_id, instance_id, process_id, entity, record_id, effect,
                                                         message, at, idempotency_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING
                    """, arguments: [projectID, instance.id, activation.process.id, activation.entity.name, instance.recordID,
                                     name, "\(error)", at, key])
                notify(user: nil, role: activation.process.owner?.id ?? "pm",
                       subject: "\(activation.process.name): plugin action \(name) failed",
                       body: "\(activation.entity.name) \(instance.recordID) moved from '\(instance.state)' to '\(state)', "
                           + "but \(name) failed: \(error)",
                       key: key + ":failed", at: at)
            }
        }
    }

    // MARK: Assignment

    /// Who gets the record: a holder of `role` (the record's owner's colleagues without one),
    /// within the activation's pilot group when restricted and anyone there holds it.
    private mutating func choose(role: String?, strategy: Assignment.Strategy, _ activation: Activation, _ instance: Instance,
                                 restrictToScope: Bool, _ db: Database) throws -> Int64? {
        if strategy == .owner { return try ownerID(activation.entity, recordID: instance.recordID, db) }
        var candidates = try role.map { try holders(ofRole: $0, db) } ?? teamOfOwner(activation, instance, db)
        if restrictToScope, let pilot = activation.pilotGroupID {
            let members = try members(ofPilot: pilot, db)
            let inScope = candidates.filter(members.contains)
            if !inScope.isEmpty { candidates = inScope }
        }
        guard !candidates.isEmpty else { return nil }
        switch strategy {
        case .roundRobin:
            let position = try store.nextRoundRobinPosition(activationID: activation.id, role: role ?? "", db)
            return candidates[position % candidates.count]
        case .territory:
            if let territory = try recordTerritory(activation, instance, db) {
                let local = try Int64.fetchAll(db.cachedStatement(sql: """
                    SELECT u.id FROM users u LEFT JOIN teams t ON t.id = u.team_id
                    WHERE coalesce(u.territory_id, t.territory_id) = ?
                    """), arguments: [territory])
                let inTerritory = candidates.filter(Set(local).contains)
                if !inTerritory.isEmpty { return try leastLoaded(inTerritory, db) }
            }
            return try leastLoaded(candidates, db)
        case .load:
            return try leastLoaded(candidates, db)
        case .owner:
            return nil
        }
    }

    private mutating func leastLoaded(_ candidates: [Int64], _ db: Database) throws -> Int64? {
        let load = try store.openLoad(of: candidates, db)
        return candidates.min { (load[$0] ?? 0, $0) < (load[$1] ?? 0, $1) }
    }

    private func recordTerritory(_ activation: Activation, _ instance: Instance, _ db: Database) throws -> Int64? {
        if activation.entity.field("account_id") != nil,
           let territory = try Int64.fetchOne(db.cachedStatement(sql: """
               SELECT a.territory_id FROM \(activation.entity.table) r JOIN accounts a ON a.id = r.account_id WHERE r.id = ?
               """), arguments: [instance.recordID]) {
            return territory
        }
        guard let owner = try ownerID(activation.entity, recordID: instance.recordID, db) else { return nil }
        return try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT coalesce(u.territory_id, t.territory_id) FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.id = ?
            """), arguments: [owner])
    }

    private func teamOfOwner(_ activation: Activation, _ instance: Instance, _ db: Database) throws -> [Int64] {
        guard let owner = try ownerID(activation.entity, recordID: instance.recordID, db) else { return [] }
        return try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT id FROM users WHERE active = 1 AND team_id = (SELECT team_id FROM users WHERE id = ?) ORDER BY id
            """), arguments: [owner])
    }

    /// The record's owner becomes `user` (a change in the audit trail), and the instance's assignee.
    private mutating func assign(_ instance: Instance, _ activation: Activation, at: Int64, _ db: Database) throws {
        guard let user = instance.assigneeID else { return }
        store.update(instance)
        if let column = Self.ownerColumn(activation.entity),
           try ownerID(activation.entity, recordID: instance.recordID, db) != user {
            try change(activation.entity, recordID: instance.recordID, fields: [column: String(user)], activation, at: at, db)
        }
        notify(user: user, role: nil, subject: "Assigned to you: \(activation.process.name) \(activation.entity.name) \(instance.recordID)",
                   body: "Now in '\(instance.state)'.", key: "process:\(instance.id):\(instance.seq):assigned", at: at)
    }

    /// A change the runtime makes to a record: validated and audited like any other, but not
    /// fed back into the processes (the inbox skips the runtime's own changes).
    private func change(_ entity: EntityDescriptor, recordID: Int64, fields: [String: String], _ activation: Activation,
                        at: Int64, _ db: Database) throws {
        try CRMStore(clock: .fixed(Timestamp(secondsSinceEpoch: at)))
            .update(entity, id: recordID, fields: fields, as: actor(activation), db)
    }

    private func actor(_ activation: Activation) -> CRMActor {
        .operatorActor(named: "process:\(activation.process.id)")
    }

    // MARK: Roles and people

    /// The users who hold a playbook role: its `members:` by name, else the CRM users granted the
    /// CRM role of the same name (`sales-rep` → `sales_rep`), else those with that job role.
    mutating func holders(ofRole role: String, _ db: Database) throws -> [Int64] {
        if let known = roleHolders[role] { return known }
        var ids: [Int64] = []
        if let members = playbook.organisation.roles.first(where: { $0.id == role })?.members, !members.isEmpty {
            ids = try Int64.fetchAll(db.cachedStatement(sql: """
                SELECT id FROM users WHERE active = 1 AND name IN (\(members.map { _ in "?" }.joined(separator: ", "))) ORDER BY id
                """), arguments: StatementArguments(members))
        }
        let crmRole = role.replacingOccurrences(of: "-", with: "_")
        if ids.isEmpty {
            ids = try Int64.fetchAll(db.cachedStatement(sql: """
                SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.active = 1 AND r.role = ? ORDER BY u.id
                """), arguments: [crmRole])
        }
        if ids.isEmpty {
            ids = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM users WHERE active = 1 AND job_role = ? ORDER BY id"),
                                     arguments: [crmRole])
        }
        roleHolders[role] = ids
        return ids
    }

    private mutating func members(ofPilot pilot: String, _ db: Database) throws -> Set<Int64> {
        if let known = pilotMembers[pilot] { return known }
        let members = Set(try MeasuredGroups().members(projectID: projectID, group: .pilot(pilot), db))
        pilotMembers[pilot] = members
        return members
    }

    static func ownerColumn(_ entity: EntityDescriptor) -> String? {
        switch entity.accountPath {
        case .account(_, let owner): owner
        case .owner(let column): column
        case .isAccount: "owner_id"
        default: nil
        }
    }

    private func ownerID(_ entity: EntityDescriptor, recordID: Int64, _ db: Database) throws -> Int64? {
        guard let column = Self.ownerColumn(entity) else { return nil }
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT \(column) FROM \(entity.table) WHERE id = ?"), arguments: [recordID])
    }

    // MARK: Guards

    private func evaluate(_ condition: Condition, _ activation: Activation, _ instance: Instance, eventField: String?,
                          record: [String: ConditionValue]? = nil, _ db: Database) throws -> ConditionOutcome {
        if let record {
            return condition.evaluate { path in
                let c = path.components
                if c == ["event", "field"] { return eventField.map(ConditionValue.string) ?? .null }
                guard c.count == 2, c[0] == "record" else { return .unknown }
                return record[c[1]] ?? .unknown
            }
        }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(activation.entity.table) WHERE id = ?"),
                                         arguments: [instance.recordID]) else { return .unknown }
        return condition.evaluate { path in
            let c = path.components
            if c == ["event", "field"] { return eventField.map(ConditionValue.string) ?? .null }
            guard c.count == 2, c[0] == "record", row.hasColumn(c[1]) else { return .unknown }
            switch row[c[1]] as DatabaseValue? {
            case nil: return .null
            case let value?:
                switch value.storage {
                case .null: return .null
                case .int64(let n): return .number(Double(n))
                case .double(let d): return .number(d)
                case .string(let s): return .string(s)
                case .blob: return .unknown
                }
            }
        }
    }

    // MARK: Rows

    private func activation(_ id: Int64) -> Activation? {
        for list in activations.values { if let found = list.first(where: { $0.id == id }) { return found } }
        return nil
    }

    private mutating func openInstances(entity: String, recordID: Int64, _ db: Database) throws -> [Instance] {
        try store.openInstances(entity: entity, recordID: recordID, db)
    }

    private mutating func notify(user: Int64?, role: String?, subject: String, body: String, key: String, at: Int64) {
        store.message(projectID: projectID, at: at, role: role ?? "assignee", user: user, subject: subject, body: body, key: key)
    }

    static func hours(_ hours: Double) -> String {
        hours == hours.rounded() ? "\(Int(hours))h" : String(format: "%.1fh", hours)
    }
}
