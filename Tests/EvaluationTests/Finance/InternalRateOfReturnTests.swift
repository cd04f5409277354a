import Evaluation
import Testing

struct InternalRateOfReturnTests {
    @Test func knownExampleHasTheRateFoundByPolynomialRoots() throws {
        // python3 -c "import numpy as np; print([x.real-1 for x in np.roots([-100,39,59,55,20]) if abs(x.imag)<1e-12 and x.real>0])"
        //   → [0.280948421159962]
        let rate = try #require(InternalRateOfReturn.rate(of: [-100, 39, 59, 55, 20]))
        FinanceFixtures.expectClose(rate, 0.280948421159962)
        FinanceFixtures.expectClose(NetPresentValue.of([-100, 39, 59, 55, 20], rate: rate), 0)
    }

    @Test func flowsThatAreAllPositiveHaveNoRate() {
        #expect(InternalRateOfReturn.rate(of: [100, 50, 50]) == nil)
        #expect(InternalRateOfReturn.roots(of: [100, 50, 50]).isEmpty)
    }

    @Test func flowsThatAreAllNegativeOrZeroHaveNoRate() {
        #expect(InternalRateOfReturn.rate(of: [-100, -50, 0]) == nil)
        #expect(InternalRateOfReturn.rate(of: [0, 0, 0]) == nil)
        #expect(InternalRateOfReturn.rate(of: []) == nil)
    }

    @Test func aRateOutsideTheSearchRangeIsNotReported() {
        // -1 + 1e6/(1+r) = 0  → r = 999 999, far above 10 000 %.
        #expect(InternalRateOfReturn.rate(of: [-1, 1_000_000]) == nil)
    }

    @Test func negativeRateOfAProjectThatLosesMoney() throws {
        // -510000 + 204180/(1+r) = 0  → python3 -c "print(204180/510000-1)"  → -0.5996470588235294
        let rate = try #require(InternalRateOfReturn.rate(of: [-510_000, 204_180]))
        FinanceFixtures.expectClose(rate, -0.5996470588235294)
    }

    @Test func twoSignChangesGiveBothRatesAndTheOneClosestToZeroIsReported() {
        // python3 -c "import numpy as np; print(sorted(x.real-1 for x in np.roots([-100,230,-132])))"
        //   → [0.10000000000000209, 0.19999999999999774]
        let flows: [Double] = [-100, 230, -132]
        let roots = InternalRateOfReturn.roots(of: flows)
        #expect(roots.count == 2)
        if roots.count == 2 {
            FinanceFixtures.expectClose(roots[0], 0.1)
            FinanceFixtures.expectClose(roots[1], 0.2)
        }
        FinanceFixtures.expectClose(InternalRateOfReturn.rate(of: flows), 0.1)
        #expect(InternalRateOfReturn.signChanges(in: flows) == 2)
    }

    @Test func signChangesSkipZeros() {
        #expect(InternalRateOfReturn.signChanges(in: [-100, 0, 50, 0, 50]) == 1)
        #expect(InternalRateOfReturn.signChanges(in: [0, 0]) == 0)
    }
}
