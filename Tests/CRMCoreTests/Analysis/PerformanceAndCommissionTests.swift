import CRMCore
import GRDB
import RolloutTesting
import Testing

@Suite struct PerformanceReportTests {
    let world: AnalysisWorld
    init() throws { world = try AnalysisWorld() }

    func firstHalf(asUser user: Int64? = nil) throws -> PerformanceReport {
        try world.read { db in
            try PerformanceReport.compute(window: ReportWindow(from: "2025-01-01", to: "2025-06-30"), grain: .quarter,
                                          as: user.map { try AnalysisWorld.user($0, db) } ?? .operatorActor(), db)
        }
    }

    @Test func territoriesRollUpThroughTheTreeWithPeriodSubtotals() throws {
        let report = try firstHalf()
        #expect(report.territories.map { String(repeating: ".", count: $0.depth) + $0.name }
            == ["China", ".East", "..Shanghai", ".North", "(no territory)"])
        // Shanghai (Huaxin): Q1 order R1 50,000, activity X1, lead L1; Q2 won O11 70,000, order R2 20,000, X2, lead L3
        let shanghai = report.territories[2]
        #expect(shanghai.byPeriod.map(\.measures.orders) == [1, 1])
        #expect(shanghai.total.wonAmount == AnalysisWorld.money(70_000))
        #expect(shanghai.total.ordersRevenue == AnalysisWorld.money(70_000))
        #expect(shanghai.total.activities == 2 && shanghai.total.leadsConverted == 2)
        // East's own (Donghai): Q1 R3 40,000 (open orders count), X3; Q2 R8 10,000, lead L5. R7 is from 2024.
        // East rolled up = own + Shanghai: orders 2 + 2 = 4, 50,000 + 70,000 = 120,000; activities 1 + 2 = 3; leads 1 + 2 = 3
        let east = report.territories[1]
        #expect(east.ownTotal?.orders == 2 && east.ownTotal?.ordersRevenue == AnalysisWorld.money(50_000))
        #expect(east.total.orders == 4 && east.total.ordersRevenue == AnalysisWorld.money(120_000))
        #expect(east.total.activities == 3 && east.total.leadsConverted == 3 && east.total.wonDeals == 1)
        #expect(east.byPeriod.map(\.period) == ["2025-Q1", "2025-Q2"])
        // Q1: R1 + R3 = 90,000; Q2: R2 + R8 = 30,000
        #expect(east.byPeriod.map(\.measures.ordersRevenue) == [90_000, 30_000].map(AnalysisWorld.money))
        // North (Beifang): won O5 120,000, R4 100,000 (R5 cancelled), X4
        // China = East + North: won 1 + 1 = 2, 70,000 + 120,000 = 190,000; orders 4 + 1 = 5, 220,000; activities 3 + 1 = 4
        let china = report.territories[0]
        #expect(china.total.wonDeals == 2 && china.total.wonAmount == AnalysisWorld.money(190_000))
        #expect(china.total.orders == 5 && china.total.ordersRevenue == AnalysisWorld.money(220_000))
        #expect(china.total.activities == 4 && china.total.leadsConverted == 3)
        #expect(china.ownTotal?.orders == 0)
        // (no territory): Nowhere's R6 10,000 and X5 (an activity without an account)
        let homeless = report.territories[4]
        #expect(homeless.id == nil && homeless.total.orders == 1 && homeless.total.activities == 1)
        // Grand total = China + (no territory): orders 6, 230,000; activities 5; Q1 90,000, Q2 140,000
        #expect(report.total.orders == 6 && report.total.ordersRevenue == AnalysisWorld.money(230_000))
        #expect(report.total.activities == 5 && report.total.wonDeals == 2 && report.total.leadsConverted == 3)
        #expect(report.periods.map(\.measures.ordersRevenue) == [90_000, 140_000].map(AnalysisWorld.money))
    }

    @Test func salespeopleHaveTheirOwnRecords() throws {
        let report = try firstHalf()
        #expect(report.salespeople.map(\.name) == ["Li Na", "Wang Fang", "Zhao Lei"])
        // Li: R3 + R8 = 50,000, X3, L5. Wang: O11, R1 + R2 = 70,000, X1, X2, L1, L3. Zhao: O5, R4 + R6 = 110,000, X4, X5.
        #expect(report.salespeople.map(\.total.ordersRevenue) == [50_000, 70_000, 110_000].map(AnalysisWorld.money))
        #expect(report.salespeople.map(\.total.wonDeals) == [0, 1, 1])
        #expect(report.salespeople.map(\.total.activities) == [1, 2, 2])
        #expect(report.salespeople.map(\.total.leadsConverted) == [1, 2, 0])
    }

    @Test func aManagerSeesTheirTerritorySubtreeOnly() throws {
        let report = try firstHalf(asUser: AnalysisWorld.li)
        // Li sees Donghai and Huaxin; China rolls up only what she sees, North and Nowhere are absent.
        #expect(report.territories.map(\.name) == ["China", "East", "Shanghai"])
        #expect(report.total.orders == 4 && report.total.ordersRevenue == AnalysisWorld.money(120_000))
        #expect(report.salespeople.map(\.name) == ["Li Na", "Wang Fang"])
    }
}

@Suite struct CommissionStatementTests {
    let world: AnalysisWorld
    init() throws { world = try AnalysisWorld() }

    @Test func theMostSpecificValidRulePaysOnFulfilledOrders() throws {
        let statement = try world.read {
            try CommissionStatement.compute(window: ReportWindow(from: "2025-01-01", to: "2025-06-30"), grain: .quarter,
                                            as: .operatorActor(), $0)
        }
        #expect(statement.salespeople.map(\.name) == ["Li Na", "Wang Fang", "Zhao Lei"])
        // Li (sales_manager): R8 (1 June, 10,000): only "Everyone 2 %" applies → 200. R3 is open, R7 from 2024.
        let li = statement.salespeople[0]
        #expect(li.periods.map(\.period) == ["2025-Q2"])
        #expect(li.total.commission == AnalysisWorld.money(200))
        #expect(li.periods[0].rules.map(\.rule) == ["Everyone 2 %"])
        // Wang (sales_rep): R1 (10 Feb, 50,000): his own rule "Wang 3 %" (valid to 31 March) → 1,500;
        //   R2 (5 May, margin 20,000 − 12,000 = 8,000): his rule has expired, the role rule (from 1 April) → 5 % × 8,000 = 400
        let wang = statement.salespeople[1]
        #expect(wang.periods.map(\.figures.commission) == [1_500, 400].map(AnalysisWorld.money))
        #expect(wang.periods.map { $0.rules.map(\.ruleID) } == [[3], [2]])
        #expect(wang.total.commission == AnalysisWorld.money(1_900))
        #expect(wang.total.revenue == AnalysisWorld.money(70_000) && wang.total.margin == AnalysisWorld.money(28_000))
        // Zhao (sales_rep): R4 (1 April, the rule's first day: margin 10,000) and R6 (margin 10,000 − 12,000 = −2,000)
        //   → 5 % × (10,000 − 2,000) = 400
        let zhao = statement.salespeople[2]
        #expect(zhao.total.commission == AnalysisWorld.money(400) && zhao.total.orders == 2)
        // 200 + 1,900 + 400 = 2,500 on 5 orders, revenue 10,000 + 70,000 + 110,000 = 190,000
        #expect(statement.total.commission == AnalysisWorld.money(2_500))
        #expect(statement.total.orders == 5 && statement.total.revenue == AnalysisWorld.money(190_000))
        #expect(statement.total.ordersWithoutRule == 0)
    }

    @Test func ordersNoRuleCoversEarnNothingAndAreCounted() throws {
        try world.database.write { try $0.execute(sql: "DELETE FROM commission_rules WHERE id = 1") }
        let statement = try world.read {
            try CommissionStatement.compute(window: ReportWindow(from: "2025-04-01", to: "2025-06-30"), grain: .quarter,
                                            as: .operatorActor(), $0)
        }
        // Li's R8 had only the rule for everyone.
        #expect(statement.salespeople[0].total.ordersWithoutRule == 1)
        #expect(statement.salespeople[0].total.commission == AnalysisWorld.money(0))
    }

    @Test func aSalesRepSeesOnlyTheirOwnCommission() throws {
        let statement = try world.read {
            try CommissionStatement.compute(window: ReportWindow(from: "2025-01-01", to: "2025-06-30"), grain: .year,
                                            as: try AnalysisWorld.user(AnalysisWorld.wang, $0), $0)
        }
        #expect(statement.salespeople.map(\.name) == ["Wang Fang"])
        #expect(statement.total.commission == AnalysisWorld.money(1_900))
    }
}
