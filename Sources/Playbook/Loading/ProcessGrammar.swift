/// The grammar of business-process models (A6) and of conditions.
extension Syntax where Value == ProcessModel {
    static var process: Syntax<ProcessModel> {
        .mapping("process") { map in
            let asIs = map.optional("as_is", .variant(.asIs))
            let toBe = map.optional("to_be", .variant(.toBe))
            if asIs == nil && toBe == nil && !map.contains("as_is") && !map.contains("to_be") {
                map.file.report(.error(.missingKey, "\(map.subject) needs 'to_be' (the process as it should run), "
                                       + "'as_is' (as it runs today), or both", at: map.location))
            }
            return ProcessModel(id: map.required("id", .identifier) ?? "",
                                name: map.required("name", .text) ?? "",
                                description: map.optional("description", .text),
                                entity: map.required("entity", .reference) ?? Reference("", at: map.location),
                                owner: map.optional("owner", .reference),
                                asIs: asIs, toBe: toBe, location: map.idLocation)
        }
    }
}

extension Syntax where Value == ProcessVariant {
    static func variant(_ kind: ProcessVariant.Kind) -> Syntax<ProcessVariant> {
        .mapping(kind == .asIs ? "as-is process" : "to-be process") { map in
            ProcessVariant(kind: kind,
                           states: map.required("states", .list(of: .processState)) ?? [],
                           transitions: map.optional("transitions", .list(of: .transition)) ?? [],
                           location: map.location)
        }
    }
}

extension Syntax where Value == ProcessState {
    static var processState: Syntax<ProcessState> {
        .mapping("state") { map in
            ProcessState(id: map.required("id", .identifier) ?? "",
                         name: map.optional("name", .text) ?? (map.optional("id", .text) ?? ""),
                         initial: map.optional("initial", .flag) ?? false,
                         final: map.optional("final", .flag) ?? false,
                         slaHours: map.optional("sla", .hours),
                         location: map.idLocation)
        }
    }
}

extension Syntax where Value == ProcessTransition {
    /// `{ from: new, to: contacted, event: activity_logged, guard: "…", sla: 4h,
    ///    escalate: { after: 8h, to: sales_manager }, assign: { strategy: round_robin, role: sales_rep } }`
    static var transition: Syntax<ProcessTransition> {
        .mapping("transition") { map in
            let event = map.optional("event", .oneOf as Syntax<ProcessEvent>)
            let field = map.optional("field", .text)
            let after = map.optional("after", .hours)
            let action = map.optional("action", .identifier)
            let by = map.optional("by", .reference)
            let trigger: ProcessTransition.Trigger? = switch map.choice(of: ["event", "after", "action"], what: "a trigger") {
            case "event": event.map { .event($0, field: field) }
            case "after": after.map { .timer(hours: $0) }
            case "action": action.map { .action($0, by: by) }
            default: nil
            }
            if field != nil, event != .fieldChanged {
                map.report(.conflictingKeys, "'field' applies only to 'event: field_changed'", atKey: "field")
            }
            if by != nil, action == nil {
                map.report(.conflictingKeys, "'by' applies only to a transition taken by an 'action'", atKey: "by")
            }
            return ProcessTransition(from: map.required("from", .reference) ?? Reference("", at: map.location),
                                     to: map.required("to", .reference) ?? Reference("", at: map.location),
                                     trigger: trigger ?? .event(.updated, field: nil),
                                     guardCondition: map.optional("guard", .condition),
                                     slaHours: map.optional("sla", .hours),
                                     escalation: map.optional("escalate", .escalation),
                                     assignment: map.optional("assign", .assignment),
                                     effects: map.optional("do", .list(of: .effect)) ?? [],
                                     location: map.location)
        }
    }
}

extension Syntax where Value == ProcessEffect {
    /// One of `{ set: { FIELD: VALUE } }`, `{ notify: { to: ROLE, subject: TEXT } }`,
    /// `{ activity: { kind: note, subject: TEXT } }`, `{ plugin: NAME, with: { … } }`.
    static var effect: Syntax<ProcessEffect> {
        .mapping("effect") { map in
            let set = map.optional("set", .dictionary(of: .text))
            let notify = map.optional("notify", .notification)
            let activity = map.optional("activity", .activityEffect)
            let plugin = map.optional("plugin", .identifier)
            let arguments = map.optional("with", .dictionary(of: .text))
            if arguments != nil, plugin == nil {
                map.report(.conflictingKeys, "'with' applies only to a 'plugin' effect", atKey: "with")
            }
            switch map.choice(of: ["set", "notify", "activity", "plugin"], what: "an effect") {
            case "set": return set.map { .set(fields: $0, location: map.location) }
            case "notify": return notify.map { .notify(to: $0.to, subject: $0.subject, location: map.location) }
            case "activity": return activity.map { .activity(kind: $0.kind, subject: $0.subject, location: map.location) }
            case "plugin": return plugin.map { .plugin(name: $0, arguments: arguments ?? [:], location: map.location) }
            default: return nil
            }
        }
    }
}

/// The `notify:` of an effect.
struct NotificationSpec: Sendable, Hashable {
    var to: Reference
    var subject: String
}

/// The `activity:` of an effect.
struct ActivitySpec: Sendable, Hashable {
    var kind: String
    var subject: String
}

extension Syntax where Value == NotificationSpec {
    static var notification: Syntax<NotificationSpec> {
        .mapping("notification") { map in
            NotificationSpec(to: map.required("to", .reference) ?? Reference("", at: map.location),
                             subject: map.required("subject", .text) ?? "")
        }
    }
}

extension Syntax where Value == ActivitySpec {
    static var activityEffect: Syntax<ActivitySpec> {
        .mapping("activity") { map in
            ActivitySpec(kind: map.optional("kind", .text) ?? "note", subject: map.required("subject", .text) ?? "")
        }
    }
}

extension Syntax where Value == Escalation {
    static var escalation: Syntax<Escalation> {
        .mapping("escalation") { map in
            Escalation(afterHours: map.required("after", .hours) ?? 0,
                       to: map.required("to", .reference) ?? Reference("", at: map.location),
                       location: map.location)
        }
    }
}

extension Syntax where Value == Assignment {
    static var assignment: Syntax<Assignment> {
        .mapping("assignment") { map in
            Assignment(strategy: map.required("strategy", .oneOf) ?? .owner,
                       role: map.optional("role", .reference),
                       location: map.location)
        }
    }
}

extension Syntax where Value == Cycle {
    /// `{ id: improve, name: …, phases: [pilot, lessons, evaluate], until: "…", max_iterations: 3 }`
    static var cycle: Syntax<Cycle> {
        .mapping("cycle") { map in
            Cycle(id: map.required("id", .identifier) ?? "",
                  name: map.required("name", .text) ?? "",
                  phases: map.required("phases", .list(of: .reference)) ?? [],
                  until: map.optional("until", .condition),
                  maxIterations: map.optional("max_iterations", .integer.constrained("at least 1") { $0 >= 1 }) ?? 3,
                  location: map.idLocation)
        }
    }
}

extension Syntax where Value == Condition {
    /// A condition in the condition language, parsed here; names and types are checked by the
    /// validator, which knows the whole playbook. `true`/`false` written bare are conditions too.
    static var condition: Syntax<Condition> {
        let expected = "a condition such as \"kpi.win_rate.pilot >= 0.3\""
        let schema = SchemaNode.anyOf([.string(description: expected), .boolean],
                                      description: "a condition (true or false) in the condition language")
        return Syntax(expected: expected, schema: schema) { node, field in
            guard case .scalar(let scalar) = node, !node.isNull else {
                field.wrongType(node, expected: expected)
                return nil
            }
            let text = scalar.string
            let start = field.file.textLocation(of: node)
            switch ConditionParser.parse(text) {
            case .success(let expression):
                return Condition(text: text, expression: expression, location: start)
            case .failure(let problem):
                field.file.report(.error(.conditionSyntax, "\(field.name): \(problem.message)",
                                         at: start.offset(by: problem.offset, in: text)))
                return nil
            }
        }
    }
}

extension Syntax where Value == Double {
    /// Hours: `4h`, `2d` (48), `1w` (168), `30m` (0.5) or a bare number of hours; more than 0.
    static var hours: Syntax<Double> {
        let expected = "a time such as 4h, 30m, 2d or 1w"
        let schema = SchemaNode.anyOf([.number(description: "hours", minimum: 0),
                                       .string(description: expected, pattern: "^[0-9]+(\\.[0-9]+)?[mhdw]$")],
                                      description: expected)
        return Syntax(expected: expected, schema: schema) { node, field in
            if node.scalarTag == .int || node.scalarTag == .float {
                return Syntax<Double>.number.constrained("more than 0 hours") { $0 > 0 }.read(node, field)
            }
            let units: [Character: Double] = ["m": 1.0 / 60, "h": 1, "d": 24, "w": 168]
            guard case .scalar(let scalar) = node, let unit = scalar.string.last, let factor = units[unit],
                  let count = Double(scalar.string.dropLast()), count > 0, count.isFinite
            else {
                field.invalid(node, expected: expected)
                return nil
            }
            return count * factor
        }
    }
}

extension SourceLocation {
    /// The location `offset` Unicode scalars into `text`, which starts here; a text spanning
    /// several lines (a block scalar) keeps its start.
    func offset(by offset: Int, in text: String) -> SourceLocation {
        guard !text.contains("\n") else { return self }
        return SourceLocation(file: file, line: line, column: column + offset)
    }
}
