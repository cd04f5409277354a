import CRMCore
import Engine
import Playbook

/// The planned calendar of a playbook: its phases one after another, each for its `duration`,
/// and each phase's tasks after the tasks they depend on, as the engine schedules them.
///
/// Days count from the project's start (day 0); week 1 is days 0–6. A phase in a cycle is drawn
/// once, its first iteration: a cycle may repeat it up to `maxIterations` times.
public struct PlanTimeline: Sendable, Hashable, Codable {
    /// A stretch of the plan: `[startDay, endDay)` from the project's start, and its dates.
    public struct Span: Sendable, Hashable, Codable {
        public var startDay: Int
        public var endDay: Int
        public var start: Timestamp
        public var end: Timestamp
        /// The first and last week (1-based) the span occupies.
        public var startWeek: Int
        public var endWeek: Int

        init(startDay: Int, endDay: Int, projectStart: Timestamp) {
            self.startDay = startDay
            self.endDay = endDay
            start = projectStart.adding(days: startDay)
            end = projectStart.adding(days: endDay)
            startWeek = startDay / 7 + 1
            endWeek = max(startDay, endDay - 1) / 7 + 1
        }
    }

    /// A role as the playbook names it.
    public struct RoleName: Sendable, Hashable, Codable, CustomStringConvertible {
        public var id: String
        public var name: String?

        public var description: String { name.map { "\(id) (\($0))" } ?? id }
    }

    /// One task of a phase: who does it (RACI) and when it is planned.
    public struct PlannedTask: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var owner: RoleName
        public var approver: RoleName?
        public var consulted: [RoleName]
        public var informed: [RoleName]
        public var dependsOn: [String]
        public var deliverable: String?
        public var durationDays: Int
        public var span: Span
        /// True when the task, after the tasks it waits for, ends after its phase's planned end.
        public var endsAfterPhase: Bool
    }

    /// The cycle a phase belongs to.
    public struct CycleMark: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var maxIterations: Int
        /// The condition that ends the cycle early, as written.
        public var until: String?
    }

    /// One phase with its tasks.
    public struct PlannedPhase: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var owner: RoleName?
        /// The pilot group the phase runs, if any.
        public var pilot: String?
        public var durationDays: Int
        public var span: Span
        public var cycle: CycleMark?
        /// The actions the engine runs when the phase starts (`kpi.baseline`, `project.go-live`…).
        public var actions: [String]
        public var tasks: [PlannedTask]
    }

    public var start: Timestamp
    public var end: Timestamp
    public var totalDays: Int
    public var totalWeeks: Int
    /// When the phase with the `project.go-live` action starts (the ROI's time 0); nil without one.
    public var goLive: Timestamp?
    public var phases: [PlannedPhase]

    /// Lays the phases of `playbook` out from `start`.
    public init(playbook: Playbook, start: Timestamp) {
        func role(_ reference: Reference) -> RoleName {
            RoleName(id: reference.id, name: playbook.role(reference.id)?.name)
        }
        var day = 0
        var phases: [PlannedPhase] = []
        for phase in playbook.phases {
            let phaseStart = start.adding(days: day)
            let phaseEnd = day + phase.durationDays
            let due = TaskSchedule(phase: phase, start: phaseStart).due
            let tasks = phase.tasks.map { task in
                let endDay = day + phaseStart.days(until: due[task.id] ?? phaseStart.adding(days: task.durationDays))
                return PlannedTask(
                    id: task.id, name: task.name, owner: role(task.owner), approver: task.approver.map(role),
                    consulted: task.consulted.map(role), informed: task.informed.map(role),
                    dependsOn: task.dependsOn.map(\.id), deliverable: task.deliverable?.id, durationDays: task.durationDays,
                    span: Span(startDay: endDay - task.durationDays, endDay: endDay, projectStart: start),
                    endsAfterPhase: endDay > phaseEnd)
            }
            let cycle = playbook.cycle(containing: phase.id).map {
                CycleMark(id: $0.id, name: $0.name, maxIterations: $0.maxIterations, until: $0.until?.text)
            }
            phases.append(PlannedPhase(
                id: phase.id, name: phase.name, owner: phase.owner.map(role), pilot: phase.pilot?.id,
                durationDays: phase.durationDays, span: Span(startDay: day, endDay: phaseEnd, projectStart: start),
                cycle: cycle, actions: phase.actions.map(\.name.id), tasks: tasks))
            day = phaseEnd
        }
        self.start = start
        self.end = start.adding(days: day)
        self.totalDays = day
        self.totalWeeks = (day + 6) / 7
        self.goLive = phases.first { $0.actions.contains("project.go-live") }?.span.start
        self.phases = phases
    }
}
