/// A self-contained SVG picture of a graph, laid out by `GraphLayout`: no scripts, no external
/// fonts or style sheets, so it opens in any browser and embeds in any document.
public struct SVGRenderer: GraphRenderer {
    public init() {}

    public func render(_ graph: FlowGraph) -> String {
        let layout = GraphLayout(graph)
        let width = layout.width.coordinate, height = layout.height.coordinate
        var out = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
                + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
            "  <title>\(graph.name.xmlEscaped)</title>",
            "  <defs>",
            "    <marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">",
            "      <path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#333\"/>",
            "    </marker>",
            "  </defs>",
            "  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        ]
        for flow in graph.flows {
            guard let route = layout.routes[flow.id] else { continue }
            let path = route.enumerated().map { "\($0 == 0 ? "M" : "L") \($1.x.coordinate) \($1.y.coordinate)" }.joined(separator: " ")
            let dash = flow.isLoop ? " stroke-dasharray=\"6 4\"" : ""
            out.append("  <g id=\"\(flow.id)\" class=\"flow\">")
            if let title = Self.title(flow.label, flow.condition.map { "condition: \($0)" }, flow.notes) {
                out.append("    <title>\(title.xmlEscaped)</title>")
            }
            out.append("    <path d=\"\(path)\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\"\(dash) marker-end=\"url(#arrow)\"/>")
            if let label = flow.label, let at = layout.labels[flow.id] {
                out.append("    <text x=\"\(at.x.coordinate)\" y=\"\(at.y.coordinate)\" text-anchor=\"middle\" font-size=\"11\" "
                           + "fill=\"#333\">\(label.xmlEscaped)</text>")
            }
            out.append("  </g>")
        }
        for node in graph.nodes {
            guard let box = layout.boxes[node.id] else { continue }
            out.append("  <g id=\"\(node.id)\" class=\"\(node.kind.rawValue)\">")
            if let title = Self.title(node.label, nil, node.notes) { out.append("    <title>\(title.xmlEscaped)</title>") }
            let x = box.x.coordinate, y = box.y.coordinate, w = box.width.coordinate, h = box.height.coordinate
            switch node.kind {
            case .start, .end:
                let stroke = node.kind == .end ? "4" : "1.5"
                out.append("    <circle cx=\"\(box.midX.coordinate)\" cy=\"\(box.midY.coordinate)\" r=\"\((box.width / 2).coordinate)\" "
                           + "fill=\"white\" stroke=\"#333\" stroke-width=\"\(stroke)\"/>")
                out.append(Self.text([node.label], centreX: box.midX, top: box.maxY + 16))
            case .gateway:
                let points = [(box.midX, box.y), (box.maxX, box.midY), (box.midX, box.maxY), (box.x, box.midY)]
                    .map { "\($0.0.coordinate),\($0.1.coordinate)" }.joined(separator: " ")
                out.append("    <polygon points=\"\(points)\" fill=\"#fff8e1\" stroke=\"#333\" stroke-width=\"1.5\"/>")
                let lines = [node.label] + (node.detail.map { [$0] } ?? [])
                out.append(Self.text(lines, centreX: box.midX, top: box.y - 8 - Double(lines.count - 1) * 14, size: 11))
            case .task:
                out.append("    <rect x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(h)\" rx=\"10\" fill=\"#e8f0fe\" stroke=\"#333\" stroke-width=\"1.5\"/>")
                let lines = layout.lines[node.id] ?? [node.label]
                let top = box.midY - Double(lines.count) * 16 / 2 + 12
                out.append(Self.text(lines, centreX: box.midX, top: top, detail: node.detail != nil))
            }
            out.append("  </g>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// One `<text>` with a `<tspan>` per line, 16 px apart; with `detail` the last line is smaller and grey.
    private static func text(_ lines: [String], centreX: Double, top: Double, size: Int = 12, detail: Bool = false) -> String {
        let spans = lines.enumerated().map { index, line in
            let style = detail && index == lines.count - 1 ? " font-size=\"10\" fill=\"#555\"" : ""
            let dy = index == 0 ? "" : " dy=\"\(size + 4)\""
            return "<tspan x=\"\(centreX.coordinate)\"\(dy)\(style)>\(line.xmlEscaped)</tspan>"
        }.joined()
        return "    <text x=\"\(centreX.coordinate)\" y=\"\(top.coordinate)\" text-anchor=\"middle\" font-size=\"\(size)\" fill=\"#111\">\(spans)</text>"
    }

    /// A tooltip: the parts that exist, one per line; nil when there is nothing to say.
    private static func title(_ first: String?, _ second: String?, _ notes: [String]) -> String? {
        let parts = [first, second].compactMap { $0 } + notes
        return parts.isEmpty ? nil : parts.joined(separator: "\n")
    }
}
