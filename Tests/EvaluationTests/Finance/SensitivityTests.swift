import Evaluation
import Foundation
import Playbook
import Testing

/// Expected swings are computed by hand from the playbook's numbers (python3 -c …). NPV is linear in
/// every amount, so a driver's swing between −20 % and +20 % is 0.4 × its present value, risk
/// adjustment included; the discount rate is not linear and is checked against NPV written out at
/// 8 % and 12 %. Definitions used in the comments:
///   d = [1/1.1**t for t in range(4)];  ramp = [0, 0.5, 1, 1]
///   net = [-510000, 204180, 544360, 544360]
struct SensitivityTests {
    private func close(_ actual: Double?, _ expected: Double, _ relative: Double = 1e-9,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        FinanceFixtures.expectClose(actual, expected, relative: relative, sourceLocation: sourceLocation)
    }

    private func bar(_ id: String, in sensitivity: Sensitivity,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Sensitivity.Bar {
        try #require(sensitivity.bars.first { $0.driver.id == id }, "no bar \(id)", sourceLocation: sourceLocation)
    }

    @Test func aBenefitsSwingIsFourTenthsOfItsRiskAdjustedPresentValue() throws {
        let sensitivity = FinanceFixtures.bundledAnalysis().sensitivity
        #expect(sensitivity.spread == 0.2)
        // Sales admin time: 2 h × 150 × 40 people × 46 weeks = 552 000 a year, confidence 0.9.
        let salesPV = 552_000 * 0.9 * (0.5 / 1.1 + 1 / 1.21 + 1 / 1.331)
        // 0.4 * sum(552000*0.9*ramp[t]*d[t] for t in range(4))  → 403859.9549211119
        close(salesPV * 0.4, 403_859.9549211119)
        let sales = try bar("sales-admin-time", in: sensitivity)
        close(sales.swing, salesPV * 0.4)
        close(sales.npvLow, 534_488.2043576257 - salesPV * 0.2)
        close(sales.npvHigh, 534_488.2043576257 + salesPV * 0.2)
        #expect(sales.baseValue == 552_000)
        #expect(sales.driver == ROIDriver(kind: .benefit, id: "sales-admin-time", name: "Sales admin time saved"))
        // Service look-up: 1.5 h × 120 × 30 × 46 = 248 400 a year → 0.4 × PV = 181736.97971450034
        let service = try bar("service-lookup-time", in: sensitivity)
        close(service.swing, 181_736.97971450034)
    }

    @Test func aCostCategorysSwingIsFourTenthsOfItsPresentValueAndMovesTheNPVDown() throws {
        let sensitivity = FinanceFixtures.bundledAnalysis().sensitivity
        let annuity = 1 / 1.1 + 1 / 1.21 + 1 / 1.331
        // Licences 1 200 × 80 = 96 000 a year: 0.4 * 96000 * annuity → 95495.11645379414
        let licence = try bar("licence", in: sensitivity)
        close(licence.swing, 0.4 * 96_000 * annuity)
        close(licence.swing, 95_495.11645379414)
        #expect(licence.npvLow > licence.npvHigh, "dearer licences lower the NPV")
        #expect(licence.baseValue == 288_000)
        // Implementation at time 0, undiscounted: 0.4 × 350 000.
        close(try bar("implementation", in: sensitivity).swing, 140_000)
        // Internal staff 120 000 up front and 60 000 a year, moved together: 0.4*(120000 + 60000*annuity)
        //   → 107684.44778362136
        close(try bar("internalStaff", in: sensitivity).swing, 107_684.44778362136)
        close(try bar("training", in: sensitivity).swing, 16_000)
        // Maintenance 4 % of 500 000 in years 2 and 3: 0.4*(20000*d[2] + 20000*d[3])  → 12622.088655146503
        close(try bar("maintenance", in: sensitivity).swing, 12_622.088655146503)
    }

    @Test func theDiscountRateIsMovedByTwentyPercentOfItselfAndItsNPVsRecomputed() throws {
        let rate = try bar("discountRate", in: FinanceFixtures.bundledAnalysis().sensitivity)
        #expect(rate.baseValue == 0.10)
        let net = [-510_000.0, 204_180, 544_360, 544_360]
        func npv(_ r: Double) -> Double {
            let year1 = net[1] / (1 + r)
            let year2 = net[2] / ((1 + r) * (1 + r))
            let year3 = net[3] / ((1 + r) * (1 + r) * (1 + r))
            return net[0] + year1 + year2 + year3
        }
        // sum(n/1.08**t for t,n in enumerate(net)) → 577887.0344967737; at 1.12 → 493728.7263119532
        close(npv(0.08), 577_887.0344967737)
        close(npv(0.12), 493_728.7263119532)
        close(rate.npvLow, npv(0.08))
        close(rate.npvHigh, npv(0.12))
        close(rate.swing, 84_158.30818482052)
    }

    @Test func barsAreSortedByDescendingSwing() {
        let sensitivity = FinanceFixtures.bundledAnalysis().sensitivity
        // Swings from the tests above: 403 860, 181 737, 140 000, 107 684, 95 495, 84 158, 16 000, 12 622.
        #expect(sensitivity.bars.map(\.driver.id) == [
            "sales-admin-time", "service-lookup-time", "implementation", "internalStaff", "licence", "discountRate",
            "training", "maintenance",
        ])
        #expect(zip(sensitivity.bars, sensitivity.bars.dropFirst()).allSatisfy { $0.swing >= $1.swing })
        #expect(sensitivity.zeroDrivers.isEmpty)
    }

    @Test func theBaseIsTheAnalysisNPVAndEachBarIsTheFullAnalysisOfTheChangedPlaybook() throws {
        let analysis = FinanceFixtures.bundledAnalysis()
        #expect(analysis.sensitivity.baseNPV == analysis.npv)
        var dearer = FinanceFixtures.bundledCosts
        dearer.licence?.perUserPerYear = 1200 * 1.2
        let benefits = BenefitValuation.resolve(FinanceFixtures.bundledBenefits, settings: FinanceFixtures.bundledSettings,
                                                kpiImprovements: [:])
        let changed = ROICalculator.analyse(costs: dearer, benefits: benefits, settings: FinanceFixtures.bundledSettings)
        close(try bar("licence", in: analysis.sensitivity).npvHigh, changed.npv, 1e-12)
        var settings = FinanceFixtures.bundledSettings
        settings.discountRate = 0.1 * 0.8
        close(try bar("discountRate", in: analysis.sensitivity).npvLow,
              FinanceFixtures.bundledAnalysis(settings: settings).npv, 1e-12)
    }

    @Test func driversThatAreZeroInThePlaybookAreLeftOutOfTheTornadoAndNamed() {
        // No licence, no training, no maintenance; a KPI benefit not measured yet (0); rate 0.
        let costs = FinanceFixtures.costs(initial: 100_000, perYear: 10_000)
        let benefits = [
            ResolvedBenefit(id: "faster-leads", name: "Faster leads", fullYearValue: 0, basis: "not measured yet"),
            ResolvedBenefit(id: "fixed", name: "Fixed", fullYearValue: 50_000, basis: "estimate"),
        ]
        let sensitivity = ROICalculator.analyse(costs: costs, benefits: benefits,
                                                settings: EvaluationSettings(discountRate: 0, horizonYears: 3)).sensitivity
        #expect(sensitivity.zeroDrivers.map(\.id) == ["faster-leads", "licence", "training", "maintenance", "discountRate"])
        // Undiscounted: fixed 0.4 × 150 000 = 60 000; implementation 0.4 × 100 000 = 40 000;
        // internal staff 0.4 × 30 000 = 12 000.
        #expect(sensitivity.bars.map(\.driver.id) == ["fixed", "implementation", "internalStaff"])
        close(sensitivity.bars[0].swing, 60_000)
        close(sensitivity.bars[2].swing, 12_000)
        #expect(sensitivity.method.hasSuffix("Not varied, being zero in the playbook or counting for nothing within "
            + "the horizon: Faster leads, Licences, Training, Maintenance, Discount rate."))
    }

    @Test func theSpreadIsAParameterAndABadOneIsRepairedWithANote() throws {
        let wider = ROICalculator.analyse(
            costs: FinanceFixtures.bundledCosts,
            benefits: BenefitValuation.resolve(FinanceFixtures.bundledBenefits, settings: FinanceFixtures.bundledSettings,
                                               kpiImprovements: [:]),
            settings: FinanceFixtures.bundledSettings, sensitivity: Sensitivity.Settings(spread: 0.5))
        #expect(wider.sensitivity.spread == 0.5)
        // 1.0 × 350 000: the swing between 50 % and 150 % of the implementation cost.
        close(try bar("implementation", in: wider.sensitivity).swing, 350_000)

        let bad = ROICalculator.analyse(costs: FinanceFixtures.bundledCosts, benefits: [],
                                        settings: FinanceFixtures.bundledSettings,
                                        sensitivity: Sensitivity.Settings(spread: .nan))
        #expect(bad.sensitivity.spread == 0.2)
        #expect(bad.notes.contains { $0.hasPrefix("The sensitivity spread nan is not a number between 0 and 1") })
        _ = try JSONEncoder().encode(bad)  // throws on NaN or infinity
    }
}
