import CRMCore
import GRDB
import RolloutMetrics
import Playbook
import RolloutTesting

/// Measures one catalog metric on a fresh workspace arranged by the test: a member of the
/// measured group and an outsider, whose records the metric must leave out. The window ends on
/// Tuesday 2025-04-01 and lasts 30 days by default, so it starts on Sunday 2025-03-02 and has
/// 21 working days.
struct CatalogHarness {
    static let windowEnd = Timestamp.day("2025-04-01")

    let measurer = KPIMeasurer(catalog: .builtIn)

    func kpi(_ metric: String, window: Int) -> KPIDefinition {
        let here = SourceLocation(file: "test", line: 1, column: 1)
        return KPIDefinition(id: "k", name: "k", metric: Reference(metric, at: here), aggregate: nil,
                             windowDays: window, direction: .higherIsBetter, location: here)
    }

    /// The metric, with its default aggregate, for the group the arrangement returns.
    func measureGroup(_ metric: String, window: Int = 30,
                      _ arrange: (inout CRMBuilder, _ member: Int64, _ outsider: Int64) throws -> [Int64]) throws
        -> KPIMeasurement
    {
        let workspace = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self, MetricsSchema.self])
        return try workspace.write { db in
            var crm = CRMBuilder(db)
            let team = try crm.team("East")
            let member = try crm.user("Member", team: team)
            let outsider = try crm.user("Outsider", team: nil)
            let users = try arrange(&crm, member, outsider)
            return try measurer.measure(kpi(metric, window: window), users: users, group: .all,
                                        at: Self.windowEnd, db)
        }
    }

    /// The metric, with its default aggregate, for the member's group.
    func measure(_ metric: String, window: Int = 30,
                 _ arrange: (inout CRMBuilder, _ member: Int64, _ outsider: Int64) throws -> Void) throws
        -> KPIMeasurement
    {
        try measureGroup(metric, window: window) { crm, member, outsider in
            try arrange(&crm, member, outsider)
            return [member]
        }
    }
}

extension Timestamp {
    /// `Timestamp.at("2025-03-10", hours: 9)`: a test's instant on a day.
    static func at(_ day: String, hours: Double) -> Timestamp { Timestamp.day(day).adding(hours: hours) }
}
