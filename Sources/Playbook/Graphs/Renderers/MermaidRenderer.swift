/// Mermaid text: a `flowchart LR` for the phase graph (gates as diamonds, loops dotted) and a
/// `stateDiagram-v2` for a process (the start and end events as `[*]`, choices as `<<choice>>`).
public struct MermaidRenderer: GraphRenderer {
    public init() {}

    public func render(_ graph: FlowGraph) -> String {
        switch graph.subject {
        case .phases: flowchart(graph)
        case .process: stateDiagram(graph)
        }
    }

    private func flowchart(_ graph: FlowGraph) -> String {
        var lines = ["---", "title: \(Self.frontMatter(graph.name))", "---", "flowchart LR"]
        for node in graph.nodes {
            let label = Self.text(node.detail.map { "\(node.label)<br/><small>\($0)</small>" } ?? node.label)
            let shape = switch node.kind {
            case .start: "((\"\(label)\"))"
            case .end: "(((\"\(label)\")))"
            case .task: "[\"\(label)\"]"
            case .gateway: "{\"\(label)\"}"
            }
            lines.append("    \(Self.id(node.id))\(shape)")
        }
        for flow in graph.flows {
            let arrow = flow.isLoop ? "-.->" : "-->"
            let label = flow.label.map { "|\"\(Self.text($0))\"|" } ?? ""
            lines.append("    \(Self.id(flow.source)) \(arrow)\(label) \(Self.id(flow.target))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func stateDiagram(_ graph: FlowGraph) -> String {
        var lines = ["---", "title: \(Self.frontMatter(graph.name))", "---", "stateDiagram-v2", "    direction LR"]
        for node in graph.nodes {
            switch node.kind {
            case .start: continue
            case .gateway: lines.append("    state \(Self.id(node.id)) <<choice>>")
            case .task, .end:
                let label = node.detail.map { "\(node.label) (\($0))" } ?? node.label
                lines.append("    state \"\(Self.stateText(label))\" as \(Self.id(node.id))")
            }
        }
        for flow in graph.flows {
            let source = graph.node(flow.source)?.kind == .start ? "[*]" : Self.id(flow.source)
            let label = flow.label.map { " : \(Self.stateText($0))" } ?? ""
            lines.append("    \(source) --> \(Self.id(flow.target))\(label)")
        }
        for node in graph.nodes where node.kind == .end { lines.append("    \(Self.id(node.id)) --> [*]") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted string for the front matter's title.
    static func frontMatter(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"" + escaped.replacingOccurrences(of: "\n", with: " ") + "\""
    }

    /// Mermaid ids: letters, digits and `_`.
    static func id(_ id: String) -> String {
        String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// Text inside a quoted flowchart label, with Mermaid's entity codes for what would end it.
    static func text(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "#": result += "#35;"
            case "\"": result += "#quot;"
            case "|": result += "#124;"
            case "\n", "\r": result += " "
            default: result.append(character)
            }
        }
        return result
    }

    /// Text of a state description or transition label: one line, no `:` (which would start a
    /// second description) and no double quote.
    static func stateText(_ text: String) -> String {
        String(text.map { character -> Character in
            switch character {
            case "\n", "\r": " "
            case "\"": "'"
            case ":": "="
            default: character
            }
        })
    }
}
