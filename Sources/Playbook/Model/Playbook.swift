/// A CRM rollout described in YAML: who takes part, what the goals and KPIs are, which pilot
/// and control groups are compared, the phases with their tasks and gates, costs and benefits.
///
/// A `Playbook` only exists once its file has loaded with no errors (see `PlaybookCompiler`);
/// every id that other parts refer to carries its source location for diagnostics.
public struct Playbook: Sendable, Hashable {
    /// The playbook's id (`playbook:` key), e.g. `standard-nine-phase`.
    public var id: String
    public var version: Int
    public var title: String
    public var description: String?
    /// The vertical plugins it needs (`plugins: [retail]`); `rollout check` says which are missing.
    public var plugins: [Reference] = []
    public var organisation: Organisation
    public var goals: [Goal]
    public var kpis: [KPIDefinition]
    public var pilotGroups: [PilotGroup]
    /// Business-process models, as-is and to-be (A6).
    public var processes: [ProcessModel]
    public var phases: [Phase]
    /// Phases that repeat as one cycle (S1's iterative method).
    public var cycles: [Cycle]
    /// The playbook's parameters with the values used to compile it.
    public var parameters: [PlaybookParameter]
    public var costs: CostModel?
    public var benefits: [Benefit]
    public var evaluation: EvaluationSettings
    /// The text it was loaded from, with its path and SHA-256, so a project records exactly
    /// which playbook it runs (the hand-over pack of S2 key point 2).
    public var source: PlaybookSource
    /// The other files it was composed from (`extends:` bases, `include:` fragments), in the
    /// order they were read; their hashes go into `source.sha256`.
    public var composedFrom: [PlaybookSource]

    public init(id: String, version: Int, title: String, description: String? = nil,
                organisation: Organisation, goals: [Goal], kpis: [KPIDefinition], pilotGroups: [PilotGroup],
                processes: [ProcessModel] = [], phases: [Phase], cycles: [Cycle] = [],
                parameters: [PlaybookParameter] = [], costs: CostModel?, benefits: [Benefit],
                evaluation: EvaluationSettings, source: PlaybookSource, composedFrom: [PlaybookSource] = []) {
        self.id = id
        self.version = version
        self.title = title
        self.description = description
        self.organisation = organisation
        self.goals = goals
        self.kpis = kpis
        self.pilotGroups = pilotGroups
        self.processes = processes
        self.phases = phases
        self.cycles = cycles
        self.parameters = parameters
        self.costs = costs
        self.benefits = benefits
        self.evaluation = evaluation
        self.source = source
        self.composedFrom = composedFrom
    }

    public func phase(_ id: String) -> Phase? { phases.first { $0.id == id } }
    public func kpi(_ id: String) -> KPIDefinition? { kpis.first { $0.id == id } }
    public func role(_ id: String) -> Role? { organisation.roles.first { $0.id == id } }
    public func pilotGroup(_ id: String) -> PilotGroup? { pilotGroups.first { $0.id == id } }
    public func process(_ id: String) -> ProcessModel? { processes.first { $0.id == id } }
    /// The cycle a phase belongs to, if any.
    public func cycle(containing phase: String) -> Cycle? { cycles.first { $0.phases.contains { $0.id == phase } } }
}

/// The file a playbook came from.
public struct PlaybookSource: Sendable, Hashable, Codable {
    /// The path as the user gave it (used in diagnostics).
    public var path: String
    public var text: String
    /// Hex SHA-256 of the UTF-8 text.
    public var sha256: String

    public init(path: String, text: String, sha256: String) {
        self.path = path
        self.text = text
        self.sha256 = sha256
    }
}

// MARK: - Organisation (S0 §3)

public struct Organisation: Sendable, Hashable {
    public var roles: [Role]
    public init(roles: [Role]) { self.roles = roles }
}

/// A role in the project organisation: steering committee, project manager, consultants, key users…
public struct Role: Sendable, Hashable {
    public enum Side: String, Sendable, Hashable, Codable, CaseIterable {
        case vendor, customer
    }

    public var id: String
    public var name: String
    public var side: Side
    public var duties: [String]
    /// People who hold the role, by name; empty means "not named in the playbook".
    public var members: [String]
    public var location: SourceLocation

    public init(id: String, name: String, side: Side, duties: [String] = [], members: [String] = [],
                location: SourceLocation) {
        self.id = id
        self.name = name
        self.side = side
        self.duties = duties
        self.members = members
        self.location = location
    }
}

// MARK: - Goals and KPIs (S0 §2, S1 step 2)

/// A business goal at one of S0 §2's three levels, measured by (ideally three) KPIs.
public struct Goal: Sendable, Hashable {
    public enum Level: String, Sendable, Hashable, Codable, CaseIterable {
        case department, collaboration, enterprise
    }

    public var id: String
    public var level: Level
    /// `sales`, `marketing`, `service`: for department-level goals.
    public var department: String?
    public var statement: String
    public var kpis: [Reference]
    public var location: SourceLocation

    public init(id: String, level: Level, department: String? = nil, statement: String, kpis: [Reference],
                location: SourceLocation) {
        self.id = id
        self.level = level
        self.department = department
        self.statement = statement
        self.kpis = kpis
        self.location = location
    }
}

/// A KPI: a catalog metric, how it is aggregated over which window, which way is better, and
/// the baseline and target it is judged against.
public struct KPIDefinition: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
        case higherIsBetter = "higher_is_better"
        case lowerIsBetter = "lower_is_better"
    }

    public enum Aggregate: String, Sendable, Hashable, Codable, CaseIterable {
        case median, mean, p90, sum, count
    }

    public enum Baseline: Sendable, Hashable {
        /// Measured on the CRM data when the project starts.
        case measure
        case value(Double)
    }

    /// A custom metric: one `SELECT` returning a row per observation with the columns `user_id`,
    /// `at` (a timestamp) and `value`. It runs with the connection in query-only mode; restricting
    /// it to published `v_*` views (SQLite's authorizer) is issue #6's sandbox.
    public struct SQLMetric: Sendable, Hashable {
        public var query: String
        public var location: SourceLocation

        public init(query: String, location: SourceLocation) {
            self.query = query
            self.location = location
        }
    }

    public var id: String
    public var name: String
    /// The catalog metric it measures, e.g. `lead.first_response_hours`; nil for an SQL metric.
    public var metric: Reference?
    /// The custom SQL it measures instead of a catalog metric.
    public var sql: SQLMetric?
    /// The groups it is measured on; empty: every group of the playbook.
    public var groups: [MeasuredGroup]
    /// nil: the metric's own default aggregate.
    public var aggregate: Aggregate?
    /// The measurement window ending at the moment of measurement, in days.
    public var windowDays: Int
    public var direction: Direction
    public var baseline: Baseline
    public var target: Double?
    /// Display unit (`h`, `%`, `days`); nil: the metric's own unit.
    public var unit: String?
    public var location: SourceLocation

    public init(id: String, name: String, metric: Reference?, sql: SQLMetric? = nil, groups: [MeasuredGroup] = [],
                aggregate: Aggregate? = nil, windowDays: Int, direction: Direction, baseline: Baseline = .measure,
                target: Double? = nil, unit: String? = nil, location: SourceLocation) {
        self.id = id
        self.name = name
        self.metric = metric
        self.sql = sql
        self.groups = groups
        self.aggregate = aggregate
        self.windowDays = windowDays
        self.direction = direction
        self.baseline = baseline
        self.target = target
        self.unit = unit
        self.location = location
    }
}

// MARK: - Pilot and control groups (S1 step 3)

/// The representative "model" group that tries the new way of working first, and the control
/// group it is compared with.
public struct PilotGroup: Sendable, Hashable {
    public var id: String
    public var name: String
    public var members: GroupSelector
    public var control: GroupSelector?
    public var location: SourceLocation

    public init(id: String, name: String, members: GroupSelector, control: GroupSelector?, location: SourceLocation) {
        self.id = id
        self.name = name
        self.members = members
        self.control = control
        self.location = location
    }
}

/// Which CRM users belong to a group: the members of the named teams, the named users (by
/// email or name), the users of the named territories (and their sub-territories), and the
/// owners of the named accounts.
public struct GroupSelector: Sendable, Hashable {
    public var teams: [String]
    public var users: [String]
    public var territories: [String]
    public var accounts: [String]
    public var location: SourceLocation

    public init(teams: [String] = [], users: [String] = [], territories: [String] = [], accounts: [String] = [],
                location: SourceLocation) {
        self.teams = teams
        self.users = users
        self.territories = territories
        self.accounts = accounts
        self.location = location
    }

    public var isEmpty: Bool { teams.isEmpty && users.isEmpty && territories.isEmpty && accounts.isEmpty }
}

/// Which population a KPI is measured on.
public enum MeasuredGroup: String, Sendable, Hashable, Codable, CaseIterable {
    case pilot, control, all
}
