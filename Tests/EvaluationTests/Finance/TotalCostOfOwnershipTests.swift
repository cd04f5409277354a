import Evaluation
import Playbook
import Testing

struct TotalCostOfOwnershipTests {
    @Test func s2MaintenanceScheduleIsFreeInYearOneThenFourThenThreePercent() {
        let schedule = FinanceFixtures.s2Maintenance()
        #expect((1...5).map { schedule.rate(forYear: $0) } == [0, 0.04, 0.04, 0.03, 0.03])
        // 500 000 × [0, 0.04, 0.04, 0.03, 0.03] (by hand).
        #expect((1...5).map { TotalCostOfOwnership.maintenance(schedule, inYear: $0) } == [0, 20_000, 20_000, 15_000, 15_000])
        #expect(TotalCostOfOwnership.maintenance(schedule, inYear: 0) == 0)
        #expect(TotalCostOfOwnership.maintenance(nil, inYear: 2) == 0)
    }

    @Test func initialColumnHoldsTheOneOffCostsAndYearsTheRecurringOnes() {
        let costs = FinanceFixtures.bundledCosts
        let initial = TotalCostOfOwnership.costs(of: costs, inYear: 0)
        #expect(initial == CostBreakdown(implementation: 350_000, internalStaff: 120_000, training: 40_000))
        #expect(initial.total == 510_000)
        // Year 2: licence 1200 × 80 = 96 000, staff 60 000, maintenance 500 000 × 4 % = 20 000 (by hand).
        let year2 = TotalCostOfOwnership.costs(of: costs, inYear: 2)
        #expect(year2 == CostBreakdown(licence: 96_000, internalStaff: 60_000, maintenance: 20_000))
        #expect(year2.total == 176_000)
    }

    @Test func threeYearTableOfTheBundledPlaybookSumsEveryColumn() {
        let tco = TotalCostOfOwnership(costs: FinanceFixtures.bundledCosts, horizonYears: 3)
        #expect(tco.columns.map(\.year) == [0, 1, 2, 3])
        // python3 -c "print([510000] + [96000+60000+m for m in (0,20000,20000)])"  → [510000, 156000, 176000, 176000]
        #expect(tco.columns.map(\.costs.total) == [510_000, 156_000, 176_000, 176_000])
        // Licence 3 × 96 000, staff 120 000 + 3 × 60 000, maintenance 2 × 20 000 (by hand).
        #expect(tco.total == CostBreakdown(licence: 288_000, implementation: 350_000, internalStaff: 300_000,
                                           training: 40_000, maintenance: 40_000))
        #expect(tco.total.total == 1_018_000)
    }

    @Test func aModelWithoutLicenceOrMaintenanceCostsNothingForThem() {
        let tco = TotalCostOfOwnership(costs: FinanceFixtures.costs(initial: 1000, perYear: 10), horizonYears: 2)
        #expect(tco.total == CostBreakdown(implementation: 1000, internalStaff: 20))
    }
}
