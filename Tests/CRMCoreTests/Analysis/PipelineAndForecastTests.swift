import CRMCore
import GRDB
import RolloutTesting
import Testing

@Suite struct PipelineReportTests {
    let world: AnalysisWorld
    init() throws { world = try AnalysisWorld() }

    @Test func openDealsAreCountedInTheStageTheyWereInAtTheInstantWithWeightedAmounts() throws {
        let pipeline = try world.read { try PipelineReport.compute(asOf: AnalysisWorld.asOf, as: .operatorActor(), $0) }
        // Open at 2025-06-30: O1, O2, O3, O4, O7, O8, and O6 (won only on 10 July; negotiation since 1 June).
        // O5, O9, O11 closed before; O10 created after.
        //   prospecting   0.10: O3 50,000                        → weighted   5,000
        //   qualification 0.25: O4 80,000                        → weighted  20,000
        //   proposal      0.50: O1 100,000 + O7 40,000 = 140,000 → weighted  70,000
        //   negotiation   0.75: O2 200,000 + O6 60,000 + O8 30,000 = 290,000 → 217,500
        #expect(pipeline.stages.map(\.stage) == ["prospecting", "qualification", "proposal", "negotiation"])
        #expect(pipeline.stages.map(\.deals) == [1, 1, 2, 3])
        #expect(pipeline.stages.map(\.amount) == [50_000, 80_000, 140_000, 290_000].map(AnalysisWorld.money))
        #expect(pipeline.stages.map(\.weightedAmount) == [5_000, 20_000, 70_000, 217_500].map(AnalysisWorld.money))
        #expect(pipeline.stages.map(\.probability) == [0.10, 0.25, 0.50, 0.75])
        // 1 + 1 + 2 + 3 = 7 deals; 560,000; 5,000 + 20,000 + 70,000 + 217,500 = 312,500
        #expect(pipeline.deals == 7)
        #expect(pipeline.amount == AnalysisWorld.money(560_000))
        #expect(pipeline.weightedAmount == AnalysisWorld.money(312_500))
        #expect(pipeline.currency == "CNY" && pipeline.otherCurrencies.isEmpty)
    }

    @Test func aDealStillOpenCountsInTheStageItWasInAtTheInstant() throws {
        // O2 was a proposal until 5 July, when it moved to negotiation.
        try world.database.write { db in
            try db.execute(sql: """
                INSERT INTO opportunity_stage_changes (opportunity_id, from_stage, to_stage, changed_at)
                VALUES (2, NULL, 'proposal', ?), (2, 'proposal', 'negotiation', ?)
                """, arguments: [AnalysisWorld.at("2025-04-01"), AnalysisWorld.at("2025-07-05")])
        }
        let pipeline = try world.read { try PipelineReport.compute(asOf: AnalysisWorld.asOf, as: .operatorActor(), $0) }
        // proposal: O1 100,000 + O7 40,000 + O2 200,000 = 340,000 → 170,000; negotiation: O6 60,000 + O8 30,000 → 67,500
        #expect(pipeline.stages.map(\.deals) == [1, 1, 3, 2])
        #expect(pipeline.stages.map(\.weightedAmount) == [5_000, 20_000, 170_000, 67_500].map(AnalysisWorld.money))
        #expect(pipeline.amount == AnalysisWorld.money(560_000))
    }

    @Test func afterTheLastStageChangeTheCurrentStagesAreUsed() throws {
        // On 2025-07-20 O6 is won (closed 10 July) and O10 exists: prospecting O3 + O10.
        let pipeline = try world.read { try PipelineReport.compute(asOf: .day("2025-07-20"), as: .operatorActor(), $0) }
        #expect(pipeline.stages.map(\.deals) == [2, 1, 2, 2])
        #expect(pipeline.amount == AnalysisWorld.money(50_999 + 80_000 + 140_000 + 230_000))
    }

    @Test func aDifferentCurrencyIsNeverAddedInAndSeveralCurrenciesNeedAChoice() throws {
        try world.database.write { db in
            try db.execute(sql: """
                INSERT INTO opportunities (name, account_id, stage, amount_minor, currency, owner_id, created_at)
                VALUES ('Euro deal', 1, 'proposal', 100000, 'EUR', 2, 0)
                """)
        }
        let error = #expect(throws: AnalysisError.self) {
            try world.read { try PipelineReport.compute(asOf: AnalysisWorld.asOf, as: .operatorActor(), $0) }
        }
        #expect(error?.description == "amounts are in CNY and EUR; choose one currency (--currency CNY)")
        let euros = try world.read { try PipelineReport.compute(asOf: AnalysisWorld.asOf, currency: "eur", as: .operatorActor(), $0) }
        #expect(euros.deals == 1 && euros.amount == Money(minorUnits: 100_000, currency: "EUR"))
        #expect(euros.otherCurrencies == ["CNY"])
    }
}

@Suite struct SalesForecastTests {
    let world: AnalysisWorld
    init() throws { world = try AnalysisWorld() }
    let window = try! ReportWindow(from: "2025-04-01", to: "2025-12-31")   // a literal valid window

    @Test func openDealsLandInTheirExpectedCloseQuarterByCategoryNextToTheWonAmount() throws {
        let forecast = try world.read {
            try SalesForecast.compute(window: window, grain: .quarter, grouping: .category, asOf: AnalysisWorld.asOf,
                                      as: .operatorActor(), $0)
        }
        // Q2 closed:    won O5 120,000 (15 June) + O11 70,000 (20 April) = 2 deals, 190,000
        // Q3 best_case: O1 (proposal, 100,000 × 0.50 = 50,000) + O4 (set best_case; 80,000 × 0.25 = 20,000)
        //               = 2 deals, 180,000, weighted 70,000
        // Q3 commit:    O2 (negotiation, 200,000 × 0.75 = 150,000) + O6 (negotiation on 30 June, 60,000 × 0.75 = 45,000)
        //               = 2 deals, 260,000, weighted 195,000
        // Q4 pipeline:  O3 (prospecting, 50,000 × 0.10 = 5,000)
        // Left out: O7 (no close date: undated, 40,000), O8 (omitted, 30,000). O6's win on 10 July is after the as-of instant.
        #expect(forecast.cells.map { "\($0.period) \($0.group)" }
            == ["2025-Q2 closed", "2025-Q3 best_case", "2025-Q3 commit", "2025-Q4 pipeline"])
        #expect(forecast.cells.map(\.figures.openDeals) == [0, 2, 2, 1])
        #expect(forecast.cells.map(\.figures.openAmount) == [0, 180_000, 260_000, 50_000].map(AnalysisWorld.money))
        #expect(forecast.cells.map(\.figures.weightedAmount) == [0, 70_000, 195_000, 5_000].map(AnalysisWorld.money))
        #expect(forecast.cells.map(\.figures.wonDeals) == [2, 0, 0, 0])
        #expect(forecast.cells.map(\.figures.wonAmount) == [190_000, 0, 0, 0].map(AnalysisWorld.money))
        #expect(forecast.periods.map(\.period) == ["2025-Q2", "2025-Q3", "2025-Q4"])
        // Q3 subtotal: 4 deals, 180,000 + 260,000 = 440,000, weighted 70,000 + 195,000 = 265,000
        #expect(forecast.periods[1].figures.openDeals == 4)
        #expect(forecast.periods[1].figures.weightedAmount == AnalysisWorld.money(265_000))
        // Total: 5 open deals, 490,000, weighted 270,000; won 2, 190,000
        #expect(forecast.total.openDeals == 5 && forecast.total.openAmount == AnalysisWorld.money(490_000))
        #expect(forecast.total.weightedAmount == AnalysisWorld.money(270_000))
        #expect(forecast.total.wonDeals == 2 && forecast.total.wonAmount == AnalysisWorld.money(190_000))
        #expect(forecast.undated.deals == 1 && forecast.undated.amount == AnalysisWorld.money(40_000))
        #expect(forecast.omitted.deals == 1 && forecast.omitted.amount == AnalysisWorld.money(30_000))
    }

    @Test func byOwnerAndMonthEachSalespersonHasTheirOwnDeals() throws {
        let forecast = try world.read {
            try SalesForecast.compute(window: ReportWindow(from: "2025-07-01", to: "2025-07-31"), grain: .month,
                                      grouping: .owner, asOf: AnalysisWorld.asOf, as: .operatorActor(), $0)
        }
        // July: Li O6 (60,000 × 0.75 = 45,000); Wang O1 (100,000 × 0.5 = 50,000); Zhao O4 (80,000 × 0.25 = 20,000)
        #expect(forecast.cells.map(\.group) == ["Li Na", "Wang Fang", "Zhao Lei"])
        #expect(forecast.cells.map(\.groupID) == [AnalysisWorld.li, AnalysisWorld.wang, AnalysisWorld.zhao])
        #expect(forecast.cells.map(\.figures.weightedAmount) == [45_000, 50_000, 20_000].map(AnalysisWorld.money))
        #expect(forecast.periods.map(\.period) == ["2025-07"])
    }
}
