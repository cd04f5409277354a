/// Tasks of a phase run after the tasks they depend on, so their dependencies must not form a cycle.
extension Validation {
    mutating func checkTaskDependencies() {
        for phase in playbook.phases {
            for cycle in DependencyCycles(phase.tasks).found {
                let message = cycle.ids.count == 2
                    ? "task '\(cycle.ids[0])' of phase '\(phase.id)' depends on itself"
                    : "tasks of phase '\(phase.id)' depend on each other in a cycle: '\(cycle.ids[0])' depends on "
                        + cycle.ids.dropFirst().map { "'\($0)'" }.joined(separator: ", which depends on ")
                report(.error(.dependencyCycle, message, at: cycle.closedBy.location))
            }
        }
    }
}

/// The cycles among a phase's task dependencies, found by depth-first search in the order the
/// tasks are written; each is reported once, at the `depends_on` entry that closes it.
struct DependencyCycles {
    struct Cycle {
        /// `[a, b, a]`: each task depends on the next; the first again at the end.
        var ids: [String]
        var closedBy: Reference
    }

    private(set) var found: [Cycle] = []

    init(_ tasks: [PhaseTask]) {
        var dependencies: [String: [Reference]] = [:]
        for task in tasks where dependencies[task.id] == nil { dependencies[task.id] = task.dependsOn }
        var finished: Set<String> = []
        var path: [String] = []
        var cycles: [Cycle] = []

        func visit(_ id: String) {
            path.append(id)
            for dependency in dependencies[id] ?? [] where !finished.contains(dependency.id) {
                if let start = path.firstIndex(of: dependency.id) {
                    cycles.append(Cycle(ids: Array(path[start...]) + [dependency.id], closedBy: dependency))
                } else if dependencies[dependency.id] != nil {
                    visit(dependency.id)
                }
            }
            path.removeLast()
            finished.insert(id)
        }

        for task in tasks where !finished.contains(task.id) { visit(task.id) }
        found = cycles
    }
}
