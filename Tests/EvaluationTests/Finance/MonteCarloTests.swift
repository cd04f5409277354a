import Evaluation
import Foundation
import Playbook
import Testing

/// The Monte Carlo range against analytic values. The runs are seeded, so each check gives the same
/// result every time; the tolerances say how far a correct simulation may land from the analytic
/// value with 10 000 runs, so that a pass is not luck of the seed.
///
/// Triangular(a, c, b) facts used below (a = low, c = most likely, b = high):
///   mean (a + b + c) / 3;  variance (a² + b² + c² − ab − ac − bc) / 18;
///   CDF (x − a)² / ((b − a)(c − a)) for x ≤ c;  quantile b − √((1 − p)(b − a)(b − c)) for p ≥ (c − a)/(b − a).
struct MonteCarloTests {
    private static let benefits = BenefitValuation.resolve(FinanceFixtures.bundledBenefits,
                                                           settings: FinanceFixtures.bundledSettings, kpiImprovements: [:])

    private func analyse(_ costs: CostModel, _ benefits: [ResolvedBenefit],
                         _ settings: EvaluationSettings = FinanceFixtures.bundledSettings,
                         monteCarlo: MonteCarlo.Settings = .init()) -> ROIAnalysis {
        ROICalculator.analyse(costs: costs, benefits: benefits, settings: settings, monteCarlo: monteCarlo)
    }

    @Test func theSameSeedGivesTheSameResultToTheByteAndAnotherSeedAnother() throws {
        let first = analyse(FinanceFixtures.bundledCosts, Self.benefits).monteCarlo
        let second = analyse(FinanceFixtures.bundledCosts, Self.benefits).monteCarlo
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try encoder.encode(first) == encoder.encode(second))
        #expect(first.seed == 20_250_303)
        #expect(first.runs == 10_000)
        let other = analyse(FinanceFixtures.bundledCosts, Self.benefits,
                            monteCarlo: MonteCarlo.Settings(seed: 7)).monteCarlo
        #expect(other.seed == 7)
        #expect(other.p50 != first.p50)
    }

    @Test func withNoSpreadEveryRunIsTheNPV() {
        // Confidence 1, so that no benefit is widened beyond the (zero) spread.
        let benefits = Self.benefits.map { benefit -> ResolvedBenefit in
            var benefit = benefit
            benefit.confidence = 1
            return benefit
        }
        let settings = MonteCarlo.Settings(runs: 1_000, benefitSpread: 0, costBelow: 0, costAbove: 0)
        let analysis = analyse(FinanceFixtures.bundledCosts, benefits, monteCarlo: settings)
        let monteCarlo = analysis.monteCarlo
        #expect(monteCarlo.p10 == analysis.npv)
        #expect(monteCarlo.p50 == analysis.npv)
        #expect(monteCarlo.p90 == analysis.npv)
        #expect(monteCarlo.mean == analysis.npv)
        #expect(monteCarlo.probabilityOfNegativeNPV == 0)
        #expect(monteCarlo.distributions.allSatisfy { $0.low == 1 && $0.mode == 1 && $0.high == 1 })
    }

    @Test func oneCostDriverGivesTheTriangularQuantilesMappedThroughTheNPV() {
        // Only an implementation cost C at time 0, so NPV = −C × m with m ~ triangular(0.9, 1, 1.3).
        // NPV falls as m rises: its P50 is −C × median(m), its P10 −C × q(0.9), its P90 −C × q(0.1).
        let cost = 100_000.0
        let monteCarlo = analyse(FinanceFixtures.costs(initial: cost, perYear: 0), []).monteCarlo
        // Mode 1 is below the midpoint 1.1: median = 1.3 − √(0.4 × 0.3 / 2)  → 1.0550510257216823
        let median = 1.3 - (0.4 * 0.3 / 2).squareRoot()
        // q(0.9) = 1.3 − √(0.1 × 0.4 × 0.3) → 1.1904554884989669;  q(0.1) = 0.9 + √(0.1 × 0.4 × 0.1) → 0.9632455532033676
        let q90 = 1.3 - (0.1 * 0.4 * 0.3).squareRoot()
        let q10 = 0.9 + (0.1 * 0.4 * 0.1).squareRoot()
        // A sample p-quantile of n draws has standard error √(p(1 − p)/n) / f(q), f the density there:
        // f(x) = 2(b − x)/((b − a)(b − c)) above the mode. At the median f = 2√0.06/0.12 = 4.08, so the
        // error is 0.5/100/4.08 = 0.00122; at q(0.9) f = 2√0.012/0.12 = 1.83 → 0.3/100/1.83 = 0.00164; at
        // q(0.1) (below the mode, f(x) = 2(x − a)/((b − a)(c − a)) = 2√0.004/0.04 = 3.16) → 0.00095.
        // Four standard errors: a correct simulation lands outside for about one seed in 15 000.
        #expect(abs(monteCarlo.p50 - -cost * median) <= cost * 4 * 0.00123)
        #expect(abs(monteCarlo.p10 - -cost * q90) <= cost * 4 * 0.00164)
        #expect(abs(monteCarlo.p90 - -cost * q10) <= cost * 4 * 0.00095)
        // Mean of m = 3.2/3; standard deviation √(0.0072222) = 0.085, so the mean's error is 0.00085.
        let meanFactor = 3.2 / 3
        #expect(abs(monteCarlo.mean - -cost * meanFactor) <= cost * 4 * 0.00085)
        #expect(monteCarlo.probabilityOfNegativeNPV == 1)
        #expect(monteCarlo.distributions.map(\.driver.id) == ["implementation"])
    }

    @Test func aLowConfidenceBenefitIsDrawnWiderAndTheLossProbabilityIsTheTriangularCDF() {
        // One fixed benefit of 100 000 a year at confidence 0.6, so m ~ triangular(0.6, 1, 1.4) (±40 %, wider
        // than ±20 %), undiscounted over 3 years: NPV = 3 × 60 000 × m − I. With I = 144 000 the NPV is below
        // zero when m < 0.8: P = (0.8 − 0.6)² / (0.8 × 0.4) = 0.125.
        let benefit = ResolvedBenefit(id: "fixed", name: "Fixed", fullYearValue: 100_000, confidence: 0.6, basis: "")
        let analysis = analyse(FinanceFixtures.costs(initial: 144_000, perYear: 0), [benefit],
                               EvaluationSettings(discountRate: 0, horizonYears: 3),
                               monteCarlo: MonteCarlo.Settings(costBelow: 0, costAbove: 0))
        let monteCarlo = analysis.monteCarlo
        let fixed = monteCarlo.distributions.first { $0.driver.id == "fixed" }
        FinanceFixtures.expectClose(fixed?.low, 0.6, relative: 1e-12)
        FinanceFixtures.expectClose(fixed?.high, 1.4, relative: 1e-12)
        // The share's standard error is √(0.125 × 0.875 / 10 000) = 0.0033; four of them.
        #expect(abs(monteCarlo.probabilityOfNegativeNPV - 0.125) <= 4 * 0.0033)
        // Symmetric about 1: the median is the NPV, 36 000. Density at the mode 1/0.4 = 2.5, error 0.5/100/2.5
        // = 0.002 of m, × 180 000 = 360.
        #expect(abs(monteCarlo.p50 - 36_000) <= 4 * 360)
        #expect(analysis.npv == 36_000)
    }

    @Test func theBundledPlaybooksMeanIsTheAnalyticMeanAndThePercentilesAreOrdered() {
        let analysis = analyse(FinanceFixtures.bundledCosts, Self.benefits)
        let monteCarlo = analysis.monteCarlo
        // At a fixed rate NPV is linear in each driver: E[NPV] = PV benefits × E[m_b] − PV costs × E[m_c], with
        // benefits triangular(0.8, 1, 1.2) (confidence 0.9 is within ±20 %), mean 1, and costs
        // triangular(0.9, 1, 1.3), mean 3.2/3: 1463992.3365890307 − 929504.1322314048 × 3.2/3 → 472521.2622088656
        let expectedMean = analysis.pvBenefits - analysis.pvCosts * 3.2 / 3
        FinanceFixtures.expectClose(expectedMean, 472_521.2622088656)
        // Standard deviation: √(Σ PVᵢ² × var(mᵢ)) over the seven drivers, var 0.04/6 for the benefits and
        // 0.13/18 for the costs (python3, from the PVs in SensitivityTests)  → 100053.3; error of the mean
        // over 10 000 runs 1 000.5. Four of them.
        #expect(abs(monteCarlo.mean - expectedMean) <= 4 * 1_000.5)
        #expect(monteCarlo.p10 <= monteCarlo.p50 && monteCarlo.p50 <= monteCarlo.p90)
        #expect(monteCarlo.p10 < analysis.npv && analysis.npv < monteCarlo.p90)
        #expect(monteCarlo.distributions.map(\.driver.id) == [
            "sales-admin-time", "service-lookup-time", "licence", "implementation", "internalStaff", "training",
            "maintenance",
        ])
        #expect(monteCarlo.method.hasPrefix("10000 runs from the fixed seed 20250303"))
    }

    @Test func badSettingsAreRepairedWithNotesAndNothingIsNaN() throws {
        let settings = MonteCarlo.Settings(runs: 0, benefitSpread: .nan, costBelow: -1, costAbove: .infinity)
        let analysis = analyse(FinanceFixtures.bundledCosts, Self.benefits, monteCarlo: settings)
        #expect(analysis.monteCarlo.runs == 1)
        // Benefits ±20 % (the default, confidence 0.9 being within it); costs from 0 % below to 30 % above.
        FinanceFixtures.expectClose(analysis.monteCarlo.distributions[0].high, 1.2, relative: 1e-12)
        FinanceFixtures.expectClose(analysis.monteCarlo.distributions[2].low, 1, relative: 1e-12)
        FinanceFixtures.expectClose(analysis.monteCarlo.distributions[2].high, 1.3, relative: 1e-12)
        for start in ["The number of Monte Carlo runs, 0, is outside 1–1000000", "The Monte Carlo benefit spread nan",
                      "The Monte Carlo cost spread below -1", "The Monte Carlo cost spread above inf"] {
            #expect(analysis.notes.contains { $0.hasPrefix(start) }, "no note starting \(start)")
        }
        _ = try JSONEncoder().encode(analysis)  // throws on NaN or infinity
    }
}
