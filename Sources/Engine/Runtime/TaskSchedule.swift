import CRMCore
import Playbook

/// The planned due date of each task of a phase: a task starts when the tasks it depends on
/// are due (or when the phase starts) and takes its duration. `rollout plan` draws its timeline from it.
package struct TaskSchedule {
    package var due: [String: Timestamp] = [:]

    package init(phase: Phase, start: Timestamp) {
        let byID = Dictionary(phase.tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var visiting: Set<String> = []
        func dueDate(_ id: String) -> Timestamp {
            if let known = due[id] { return known }
            guard let task = byID[id], !visiting.contains(id) else { return start }
            visiting.insert(id)
            let begins = task.dependsOn.map { dueDate($0.id) }.max() ?? start
            let end = begins.adding(days: task.durationDays)
            visiting.remove(id)
            due[id] = end
            return end
        }
        for task in phase.tasks { _ = dueDate(task.id) }
    }
}
