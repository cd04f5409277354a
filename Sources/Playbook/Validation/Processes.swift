/// Process models (A6): states and transitions that make a graph a record can run through,
/// roles that exist, entities the CRM has; cycles of consecutive phases; and every condition,
/// parsed while loading, checked here for names and types.
extension Validation {
    mutating func checkProcesses() {
        for process in playbook.processes {
            if let owner = process.owner {
                resolve(owner, in: roles, .unknownRole, "process '\(process.id)' is owned by unknown role '\(owner.id)'")
            }
            if let entities = context.entities, !process.entity.id.isEmpty, entities[process.entity.id] == nil {
                report(.error(.unknownEntity, "process '\(process.id)' runs on unknown CRM entity '\(process.entity.id)'",
                              at: process.entity.location,
                              suggestion: Suggestion.closest(to: process.entity.id, among: entities.keys.sorted())))
            }
            if process.toBe == nil && process.asIs != nil {
                report(.warning(.processWithoutToBe, "process '\(process.id)' describes only how work is done today; "
                                + "add 'to_be:' to design how it should run (S0 §4)", at: process.location))
            }
            for variant in process.variants { check(variant, of: process) }
        }
    }

    private mutating func check(_ variant: ProcessVariant, of process: ProcessModel) {
        let name = "\(variant.kind == .asIs ? "as-is" : "to-be") process '\(process.id)'"
        var states = Namespace("state of \(name)")
        for state in variant.states { report(states.define(state.id, at: state.location)) }
        let initial = variant.states.filter(\.initial)
        if initial.isEmpty && !variant.states.isEmpty {
            report(.error(.initialState, "\(name) has no initial state; mark the state records start in "
                          + "with 'initial: true'", at: variant.location))
        }
        for extra in initial.dropFirst() {
            report(.error(.initialState, "\(name) has more than one initial state ('\(initial[0].id)' and "
                          + "'\(extra.id)'); records start in exactly one", at: extra.location))
        }
        let fields = context.entities?[process.entity.id]
        for transition in variant.transitions {
            for end in [transition.from, transition.to] where !end.id.isEmpty && !states.contains(end.id) {
                report(.error(.unknownState, "transition of \(name) names unknown state '\(end.id)'", at: end.location,
                              suggestion: Suggestion.closest(to: end.id, among: states.ids)))
            }
            if let state = variant.state(transition.from.id), state.final {
                report(.error(.unknownState, "transition of \(name) leaves final state '\(state.id)'; a record in a "
                              + "final state has left the process", at: transition.from.location))
            }
            if case .action(_, let by?) = transition.trigger {
                resolve(by, in: roles, .unknownRole, "transition of \(name) is taken by unknown role '\(by.id)'")
            }
            if let escalation = transition.escalation {
                resolve(escalation.to, in: roles, .unknownRole, "\(name) escalates to unknown role '\(escalation.to.id)'")
            }
            if let role = transition.assignment?.role {
                resolve(role, in: roles, .unknownRole, "\(name) assigns to unknown role '\(role.id)'")
            }
            if case .event(.fieldChanged, let field?) = transition.trigger, let fields, fields[field] == nil {
                report(.error(.unknownName, "\(process.entity.id) has no field '\(field)'", at: transition.location,
                              suggestion: Suggestion.closest(to: field, among: fields.keys.sorted())))
            }
            for effect in transition.effects {
                switch effect {
                case .set(let values, let location):
                    for field in values.keys.sorted() where fields != nil && fields?[field] == nil {
                        report(.error(.unknownName, "\(process.entity.id) has no field '\(field)'", at: location,
                                      suggestion: Suggestion.closest(to: field, among: fields?.keys.sorted() ?? [])))
                    }
                case .notify(let role, _, _):
                    resolve(role, in: roles, .unknownRole, "\(name) notifies unknown role '\(role.id)'")
                case .activity(let kind, _, let location):
                    let kinds = ["call", "meeting", "email", "visit", "note"]
                    if !kinds.contains(kind) {
                        report(.error(.outOfRange, "an activity's kind is one of \(kinds.joined(separator: ", ")), not '\(kind)'",
                                      at: location, suggestion: Suggestion.closest(to: kind, among: kinds)))
                    }
                case .plugin(let action, _, let location):
                    if let actions = context.pluginActions, !actions.contains(action) {
                        report(.error(.unknownAction, "\(name) runs unknown plugin action '\(action)'"
                                      + (actions.isEmpty ? " (no plugin providing actions is installed)" : ""),
                                      at: location, suggestion: Suggestion.closest(to: action, among: actions.sorted())))
                    }
                }
            }
            if let condition = transition.guardCondition {
                check(condition, ConditionNames.record(entity: process.entity.id, fields: fields))
            }
        }
        adviseOnGraph(variant, name: name)
    }

    /// Warnings: a state no record can reach, and a non-final state no record can leave.
    private mutating func adviseOnGraph(_ variant: ProcessVariant, name: String) {
        guard let start = variant.initialState else { return }
        var reached: Set<String> = [start.id]
        var frontier = [start.id]
        while let state = frontier.popLast() {
            for transition in variant.transitions where transition.from.id == state && reached.insert(transition.to.id).inserted {
                frontier.append(transition.to.id)
            }
        }
        for state in variant.states where !reached.contains(state.id) {
            report(.warning(.unreachableState, "no transition of \(name) leads from '\(start.id)' to state "
                            + "'\(state.id)'", at: state.location))
        }
        let leaving = Set(variant.transitions.map(\.from.id))
        for state in variant.states where !state.final && !leaving.contains(state.id) && reached.contains(state.id) {
            report(.warning(.deadEndState, "records that reach state '\(state.id)' of \(name) can never leave it; "
                            + "add a transition from it or mark it 'final: true'", at: state.location))
        }
    }

    mutating func checkCycles() {
        let order = Dictionary(playbook.phases.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var claimed: [String: String] = [:]
        for cycle in playbook.cycles {
            var indexes: [Int] = []
            for phase in cycle.phases {
                guard let index = order[phase.id] else {
                    report(.error(.unknownPhase, "cycle '\(cycle.id)' names unknown phase '\(phase.id)'",
                                  at: phase.location, suggestion: Suggestion.closest(to: phase.id, among: phases.ids)))
                    continue
                }
                if let other = claimed[phase.id], other != cycle.id {
                    report(.error(.cyclePhases, "phase '\(phase.id)' is already in cycle '\(other)'; a phase belongs "
                                  + "to one cycle", at: phase.location))
                }
                claimed[phase.id] = cycle.id
                indexes.append(index)
            }
            if cycle.phases.isEmpty {
                report(.error(.cyclePhases, "cycle '\(cycle.id)' names no phases", at: cycle.location))
            } else if indexes.count == cycle.phases.count, indexes != Array((indexes.first ?? 0)...(indexes.first ?? 0) + indexes.count - 1) {
                report(.error(.cyclePhases, "the phases of cycle '\(cycle.id)' must be consecutive phases of the "
                              + "playbook, in order", at: cycle.phases[0].location))
            }
            if let last = indexes.last, playbook.phases[last].gate == nil {
                report(.error(.cyclePhases, "the last phase of cycle '\(cycle.id)', '\(playbook.phases[last].id)', "
                              + "needs a gate: the cycle repeats or ends there", at: cycle.phases.last?.location ?? cycle.location))
            }
        }
    }

    /// Names and types of every project-scope condition (gates, entry criteria, cycles).
    mutating func checkConditions() {
        let scope = ConditionNames.project(playbook)
        for phase in playbook.phases {
            for condition in phase.entry { check(condition, scope) }
            for case .condition(let condition) in phase.gate?.criteria ?? [] { check(condition, scope) }
        }
        for cycle in playbook.cycles {
            if let until = cycle.until { check(until, scope) }
        }
    }

    private mutating func check(_ condition: Condition, _ scope: @escaping (Expression.Path) -> NameResolution) {
        var checker = ConditionChecker(resolve: scope)
        checker.check(condition)
        for problem in checker.problems {
            report(.error(problem.code, problem.message, at: condition.location.offset(by: problem.offset, in: condition.text),
                          suggestion: problem.suggestion))
        }
    }
}
