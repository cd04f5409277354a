import CRMCore
import GRDB
import RolloutTesting
import Testing

/// The permission rule: a user never sees figures of accounts outside their scope. Wang Fang
/// (sales rep, `own`) sees Huaxin, which he owns; Li Na (sales manager, `territory` East) sees
/// East and Shanghai below it: Donghai and Huaxin. Neither sees Beifang (North) or Nowhere.
@Suite struct ReportScopeTests {
    let world: AnalysisWorld
    init() throws { world = try AnalysisWorld() }

    @Test func aSalesRepsPipelineHoldsOnlyTheirAccountsDeals() throws {
        let pipeline = try world.read { try PipelineReport.compute(asOf: AnalysisWorld.asOf, as: try AnalysisWorld.user(AnalysisWorld.wang, $0), $0) }
        // Huaxin's open deals: O1 proposal 100,000, O7 proposal 40,000, O2 negotiation 200,000
        // → weighted 50,000 + 20,000 + 150,000 = 220,000
        #expect(pipeline.stages.map(\.deals) == [0, 0, 2, 1])
        #expect(pipeline.amount == AnalysisWorld.money(340_000))
        #expect(pipeline.weightedAmount == AnalysisWorld.money(220_000))
    }

    @Test func aManagersPipelineHoldsTheirTerritorySubtree() throws {
        let pipeline = try world.read { try PipelineReport.compute(asOf: AnalysisWorld.asOf, as: try AnalysisWorld.user(AnalysisWorld.li, $0), $0) }
        // Huaxin (O1, O2, O7) and Donghai (O3 prospecting 50,000; O6 negotiation 60,000); not O4 (Beifang) or O8 (Nowhere)
        //   prospecting 1 (50,000 → 5,000), proposal 2 (140,000 → 70,000), negotiation 2 (260,000 → 195,000)
        #expect(pipeline.stages.map(\.deals) == [1, 0, 2, 2])
        #expect(pipeline.amount == AnalysisWorld.money(450_000))
        #expect(pipeline.weightedAmount == AnalysisWorld.money(270_000))
    }

    @Test func aManagersForecastByTerritoryHoldsTheirTerritorySubtree() throws {
        let forecast = try world.read {
            try SalesForecast.compute(window: ReportWindow(from: "2025-04-01", to: "2025-12-31"), grain: .quarter,
                                      grouping: .territory, asOf: AnalysisWorld.asOf, as: try AnalysisWorld.user(AnalysisWorld.li, $0), $0)
        }
        // Q2 Shanghai won O11 70,000 (O5 is Beifang's); Q3 East O6 60,000 → 45,000; Q3 Shanghai O1 + O2 300,000 → 200,000;
        // Q4 East O3 50,000 → 5,000. Undated: O7 (Huaxin). Omitted: none of hers (O8 is Nowhere's).
        #expect(forecast.cells.map { "\($0.period) \($0.group)" }
            == ["2025-Q2 Shanghai", "2025-Q3 East", "2025-Q3 Shanghai", "2025-Q4 East"])
        #expect(forecast.cells.map(\.figures.weightedAmount) == [0, 45_000, 200_000, 5_000].map(AnalysisWorld.money))
        #expect(forecast.total.wonAmount == AnalysisWorld.money(70_000))
        #expect(forecast.total.openAmount == AnalysisWorld.money(410_000))
        #expect(forecast.undated.deals == 1 && forecast.omitted.deals == 0)
    }

    @Test func aSalesRepsForecastHoldsOnlyTheirAccountsDeals() throws {
        let forecast = try world.read {
            try SalesForecast.compute(window: ReportWindow(from: "2025-04-01", to: "2025-12-31"), grain: .year,
                                      grouping: .owner, asOf: AnalysisWorld.asOf, as: try AnalysisWorld.user(AnalysisWorld.wang, $0), $0)
        }
        // 2025: O1 + O2 open (300,000 → 200,000), O11 won 70,000
        #expect(forecast.cells.map(\.group) == ["Wang Fang"])
        #expect(forecast.total.openAmount == AnalysisWorld.money(300_000) && forecast.total.wonAmount == AnalysisWorld.money(70_000))
    }

    @Test func segmentsAreComputedAmongTheAccountsTheUserSees() throws {
        let (rfm, pareto, clusters) = try world.read { db in
            let li = try CRMActor.user(String(AnalysisWorld.li), db)
            return (try RFMReport.compute(asOf: AnalysisWorld.asOf, as: li, db),
                    try ProfitConcentration.compute(asOf: AnalysisWorld.asOf, as: li, db),
                    try AccountClustering.compute(attributes: [.orders], k: 1, seed: 1, asOf: AnalysisWorld.asOf, as: li, db))
        }
        // Among Huaxin and Donghai only: two customers score 1 and 2.
        //   Huaxin: last order earlier, fewer orders, less money → "111", Lost; Donghai "222", FM 2 → Hibernating
        #expect(rfm.customers.map(\.account) == ["Huaxin", "Donghai"])
        #expect(rfm.customers.map(\.code) == ["111", "222"])
        #expect(rfm.customers.map(\.segment) == [.lost, .hibernating])
        // Profit: Donghai 41,000, Huaxin 28,000 → positive total 69,000
        #expect(pareto.ranked.map(\.account) == ["Donghai", "Huaxin"])
        #expect(pareto.totalPositiveProfit == AnalysisWorld.money(69_000))
        #expect(clusters.members.map(\.account) == ["Huaxin", "Donghai"])
        let wangRFM = try world.read { try RFMReport.compute(asOf: AnalysisWorld.asOf, as: try AnalysisWorld.user(AnalysisWorld.wang, $0), $0) }
        #expect(wangRFM.customers.map(\.account) == ["Huaxin"])
    }

    @Test func aUserWithoutAnyRoleMayNotReadReports() throws {
        try world.database.write { try $0.execute(sql: "DELETE FROM user_roles WHERE user_id = 2") }
        let error = #expect(throws: CRMError.self) {
            try world.read { try PipelineReport.compute(asOf: AnalysisWorld.asOf, as: try AnalysisWorld.user(AnalysisWorld.wang, $0), $0) }
        }
        #expect(error?.code == "forbidden")
    }
}

@Suite struct ReportWindowTests {
    @Test func periodsCoverTheWindowInOrderWithTheirLabels() throws {
        let window = try ReportWindow(from: "2024-11-15", to: "2025-02-01")
        #expect(window.periods(.month) == ["2024-11", "2024-12", "2025-01", "2025-02"])
        #expect(window.periods(.quarter) == ["2024-Q4", "2025-Q1"])
        #expect(window.periods(.year) == ["2024", "2025"])
        #expect(window.start == .day("2024-11-15") && window.end == .day("2025-02-02"))
    }

    @Test func aWindowEndingBeforeItStartsIsRefused() {
        #expect(throws: AnalysisError.self) { try ReportWindow(from: "2025-02-01", to: "2025-01-31") }
    }
}
