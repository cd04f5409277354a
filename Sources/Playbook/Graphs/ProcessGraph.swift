extension FlowGraph {
    /// The name of the task-data variable a process's choice gateways read: the person who
    /// completes a state's task sets it to the key of the transition to take (the target
    /// state's id; `id_2`, `id_3` … for further transitions to the same state).
    public static let transitionVariable = "transition"

    /// The graph of one variant of a business process: start → the initial state; each state a
    /// task, each final state an end event; a state with several transitions leads to a choice
    /// gateway whose first forward transition is the default and whose others carry the
    /// condition `transition == 'key'` (see `transitionVariable`).
    ///
    /// A state that is not final and has no transition (a dead end `rollout check` warns about)
    /// still ends in an explicit end event, so the BPMN stays runnable.
    public init(process: ProcessModel, variant: ProcessVariant) {
        var names = NCNames()
        var nodes: [GraphNode] = []
        var flows: [GraphFlow] = []
        func flow(_ source: String, _ target: String, label: String? = nil, condition: String? = nil, notes: [String] = []) {
            flows.append(GraphFlow(id: names.make("Flow", "\(flows.count + 1)"), source: source, target: target, label: label,
                                   condition: condition, notes: notes))
        }

        let start = GraphNode(id: names.make("StartEvent", process.id), kind: .start, label: "Start")
        nodes.append(start)
        var stateNodes: [String: String] = [:]
        for state in variant.states where stateNodes[state.id] == nil {
            let node = GraphNode(id: names.make(state.final ? "EndEvent" : "State", state.id),
                                 kind: state.final ? .end : .task, label: state.name,
                                 detail: state.slaHours.map { "SLA \(Self.hours($0))" })
            nodes.append(node)
            stateNodes[state.id] = node.id
        }
        if let initial = variant.initialState.flatMap({ stateNodes[$0.id] }) { flow(start.id, initial) }

        var choices: [String] = []
        for state in variant.states where !state.final {
            guard let source = stateNodes[state.id] else { continue }
            let transitions = variant.transitions.filter { $0.from.id == state.id }
                .compactMap { transition in stateNodes[transition.to.id].map { (transition, target: $0) } }
            switch transitions.count {
            case 0:
                let end = GraphNode(id: names.make("EndEvent", "\(state.id)_stuck"), kind: .end,
                                    label: "Stays \(state.name)", notes: ["No transition leaves '\(state.id)'."])
                nodes.append(end)
                flow(source, end.id)
            case 1:
                let (transition, target) = transitions[0]
                flow(source, target, label: Self.label(of: transition), notes: Self.notes(of: transition))
            default:
                let choice = GraphNode(id: names.make("Choice", state.id), kind: .gateway, label: "Next from \(state.name)")
                nodes.append(choice)
                choices.append(choice.id)
                flow(source, choice.id)
                var keys: [String: Int] = [:]
                for (transition, target) in transitions {
                    let seen = keys[transition.to.id, default: 0] + 1
                    keys[transition.to.id] = seen
                    let key = seen == 1 ? transition.to.id : "\(transition.to.id)_\(seen)"
                    flow(choice.id, target, label: Self.label(of: transition),
                         condition: "\(Self.transitionVariable) == '\(key.replacingOccurrences(of: "'", with: "\\'"))'",
                         notes: Self.notes(of: transition))
                }
            }
        }
        if nodes.count == 1 {
            let end = GraphNode(id: names.make("EndEvent", process.id), kind: .end, label: "End")
            nodes.append(end)
            flow(start.id, end.id)
        }
        let kind = variant.kind == .asIs ? "as is" : "to be"
        self.init(id: names.make("Process", "\(process.id)_\(variant.kind.rawValue)"), name: "\(process.name) (\(kind))",
                  subject: .process, nodes: nodes, flows: flows)
        markLoops()
        // The default of each choice is its first transition that does not loop back, so that
        // taking defaults always moves a record on; a choice with only loops gets none.
        for choice in choices {
            guard let index = self.flows.firstIndex(where: { $0.source == choice && !$0.isLoop }) else { continue }
            self.flows[index].isDefault = true
            self.flows[index].condition = nil
        }
    }

    private static func label(of transition: ProcessTransition) -> String {
        let trigger = switch transition.trigger {
        case .event(let event, let field?): "on \(event.rawValue) (\(field))"
        case .event(let event, nil): "on \(event.rawValue)"
        case .timer(let hours): "after \(Self.hours(hours))"
        case .action(let action, let role?): "\(action) by \(role.id)"
        case .action(let action, nil): action
        }
        return transition.guardCondition.map { "\(trigger) [\($0.text)]" } ?? trigger
    }

    private static func notes(of transition: ProcessTransition) -> [String] {
        var notes: [String] = []
        if let sla = transition.slaHours { notes.append("SLA: \(Self.hours(sla))") }
        if let escalation = transition.escalation {
            notes.append("Escalates to \(escalation.to.id) after \(Self.hours(escalation.afterHours))")
        }
        if let assignment = transition.assignment {
            notes.append("Assigns by \(assignment.strategy.rawValue)" + (assignment.role.map { " among \($0.id)" } ?? ""))
        }
        return notes
    }

    static func hours(_ hours: Double) -> String {
        if hours >= 24, (hours / 24).rounded() == hours / 24 { return "\(number(hours / 24))d" }
        if hours < 1 { return "\(number((hours * 60).rounded()))m" }
        return "\(number(hours))h"
    }
}
