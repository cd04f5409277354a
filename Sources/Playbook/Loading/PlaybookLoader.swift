import Foundation

/// Reads a playbook's YAML text into the typed model, reporting every problem of shape —
/// syntax, unknown and missing keys, wrong types, values out of range — in one pass.
///
/// The model it returns is as complete as the text allows, so that `PlaybookValidator` can
/// check its references even when the text has problems; only `PlaybookCompiler` decides
/// whether it is good enough to hand out (no errors at all).
package struct PlaybookLoader: Sendable {
    /// What a load produced: the model, the problems, and the text of every file read.
    package struct Loaded {
        package var playbook: Playbook?
        package var diagnostics: [PlaybookDiagnostic]
        /// Path → text of the playbook and of every base and fragment it was composed from.
        package var sources: [String: String]
    }

    /// `--param name=value` values, which win over the playbook's own.
    package var parameters: [String: String]
    /// Reads a base playbook or fragment; nil when it cannot be read.
    package var read: @Sendable (String) -> String?

    /// Plugin id → its folder, for `include: [plugin:ID/…]`.
    package var pluginDirectories: [String: String] = [:]

    package init(parameters: [String: String] = [:], pluginDirectories: [String: String] = [:],
                 read: @escaping @Sendable (String) -> String? = PlaybookLoader.readFile) {
        self.parameters = parameters
        self.pluginDirectories = pluginDirectories
        self.read = read
    }

    @Sendable package static func readFile(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// The model (nil only when the text is not a YAML mapping) and the problems found.
    package func load(_ source: PlaybookSource) -> Loaded {
        let file = SourceFile(path: source.path)
        file.record(text: source.text, of: 0)
        func finish(_ playbook: Playbook?) -> Loaded {
            Loaded(playbook: playbook, diagnostics: file.diagnostics, sources: file.texts)
        }
        guard let root = YAMLDocument.compose(source.text, into: file) else { return finish(nil) }
        guard case .mapping = root else {
            file.error(.wrongType, "a playbook must be a mapping of keys such as 'playbook:', 'title:' and 'phases:', "
                       + "not \(root.found)", at: root)
            return finish(nil)
        }
        var composition = Composition(file: file, overrides: parameters, pluginDirectories: pluginDirectories, read: read)
        let composed = composition.compose(root)
        var source = source
        if !composition.composedFrom.isEmpty || !composition.parameters.isEmpty {
            // The project records exactly what it runs: every file's text and the parameter values.
            let inputs = [source.text] + composition.composedFrom.map(\.text)
                + composition.parameters.map { "\($0.name)=\($0.value ?? "")" }
            source.sha256 = PlaybookCompiler.sha256(of: inputs.joined(separator: "\u{0}"))
        }
        var playbook = Syntax<Playbook>.playbook(source).read(composed, Field(file: file, name: "the playbook"))
        playbook?.composedFrom = composition.composedFrom
        playbook?.parameters = composition.parameters
        // Freeing the node trees node by node was a tenth of loading a large playbook: another
        // core does it while the caller validates the model.
        let trees = (consume root, consume composed)
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(trees) {} }
        return finish(playbook)
    }
}

// MARK: - The grammar: the playbook, its organisation, goals, KPIs and pilot groups

extension Syntax where Value == Playbook {
    static func playbook(_ source: PlaybookSource) -> Syntax<Playbook> {
        .mapping("the playbook") { map in
            // Read (and removed) by `Composition` before the grammar runs; named here for the schema.
            _ = map.optional("extends", Syntax<String>.composition(.anyOf([
                .string(description: "the base playbook file, relative to this one"),
                .anyObject(description: "{ playbook: FILE, parameters: { NAME: VALUE } }"),
            ], description: "the base playbook this one extends; its keys are merged under this file's, lists by id")))
            _ = map.optional("include", Syntax<String>.composition(.array(.string(description: "a fragment file"))))
            _ = map.optional("parameters", Syntax<String>.composition(.anyObject(
                description: "NAME: DEFAULT or NAME: { default: VALUE, description: TEXT }; used as ${NAME} in any value")))
            let plugins = map.optional("plugins", .list(of: .reference)) ?? []
            var playbook = Playbook(id: map.required("playbook", .identifier) ?? "",
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
            playbook.plugins = plugins
            return playbook
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
        let schema = SchemaNode.anyOf([.enumeration(["measure"]), .number(description: "a known baseline value")],
                                      description: expected)
        return Syntax(expected: expected, schema: schema) { node, field in
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
