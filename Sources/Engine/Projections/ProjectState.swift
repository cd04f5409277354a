import CRMCore
import Foundation
import GRDB

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
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    }

    public struct ActionRun: Codable, FetchableRecord, Sendable, Hashable {
        public var phaseId: String
        public var position: Int
        public var action: String
        public var doneAt: Timestamp
        public var summary: String
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    }

    public var project: Project
    public var phases: [PhaseProgress]
    public var tasks: [TaskProgress]
    public var evaluations: [GateEvaluation]
    public var votes: [Vote]
    public var actions: [ActionRun]

    /// The first phase not completed, in playbook order; nil when all are.
    public var currentPhase: PhaseProgress? {
        phases.first { $0.status != "completed" }
    }

    public func tasks(of phaseID: String) -> [TaskProgress] { tasks.filter { $0.phaseId == phaseID } }

    public func evaluation(of phaseID: String, attempt: Int) -> GateEvaluation? {
        evaluations.first { $0.phaseID == phaseID && $0.attempt == attempt }
    }

    public func votes(of phaseID: String, attempt: Int) -> [Vote] {
        votes.filter { $0.phaseId == phaseID && $0.attempt == attempt }
    }

    /// Deliverables produced so far: those of done tasks.
    public var doneTasks: Set<String> {
        Set(tasks.filter { $0.status == "done" }.map(\.taskId))
    }

    /// Phases whose gate decided go, or that completed without a gate.
    public var passedPhases: Set<String> {
        Set(phases.filter { $0.status == "completed" }.map(\.phaseId))
    }

    public var deliveredDeliverables: Set<String> {
        Set(tasks.filter { $0.status == "done" }.compactMap(\.deliverableId))
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
        return ProjectState(project: project, phases: phases, tasks: tasks, evaluations: evaluations, votes: votes,
                            actions: actions)
    }
}
