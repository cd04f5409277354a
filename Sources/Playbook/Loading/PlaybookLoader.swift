import Yams

/// Reads a playbook's YAML text into the typed model, reporting every problem of shape —
/// syntax, unknown and missing keys, wrong types, values out of range — in one pass.
///
/// The model it returns is as complete as the text allows, so that `PlaybookValidator` can
/// check its references even when the text has problems; only `PlaybookCompiler` decides
/// whether it is good enough to hand out (no errors at all).
package struct PlaybookLoader: Sendable {
    package init() {}

    /// The model (nil only when the text is not a YAML mapping) and the problems found.
    package func load(_ source: PlaybookSource) -> (playbook: Playbook?, diagnostics: [PlaybookDiagnostic]) {
        let file = SourceFile(path: source.path)
        guard let root = YAMLDocument.compose(source.text, into: file) else { return (nil, file.diagnostics) }
        guard case .mapping = root else {
            file.error(.wrongType, "a playbook must be a mapping of keys such as 'playbook:', 'title:' and 'phases:', "
                       + "not \(root.found)", at: root)
            return (nil, file.diagnostics)
        }
        let playbook = Syntax<Playbook>.playbook(source).read(root, Field(file: file, name: "the playbook"))
        return (playbook, file.diagnostics)
    }
}

// MARK: - The grammar: the playbook, its organisation, goals, KPIs and pilot groups

extension Syntax where Value == Playbook {
    static func playbook(_ source: PlaybookSource) -> Syntax<Playbook> {
        .mapping("the playbook") { map in
            Playbook(id: map.required("playbook", .identifier) ?? "",
                     version: map.required("version", .integer.constrained("at least 1") { $0 >= 1 }) ?? 1,
                     title: map.required("title", .text) ?? "",
                     description: map.optional("description", .text),
                     organisation: map.optional("organisation", .organisation) ?? Organisation(roles: []),
                     goals: map.optional("goals", .list(of: .goal)) ?? [],
                     kpis: map.optional("kpis", .list(of: .kpi)) ?? [],
                     pilotGroups: map.optional("pilot_groups", .list(of: .pilotGroup)) ?? [],
                     processes: map.optional("processes", .list(of: .process)) ?? [],
                     phases: map.required("phases", .list(of: .phase)) ?? [],
                     cycles: map.optional("cycles", .list(of: .cycle)) ?? [],
                     costs: map.optional("costs", .costs),
                     benefits: map.optional("benefits", .list(of: .benefit)) ?? [],
                     evaluation: map.optional("evaluation", .evaluation) ?? EvaluationSettings(),
                     source: source)
        }
    }
}

extension Syntax where Value == Organisation {
    static var organisation: Syntax<Organisation> {
        .mapping("organisation") { map in
            Organisation(roles: map.optional("roles", .list(of: .role)) ?? [])
        }
    }
}

extension Syntax where Value == Role {
    static var role: Syntax<Role> {
        .mapping("role") { map in
            Role(id: map.required("id", .identifier) ?? "",
                 name: map.required("name", .text) ?? "",
                 side: map.required("side", .oneOf) ?? .customer,
                 duties: map.optional("duties", .list(of: .text)) ?? [],
                 members: map.optional("members", .list(of: .text)) ?? [],
                 location: map.idLocation)
        }
    }
}

extension Syntax where Value == Goal {
    static var goal: Syntax<Goal> {
        .mapping("goal") { map in
            Goal(id: map.required("id", .identifier) ?? "",
                 level: map.required("level", .oneOf) ?? .department,
                 department: map.optional("department", .text),
                 statement: map.required("statement", .text) ?? "",
                 kpis: map.optional("kpis", .list(of: .reference)) ?? [],
                 location: map.idLocation)
        }
    }
}

extension Syntax where Value == KPIDefinition {
    static var kpi: Syntax<KPIDefinition> {
        .mapping("KPI") { map in
            let source = map.choice(of: ["metric", "sql"], what: "what it measures")
            let metric = map.optional("metric", .reference)
            let sql = map.optional("sql", .text).map { query in
                KPIDefinition.SQLMetric(query: query, location: map.location(ofKey: "sql") ?? map.location)
            }
            return KPIDefinition(id: map.required("id", .identifier) ?? "",
                          name: map.required("name", .text) ?? "",
                          metric: source == "metric" ? metric : nil,
                          sql: source == "sql" ? sql : nil,
                          groups: map.optional("groups", .list(of: .oneOf)) ?? [],
                          aggregate: map.optional("aggregate", .oneOf),
                          windowDays: map.required("window", .duration) ?? 1,
                          direction: map.required("direction", .oneOf) ?? .higherIsBetter,
                          baseline: map.optional("baseline", .baseline) ?? .measure,
                          target: map.optional("target", .number),
                          unit: map.optional("unit", .text),
                          location: map.idLocation)
        }
    }
}

extension Syntax where Value == KPIDefinition.Baseline {
    /// `measure` (on the CRM data when the project starts) or a known value.
    static var baseline: Syntax<KPIDefinition.Baseline> {
        let expected = "'measure' or a number"
        return Syntax(expected: expected) { node, field in
            if node.scalarTag == .int || node.scalarTag == .float {
                return Syntax<Double>.number.read(node, field).map { .value($0) }
            }
            guard let text = node.scalar?.string, text == "measure" else {
                field.invalid(node, expected: expected,
                              suggestion: node.scalar.flatMap { Suggestion.closest(to: $0.string, among: ["measure"]) })
                return nil
            }
            return .measure
        }
    }
}

extension Syntax where Value == PilotGroup {
    static var pilotGroup: Syntax<PilotGroup> {
        .mapping("pilot group") { map in
            PilotGroup(id: map.required("id", .identifier) ?? "",
                       name: map.required("name", .text) ?? "",
                       members: map.required("members", .group("the pilot group's members"))
                           ?? GroupSelector(location: map.location),
                       control: map.optional("control", .group("the control group")),
                       location: map.idLocation)
        }
    }
}

extension Syntax where Value == GroupSelector {
    /// `{ teams: [East Sales], users: [li.wei@example.com], territories: [East], accounts: [Huaxin Trading] }`:
    /// at least one of them.
    static func group(_ noun: String) -> Syntax<GroupSelector> {
        .mapping(noun) { map in
            let keys = ["teams", "users", "territories", "accounts"]
            let lists = keys.map { map.optional($0, .list(of: .text)) }
            let unreadable = zip(keys, lists).contains { key, list in list == nil && map.contains(key) }
            let selector = GroupSelector(teams: lists[0] ?? [], users: lists[1] ?? [], territories: lists[2] ?? [],
                                         accounts: lists[3] ?? [], location: map.location)
            if selector.isEmpty && !unreadable {
                map.file.report(.error(.emptyGroup, "\(map.subject) names no team, user, territory or account",
                                       at: map.location))
            }
            return selector
        }
    }
}
