import CRMCore
import Playbook

/// The part of the business a metric looks at; `rollout metrics` and docs/kpis.md group the
/// catalog by it.
public enum MetricCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case sales
    case marketing
    case service
    /// Whether people use the CRM: sign-ins, logged work.
    case adoption
    /// Whether the CRM's records can be trusted: complete, without duplicates, up to date.
    case dataQuality = "data_quality"
    /// How work moves through the CRM's own histories: stage and status changes.
    case process

    /// The category's name in a heading: "Data quality".
    public var title: String {
        switch self {
        case .sales: "Sales"
        case .marketing: "Marketing"
        case .service: "Service"
        case .adoption: "Adoption"
        case .dataQuality: "Data quality"
        case .process: "Process"
        }
    }
}

/// A metric of the KPI catalog: exactly what is counted, over which records, in which window.
///
/// A metric is one SQL query that returns one row per *unit of analysis* (a lead, a ticket, a
/// user) with a numeric `value` column. The KPI's aggregate (median, mean, …) is applied in
/// Swift, so the same per-unit values later feed the pilot-versus-control statistics. Rates
/// return 100 or 0 per unit, so their mean is a percentage.
///
/// The query receives these named parameters:
/// - `:from`, `:to`: the window `[from, to)` as Unix seconds;
/// - `:users`: a JSON array of the group's user ids (use `IN (SELECT value FROM json_each(:users))`);
/// - `:working_days`: Monday-to-Friday days in the window.
public struct MetricDefinition: Sendable, Hashable {
    public var id: String
    public var category: MetricCategory
    public var name: String
    /// `h`, `days`, `%`, `activities/day`, `major units` (of the records' currency).
    public var unit: String
    public var defaultAggregate: KPIDefinition.Aggregate
    /// Which way is better when a KPI does not say.
    public var naturalDirection: KPIDefinition.Direction
    /// The unit of analysis, in words: "lead", "ticket", "user".
    public var unitOfAnalysis: String
    /// Numerator, denominator, filters and time basis, in words (docs/kpis.md prints it).
    public var definition: String
    public var sql: String
    /// Where the metric comes from. A plugin's metric is untrusted SQL over the published views,
    /// returning `user_id`, `at`, `value` like a custom `sql:` metric, and runs in the sandbox.
    public var source: Source

    public enum Source: Sendable, Hashable {
        case builtIn
        case plugin(String)
    }

    public init(id: String, category: MetricCategory, name: String, unit: String,
                defaultAggregate: KPIDefinition.Aggregate, naturalDirection: KPIDefinition.Direction,
                unitOfAnalysis: String, definition: String, sql: String, source: Source = .builtIn) {
        self.source = source
        self.id = id
        self.category = category
        self.name = name
        self.unit = unit
        self.defaultAggregate = defaultAggregate
        self.naturalDirection = naturalDirection
        self.unitOfAnalysis = unitOfAnalysis
        self.definition = definition
        self.sql = sql
    }
}

/// The metrics KPIs can be defined on.
///
/// ```swift
/// let catalog = MetricCatalog.builtIn
/// catalog.metric("lead.first_response_hours")?.unit   // "h"
/// ```
public struct MetricCatalog: Sendable {
    public private(set) var metrics: [MetricDefinition]

    public init(metrics: [MetricDefinition]) {
        self.metrics = metrics
    }

    public func metric(_ id: String) -> MetricDefinition? {
        metrics.first { $0.id == id }
    }

    /// The metrics of each category, in the order of `MetricCategory.allCases`; categories
    /// without a metric are left out.
    public var byCategory: [(category: MetricCategory, metrics: [MetricDefinition])] {
        MetricCategory.allCases.compactMap { category in
            let members = metrics.filter { $0.category == category }
            return members.isEmpty ? nil : (category, members)
        }
    }

    /// Metric ids with their names, for the playbook validator's context.
    public var summaries: [String: String] {
        Dictionary(uniqueKeysWithValues: metrics.map { ($0.id, $0.name) })
    }
}
