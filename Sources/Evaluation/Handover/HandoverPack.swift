import CRMCore
import Engine
import Foundation
import GRDB
import Playbook

/// What an incoming consultant needs to take a project over (S2 key point 2): where it stands,
/// every gate decision with each vote and its reason, the requirements added since it started,
/// the open risks and tasks, the lessons learned, and who holds each role.
///
/// Built from the workspace alone (the event log's projections, lessons and the recorded
/// playbook), so a hand-over never depends on the outgoing consultant's notes.
///
/// ```swift
/// let pack = try HandoverPackBuilder(playbook: running, originalPlaybook: first).build(db, asOf: now)
/// let html = try HandoverRenderer(generator: "rollout 0.1.0").render(pack, as: .html, template: text)
/// ```
public struct HandoverPack: Sendable, Hashable, Codable {
    /// The project and the playbook version it runs.
    public struct ProjectSummary: Sendable, Hashable, Codable {
        public var id: String
        public var title: String
        public var status: String
        public var startedAt: Timestamp
        public var goLiveAt: Timestamp?
        public var endedAt: Timestamp?
        public var stopReason: String?
        public var playbookID: String
        public var playbookVersion: Int
        public var playbookPath: String
        public var playbookSHA256: String
    }

    /// One phase on the timeline.
    public struct PhaseLine: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var owner: String?
        /// pending, active, awaiting_decision, completed, stopped
        public var status: String
        public var start: Timestamp
        public var end: Timestamp
        public var started: Bool
        public var ended: Bool
        public var daysLate: Int
        public var tasksDone: Int
        public var tasksTotal: Int
    }

    /// One approver role's vote on a gate.
    public struct Vote: Sendable, Hashable, Codable {
        public var role: String
        public var roleName: String
        public var voter: String
        public var decision: GateDecision
        /// The note given with the vote: why.
        public var reason: String?
        public var at: Timestamp
    }

    /// One evaluation of a phase's gate and the votes cast on it.
    public struct GateRecord: Sendable, Hashable, Codable {
        public var phaseID: String
        public var phaseName: String
        public var attempt: Int
        public var evaluatedAt: Timestamp
        public var criteriaMet: Bool
        public var criteria: [String]
        /// The decision, once every approver voted (or the gate passed on its criteria alone).
        public var decision: String?
        public var votes: [Vote]
    }

    /// A move to another playbook version.
    public struct VersionRecord: Sendable, Hashable, Codable {
        public var at: Timestamp
        public var fromVersion: Int
        public var toVersion: Int
        public var toSHA256: String
        public var changes: [String]
        public var openedTasks: [String]
    }

    /// A task the original playbook did not have: a requirement added while the project ran.
    public struct CustomTask: Sendable, Hashable, Codable {
        public var id: String
        public var phaseID: String
        public var name: String
        public var owner: String
        /// open, done, or planned (its phase has not started).
        public var status: String
    }

    /// Something that may hurt the project if nobody acts on it.
    public struct Risk: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable {
            case gate, overdueTask = "overdue-task", failingCriterion = "failing-criterion", costlyLesson = "costly-lesson"
        }

        public var kind: Kind
        public var description: String
    }

    /// A task still to do.
    public struct OpenTask: Sendable, Hashable, Codable {
        public var id: String
        public var phaseID: String
        public var name: String
        public var owner: String
        public var ownerName: String
        public var dueAt: Timestamp?
        public var overdue: Bool
    }

    /// The lessons of one category, with the question of S1 step 4 they answer.
    public struct LessonGroup: Sendable, Hashable, Codable {
        public var category: LessonLearned.Category
        public var question: String
        public var lessons: [LessonLearned]
    }

    /// A role of the project organisation: who holds it and what it decides and does.
    public struct RoleHolder: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var side: String
        public var members: [String]
        public var duties: [String]
        /// Phases whose gate this role approves.
        public var approvesGates: [String]
        /// Phases this role is accountable for.
        public var ownsPhases: [String]
        /// Tasks this role carries out.
        public var ownsTasks: [String]
        /// Tasks this role signs off (RACI's A).
        public var approvesTasks: [String]
    }

    public var asOf: Timestamp
    public var project: ProjectSummary
    public var phases: [PhaseLine]
    /// The first phase not completed; nil when the project is over.
    public var currentPhase: String?
    public var nextStep: String
    public var decisions: [GateRecord]
    public var versions: [VersionRecord]
    public var customTasks: [CustomTask]
    public var risks: [Risk]
    public var openTasks: [OpenTask]
    public var lessons: [LessonGroup]
    public var roles: [RoleHolder]
}

/// Assembles the `HandoverPack` of the workspace's project.
public struct HandoverPackBuilder: Sendable {
    /// A lesson whose delay is at least this many days is an open risk: it says where time goes.
    public static let costlyDelayDays = 5

    /// The playbook the project runs now.
    public let playbook: Playbook
    /// The playbook it started with; tasks not in it are custom requirements. nil: the same.
    public let originalPlaybook: Playbook?

    public init(playbook: Playbook, originalPlaybook: Playbook?) {
        self.playbook = playbook
        self.originalPlaybook = originalPlaybook
    }

    public func build(_ db: Database, asOf requested: Timestamp? = nil) throws -> HandoverPack {
        guard let state = try ProjectState.load(db) else {
            throw ReportError("no project has started in this workspace; there is nothing to hand over yet")
        }
        let asOf = requested.map { max($0, state.project.lastEventAt) } ?? state.project.lastEventAt
        let versions = try EventLog().versionHistory(projectID: state.project.id, db)
        let status = ProjectStatus(state: state, playbook: playbook, asOf: asOf, versions: versions)
        let lessons = try LessonLog().lessons(projectID: state.project.id, db)
        let p = state.project

        let phases = status.phases.map { s in
            HandoverPack.PhaseLine(id: s.id, name: s.name, owner: playbook.phase(s.id)?.owner?.id, status: s.status,
                                   start: s.start, end: s.end, started: s.started, ended: s.ended, daysLate: s.daysLate,
                                   tasksDone: s.tasksDone, tasksTotal: s.tasksTotal)
        }
        let openTasks = status.openTasks.map { t in
            HandoverPack.OpenTask(id: t.id, phaseID: t.phaseID, name: t.name, owner: t.owner,
                                  ownerName: playbook.role(t.owner)?.name ?? t.owner, dueAt: t.dueAt, overdue: t.overdue)
        }
        let decisions = gateRecords(state)
        return HandoverPack(
            asOf: asOf,
            project: .init(id: p.id, title: p.title, status: p.status, startedAt: p.startedAt, goLiveAt: p.goLiveAt,
                           endedAt: p.endedAt, stopReason: p.stopReason, playbookID: p.playbookId,
                           playbookVersion: p.playbookVersion, playbookPath: p.playbookPath, playbookSHA256: p.playbookSha256),
            phases: phases,
            currentPhase: p.status == "active" ? state.currentPhase?.phaseId : nil,
            nextStep: status.nextStep,
            decisions: decisions,
            versions: versions.map {
                .init(at: $0.at, fromVersion: $0.fromVersion, toVersion: $0.toVersion, toSHA256: $0.toSHA256,
                      changes: $0.changes, openedTasks: $0.openedTasks)
            },
            customTasks: customTasks(state),
            risks: risks(state, decisions: decisions, openTasks: openTasks, lessons: lessons),
            openTasks: openTasks,
            lessons: LessonLearned.Category.allCases.compactMap { category in
                let of = lessons.filter { $0.category == category }
                return of.isEmpty ? nil : HandoverPack.LessonGroup(category: category, question: category.question, lessons: of)
            },
            roles: roles())
    }

    private func gateRecords(_ state: ProjectState) -> [HandoverPack.GateRecord] {
        state.evaluations.sorted { ($0.evaluatedAt, $0.attempt) < ($1.evaluatedAt, $1.attempt) }.map { e in
            let progress = state.phases.first { $0.phaseId == e.phaseID }
            let gate = playbook.phase(e.phaseID)?.gate
            var decision: String?
            if let progress, e.attempt < progress.attempt {
                decision = GateDecision.rework.rawValue
            } else if let made = progress?.decision {
                decision = made.rawValue
            } else if gate?.approvers.isEmpty ?? true, progress?.status == "completed" {
                decision = "passed on its criteria"
            }
            let votes = state.votes(of: e.phaseID, attempt: e.attempt).map { v in
                HandoverPack.Vote(role: v.role, roleName: playbook.role(v.role)?.name ?? v.role, voter: v.voter,
                                  decision: v.decision, reason: v.note, at: v.at)
            }
            return HandoverPack.GateRecord(
                phaseID: e.phaseID, phaseName: playbook.phase(e.phaseID)?.name ?? e.phaseID, attempt: e.attempt,
                evaluatedAt: e.evaluatedAt, criteriaMet: e.passed,
                criteria: e.criteria.map { "\($0.criterion): \($0.status.rawValue)" + ($0.detail.isEmpty ? "" : " (\($0.detail))") },
                decision: decision, votes: votes)
        }
    }

    private func customTasks(_ state: ProjectState) -> [HandoverPack.CustomTask] {
        guard let originalPlaybook else { return [] }
        let original = Set(originalPlaybook.phases.flatMap { $0.tasks.map(\.id) })
        return playbook.phases.flatMap { phase in
            phase.tasks.filter { !original.contains($0.id) }.map { task in
                HandoverPack.CustomTask(id: task.id, phaseID: phase.id, name: task.name, owner: task.owner.id,
                                        status: state.tasks.first { $0.taskId == task.id }?.status ?? "planned")
            }
        }
    }

    private func risks(_ state: ProjectState, decisions: [HandoverPack.GateRecord], openTasks: [HandoverPack.OpenTask],
                       lessons: [LessonLearned]) -> [HandoverPack.Risk] {
        var risks: [HandoverPack.Risk] = []
        for progress in state.phases where progress.status == "awaiting_decision" || progress.status == "active" {
            guard let latest = decisions.last(where: { $0.phaseID == progress.phaseId && $0.attempt == progress.attempt })
            else { continue }
            let voted = Set(latest.votes.map(\.role))
            let missing = (playbook.phase(progress.phaseId)?.gate?.approvers.map(\.id) ?? []).filter { !voted.contains($0) }
            var text = "the gate of \(latest.phaseName) (attempt \(latest.attempt)) has not passed: criteria "
                + (latest.criteriaMet ? "met" : "not met")
            if !missing.isEmpty { text += "; waiting for " + missing.joined(separator: ", ") }
            risks.append(.init(kind: .gate, description: text))
        }
        for task in openTasks where task.overdue {
            risks.append(.init(kind: .overdueTask, description: "task '\(task.id)' (\(task.name)) of \(task.ownerName) "
                + "was due \(task.dueAt?.dateString ?? "-") and is still open"))
        }
        if let last = state.evaluations.max(by: { ($0.evaluatedAt, $0.attempt) < ($1.evaluatedAt, $1.attempt) }) {
            for criterion in last.criteria where criterion.status != .passed {
                risks.append(.init(kind: .failingCriterion, description: "at the last gate evaluation "
                    + "(\(playbook.phase(last.phaseID)?.name ?? last.phaseID), \(last.evaluatedAt.dateString)) "
                    + "\(criterion.criterion) was \(criterion.status.rawValue)" + (criterion.detail.isEmpty ? "" : ": \(criterion.detail)")))
            }
        }
        for lesson in lessons where lesson.delayDays >= Self.costlyDelayDays || (lesson.cost?.minorUnits ?? 0) > 0 {
            let cost = [lesson.delayDays > 0 ? "\(lesson.delayDays) days of delay" : nil, lesson.cost?.formatted]
                .compactMap { $0 }.joined(separator: ", ")
            risks.append(.init(kind: .costlyLesson, description: "\(lesson.category.rawValue) in \(lesson.phaseID): "
                + "\(lesson.whatHappened) (\(cost))" + (lesson.remedy.map { "; remedy: \($0)" } ?? "; no remedy recorded")))
        }
        return risks
    }

    private func roles() -> [HandoverPack.RoleHolder] {
        playbook.organisation.roles.map { role in
            let tasks = playbook.phases.flatMap(\.tasks)
            return HandoverPack.RoleHolder(
                id: role.id, name: role.name, side: role.side.rawValue, members: role.members, duties: role.duties,
                approvesGates: playbook.phases.filter { $0.gate?.approvers.contains { $0.id == role.id } ?? false }.map(\.id),
                ownsPhases: playbook.phases.filter { $0.owner?.id == role.id }.map(\.id),
                ownsTasks: tasks.filter { $0.owner.id == role.id }.map(\.id),
                approvesTasks: tasks.filter { $0.approver?.id == role.id }.map(\.id))
        }
    }
}
