/// BPMN 2.0 XML that engines run and editors show: one executable process (start event, user
/// tasks, exclusive gateways, end events, sequence flows with their `incoming`/`outgoing`
/// references) and its diagram interchange, laid out by `GraphLayout` like the SVG.
///
/// Gateways carry a `default` flow (a gate's "go"); loops carry a Python condition expression
/// (`repeat == True`, `transition == 'contacted'`) that engines such as SpiffWorkflow evaluate
/// against the task data. docs/graphs.md describes the mapping.
public struct BPMNRenderer: GraphRenderer {
    public init() {}

    public func render(_ graph: FlowGraph) -> String {
        let layout = GraphLayout(graph)
        var out = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" "
                + "xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\" "
                + "xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\" "
                + "xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "id=\"Definitions_\(graph.id)\" targetNamespace=\"urn:rollout:\(graph.id)\" exporter=\"rollout\">",
            "  <bpmn:process id=\"\(graph.id)\" name=\"\(graph.name.xmlEscaped)\" isExecutable=\"true\">",
        ]
        for node in graph.nodes {
            let element = switch node.kind {
            case .start: "bpmn:startEvent"
            case .end: "bpmn:endEvent"
            case .task: "bpmn:userTask"
            case .gateway: "bpmn:exclusiveGateway"
            }
            let name = ([node.label] + (node.detail.map { [$0] } ?? [])).joined(separator: "\n")
            let defaultFlow = graph.outgoing(node.id).first(where: \.isDefault).map { " default=\"\($0.id)\"" } ?? ""
            out.append("    <\(element) id=\"\(node.id)\" name=\"\(name.xmlEscaped)\"\(defaultFlow)>")
            if !node.notes.isEmpty {
                out.append("      <bpmn:documentation>\(node.notes.joined(separator: "\n").xmlEscaped)</bpmn:documentation>")
            }
            for flow in graph.incoming(node.id) { out.append("      <bpmn:incoming>\(flow.id)</bpmn:incoming>") }
            for flow in graph.outgoing(node.id) { out.append("      <bpmn:outgoing>\(flow.id)</bpmn:outgoing>") }
            out.append("    </\(element)>")
        }
        for flow in graph.flows {
            let name = flow.label.map { " name=\"\($0.xmlEscaped)\"" } ?? ""
            let opening = "    <bpmn:sequenceFlow id=\"\(flow.id)\"\(name) sourceRef=\"\(flow.source)\" targetRef=\"\(flow.target)\""
            guard flow.condition != nil || !flow.notes.isEmpty else {
                out.append(opening + " />")
                continue
            }
            out.append(opening + ">")
            if !flow.notes.isEmpty {
                out.append("      <bpmn:documentation>\(flow.notes.joined(separator: "\n").xmlEscaped)</bpmn:documentation>")
            }
            if let condition = flow.condition {
                out.append("      <bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">\(condition.xmlEscaped)</bpmn:conditionExpression>")
            }
            out.append("    </bpmn:sequenceFlow>")
        }
        out.append("  </bpmn:process>")
        out.append("  <bpmndi:BPMNDiagram id=\"Diagram_\(graph.id)\">")
        out.append("    <bpmndi:BPMNPlane id=\"Plane_\(graph.id)\" bpmnElement=\"\(graph.id)\">")
        for node in graph.nodes {
            guard let box = layout.boxes[node.id] else { continue }
            let marker = node.kind == .gateway ? " isMarkerVisible=\"true\"" : ""
            out.append("      <bpmndi:BPMNShape id=\"\(node.id)_di\" bpmnElement=\"\(node.id)\"\(marker)>")
            out.append("        <dc:Bounds x=\"\(box.x.coordinate)\" y=\"\(box.y.coordinate)\" "
                       + "width=\"\(box.width.coordinate)\" height=\"\(box.height.coordinate)\" />")
            out.append("      </bpmndi:BPMNShape>")
        }
        for flow in graph.flows {
            guard let route = layout.routes[flow.id] else { continue }
            out.append("      <bpmndi:BPMNEdge id=\"\(flow.id)_di\" bpmnElement=\"\(flow.id)\">")
            for point in route { out.append("        <di:waypoint x=\"\(point.x.coordinate)\" y=\"\(point.y.coordinate)\" />") }
            out.append("      </bpmndi:BPMNEdge>")
        }
        out.append("    </bpmndi:BPMNPlane>")
        out.append("  </bpmndi:BPMNDiagram>")
        out.append("</bpmn:definitions>")
        return out.joined(separator: "\n") + "\n"
    }
}
