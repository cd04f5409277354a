/// The grammar of a phase (S0 §4): its tasks, deliverables, actions and exit gate.
extension Syntax where Value == Phase {
    static var phase: Syntax<Phase> {
        .mapping("phase") { map in
            Phase(id: map.required("id", .identifier) ?? "",
                  name: map.required("name", .text) ?? "",
                  description: map.optional("description", .text),
                  owner: map.optional("owner", .reference),
                  durationDays: map.required("duration", .duration) ?? 1,
                  pilot: map.optional("pilot", .reference),
                  tasks: map.optional("tasks", .list(of: .task)) ?? [],
                  deliverables: map.optional("deliverables", .list(of: .deliverable)) ?? [],
                  actions: map.optional("actions", .list(of: .action)) ?? [],
                  entry: map.optional("entry", .list(of: .condition)) ?? [],
                  gate: map.optional("gate", .gate),
                  location: map.idLocation)
        }
    }
}

extension Syntax where Value == PhaseTask {
    static var task: Syntax<PhaseTask> {
        .mapping("task") { map in
            PhaseTask(id: map.required("id", .identifier) ?? "",
                      name: map.required("name", .text) ?? "",
                      owner: map.required("owner", .reference) ?? Reference("", at: map.location),
                      approver: map.optional("approver", .reference),
                      consulted: map.optional("consulted", .list(of: .reference)) ?? [],
                      informed: map.optional("informed", .list(of: .reference)) ?? [],
                      durationDays: map.required("duration", .duration) ?? 1,
                      dependsOn: map.optional("depends_on", .list(of: .reference)) ?? [],
                      deliverable: map.optional("deliverable", .reference),
                      location: map.idLocation)
        }
    }
}

extension Syntax where Value == Deliverable {
    static var deliverable: Syntax<Deliverable> {
        .mapping("deliverable") { map in
            Deliverable(id: map.required("id", .identifier) ?? "",
                        name: map.required("name", .text) ?? "",
                        location: map.idLocation)
        }
    }
}

extension Syntax where Value == ActionStep {
    /// `kpi.snapshot`, or a one-key mapping from the action's name to its text arguments:
    /// `{ notify: { to: steering, subject: Kick-off } }`.
    static var action: Syntax<ActionStep> {
        let expected = "an action name, or a one-key mapping such as { notify: { to: steering } }"
        let schema = SchemaNode.anyOf([.string(description: "an action name such as kpi.snapshot"),
                                       .anyObject(description: "{ ACTION: { argument: text, … } }")], description: expected)
        return Syntax(expected: expected, schema: schema) { node, field in
            switch node {
            case .scalar where !node.isNull:
                return Syntax<Reference>.reference.read(node, field).map { ActionStep(name: $0) }
            case .mapping(let mapping) where mapping.count == 1:
                guard let (key, value) = mapping.pairs.first, let name = Syntax<Reference>.reference.read(key, field) else {
                    return nil
                }
                guard !value.isNull else { return ActionStep(name: name) }
                guard case .mapping(let arguments) = value else {
                    Field(file: field.file, name: "the arguments of action '\(name.id)'")
                        .wrongType(value, expected: "a mapping such as { to: steering }")
                    return nil
                }
                var values: [String: String] = [:]
                for (argument, text) in arguments {
                    let key = argument.string ?? argument.found
                    let place = Field(file: field.file, name: "argument '\(key)' of action '\(name.id)'")
                    values[key] = Syntax<String>.text.read(text, place)
                }
                return ActionStep(name: name, arguments: values)
            default:
                field.wrongType(node, expected: expected)
                return nil
            }
        }
    }
}

extension Syntax where Value == Gate {
    static var gate: Syntax<Gate> {
        .mapping("gate") { map in
            Gate(approvers: map.optional("approvers", .list(of: .reference)) ?? [],
                 consulted: map.optional("consulted", .list(of: .reference)) ?? [],
                 informed: map.optional("informed", .list(of: .reference)) ?? [],
                 criteria: map.optional("criteria", .list(of: .criterion)) ?? [],
                 location: map.location)
        }
    }
}

extension Syntax where Value == GateCriterion {
    /// `{ deliverable: pilot-test-report }`, a KPI with an optional group and one comparison:
    /// `{ kpi: lead_response_hours, group: pilot, at_most: 12 }`, or any boolean condition:
    /// `{ condition: "kpi.win_rate.pilot >= kpi.win_rate.control + 0.05" }`, or a plugin's check:
    /// `{ check: financial-services.kyc-complete, with: { min_percent: "98" } }`.
    static var criterion: Syntax<GateCriterion> {
        .mapping("gate criterion") { map in
            let kpi = map.optional("kpi", .reference)
            let deliverable = map.optional("deliverable", .reference)
            let condition = map.optional("condition", .condition)
            let check = map.optional("check", .reference)
            let arguments = map.optional("with", .dictionary(of: .text))
            if arguments != nil, check == nil {
                map.report(.conflictingKeys, "'with' applies only to a 'check' criterion", atKey: "with")
            }
            let group = map.optional("group", .oneOf as Syntax<MeasuredGroup>)
            let onlyTrue = Syntax<Bool>.flag.constrained("true (leave the criterion out to check nothing)") { $0 }
            let comparisons: [(key: String, value: KPICriterion.Comparison?)] = [
                ("at_most", map.optional("at_most", .number).map { .atMost($0) }),
                ("at_least", map.optional("at_least", .number).map { .atLeast($0) }),
                ("improves_by_percent", map.optional("improves_by_percent", .number).map { .improvesByPercent($0) }),
                ("beats_control", map.optional("beats_control", onlyTrue).map { _ in .beatsControl }),
                ("meets_target", map.optional("meets_target", onlyTrue).map { _ in .meetsTarget }),
            ]
            switch map.choice(of: ["kpi", "deliverable", "condition", "check"], what: "something to check") {
            case "check":
                for key in ["group"] + comparisons.map(\.key) {
                    map.report(.conflictingKeys, "'\(key)' does not apply to a plugin's check; pass it in 'with'",
                               atKey: key)
                }
                return check.map { .check(CheckCriterion(check: $0, arguments: arguments ?? [:], location: map.location)) }
            case "condition":
                for key in ["group"] + comparisons.map(\.key) {
                    map.report(.conflictingKeys, "'\(key)' does not apply to a condition; write it in the condition",
                               atKey: key)
                }
                return condition.map { .condition($0) }
            case "deliverable":
                for key in ["group"] + comparisons.map(\.key) {
                    map.report(.conflictingKeys, "'\(key)' does not apply to a criterion on a deliverable", atKey: key)
                }
                return deliverable.map { .deliverable($0, location: map.location) }
            case "kpi":
                let chosen = map.choice(of: comparisons.map(\.key), what: "a comparison")
                guard let kpi, let comparison = comparisons.first(where: { $0.key == chosen })?.value else { return nil }
                return .kpi(KPICriterion(kpi: kpi, group: group, comparison: comparison, location: map.location))
            default:
                return nil
            }
        }
    }
}
