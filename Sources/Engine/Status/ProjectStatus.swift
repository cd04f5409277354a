import CRMCore
import Playbook

/// The project at a glance: the phase timeline (planned against actual), each gate's result
/// and votes, the open tasks, and what to do next. `rollout status` prints it; `--json` encodes it.
public struct ProjectStatus: Sendable, Hashable, Codable {
    public struct ProjectInfo: Sendable, Hashable, Codable {
        public var id: String
        public var title: String
        public var status: String
        public var startedAt: Timestamp
        public var goLiveAt: Timestamp?
        public var endedAt: Timestamp?
        public var stopReason: String?
        public var playbookSHA256: String
        public var playbookVersion: Int
    }

    public struct GateStatus: Sendable, Hashable, Codable {
        public var approvers: [String]
        public var attempt: Int
        public var evaluatedAt: Timestamp?
        public var passed: Bool?
        public var criteria: [CriterionResult]
        public var votes: [ProjectState.Vote]
        public var decision: GateDecision?
    }

    public struct PhaseStatus: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        /// pending, active, awaiting_decision, completed, stopped
        public var status: String
        /// Actual start, or the projected one for a phase not started.
        public var start: Timestamp
        /// Actual end, or the planned / projected one.
        public var end: Timestamp
        public var started: Bool
        public var ended: Bool
        /// Days the phase ended (or is running) past its planned end; 0 when on plan.
        public var daysLate: Int
        public var tasksDone: Int
        public var tasksTotal: Int
        public var gate: GateStatus?
        /// The round of the phase's cycle (1 for a phase in no cycle); its tasks and gate are this round's.
        public var iteration: Int = 1
    }

    public struct TaskStatus: Sendable, Hashable, Codable {
        public var id: String
        public var phaseID: String
        public var name: String
        public var owner: String
        public var dueAt: Timestamp?
        public var overdue: Bool
    }

    public var asOf: Timestamp
    public var project: ProjectInfo
    public var phases: [PhaseStatus]
    public var openTasks: [TaskStatus]
    public var nextStep: String
    /// Actions that failed and are still to do (`rollout run` tries them again).
    public var failedActions: [EngineEvent.ActionFailed] = []
    /// Each move of the project to another playbook version, oldest first.
    public var versions: [PlaybookVersionChange]

    public init(state: ProjectState, playbook: Playbook, asOf now: Timestamp, versions: [PlaybookVersionChange] = []) {
        let p = state.project
        asOf = now
        project = ProjectInfo(id: p.id, title: p.title, status: p.status, startedAt: p.startedAt, goLiveAt: p.goLiveAt,
                              endedAt: p.endedAt, stopReason: p.stopReason, playbookSHA256: p.playbookSha256,
                              playbookVersion: p.playbookVersion)
        var cursor = p.startedAt
        var phases: [PhaseStatus] = []
        for progress in state.phases {
            guard let phase = playbook.phase(progress.phaseId) else { continue }
            let start = progress.startedAt ?? max(cursor, now)
            let plannedEnd = progress.plannedEndAt ?? start.adding(days: phase.durationDays)
            let end = progress.endedAt ?? max(plannedEnd, progress.startedAt == nil ? plannedEnd : now)
            let late = max(0, plannedEnd.days(until: progress.endedAt ?? (progress.startedAt == nil ? plannedEnd : now)))
            let tasks = state.tasks(of: phase.id)
            var gate: GateStatus?
            if let g = phase.gate {
                let evaluation = state.evaluation(of: phase.id, attempt: progress.attempt)
                gate = GateStatus(approvers: g.approvers.map(\.id), attempt: progress.attempt,
                                  evaluatedAt: evaluation?.evaluatedAt, passed: evaluation?.passed,
                                  criteria: evaluation?.criteria ?? [], votes: state.votes(of: phase.id, attempt: progress.attempt),
                                  decision: progress.decision)
            }
            phases.append(PhaseStatus(id: phase.id, name: phase.name, status: progress.status, start: start, end: end,
                                      started: progress.startedAt != nil, ended: progress.endedAt != nil, daysLate: late,
                                      tasksDone: tasks.filter { $0.status == "done" }.count,
                                      tasksTotal: progress.startedAt == nil ? phase.tasks.count : tasks.count, gate: gate,
                                      iteration: progress.iteration))
            cursor = end
        }
        self.phases = phases
        openTasks = state.tasks.filter { $0.status == "open" }.map {
            TaskStatus(id: $0.taskId, phaseID: $0.phaseId, name: $0.name, owner: $0.ownerRole, dueAt: $0.dueAt,
                       overdue: ($0.dueAt.map { $0 < now }) ?? false)
        }
        nextStep = Self.nextStep(state: state, playbook: playbook, openTasks: openTasks)
        failedActions = state.failedActions
        if let failure = failedActions.first {
            nextStep = "fix why action '\(failure.action)' of '\(failure.phaseID)' failed, then `rollout run` tries it again"
        }
        self.versions = versions
    }

    static func nextStep(state: ProjectState, playbook: Playbook, openTasks: [TaskStatus]) -> String {
        switch state.project.status {
        case "completed": return "the project is complete: write the evaluation with `rollout report`"
        case "stopped": return "the project was stopped: \(state.project.stopReason ?? "")"
        default: break
        }
        guard let current = state.currentPhase, let phase = playbook.phase(current.phaseId) else {
            return "run `rollout run` to complete the project"
        }
        switch current.status {
        case "pending":
            return "run `rollout run` to start \(phase.name)"
        case "active":
            let open = openTasks.filter { $0.phaseID == phase.id }
            if let first = open.first {
                return "finish the \(open.count) open task\(open.count == 1 ? "" : "s") of \(phase.name): `rollout task done \(first.id)`"
            }
            return "run `rollout run` to evaluate the gate of \(phase.name)"
        case "awaiting_decision":
            if current.decision != nil { return "run `rollout run` to act on the gate's decision" }
            let voted = Set(state.votes(of: phase.id, attempt: current.attempt).map(\.role))
            let missing = (phase.gate?.approvers.map(\.id) ?? []).filter { !voted.contains($0) }
            let role = missing.first ?? "ROLE"
            return "the gate of \(phase.name) awaits \(missing.joined(separator: ", ")): "
                + "`rollout approve \(phase.id) --by NAME --role \(role) --decision go|no-go|rework --note TEXT`"
        default:
            return "run `rollout run`"
        }
    }
}
