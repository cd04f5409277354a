import Foundation
import Playbook
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `FlowGraph` and its renderers: the phase graph (gates, cycles), process graphs (choices,
/// rework loops, final states), and BPMN, SVG, Mermaid and DOT output checked for structure.
@Suite struct GraphTests {
    /// The minimal fixture with two more phases, a cycle over `pilot` and `review`, and a lead
    /// process whose `contacted` state is left by an action with a guard, a timer and an event
    /// (back to `new`, a rework loop). The title holds XML's special characters.
    static let cycleAndProcess: Playbook = {
        let text = (try? Fixture.text("minimal")) ?? ""
        let yaml = text.replacingOccurrences(of: "title: Minimal playbook", with: "title: \"Leads & <pilots> 'fast'\"") + """
              - id: review
                name: Review & lessons
                owner: pm
                duration: 1w
                tasks:
                  - { id: collect, name: Collect lessons, owner: pm, duration: 5d }
                gate:
                  approvers: [steering, pm]
                  criteria:
                    - { condition: "lessons.count >= 1" }
              - id: rollout
                name: Roll out
                owner: pm
                duration: 3w
                tasks:
                  - { id: train, name: Train everyone, owner: pm, duration: 10d }
            cycles:
              - { id: improve, name: Improve, phases: [pilot, review], until: "kpi.lead_hours.pilot <= 8", max_iterations: 3 }
            processes:
              - id: lead-handling
                name: Lead handling
                entity: lead
                to_be:
                  states:
                    - { id: new, name: New, initial: true, sla: 4h }
                    - { id: contacted, name: Contacted, sla: 24h }
                    - { id: qualified, name: Qualified }
                    - { id: converted, name: Converted, final: true }
                    - { id: disqualified, name: Disqualified, final: true }
                  transitions:
                    - { from: new, to: contacted, event: activity_logged, sla: 4h, escalate: { after: 8h, to: steering } }
                    - { from: contacted, to: qualified, action: qualify, by: pm, guard: "record.score >= 50" }
                    - { from: contacted, to: disqualified, after: 2w }
                    - { from: contacted, to: new, event: field_changed, field: status }
                    - { from: qualified, to: converted, action: convert }

            """
        let compilation = Fixture.compile(yaml: yaml)
        precondition(compilation.playbook != nil, "the inline playbook does not compile: \(compilation.diagnostics)")
        return compilation.playbook!
    }()

    static let standard: Playbook? = PlaybookCompiler(context: Fixture.context)
        .compile(path: Fixture.repositoryRoot.appendingPathComponent("Playbooks/standard-nine-phase.yaml").path).playbook

    static var leadProcess: FlowGraph {
        get throws { try cycleAndProcess.graph(process: "lead-handling") }
    }

    // MARK: - The phase graph

    @Test func thePhaseGraphHasATaskAndAGatePerPhaseInPlaybookOrderBetweenOneStartAndOneEnd() throws {
        let playbook = try #require(Self.standard)
        let graph = FlowGraph(phasesOf: playbook)
        #expect(graph.nodes.count == 2 + 2 * playbook.phases.count)
        #expect(graph.nodes.filter { $0.kind == .start }.count == 1)
        #expect(graph.nodes.filter { $0.kind == .end }.count == 1)
        #expect(graph.nodes.filter { $0.kind == .task }.map(\.label) == playbook.phases.map(\.name))
        #expect(graph.nodes.filter { $0.kind == .gateway }.count == playbook.phases.count)
        // One chain: every node but the end has exactly one way on, and nothing loops.
        #expect(graph.flows.count == graph.nodes.count - 1)
        #expect(graph.flows.allSatisfy { !$0.isLoop })
        var walked = [graph.nodes[0].id]
        while let next = graph.outgoing(walked.last!).first { walked.append(next.target) }
        #expect(walked == graph.nodes.map(\.id))
    }

    @Test func aGatesWayOnIsItsDefaultFlowAndACycleLoopsFromItsLastGateToItsFirstPhaseOnRepeat() throws {
        let graph = FlowGraph(phasesOf: Self.cycleAndProcess)
        let loops = graph.flows.filter(\.isLoop)
        #expect(loops.count == 1)
        let loop = try #require(loops.first)
        #expect(loop.source == "Gate_review" && loop.target == "Phase_pilot")
        #expect(loop.condition == "repeat == True")
        #expect(loop.label == "repeat until kpi.lead_hours.pilot <= 8, at most 3×")
        for gate in graph.nodes where gate.kind == .gateway {
            let onward = graph.outgoing(gate.id).filter { !$0.isLoop }
            #expect(onward.count == 1 && onward[0].isDefault && onward[0].condition == nil && onward[0].label == "go", "\(gate.id)")
        }
        // The phase without a gate (rollout) leads straight to the end.
        #expect(graph.outgoing("Phase_rollout").map(\.target) == ["EndEvent_project"])
    }

    // MARK: - Process graphs

    @Test func aProcessStateWithSeveralTransitionsLeadsToAChoiceWhoseDefaultMovesOnAndWhoseLoopIsConditional() throws {
        let graph = try Self.leadProcess
        #expect(graph.subject == .process)
        #expect(graph.nodes.map(\.id) == ["StartEvent_lead-handling", "State_new", "State_contacted", "State_qualified",
                                          "EndEvent_converted", "EndEvent_disqualified", "Choice_contacted"])
        #expect(graph.outgoing("StartEvent_lead-handling").map(\.target) == ["State_new"])
        let choice = graph.outgoing("Choice_contacted")
        #expect(choice.map(\.target) == ["State_qualified", "EndEvent_disqualified", "State_new"])
        #expect(choice.map(\.isDefault) == [true, false, false])
        #expect(choice.map(\.condition) == [nil, "transition == 'disqualified'", "transition == 'new'"])
        #expect(choice.map(\.isLoop) == [false, false, true])
        #expect(choice.map(\.label) == ["qualify by pm [record.score >= 50]", "after 14d", "on field_changed (status)"])
        #expect(graph.outgoing("State_new").first?.notes == ["SLA: 4h", "Escalates to steering after 8h"])
    }

    @Test func theAsIsVariantOfAProcessWithoutOneIsRefusedNamingTheVariantItHas() throws {
        #expect(throws: GraphSelectionError.self) { try Self.cycleAndProcess.graph(process: "lead-handling", variant: .asIs) }
        do {
            _ = try Self.cycleAndProcess.graph(process: "lead-handling", variant: .asIs)
        } catch {
            #expect(error.description == "process 'lead-handling' has no as_is variant; it describes to_be: use --variant to_be")
        }
    }

    @Test func anUnknownProcessIdIsRefusedWithTheClosestKnownIdAndTheList() throws {
        do {
            _ = try Self.cycleAndProcess.graph(process: "lead-handlin")
            Issue.record("an unknown process id was accepted")
        } catch {
            #expect(error.description.contains("has no process 'lead-handlin' (did you mean 'lead-handling'?)"))
            #expect(error.description.hasSuffix("its processes are: lead-handling"))
        }
    }

    // MARK: - BPMN

    @Test(arguments: ["standard", "cycle", "process"])
    func bpmnHasOneStartEventFlowsBetweenExistingNodesAndAShapeOrEdgeForEachElement(_ which: String) throws {
        let graph = try graph(which)
        let document = try XMLTree.parse(GraphFormat.bpmn.render(graph))
        #expect(document.name == "bpmn:definitions")
        #expect(document.attributes["xmlns:bpmn"] == "http://www.omg.org/spec/BPMN/20100524/MODEL")
        #expect(document.attributes["xmlns:bpmndi"] == "http://www.omg.org/spec/BPMN/20100524/DI")
        #expect(document.attributes["xmlns:dc"] == "http://www.omg.org/spec/DD/20100524/DC")
        #expect(document.attributes["xmlns:di"] == "http://www.omg.org/spec/DD/20100524/DI")
        #expect(document.attributes["targetNamespace"] != nil)
        let processes = document.children("bpmn:process")
        try #require(processes.count == 1)
        let process = processes[0]
        #expect(process.attributes["isExecutable"] == "true")
        let flowNodeKinds = ["bpmn:startEvent", "bpmn:endEvent", "bpmn:userTask", "bpmn:exclusiveGateway"]
        let flowNodes = process.elements.filter { flowNodeKinds.contains($0.name) }
        let flows = process.children("bpmn:sequenceFlow")
        #expect(flowNodes.count == graph.nodes.count)
        #expect(flows.count == graph.flows.count)
        #expect(process.children("bpmn:startEvent").count == 1)
        #expect(!process.children("bpmn:endEvent").isEmpty)
        let nodeIds = Set(flowNodes.compactMap { $0.attributes["id"] })
        let flowIds = Set(flows.compactMap { $0.attributes["id"] })
        for id in nodeIds.union(flowIds) + [process.attributes["id"] ?? ""] { #expect(Self.isNCName(id), "\(id)") }
        for flow in flows {
            let id = flow.attributes["id"] ?? "", source = flow.attributes["sourceRef"] ?? "", target = flow.attributes["targetRef"] ?? ""
            #expect(nodeIds.contains(source) && nodeIds.contains(target), "\(id): \(source) → \(target)")
            #expect(flowNodes.first { $0.attributes["id"] == source }?.children("bpmn:outgoing").map(\.text).contains(id) == true)
            #expect(flowNodes.first { $0.attributes["id"] == target }?.children("bpmn:incoming").map(\.text).contains(id) == true)
        }
        // Every gateway's outgoing flow is its default or has a condition, so an engine can choose.
        for gateway in process.children("bpmn:exclusiveGateway") {
            let outgoing = flows.filter { $0.attributes["sourceRef"] == gateway.attributes["id"] }
            for flow in outgoing {
                #expect(flow.attributes["id"] == gateway.attributes["default"] || !flow.children("bpmn:conditionExpression").isEmpty)
            }
        }

        let plane = try #require(document.children("bpmndi:BPMNDiagram").first?.children("bpmndi:BPMNPlane").first)
        #expect(plane.attributes["bpmnElement"] == process.attributes["id"])
        var bounds: [String: GraphLayout.Box] = [:]
        for shape in plane.children("bpmndi:BPMNShape") {
            let box = try #require(shape.children("dc:Bounds").first?.attributes)
            bounds[shape.attributes["bpmnElement"] ?? ""] = GraphLayout.Box(
                x: Double(box["x"] ?? "") ?? .nan, y: Double(box["y"] ?? "") ?? .nan,
                width: Double(box["width"] ?? "") ?? .nan, height: Double(box["height"] ?? "") ?? .nan)
        }
        #expect(Set(bounds.keys) == nodeIds)
        let boxes = Array(bounds)
        for (i, a) in boxes.enumerated() {
            for b in boxes[(i + 1)...] { #expect(!a.value.overlaps(b.value), "\(a.key) overlaps \(b.key)") }
        }
        let edges = plane.children("bpmndi:BPMNEdge")
        #expect(Set(edges.compactMap { $0.attributes["bpmnElement"] }) == flowIds)
        for edge in edges {
            let points = edge.children("di:waypoint").map { Point(x: Double($0.attributes["x"] ?? "") ?? .nan, y: Double($0.attributes["y"] ?? "") ?? .nan) }
            #expect(points.count >= 2)
            // An edge starts on its source's border and ends on its target's.
            let flow = try #require(flows.first { $0.attributes["id"] == edge.attributes["bpmnElement"] })
            if let source = bounds[flow.attributes["sourceRef"] ?? ""], let first = points.first {
                #expect(Self.isOnBorder(first, of: source), "\(flow.attributes["id"] ?? ""): \(first) vs \(source)")
            }
            if let target = bounds[flow.attributes["targetRef"] ?? ""], let last = points.last {
                #expect(Self.isOnBorder(last, of: target), "\(flow.attributes["id"] ?? ""): \(last) vs \(target)")
            }
        }
    }

    // MARK: - SVG, Mermaid, DOT

    @Test(arguments: ["standard", "cycle", "process"])
    func svgIsWellFormedXMLWithAShapePerNodeAndAPathPerFlow(_ which: String) throws {
        let graph = try graph(which)
        let svg = try XMLTree.parse(GraphFormat.svg.render(graph))
        #expect(svg.name == "svg")
        let groups = svg.children("g")
        #expect(groups.filter { $0.attributes["class"] == "flow" && !$0.children("path").isEmpty }.count == graph.flows.count)
        #expect(groups.filter { $0.attributes["class"] == "task" && !$0.children("rect").isEmpty }.count
                == graph.nodes.filter { $0.kind == .task }.count)
        #expect(groups.filter { $0.attributes["class"] == "gateway" && !$0.children("polygon").isEmpty }.count
                == graph.nodes.filter { $0.kind == .gateway }.count)
        #expect(svg.children("title").first?.text == graph.name)
    }

    @Test func textWithXMLSpecialCharactersIsEscapedInSVGAndBPMN() throws {
        let graph = FlowGraph(phasesOf: Self.cycleAndProcess)
        #expect(graph.name == "Leads & <pilots> 'fast'")
        for format in [GraphFormat.svg, .bpmn] {
            let text = format.render(graph)
            #expect(text.contains("Leads &amp; &lt;pilots&gt; &apos;fast&apos;"), "\(format)")
            #expect(!text.contains("<pilots>"), "\(format)")
            #expect(try XMLTree.parse(text).name != "", "\(format)")
        }
    }

    @Test func mermaidDrawsPhasesAsAFlowchartNamingEveryPhaseAndGate() throws {
        let playbook = try #require(Self.standard)
        let mermaid = GraphFormat.mermaid.render(FlowGraph(phasesOf: playbook))
        #expect(mermaid.contains("\nflowchart LR\n"))
        for phase in playbook.phases {
            let id = "Phase_" + phase.id.replacingOccurrences(of: "-", with: "_")
            #expect(mermaid.contains("    \(id)[\"\(phase.name)<br/>"), "\(phase.id)")
            #expect(mermaid.contains("\(id) --> Gate_\(phase.id.replacingOccurrences(of: "-", with: "_"))"), "\(phase.id)")
        }
        let cycle = GraphFormat.mermaid.render(FlowGraph(phasesOf: Self.cycleAndProcess))
        #expect(cycle.contains("    Gate_review -.->|\"repeat until kpi.lead_hours.pilot <= 8, at most 3×\"| Phase_pilot\n"))
        #expect(cycle.hasPrefix("---\ntitle: \"Leads & <pilots> 'fast'\"\n---\n"))
    }

    @Test func mermaidDrawsAProcessAsAStateDiagramWithChoicesAndFinalStates() throws {
        let mermaid = GraphFormat.mermaid.render(try Self.leadProcess)
        #expect(mermaid.contains("\nstateDiagram-v2\n"))
        #expect(mermaid.contains("    [*] --> State_new\n"))
        #expect(mermaid.contains("    state Choice_contacted <<choice>>\n"))
        #expect(mermaid.contains("    Choice_contacted --> State_new : on field_changed (status)\n"))
        #expect(mermaid.contains("    EndEvent_converted --> [*]\n"))
        #expect(mermaid.contains("    EndEvent_disqualified --> [*]\n"))
    }

    @Test(arguments: ["standard", "cycle", "process"])
    func dotDeclaresEveryNodeAndDrawsEveryFlowWithLoopsDashed(_ which: String) throws {
        let graph = try graph(which)
        let dot = GraphFormat.dot.render(graph)
        #expect(dot.hasPrefix("digraph \"\(graph.id)\" {\n") && dot.hasSuffix("}\n"))
        for node in graph.nodes { #expect(dot.contains("    \"\(node.id)\" [label="), "\(node.id)") }
        for phase in (which == "standard" ? Self.standard : Self.cycleAndProcess)?.phases ?? [] where graph.subject == .phases {
            #expect(dot.contains("label=\"\(phase.name)\\n"), "\(phase.id)")
        }
        let arrows = dot.split(separator: "\n").filter { $0.contains("\" -> \"") }
        #expect(arrows.count == graph.flows.count)
        #expect(arrows.filter { $0.contains("style=dashed") }.count == graph.flows.filter(\.isLoop).count)
    }

    // MARK: - Support

    func graph(_ which: String) throws -> FlowGraph {
        switch which {
        case "standard": FlowGraph(phasesOf: try #require(Self.standard))
        case "cycle": FlowGraph(phasesOf: Self.cycleAndProcess)
        default: try Self.leadProcess
        }
    }

    struct Point: CustomStringConvertible {
        var x: Double
        var y: Double
        var description: String { "(\(x), \(y))" }
    }

    /// On the bounding box's edge (events and gateways are drawn inside theirs, touching it at the middles).
    static func isOnBorder(_ point: Point, of box: GraphLayout.Box) -> Bool {
        let tolerance = 0.6
        let insideX = point.x >= box.x - tolerance && point.x <= box.maxX + tolerance
        let insideY = point.y >= box.y - tolerance && point.y <= box.maxY + tolerance
        let onVertical = abs(point.x - box.x) <= tolerance || abs(point.x - box.maxX) <= tolerance
        let onHorizontal = abs(point.y - box.y) <= tolerance || abs(point.y - box.maxY) <= tolerance
        return insideX && insideY && (onVertical || onHorizontal)
    }

    /// XML's NCName, restricted to ASCII: a letter or `_`, then letters, digits, `.`, `-`, `_`.
    static func isNCName(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.properties.isAlphabetic || first == "_", first.isASCII else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }
}

/// A parsed XML element with its attributes, child elements and text: enough to check the
/// structure of BPMN and SVG output with Foundation's parser, which refuses malformed XML.
final class XMLTree {
    let name: String
    let attributes: [String: String]
    private(set) var elements: [XMLTree] = []
    private(set) var text = ""
    private weak var parent: XMLTree?

    init(name: String, attributes: [String: String], parent: XMLTree?) {
        self.name = name
        self.attributes = attributes
        self.parent = parent
    }

    func children(_ name: String) -> [XMLTree] { elements.filter { $0.name == name } }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> XMLTree {
        let root = XMLTree(name: "", attributes: [:], parent: nil)
        let builder = Builder(root: root)
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = builder
        guard parser.parse(), let document = root.elements.first else {
            throw ParseError(description: "not well-formed XML: \(parser.parserError.map(String.init(describing:)) ?? "no root element")")
        }
        return document
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var current: XMLTree

        init(root: XMLTree) { current = root }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let element = XMLTree(name: elementName, attributes: attributes, parent: current)
            current.elements.append(element)
            current = element
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            if let parent = current.parent { current = parent }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { current.text += string }
    }
}
