import CRMCore
import GRDB
import RolloutMetrics
import Playbook

/// What an action needs to do its work.
public struct ActionContext: Sendable {
    public var projectID: String
    public var playbook: Playbook
    public var phase: Phase
    public var step: ActionStep
    /// The action's index in the phase's `actions:` list.
    public var position: Int
    /// The round of the phase's cycle (1 for a phase in no cycle).
    public var iteration: Int = 1
    public var at: Timestamp
    public var snapshots: SnapshotStore

    /// The prefix of every idempotency key this action run uses.
    public var key: String {
        "action:\(phase.id):\(position):\(step.name.id)" + (iteration > 1 ? ":\(iteration)" : "")
    }

    /// A snapshot label made unique per round: `phase-start:pilot`, `phase-start:pilot#2`.
    func label(_ base: String) -> String { iteration > 1 ? "\(base)#\(iteration)" : base }
}

/// What an action did: a one-line summary for the log, and events it caused.
public struct ActionOutcome: Sendable {
    public var summary: String
    /// Further events, each with the suffix that makes its idempotency key unique.
    public var events: [(event: EngineEvent, keySuffix: String)]

    public init(summary: String, events: [(event: EngineEvent, keySuffix: String)] = []) {
        self.summary = summary
        self.events = events
    }
}

/// A step a playbook phase runs when it starts (`actions: [kpi.snapshot, pilot.start]`).
///
/// `perform` runs inside the transaction that records the action as done, so its database
/// effects happen exactly once however often the engine is killed and rerun.
public protocol EngineAction: Sendable {
    var name: String { get }
    /// One line for `rollout check` and the docs.
    var summary: String { get }
    func perform(_ context: ActionContext, _ db: Database) throws -> ActionOutcome
}

/// The actions a playbook can name.
public struct ActionRegistry: Sendable {
    public private(set) var actions: [String: any EngineAction]

    public init(_ actions: [any EngineAction]) {
        self.actions = Dictionary(uniqueKeysWithValues: actions.map { ($0.name, $0) })
    }

    public static let builtIn = ActionRegistry([
        BaselineAction(), SnapshotAction(), PilotStartAction(), PilotEndAction(), GoLiveAction(), NotifyAction(),
        ProcessStartAction(), ProcessStopAction(),
    ])

    public var names: Set<String> { Set(actions.keys) }

    public func action(_ name: String) -> (any EngineAction)? { actions[name] }
}

/// `kpi.baseline`: measures every KPI on every group, as the baseline the project is judged against.
struct BaselineAction: EngineAction {
    let name = "kpi.baseline"
    let summary = "measure every KPI on every group as the project's baseline"

    func perform(_ context: ActionContext, _ db: Database) throws -> ActionOutcome {
        let snapshot = try context.snapshots.take(projectID: context.projectID, label: "baseline", phaseID: context.phase.id,
                                                  playbook: context.playbook, at: context.at, db)
        return ActionOutcome(summary: "baseline measured: \(snapshot.measurements.count) KPI values (snapshot \(snapshot.contentSHA256.prefix(12)))")
    }
}

/// `kpi.snapshot`: measures every KPI on every group now.
struct SnapshotAction: EngineAction {
    let name = "kpi.snapshot"
    let summary = "take a KPI snapshot of every group"

    func perform(_ context: ActionContext, _ db: Database) throws -> ActionOutcome {
        let snapshot = try context.snapshots.take(projectID: context.projectID,
                                                  label: context.label("phase-start:\(context.phase.id)"),
                                                  phaseID: context.phase.id, playbook: context.playbook, at: context.at, db)
        return ActionOutcome(summary: "KPI snapshot taken: \(snapshot.measurements.count) values (\(snapshot.contentSHA256.prefix(12)))")
    }
}

/// `pilot.start`: the phase's pilot group starts working the new way (S1 step 3).
struct PilotStartAction: EngineAction {
    let name = "pilot.start"
    let summary = "start the phase's pilot group"

    func perform(_ context: ActionContext, _ db: Database) throws -> ActionOutcome {
        guard let pilot = context.phase.pilot?.id else {
            throw EngineError("phase '\(context.phase.id)' runs pilot.start but names no pilot group (add `pilot:`)")
        }
        let members = try MeasuredGroups().members(projectID: context.projectID, group: .pilot(pilot), db)
        let running = try Bool.fetchOne(db, sql: """
            SELECT 1 FROM engine_pilots WHERE project_id = ? AND pilot_group_id = ? AND ended_at IS NULL
            """, arguments: [context.projectID, pilot]) ?? false
        if running {  // a cycle's next round: the pilot goes on
            return ActionOutcome(summary: "pilot '\(pilot)' already running with \(members.count) users")
        }
        return ActionOutcome(summary: "pilot '\(pilot)' started with \(members.count) users",
                             events: [(.pilotStarted(.init(phaseID: context.phase.id, pilotGroupID: pilot)), "pilot")])
    }
}

/// `pilot.end`: the pilot period is over (its KPIs stay measurable).
struct PilotEndAction: EngineAction {
    let name = "pilot.end"
    let summary = "end the running pilot"

    func perform(_ context: ActionContext, _ db: Database) throws -> ActionOutcome {
        let running = try String.fetchAll(db, sql: """
            SELECT pilot_group_id FROM engine_pilots WHERE project_id = ? AND ended_at IS NULL ORDER BY pilot_group_id
            """, arguments: [context.projectID])
        let target = context.step.arguments["group"].map { [$0] } ?? running
        return ActionOutcome(
            summary: target.isEmpty ? "no pilot was running" : "pilot \(target.joined(separator: ", ")) ended",
            events: target.map { (.pilotEnded(.init(phaseID: context.phase.id, pilotGroupID: $0)), "pilot:\($0)") })
    }
}

/// `project.go-live`: the new system is live for everyone; the ROI's time 0.
struct GoLiveAction: EngineAction {
    let name = "project.go-live"
    let summary = "mark the go-live (the ROI's time 0)"

    func perform(_ context: ActionContext, _ db: Database) throws -> ActionOutcome {
        ActionOutcome(summary: "went live on \(context.at.dateString)",
                      events: [(.wentLive(.init(phaseID: context.phase.id)), "went-live")])
    }
}

/// `notify: { to: ROLE, subject: TEXT }`: queues a message in the outbox for a role.
struct NotifyAction: EngineAction {
    let name = "notify"
    let summary = "queue a message to a role in the outbox"

    func perform(_ context: ActionContext, _ db: Database) throws -> ActionOutcome {
        let role = context.step.arguments["to"] ?? context.phase.owner?.id ?? "pm"
        let subject = context.step.arguments["subject"] ?? "Phase '\(context.phase.name)' has started"
        let body = context.step.arguments["body"]
            ?? "\(context.phase.name) started on \(context.at.dateString); planned length \(context.phase.durationDays) days."
        try db.execute(sql: """
            INSERT OR IGNORE INTO engine_outbox (project_id, created_at, recipient_role, subject, body, idempotency_key)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [context.projectID, context.at, role, subject, body, context.key])
        return ActionOutcome(summary: "message to \(role) queued: \(subject)")
    }
}
