/// A playbook drawn as a directed graph: start and end events, tasks, gateways and the flows
/// between them, in the shape BPMN expects, so that every format draws the same thing.
///
/// ```swift
/// let graph = FlowGraph(phasesOf: playbook)           // or FlowGraph(process: model, variant: .toBe)
/// print(GraphFormat.mermaid.render(graph))
/// ```
public struct FlowGraph: Sendable, Hashable {
    /// What the graph shows, which decides how Mermaid draws it.
    public enum Subject: Sendable, Hashable {
        /// The phases of a playbook, in order, with their gates and cycles (a flowchart).
        case phases
        /// The states of a business process and its transitions (a state diagram).
        case process
    }

    /// A valid XML NCName, used as the BPMN process id.
    public var id: String
    public var name: String
    public var subject: Subject
    /// In the order they are declared; the first is the one start event.
    public var nodes: [GraphNode]
    public var flows: [GraphFlow]

    public init(id: String, name: String, subject: Subject, nodes: [GraphNode], flows: [GraphFlow]) {
        self.id = id
        self.name = name
        self.subject = subject
        self.nodes = nodes
        self.flows = flows
    }

    public func node(_ id: String) -> GraphNode? { nodes.first { $0.id == id } }
    public func outgoing(_ node: String) -> [GraphFlow] { flows.filter { $0.source == node } }
    public func incoming(_ node: String) -> [GraphFlow] { flows.filter { $0.target == node } }
}

/// One box, circle or diamond of a graph.
public struct GraphNode: Sendable, Hashable {
    /// The BPMN element a node becomes; the other formats draw the same shapes.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case start, end, task, gateway
    }

    /// A valid XML NCName, unique in its graph.
    public var id: String
    public var kind: Kind
    public var label: String
    /// A short second line drawn under the label (`2 weeks · 3 tasks`, `SLA 24h`).
    public var detail: String?
    /// Longer notes: the phase's tasks, a gate's criteria; BPMN `documentation`, DOT tooltips.
    public var notes: [String]

    public init(id: String, kind: Kind, label: String, detail: String? = nil, notes: [String] = []) {
        self.id = id
        self.kind = kind
        self.label = label
        self.detail = detail
        self.notes = notes
    }
}

/// A sequence flow from one node to another.
public struct GraphFlow: Sendable, Hashable {
    /// A valid XML NCName, unique in its graph.
    public var id: String
    public var source: String
    public var target: String
    public var label: String?
    /// A Python expression over the task data that BPMN engines evaluate to take this flow
    /// (`repeat == True`); nil for an unconditional flow or a gateway's default.
    public var condition: String?
    /// The flow a gateway takes when no condition holds.
    public var isDefault: Bool
    /// True for a flow that goes back to an earlier node (a cycle's repeat, a rework loop).
    public var isLoop: Bool
    /// SLA, escalation, assignment: BPMN `documentation`.
    public var notes: [String]

    public init(id: String, source: String, target: String, label: String? = nil, condition: String? = nil,
                isDefault: Bool = false, isLoop: Bool = false, notes: [String] = []) {
        self.id = id
        self.source = source
        self.target = target
        self.label = label
        self.condition = condition
        self.isDefault = isDefault
        self.isLoop = isLoop
        self.notes = notes
    }
}

extension FlowGraph {
    /// Marks as loops the flows that lead back to a node on the current path of a depth-first
    /// walk from the start, taking flows in order: removing them leaves a graph without cycles.
    mutating func markLoops() {
        var state: [String: Bool] = [:]  // false: on the path; true: done
        var loops: Set<Int> = []
        let outgoing = Dictionary(grouping: flows.indices, by: { flows[$0].source })
        func visit(_ node: String) {
            state[node] = false
            for index in outgoing[node] ?? [] {
                switch state[flows[index].target] {
                case .none: visit(flows[index].target)
                case .some(false): loops.insert(index)
                case .some(true): break
                }
            }
            state[node] = true
        }
        // Nodes that nothing reaches from the start (unreachable states) are walked after it.
        for node in nodes where state[node.id] == nil { visit(node.id) }
        for index in flows.indices { flows[index].isLoop = flows[index].isLoop || loops.contains(index) }
    }
}

/// Turns playbook ids into XML NCNames: a letter-led prefix, then the id with every character
/// outside `[A-Za-z0-9._-]` replaced by `_`, made unique with a numeric suffix.
struct NCNames {
    private var used: Set<String> = []

    mutating func make(_ prefix: String, _ id: String) -> String {
        let cleaned = String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        let base = cleaned.isEmpty ? prefix : "\(prefix)_\(cleaned)"
        var name = base
        var counter = 2
        while !used.insert(name).inserted {
            name = "\(base)_\(counter)"
            counter += 1
        }
        return name
    }
}
