/// What a playbook may name outside itself: the KPI catalog's metrics and the engine's actions.
///
/// The Playbook module knows neither; the caller passes them in, so that the language front
/// end stays independent of the Metrics and Engine modules:
///
/// ```swift
/// let context = PlaybookContext(metrics: catalog.summaries, actions: registry.names)
/// let compilation = PlaybookCompiler(context: context).compile(path: "Playbooks/standard-nine-phase.yaml")
/// ```
public struct PlaybookContext: Sendable {
    /// Catalog metric ids → one-line description; nil = do not check metric names.
    public var metrics: [String: String]?
    /// Engine action names (e.g. "kpi.snapshot", "pilot.start"); nil = do not check.
    public var actions: Set<String>?
    /// CRM entities a process may run on → their fields and types, for `guard:` conditions;
    /// nil = do not check entities and fields.
    public var entities: [String: [String: ConditionType]]?

    public init(metrics: [String: String]? = nil, actions: Set<String>? = nil,
                entities: [String: [String: ConditionType]]? = nil) {
        self.metrics = metrics
        self.actions = actions
        self.entities = entities
    }
}
