/// Where each node and flow of a `FlowGraph` is drawn, left to right: the SVG and the BPMN
/// diagram interchange both read it, so the two pictures agree.
///
/// A layered (Sugiyama-style) layout: loops are set aside, each node's layer is the longest
/// path to it from a node without incoming flows, flows that skip layers pass through
/// placeholder points, nodes within a layer are ordered by the mean position of their
/// neighbours, and layers become columns. Flows forward are orthogonal polylines from the
/// right side of their source to the left side of their target; loops run back under the
/// drawing, each in its own lane.
package struct GraphLayout: Sendable {
    /// A point in the drawing, in pixels from the top left.
    package struct Point: Sendable, Hashable {
        package var x: Double
        package var y: Double
    }

    /// A node's bounding box.
    package struct Box: Sendable, Hashable {
        package var x: Double
        package var y: Double
        package var width: Double
        package var height: Double

        package init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }

        package var midX: Double { x + width / 2 }
        package var midY: Double { y + height / 2 }
        package var maxX: Double { x + width }
        package var maxY: Double { y + height }

        package func overlaps(_ other: Box) -> Bool {
            x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
        }
    }

    /// By node id.
    package var boxes: [String: Box]
    /// The label of each task node, wrapped into lines.
    package var lines: [String: [String]]
    /// By flow id: at least two points, from the source's edge to the target's.
    package var routes: [String: [Point]]
    /// By flow id, for flows with a label: where the label's baseline is centred.
    package var labels: [String: Point]
    package var width: Double
    package var height: Double

    /// Room around the drawing, enough for the labels above gateways.
    static let margin = 40.0
    static let rowGap = 36.0
    static let laneGap = 30.0
    static let placeholderHeight = 12.0
    /// The average advance of a 12 px sans-serif character, for sizing boxes to their text.
    static let characterWidth = 6.6
    static let charactersPerLine = 24

    package init(_ graph: FlowGraph) {
        var lines: [String: [String]] = [:]
        var sizes: [String: (width: Double, height: Double)] = [:]
        for node in graph.nodes {
            switch node.kind {
            case .start, .end: sizes[node.id] = (36, 36)
            case .gateway: sizes[node.id] = (50, 50)
            case .task:
                let text = Self.wrap(node.label, width: Self.charactersPerLine) + (node.detail.map { [$0] } ?? [])
                lines[node.id] = text
                let longest = Double(text.map(\.count).max() ?? 0)
                sizes[node.id] = (max(120, (longest * Self.characterWidth + 24).rounded()), max(64, Double(text.count) * 16 + 24))
            }
        }

        // Layers: longest path over the flows that are not loops (which leave a graph without cycles).
        let forward = graph.flows.filter { !$0.isLoop && $0.source != $0.target }
        var layer: [String: Int] = [:]
        var pending = Dictionary(graph.nodes.map { ($0.id, 0) }, uniquingKeysWith: { a, _ in a })
        for flow in forward { pending[flow.target, default: 0] += 1 }
        var ready = graph.nodes.map(\.id).filter { pending[$0] == 0 }
        while !ready.isEmpty {
            let node = ready.removeFirst()
            layer[node] = layer[node] ?? 0
            for flow in forward where flow.source == node {
                layer[flow.target] = max(layer[flow.target] ?? 0, layer[node]! + 1)
                pending[flow.target]! -= 1
                if pending[flow.target] == 0 { ready.append(flow.target) }
            }
        }
        // Only a cycle of forward flows leaves nodes without a layer; `markLoops` prevents that.
        for node in graph.nodes where layer[node.id] == nil { layer[node.id] = 0 }

        // Placeholders where a flow crosses a layer, so it gets its own place in that column.
        var placeholders: [String: [String]] = [:]
        var edges: [(String, String)] = []
        var columns = Array(repeating: [String](), count: (layer.values.max() ?? 0) + 1)
        for node in graph.nodes { columns[layer[node.id]!].append(node.id) }
        for flow in forward {
            var previous = flow.source
            var chain: [String] = []
            for crossed in stride(from: layer[flow.source]! + 1, to: layer[flow.target]!, by: 1) {
                let id = "\u{0}\(flow.id)\u{0}\(crossed)"
                chain.append(id)
                columns[crossed].append(id)
                layer[id] = crossed
                sizes[id] = (0, Self.placeholderHeight)
                edges.append((previous, id))
                previous = id
            }
            edges.append((previous, flow.target))
            placeholders[flow.id] = chain
        }

        // Order within each column by the mean position of neighbours, sweeping both ways.
        func position(in column: [String]) -> [String: Double] {
            Dictionary(column.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { a, _ in a })
        }
        for _ in 0..<4 {
            for index in columns.indices.dropFirst() {
                let before = position(in: columns[index - 1])
                columns[index] = Self.sorted(columns[index]) { node in edges.filter { $0.1 == node }.compactMap { before[$0.0] } }
            }
            for index in columns.indices.dropLast().reversed() {
                let after = position(in: columns[index + 1])
                columns[index] = Self.sorted(columns[index]) { node in edges.filter { $0.0 == node }.compactMap { after[$0.1] } }
            }
        }

        // Columns: as wide as their widest node, with room before each for the labels entering it.
        var gaps = Array(repeating: 72.0, count: columns.count)
        for flow in forward {
            guard let label = flow.label else { continue }
            let target = layer[flow.target]!
            gaps[target] = max(gaps[target], min(260, Double(label.count) * Self.characterWidth + 56))
        }
        var boxes: [String: Box] = [:]
        let heights = columns.map { column in
            column.map { sizes[$0]!.height }.reduce(0, +) + Double(max(0, column.count - 1)) * Self.rowGap
        }
        let tallest = heights.max() ?? 0
        var x = Self.margin
        for (index, column) in columns.enumerated() {
            if index > 0 { x += gaps[index] }
            let width = column.map { sizes[$0]!.width }.max() ?? 0
            var y = Self.margin + (tallest - heights[index]) / 2
            for node in column {
                let size = sizes[node]!
                boxes[node] = Box(x: x + (width - size.width) / 2, y: y, width: size.width, height: size.height)
                y += size.height + Self.rowGap
            }
            x += width
        }

        // Routes.
        var routes: [String: [Point]] = [:]
        var labels: [String: Point] = [:]
        for flow in forward {
            let source = boxes[flow.source]!, target = boxes[flow.target]!
            var stops = [Point(x: source.maxX, y: source.midY)]
            for placeholder in placeholders[flow.id] ?? [] {
                let box = boxes[placeholder]!
                let column = columns[layer[placeholder]!].filter { !$0.hasPrefix("\u{0}") }.compactMap { boxes[$0] }
                stops.append(Point(x: column.map(\.x).min() ?? box.x, y: box.midY))
                stops.append(Point(x: column.map(\.maxX).max() ?? box.x, y: box.midY))
            }
            stops.append(Point(x: target.x, y: target.midY))
            var route = [stops[0]]
            for stop in stops.dropFirst() {
                let last = route[route.count - 1]
                if last.y != stop.y {
                    let bend = last.x + min(24, (stop.x - last.x) / 2)
                    route.append(Point(x: bend, y: last.y))
                    route.append(Point(x: bend, y: stop.y))
                }
                route.append(stop)
            }
            routes[flow.id] = Self.simplified(route)
            if flow.label != nil {
                let entering = routes[flow.id]!.suffix(2)
                labels[flow.id] = Point(x: (entering.first!.x + entering.last!.x) / 2, y: entering.last!.y - 6)
            }
        }
        let bottom = boxes.values.map(\.maxY).max() ?? Self.margin
        var lane = bottom
        for flow in graph.flows where flow.isLoop || flow.source == flow.target {
            lane += Self.laneGap
            let source = boxes[flow.source]!, target = boxes[flow.target]!
            let from = source.midX + (flow.source == flow.target ? source.width / 4 : 0)
            let to = target.midX - (flow.source == flow.target ? target.width / 4 : 0)
            routes[flow.id] = [Point(x: from, y: source.maxY), Point(x: from, y: lane), Point(x: to, y: lane),
                               Point(x: to, y: target.maxY)]
            if flow.label != nil { labels[flow.id] = Point(x: (from + to) / 2, y: lane + 14) }
        }
        for id in boxes.keys where id.hasPrefix("\u{0}") { boxes[id] = nil }

        self.boxes = boxes
        self.lines = lines
        self.routes = routes
        self.labels = labels
        let labelRight = graph.flows.compactMap { flow in
            flow.label.flatMap { label in labels[flow.id].map { $0.x + Double(label.count) * Self.characterWidth / 2 } }
        }.max() ?? 0
        width = (max(x, labelRight) + Self.margin).rounded(.up)
        height = (lane + (lane > bottom ? 20 : 0) + Self.margin).rounded(.up)
    }

    /// Stable sort by the mean of `neighbours`; nodes without any keep their place.
    private static func sorted(_ column: [String], by neighbours: (String) -> [Double]) -> [String] {
        let keyed = column.enumerated().map { index, node -> (node: String, key: Double) in
            let positions = neighbours(node)
            return (node, positions.isEmpty ? Double(index) : positions.reduce(0, +) / Double(positions.count))
        }
        return keyed.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element.node)
    }

    /// Without points that lie on a straight line between their neighbours, or repeat one.
    private static func simplified(_ route: [Point]) -> [Point] {
        var result: [Point] = []
        for point in route {
            if result.last == point { continue }
            if result.count >= 2 {
                let a = result[result.count - 2], b = result[result.count - 1]
                if (a.x == b.x && b.x == point.x) || (a.y == b.y && b.y == point.y) { result.removeLast() }
            }
            result.append(point)
        }
        return result
    }

    /// Words into lines of at most `width` characters; a longer word is cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            while word.count > width {
                if !line.isEmpty { lines.append(line); line = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if line.isEmpty { line = word } else if line.count + 1 + word.count <= width { line += " " + word } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
