/// Graphviz DOT: left to right, tasks as rounded boxes, gates and choices as diamonds, events
/// as circles, loops dashed and left out of the ranking so the phases stay in one row.
public struct DOTRenderer: GraphRenderer {
    public init() {}

    public func render(_ graph: FlowGraph) -> String {
        var lines = [
            "digraph \(Self.quoted(graph.id)) {",
            "    graph [rankdir=LR, label=\(Self.quoted(graph.name)), labelloc=t, fontname=\"Helvetica\"];",
            "    node [fontname=\"Helvetica\", fontsize=11];",
            "    edge [fontname=\"Helvetica\", fontsize=10];",
        ]
        for node in graph.nodes {
            let label = node.detail.map { "\(node.label)\n\($0)" } ?? node.label
            let shape = switch node.kind {
            case .start: "shape=circle, width=0.4, fixedsize=true"
            case .end: "shape=doublecircle, width=0.35, fixedsize=true"
            case .task: "shape=box, style=rounded"
            case .gateway: "shape=diamond"
            }
            // Events are small circles: their label goes outside, as in BPMN.
            let text = node.kind == .start || node.kind == .end ? "label=\"\", xlabel=\(Self.quoted(label))" : "label=\(Self.quoted(label))"
            let tooltip = node.notes.isEmpty ? "" : ", tooltip=\(Self.quoted(node.notes.joined(separator: "\n")))"
            lines.append("    \(Self.quoted(node.id)) [\(text), \(shape)\(tooltip)];")
        }
        for flow in graph.flows {
            var attributes: [String] = []
            if let label = flow.label { attributes.append("label=\(Self.quoted(label))") }
            if flow.isLoop { attributes += ["style=dashed", "constraint=false"] }
            let list = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            lines.append("    \(Self.quoted(flow.source)) -> \(Self.quoted(flow.target))\(list);")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A DOT string: double-quoted, with `"` and `\` escaped and line breaks as `\n`.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": break
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
