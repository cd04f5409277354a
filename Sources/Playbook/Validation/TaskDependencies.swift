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
        // By index: a phase has a handful of tasks, and hashing every id was most of this check's
        // time on a large playbook. A task id defined twice means its first definition.
        let ids = tasks.map(\.id)
        let lookup: [String: Int]? = tasks.count > 32
            ? Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }) : nil
        func find(_ id: String) -> Int? { lookup.map { $0[id] } ?? ids.firstIndex(of: id) }
        var finished = [Bool](repeating: false, count: tasks.count)
        var onPath = [Bool](repeating: false, count: tasks.count)
        var path: [Int] = []
        var cycles: [Cycle] = []

        func visit(_ task: Int) {
            path.append(task)
            onPath[task] = true
            for dependency in tasks[task].dependsOn {
                guard let next = find(dependency.id), !finished[next] else { continue }
                if onPath[next], let start = path.firstIndex(of: next) {
                    cycles.append(Cycle(ids: path[start...].map { ids[$0] } + [dependency.id], closedBy: dependency))
                } else if !onPath[next] {
                    visit(next)
                }
            }
            path.removeLast()
            onPath[task] = false
            finished[task] = true
        }

        for task in tasks.indices where !finished[task] && find(ids[task]) == task { visit(task) }
        found = cycles
    }
}
