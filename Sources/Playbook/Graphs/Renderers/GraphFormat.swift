/// Writes a `FlowGraph` as text in one format.
public protocol GraphRenderer: Sendable {
    func render(_ graph: FlowGraph) -> String
}

/// The formats `rollout graph` writes (see docs/graphs.md).
public enum GraphFormat: String, Sendable, Hashable, CaseIterable {
    /// Mermaid: `flowchart LR` for phases, `stateDiagram-v2` for processes (GitHub and GitLab render it in Markdown).
    case mermaid
    /// Graphviz DOT, for `dot -Tsvg` or `dot -Tpng`.
    case dot
    /// A self-contained SVG picture, laid out by `GraphLayout`.
    case svg
    /// BPMN 2.0 XML with diagram interchange, for BPMN engines and editors (bpmn.io, Camunda Modeler).
    case bpmn

    public var renderer: any GraphRenderer {
        switch self {
        case .mermaid: MermaidRenderer()
        case .dot: DOTRenderer()
        case .svg: SVGRenderer()
        case .bpmn: BPMNRenderer()
        }
    }

    public func render(_ graph: FlowGraph) -> String { renderer.render(graph) }
}

extension String {
    /// Escaped for XML text and attribute values; line breaks and tabs as character references
    /// (which attribute values keep, where a raw line break would become a space), and
    /// characters XML 1.0 cannot hold as spaces.
    var xmlEscaped: String {
        var result = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t": result += "&#9;"
            case "\n": result += "&#10;"
            case "\r": result += "&#13;"
            default: if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { result += " " } else {
                result.unicodeScalars.append(scalar)
            }
            }
        }
        return result
    }
}

extension Double {
    /// A coordinate as it is written in SVG and BPMN: no `.0`, at most one decimal.
    var coordinate: String {
        let rounded = (self * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
