import Evaluation
import Testing

struct NetPresentValueTests {
    @Test func textbookFlowsAtTenPercentDiscountEveryYearButTheFirst() {
        // python3 -c "print(sum(c/1.1**t for t,c in enumerate([-100,30,40,50,60])))"  → 38.87712587937979
        FinanceFixtures.expectClose(NetPresentValue.of([-100, 30, 40, 50, 60], rate: 0.10), 38.87712587937979)
    }

    @Test func spreadsheetFormulaDiscountsTheFirstFlowTooAndSoReturnsNPVOverOnePlusR() {
        // python3 -c "print(sum(c/1.1**(t+1) for t,c in enumerate([-100,30,40,50,60])))"  → 35.3428417085271
        let flows: [Double] = [-100, 30, 40, 50, 60]
        let spreadsheet = NetPresentValue.spreadsheetFormula(flows, rate: 0.10)
        FinanceFixtures.expectClose(spreadsheet, 35.3428417085271)
        FinanceFixtures.expectClose(spreadsheet, NetPresentValue.of(flows, rate: 0.10) / 1.1, relative: 1e-12)
        // The correct spreadsheet form CF0 + NPV(r, CF1:CFn) gives the NPV back.
        FinanceFixtures.expectClose(flows[0] + NetPresentValue.spreadsheetFormula(Array(flows.dropFirst()), rate: 0.10),
                                    38.87712587937979)
    }

    @Test func atZeroRateTheNPVIsTheSumOfTheFlows() {
        #expect(NetPresentValue.of([-100, 30, 40, 50, 60], rate: 0) == 80)
    }

    @Test func discountFactorIsOneOverOnePlusRToTheYear() {
        // python3 -c "print(1/1.1**3)"  → 0.7513148009015775
        FinanceFixtures.expectClose(NetPresentValue.discountFactor(rate: 0.10, year: 3), 0.7513148009015775)
        #expect(NetPresentValue.discountFactor(rate: 0.10, year: 0) == 1)
    }

    @Test func noFlowsHaveNoValue() {
        #expect(NetPresentValue.of([], rate: 0.1) == 0)
        #expect(NetPresentValue.spreadsheetFormula([], rate: 0.1) == 0)
    }
}
