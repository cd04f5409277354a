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
    /// Plugins' actions, which process transitions may run (`do: [{plugin: ID}]`); nil = do not check.
    public var pluginActions: Set<String>?
    /// Plugins' gate checks (`financial-services.kyc-complete`); nil = do not check.
    public var checks: Set<String>?
    /// Plugin id → its folder, for `include: [plugin:ID/fragments/x.yaml]`.
    public var pluginDirectories: [String: String]
    /// CRM entities a process may run on → their fields and types, for `guard:` conditions;
    /// nil = do not check entities and fields.
    public var entities: [String: [String: ConditionType]]?

    public init(metrics: [String: String]? = nil, actions: Set<String>? = nil, pluginActions: Set<String>? = nil,
                checks: Set<String>? = nil,
                entities: [String: [String: ConditionType]]? = nil, pluginDirectories: [String: String] = [:]) {
        self.metrics = metrics
        self.actions = actions
        self.pluginActions = pluginActions
        self.checks = checks
        self.pluginDirectories = pluginDirectories
        self.entities = entities
    }
}
