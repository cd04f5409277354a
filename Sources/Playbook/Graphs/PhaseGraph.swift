extension FlowGraph {
    /// The name of the task-data variable that a cycle's repeat flow reads: the person who
    /// completes the cycle's last phase sets it to `True` to run the cycle again.
    public static let repeatVariable = "repeat"

    /// The phase graph of a playbook: start → each phase (a task) → its gate (a gateway) → the
    /// next phase … → end, and for each cycle a loop from its last gate back to its first phase.
    ///
    /// A gate's flow onward ("go") is its default flow; a cycle's flow back carries the condition
    /// `repeat == True` (see `repeatVariable`), so a BPMN engine can run the graph.
    public init(phasesOf playbook: Playbook) {
        var names = NCNames()
        var nodes: [GraphNode] = []
        var flows: [GraphFlow] = []
        func flow(_ source: String, _ target: String, label: String? = nil, condition: String? = nil,
                  isDefault: Bool = false, isLoop: Bool = false) {
            flows.append(GraphFlow(id: names.make("Flow", "\(flows.count + 1)"), source: source, target: target, label: label,
                                   condition: condition, isDefault: isDefault, isLoop: isLoop))
        }

        let start = GraphNode(id: names.make("StartEvent", "project"), kind: .start, label: "Start")
        nodes.append(start)
        var previous = start.id
        // Onward from a gate is its default flow, "go"; the cycles add their loops after.
        func onward(to target: String) {
            let fromGate = nodes.first { $0.id == previous }?.kind == .gateway
            flow(previous, target, label: fromGate ? "go" : nil, isDefault: fromGate)
        }
        var entries: [String: String] = [:]  // phase id → its task node
        var exits: [String: String] = [:]  // phase id → its gate node
        for phase in playbook.phases {
            let task = GraphNode(id: names.make("Phase", phase.id), kind: .task, label: phase.name,
                                 detail: Self.phaseDetail(phase), notes: Self.notes(of: phase))
            nodes.append(task)
            onward(to: task.id)
            entries[phase.id] = task.id
            previous = task.id
            if let gate = phase.gate {
                let node = GraphNode(id: names.make("Gate", phase.id), kind: .gateway, label: "\(phase.name) gate",
                                     detail: gate.approvers.isEmpty ? nil : gate.approvers.map(\.id).joined(separator: ", "),
                                     notes: Self.notes(of: gate))
                nodes.append(node)
                flow(task.id, node.id)
                exits[phase.id] = node.id
                previous = node.id
            }
        }
        let end = GraphNode(id: names.make("EndEvent", "project"), kind: .end, label: "Done")
        nodes.append(end)
        onward(to: end.id)
        for cycle in playbook.cycles {
            guard let first = cycle.phases.first.flatMap({ entries[$0.id] }),
                  let gate = cycle.phases.last.flatMap({ exits[$0.id] }) else { continue }
            let until = cycle.until.map { "until \($0.text), " } ?? ""
            flow(gate, first, label: "repeat \(until)at most \(cycle.maxIterations)×",
                 condition: "\(Self.repeatVariable) == True", isLoop: true)
        }
        self.init(id: names.make("Process", playbook.id), name: playbook.title, subject: .phases, nodes: nodes, flows: flows)
        markLoops()
    }

    private static func phaseDetail(_ phase: Phase) -> String {
        let tasks = phase.tasks.count == 1 ? "1 task" : "\(phase.tasks.count) tasks"
        return "\(Self.days(phase.durationDays)) · \(tasks)"
    }

    static func days(_ days: Int) -> String {
        days % 7 == 0 && days > 0 ? "\(days / 7) week\(days == 7 ? "" : "s")" : "\(days) day\(days == 1 ? "" : "s")"
    }

    private static func notes(of phase: Phase) -> [String] {
        var notes: [String] = []
        if let description = phase.description { notes.append(description) }
        for task in phase.tasks {
            let after = task.dependsOn.isEmpty ? "" : ", after \(task.dependsOn.map(\.id).joined(separator: ", "))"
            notes.append("Task \(task.id): \(task.name) (\(task.owner.id), \(Self.days(task.durationDays))\(after))")
        }
        for deliverable in phase.deliverables { notes.append("Deliverable \(deliverable.id): \(deliverable.name)") }
        return notes
    }

    private static func notes(of gate: Gate) -> [String] {
        var notes: [String] = []
        if !gate.approvers.isEmpty { notes.append("Approvers: \(gate.approvers.map(\.id).joined(separator: ", "))") }
        for criterion in gate.criteria {
            switch criterion {
            case .kpi(let kpi):
                let group = kpi.group.map { " (\($0.rawValue))" } ?? ""
                let comparison = switch kpi.comparison {
                case .atMost(let value): "at most \(Self.number(value))"
                case .atLeast(let value): "at least \(Self.number(value))"
                case .improvesByPercent(let value): "improves by \(Self.number(value)) %"
                case .beatsControl: "beats the control group"
                case .meetsTarget: "meets its target"
                }
                notes.append("Criterion: KPI \(kpi.kpi.id)\(group) \(comparison)")
            case .deliverable(let deliverable, _):
                notes.append("Criterion: deliverable \(deliverable.id)")
            case .condition(let condition):
                notes.append("Criterion: \(condition.text)")
            case .check(let check):
                notes.append("Criterion: check \(check.check.id)")
            }
        }
        return notes
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
