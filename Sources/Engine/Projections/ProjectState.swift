import CRMCore
import Foundation
import GRDB
import Playbook

/// A project as its projections show it: the read model the engine decides its next step from.
public struct ProjectState: Sendable {
    public struct Project: Codable, FetchableRecord, Sendable, Hashable {
        public var id: String
        public var title: String
        public var playbookId: String
        public var playbookVersion: Int
        public var playbookPath: String
        public var playbookSha256: String
        public var playbookText: String
        public var status: String
        public var startedAt: Timestamp
        public var goLiveAt: Timestamp?
        public var endedAt: Timestamp?
        public var stopReason: String?
        public var lastEventAt: Timestamp
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    }

    public struct PhaseProgress: Codable, FetchableRecord, Sendable, Hashable {
        public var phaseId: String
        public var position: Int
        /// pending, active, awaiting_decision, completed, stopped
        public var status: String
        public var attempt: Int
        /// The round of the phase's cycle (1 for a phase in no cycle).
        public var iteration: Int
        public var startedAt: Timestamp?
        public var plannedEndAt: Timestamp?
        public var endedAt: Timestamp?
        public var decision: GateDecision?
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    }

    public struct TaskProgress: Codable, FetchableRecord, Sendable, Hashable {
        public var taskId: String
        public var phaseId: String
        public var position: Int
        public var name: String
        public var ownerRole: String
        public var deliverableId: String?
        /// open, done
        public var status: String
        public var openedAt: Timestamp
        public var dueAt: Timestamp?
        public var doneAt: Timestamp?
        public var doneBy: String?
        public var note: String?
        /// The round of the phase's cycle the task was opened in. From round 2 on, a playbook
        /// task's id carries the round: `observe-cases@2`.
        public var iteration: Int
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    }

    public struct GateEvaluation: Sendable, Hashable, Codable {
        public var phaseID: String
        public var attempt: Int
        public var evaluatedAt: Timestamp
        public var passed: Bool
        public var snapshotID: Int64?
        public var snapshotSHA256: String?
        public var criteria: [CriterionResult]
    }

    public struct Vote: Codable, FetchableRecord, Sendable, Hashable {
        public var phaseId: String
        public var attempt: Int
        public var role: String
        public var voter: String
        public var decision: GateDecision
        public var note: String?
        public var at: Timestamp
        /// The unmet gate criteria a go vote went ahead without; its note says why.
        public var waived: [String]
        /// What the vote requires to happen next.
        public var conditions: [String]
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    }

    public struct ActionRun: Codable, FetchableRecord, Sendable, Hashable {
        public var phaseId: String
        public var iteration: Int
        public var position: Int
        public var action: String
        public var doneAt: Timestamp
        public var summary: String
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    }

    /// How a round of a cycle ended.
    public struct CycleIteration: Codable, FetchableRecord, Sendable, Hashable {
        public var cycleId: String
        public var iteration: Int
        public var endedAt: Timestamp
        /// repeat, met, exhausted
        public var outcome: String
        public var detail: String
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    }

    public var project: Project
    public var phases: [PhaseProgress]
    public var tasks: [TaskProgress]
    public var evaluations: [GateEvaluation]
    public var votes: [Vote]
    public var actions: [ActionRun]
    public var cycleIterations: [CycleIteration] = []
    /// Actions whose last try failed and that have not completed since: each one's latest failure.
    public var failedActions: [EngineEvent.ActionFailed] = []

    /// The first phase not completed, in playbook order; nil when all are.
    public var currentPhase: PhaseProgress? {
        phases.first { $0.status != "completed" }
    }

    /// The tasks of a phase in its current round.
    public func tasks(of phaseID: String) -> [TaskProgress] {
        let round = phase(phaseID)?.iteration ?? 1
        return tasks.filter { $0.phaseId == phaseID && $0.iteration == round }
    }

    public func evaluation(of phaseID: String, attempt: Int) -> GateEvaluation? {
        evaluations.first { $0.phaseID == phaseID && $0.attempt == attempt }
    }

    public func votes(of phaseID: String, attempt: Int) -> [Vote] {
        votes.filter { $0.phaseId == phaseID && $0.attempt == attempt }
    }

    public func phase(_ phaseID: String) -> PhaseProgress? { phases.first { $0.phaseId == phaseID } }

    /// Tasks of the current round of their phase: a cycle's earlier rounds are history.
    public var currentTasks: [TaskProgress] {
        let rounds = Dictionary(phases.map { ($0.phaseId, $0.iteration) }, uniquingKeysWith: { a, _ in a })
        return tasks.filter { $0.iteration == rounds[$0.phaseId] ?? 1 }
    }

    /// The playbook ids of the tasks done in their phase's current round.
    public var doneTasks: Set<String> {
        Set(currentTasks.filter { $0.status == "done" }.map { Self.playbookTaskID($0.taskId) })
    }

    /// A task instance's id without its round: `observe-cases@2` → `observe-cases`.
    public static func playbookTaskID(_ taskID: String) -> String {
        guard let at = taskID.lastIndex(of: "@"), Int(taskID[taskID.index(after: at)...]) != nil else { return taskID }
        return String(taskID[..<at])
    }

    /// The id a playbook task has in round `iteration` of its phase.
    public static func taskID(_ playbookTaskID: String, iteration: Int) -> String {
        iteration <= 1 ? playbookTaskID : "\(playbookTaskID)@\(iteration)"
    }

    /// The tasks `task` depends on (per `phase`, its playbook phase) that are not done in the
    /// task's round.
    public func openDependencies(of task: TaskProgress, in phase: Phase) -> [Reference] {
        let definition = phase.tasks.first { $0.id == Self.playbookTaskID(task.taskId) }
        return (definition?.dependsOn ?? []).filter { dependency in
            let id = Self.taskID(dependency.id, iteration: task.iteration)
            return tasks.first { $0.taskId == id }?.status != "done"
        }
    }

    /// Whether the round `iteration` of `cycleID` has ended.
    public func cycleIterationEnded(_ cycleID: String, iteration: Int) -> Bool {
        cycleIterations.contains { $0.cycleId == cycleID && $0.iteration == iteration }
    }

    /// Phases whose gate decided go, or that completed without a gate.
    public var passedPhases: Set<String> {
        Set(phases.filter { $0.status == "completed" }.map(\.phaseId))
    }

    /// Deliverables produced in their phase's current round: those of its done tasks.
    public var deliveredDeliverables: Set<String> {
        Set(currentTasks.filter { $0.status == "done" }.compactMap(\.deliverableId))
    }

    /// The project in this workspace, or nil when none has started. (A workspace runs one project.)
    public static func load(_ db: Database) throws -> ProjectState? {
        guard let project = try Project.fetchOne(db, sql: "SELECT * FROM projects ORDER BY started_at LIMIT 1")
        else { return nil }
        let id = project.id
        let phases = try PhaseProgress.fetchAll(db, sql: "SELECT * FROM engine_phases WHERE project_id = ? ORDER BY position",
                                                arguments: [id])
        let tasks = try TaskProgress.fetchAll(db, sql: """
            SELECT t.* FROM engine_tasks t JOIN engine_phases p ON p.project_id = t.project_id AND p.phase_id = t.phase_id
            WHERE t.project_id = ? ORDER BY p.position, t.position
            """, arguments: [id])
        let evaluations = try Row.fetchAll(db, sql: """
            SELECT * FROM engine_gate_evaluations WHERE project_id = ? ORDER BY evaluated_at, phase_id, attempt
            """, arguments: [id]).map { row in
                GateEvaluation(phaseID: row["phase_id"], attempt: row["attempt"], evaluatedAt: row["evaluated_at"],
                               passed: row["passed"], snapshotID: row["snapshot_id"], snapshotSHA256: row["snapshot_sha256"],
                               criteria: try JSONDecoder().decode([CriterionResult].self, from: Data((row["criteria"] as String).utf8)))
            }
        let votes = try Vote.fetchAll(db, sql: "SELECT * FROM engine_votes WHERE project_id = ? ORDER BY at, role",
                                      arguments: [id])
        let actions = try ActionRun.fetchAll(db, sql: """
            SELECT * FROM engine_actions WHERE project_id = ? ORDER BY done_at, phase_id, position
            """, arguments: [id])
        let cycles = try CycleIteration.fetchAll(db, sql: """
            SELECT * FROM engine_cycle_iterations WHERE project_id = ? ORDER BY ended_at, cycle_id, iteration
            """, arguments: [id])
        var state = ProjectState(project: project, phases: phases, tasks: tasks, evaluations: evaluations, votes: votes,
                                 actions: actions, cycleIterations: cycles)
        // Not a projection: the failures are read from the log, the latest per action that is still to do.
        var failed: [String: EngineEvent.ActionFailed] = [:]
        for payload in try String.fetchAll(db, sql: """
            SELECT payload FROM engine_events WHERE project_id = ? AND kind = 'action.failed' ORDER BY seq
            """, arguments: [id]) {
            guard case .actionFailed(let failure) = try EngineEvent.decode(kind: "action.failed", payload: payload),
                  !actions.contains(where: { $0.phaseId == failure.phaseID && $0.position == failure.position
                                               && $0.iteration == failure.iteration }) else { continue }
            failed["\(failure.phaseID):\(failure.position):\(failure.iteration)"] = failure
        }
        state.failedActions = failed.values.sorted { ($0.phaseID, $0.position) < ($1.phaseID, $1.position) }
        return state
    }
}
