import Evaluation
import Testing

struct PaybackTests {
    @Test func simplePaybackInterpolatesWithinTheYearItIsReached() {
        // -100 + 60 = -40 after year 1; 80 a year accrues evenly → 12 + 40/80 × 12 = 18 (by hand).
        FinanceFixtures.expectClose(Payback.months(cashFlows: [-100, 60, 80]), 18)
        // Reached in year 1: 100/240 × 12 = 5 (by hand).
        FinanceFixtures.expectClose(Payback.months(cashFlows: [-100, 240]), 5)
    }

    @Test func reachingExactlyZeroAtTheEndOfTheHorizonCounts() {
        FinanceFixtures.expectClose(Payback.months(cashFlows: [-100, 50, 50]), 24)
    }

    @Test func notReachedWithinTheHorizonIsNil() {
        #expect(Payback.months(cashFlows: [-100, 40, 40]) == nil)
        #expect(Payback.months(cashFlows: [-100]) == nil)
        #expect(Payback.months(cashFlows: []) == nil)
    }

    @Test func discountedPaybackSpreadsEachYearsPresentValueOverThatYear() {
        // python3 -c "import numpy as np; pv=[c/1.1**t for t,c in enumerate([-1000,500,500,500])]; c=np.cumsum(pv); print(24 + -c[2]/pv[3]*12)"
        //   → 28.224000000000004
        let presentValues = [-1000.0, 500, 500, 500].enumerated().map {
            $0.element * NetPresentValue.discountFactor(rate: 0.10, year: $0.offset)
        }
        FinanceFixtures.expectClose(Payback.months(cashFlows: presentValues), 28.224000000000004)
        // Undiscounted the same flows pay back at 24 months (by hand: 2 × 500 = 1000).
        FinanceFixtures.expectClose(Payback.months(cashFlows: [-1000, 500, 500, 500]), 24)
    }

    @Test func discountedPaybackNotReachedIsNil() {
        // Undiscounted -100 + 50 + 50 pays back at 24 months; discounted at 10 % it falls short.
        let presentValues = [-100.0, 50, 50].enumerated().map {
            $0.element * NetPresentValue.discountFactor(rate: 0.10, year: $0.offset)
        }
        #expect(Payback.months(cashFlows: presentValues) == nil)
    }

    @Test func noInitialCostAndAPositiveFirstYearPaysBackAtOnce() {
        #expect(Payback.months(cashFlows: [0, 10, 10]) == 0)
    }

    @Test func noInitialCostButALossInTheFirstYearPaysBackWhenTheLossIsRecovered() {
        // Cumulative -50 at 12 months, +100 in year 2 → 12 + 50/100 × 12 = 18 (by hand).
        FinanceFixtures.expectClose(Payback.months(cashFlows: [0, -50, 100]), 18)
    }

    @Test func aPaybackLostAgainCountsFromWhenItStaysPaidBack() {
        // Cumulative -100, 100, -50, 50: zero first at 100/200 × 12 = 6, below zero in year 2,
        // back at 24 + 50/100 × 12 = 30 (by hand).
        FinanceFixtures.expectClose(Payback.months(cashFlows: [-100, 200, -150, 100]), 30)
        // Cumulative -100, 100, -50, -40: ends below zero.
        #expect(Payback.months(cashFlows: [-100, 200, -150, 10]) == nil)
    }
}
