import Evaluation
import Foundation
import Playbook
import Testing

/// Expected figures come from plain-formula Python (python3 -c …); the comments use these definitions:
///   ben = [0] + [(2*150*40*46 + 1.5*120*30*46) * [0.5,1][min(t-1,1)] * 0.9 for t in (1,2,3)]
///   cost = [510000] + [96000 + 60000 + 500000*(0 if t==1 else 0.04) for t in (1,2,3)]
///   net = [b-c for b,c in zip(ben,cost)]  → [-510000, 204180, 544360, 544360]
struct ROICalculatorTests {
    private func close(_ actual: Double?, _ expected: Double, _ relative: Double = 1e-6,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        FinanceFixtures.expectClose(actual, expected, relative: relative, sourceLocation: sourceLocation)
    }

    @Test func bundledPlaybookYearlyRows() {
        let analysis = FinanceFixtures.bundledAnalysis()
        #expect(analysis.currency == "CNY")
        #expect(analysis.discountRate == 0.10)
        #expect(analysis.horizonYears == 3)
        #expect(analysis.years.map(\.year) == [0, 1, 2, 3])
        #expect(analysis.years.map(\.costs.total) == [510_000, 156_000, 176_000, 176_000])
        // ben → [0, 360180, 720360, 720360]; per benefit: 552000 × ramp × 0.9 and 248400 × ramp × 0.9.
        let benefits = analysis.years.map(\.totalBenefits)
        for (actual, expected) in zip(benefits, [0, 360_180, 720_360, 720_360.0]) { close(actual, expected, 1e-12) }
        close(analysis.years[1].benefits[0].value, 248_400, 1e-12)
        close(analysis.years[1].benefits[1].value, 111_780, 1e-12)
        #expect(analysis.years[1].benefits.map(\.benefitId) == ["sales-admin-time", "service-lookup-time"])
        // numpy.cumsum(net) → [-510000, -305820, 238540, 782900]
        for (actual, expected) in zip(analysis.years.map(\.cumulativeNet), [-510_000, -305_820, 238_540, 782_900.0]) {
            close(actual, expected, 1e-12)
        }
        // numpy.cumsum([n/1.1**t for t,n in enumerate(net)]) → [-510000, -324381.81818182, 125502.47933884, 534488.20435763]
        close(analysis.years[1].cumulativeDiscountedNet, -324_381.81818181818)
        close(analysis.years[2].cumulativeDiscountedNet, 125_502.47933884297)
        close(analysis.years[3].discountFactor, 0.7513148009015775)
    }

    @Test func bundledPlaybookHeadlineFigures() {
        let analysis = FinanceFixtures.bundledAnalysis()
        // sum(n/1.1**t for t,n in enumerate(net))  → 534488.2043576257
        close(analysis.npv, 534_488.2043576257)
        // npv/1.1  → 485898.3675978415
        close(analysis.spreadsheetNPV, 485_898.3675978415)
        // sum(b/1.1**t ...) → 1463992.3365890305;  sum(c/1.1**t ...) → 929504.1322314048
        close(analysis.pvBenefits, 1_463_992.3365890305)
        close(analysis.pvCosts, 929_504.1322314048)
        // (pvb-pvc)/pvc*100  → 57.50250976017847
        close(analysis.roiPercent, 57.50250976017847)
        // [x.real-1 for x in np.roots(net) if abs(x.imag)<1e-12 and x.real>0]  → [0.5417295582403994]
        close(analysis.irr, 0.5417295582403994)
        // 12 + 305820/544360*12  → 18.741568079947093
        close(analysis.paybackMonths, 18.741568079947093)
        // 12 + 324381.81818182/(544360/1.21)*12  → 20.652406495701378
        close(analysis.discountedPaybackMonths, 20.652406495701378)
        #expect(analysis.notes.isEmpty)
        #expect(analysis.conventions.count == 10)
    }

    @Test func bundledPlaybookValueAtSixTwelveAndTwentyFourMonths() {
        let projections = FinanceFixtures.bundledAnalysis().projections
        #expect(projections.map(\.months) == [6, 12, 24])
        // k,f = divmod(m,12); cb = sum(ben[1:k+1]) + f/12*ben[k+1]; cc = cost[0] + sum(cost[1:k+1]) + f/12*cost[k+1]
        //   6 → 180090.0 588000.0 -407910.0 -69.37244897959184
        //  12 → 360180.0 666000.0 -305820.0 -45.91891891891892
        //  24 → 1080540.0 842000.0 238540.0 28.330166270783845
        let expected: [(Double, Double, Double, Double)] = [
            (180_090, 588_000, -407_910, -69.37244897959184),
            (360_180, 666_000, -305_820, -45.91891891891892),
            (1_080_540, 842_000, 238_540, 28.330166270783845),
        ]
        for (projection, values) in zip(projections, expected) {
            close(projection.cumulativeBenefits, values.0)
            close(projection.cumulativeCosts, values.1)
            close(projection.net, values.2)
            close(projection.roiPercent, values.3)
        }
    }

    @Test func bundledPlaybookTCOMatchesTheYearlyRows() {
        let analysis = FinanceFixtures.bundledAnalysis()
        #expect(analysis.tco.columns.map(\.costs) == analysis.years.map(\.costs))
        #expect(analysis.tco.total.total == 1_018_000)
    }

    @Test func npvEqualsPresentValueOfBenefitsMinusCostsAndTheSpreadsheetFormDividesByOnePlusR() {
        let analysis = FinanceFixtures.bundledAnalysis()
        close(analysis.npv, analysis.pvBenefits - analysis.pvCosts, 1e-12)
        close(analysis.spreadsheetNPV, analysis.npv / 1.1, 1e-12)
        close(analysis.years.last?.cumulativeDiscountedNet, analysis.npv, 1e-12)
        #expect(analysis.conventions.contains { $0.contains("CF0 + NPV(r, CF1:CF3)") })
    }

    @Test func zeroBenefitsLoseEverythingAndHaveNoIRRNorPayback() {
        let analysis = ROICalculator.analyse(costs: FinanceFixtures.bundledCosts, benefits: [],
                                             settings: FinanceFixtures.bundledSettings)
        // -sum(c/1.1**t for t,c in enumerate(cost))  → -929504.1322314048
        close(analysis.npv, -929_504.1322314048)
        close(analysis.roiPercent, -100)
        #expect(analysis.irr == nil)
        #expect(analysis.paybackMonths == nil)
        #expect(analysis.discountedPaybackMonths == nil)
        #expect(analysis.projections.map(\.cumulativeCosts) == [588_000, 666_000, 842_000])
        #expect(analysis.projections.map(\.cumulativeBenefits) == [0, 0, 0])
        #expect(analysis.notes.contains { $0.hasPrefix("IRR is not defined: no net cash flow is positive") })
        #expect(analysis.notes.contains { $0.hasPrefix("No payback within the 3-year horizon") })
        #expect(analysis.notes.contains { $0.hasPrefix("No discounted payback within the 3-year horizon") })
    }

    @Test func oneYearHorizon() {
        let settings = EvaluationSettings(discountRate: 0.10, horizonYears: 1, projectionMonths: [6, 12, 24],
                                          workingWeeksPerYear: 46)
        let analysis = FinanceFixtures.bundledAnalysis(settings: settings)
        #expect(analysis.years.map(\.year) == [0, 1])
        // -510000 + 204180/1.1  → -324381.81818181823
        close(analysis.npv, -324_381.81818181823)
        // -510000/1.1 + 204180/1.1**2  → -294892.56198347104
        close(analysis.spreadsheetNPV, -294_892.56198347104)
        // 204180/510000 - 1  → -0.5996470588235294 (np.roots([-510000, 204180]) - 1 agrees)
        close(analysis.irr, -0.5996470588235294)
        // (360180/1.1 - (510000 + 156000/1.1)) / (510000 + 156000/1.1) * 100  → -49.76569037656904
        close(analysis.roiPercent, -49.76569037656904)
        #expect(analysis.paybackMonths == nil)
        // The 24-month value goes past the horizon and follows the same rules: as with three years.
        close(analysis.projections[2].net, 238_540)
        #expect(analysis.notes.contains { $0.hasPrefix("Projections at 24 months go past the 1-year horizon") })
    }

    @Test func rampLongerThanTheHorizonUsesOnlyTheSharesOfTheYearsCounted() {
        // One fixed benefit 100 000 a year, ramp [0.2, 0.5, 0.8, 1], confidence 0.8; 50 000 up front, 10 000 a year;
        // 8 %, 2 years:  ben = lambda t: 100000*[.2,.5,.8,1][min(t-1,3)]*.8;  net = [-50000, 6000, 30000]
        let benefit = ResolvedBenefit(id: "fixed", name: "Fixed", fullYearValue: 100_000, rampUp: [0.2, 0.5, 0.8, 1],
                                      confidence: 0.8, basis: "estimate")
        let settings = EvaluationSettings(discountRate: 0.08, horizonYears: 2, projectionMonths: [30, 36])
        let analysis = ROICalculator.analyse(costs: FinanceFixtures.costs(initial: 50_000, perYear: 10_000),
                                             benefits: [benefit], settings: settings)
        #expect(analysis.years.map(\.net) == [-50_000, 6_000, 30_000])
        // sum(n/1.08**t for t,n in enumerate(net))  → -18724.27983539095
        close(analysis.npv, -18_724.27983539095)
        // np.roots(net) → 1+r = 0.83691698…  → -0.16308301601779873
        close(analysis.irr, -0.16308301601779873)
        // (sum(ben(t)/1.08**t for t in (1,2)) - pvc)/pvc*100, pvc = 50000 + sum(10000/1.08**t for t in (1,2))
        //   → -27.603640040444894
        close(analysis.roiPercent, -27.603640040444894)
        #expect(analysis.paybackMonths == nil)
        // Past the horizon the ramp continues: month 30 = ben(1)+ben(2)+ben(3)/2 = 88000 against 75000
        //   → net 13000, ROI 17.333333333333336;  month 36 → 120000 against 80000, ROI 50.
        close(analysis.projections[0].cumulativeBenefits, 88_000)
        close(analysis.projections[0].roiPercent, 17.333333333333336)
        close(analysis.projections[1].net, 40_000)
        close(analysis.projections[1].roiPercent, 50)
    }

    @Test func noInitialCostAndAProfitableFirstYearPayBackAtOnce() {
        let benefit = ResolvedBenefit(id: "fixed", name: "Fixed", fullYearValue: 1000, basis: "estimate")
        let analysis = ROICalculator.analyse(costs: FinanceFixtures.costs(initial: 0, perYear: 400),
                                             benefits: [benefit], settings: EvaluationSettings())
        #expect(analysis.paybackMonths == 0)
        #expect(analysis.discountedPaybackMonths == 0)
        #expect(analysis.irr == nil)
        #expect(analysis.notes.contains { $0.hasPrefix("IRR is not defined: no net cash flow is negative") })
        // PV benefits = 1000 × a, PV costs = 400 × a with a = sum(1/1.1**t for t in (1,2,3)): the annuity factor
        // cancels → (1000 - 400) / 400 × 100 = 150 (by hand)
        close(analysis.roiPercent, 150)
    }

    @Test func nothingAtAllGivesNoROIAndNoNaN() throws {
        let analysis = ROICalculator.analyse(costs: FinanceFixtures.costs(initial: 0, perYear: 0), benefits: [],
                                             settings: EvaluationSettings())
        #expect(analysis.roiPercent == nil)
        #expect(analysis.projections.allSatisfy { $0.roiPercent == nil })
        #expect(analysis.npv == 0)
        #expect(analysis.notes.contains { $0.hasPrefix("ROI is not defined") })
        #expect(analysis.notes.contains { $0 == "IRR is not defined: every net cash flow is zero." })
        _ = try JSONEncoder().encode(analysis)  // throws on NaN or infinity
    }

    @Test func nonFiniteInputsAndAnImpossibleDiscountRateAreRepairedWithNotes() throws {
        var costs = FinanceFixtures.bundledCosts
        costs.implementation = .infinity
        costs.maintenance?.rates[0].rate = .nan
        let benefit = ResolvedBenefit(id: "b", name: "B", fullYearValue: .nan, rampUp: [.infinity], basis: "")
        let settings = EvaluationSettings(discountRate: -1, horizonYears: 500, projectionMonths: [-6, 6, 100_000])
        let analysis = ROICalculator.analyse(costs: costs, benefits: [benefit], settings: settings)
        #expect(analysis.discountRate == 0)
        #expect(analysis.horizonYears == 100)
        #expect(analysis.projections.map(\.months) == [6])
        #expect(analysis.years[0].costs.implementation == 0)
        for start in ["The implementation cost is not a finite number", "The maintenance rate from year 2 is not",
                      "The full-year value of benefit 'b' is not", "The ramp-up share of benefit 'b' is not",
                      "The discount rate -100 % is not between", "The horizon of 500 years is outside 0–100",
                      "Projections at -6, 100000 months are left out"] {
            #expect(analysis.notes.contains { $0.hasPrefix(start) }, "no note starting \(start)")
        }
        let json = try JSONEncoder().encode(analysis)  // throws on NaN or infinity
        #expect(!json.isEmpty)
    }

    @Test func maintenanceAboveFivePercentIsCalledExpensive() {
        var costs = FinanceFixtures.bundledCosts
        costs.maintenance = MaintenanceSchedule(contractValue: 500_000, freeYears: 1, rates: [
            MaintenanceRate(fromYear: 2, toYear: nil, rate: 0.06, location: FinanceFixtures.here),
        ])
        let analysis = ROICalculator.analyse(costs: costs, benefits: [], settings: FinanceFixtures.bundledSettings)
        #expect(analysis.notes.contains(
            "Maintenance at 6 % of the contract value a year (from year 2) is above 5 %, which S2 (key point 3) "
                + "calls expensive."))
        #expect(analysis.years[2].costs.maintenance == 30_000)
    }

    @Test func severalIRRsAreListedInANote() {
        // Net flows -100, 230, -132 (see InternalRateOfReturnTests): rates 10 % and 20 %.
        let analysis = ROICalculator.analyse(
            costs: CostModel(currency: "CNY", implementation: 100, internalStaffPerYear: 0, location: FinanceFixtures.here),
            benefits: [ResolvedBenefit(id: "b", name: "B", fullYearValue: 230, rampUp: [1, -132.0 / 230], basis: "")],
            settings: EvaluationSettings(horizonYears: 2))
        close(analysis.irr, 0.1)
        #expect(analysis.notes.contains { $0.hasPrefix("NPV is zero at 2 rates (10 %, 20 %)") })
    }

    @Test func aPaybackLostAgainIsExplainedInANote() {
        // Net flows -100, 200, -150, 100 (ramp 2, -1.5, 1 on a benefit of 100; see PaybackTests): zero first at
        // month 6, below zero in year 2, stays at or above zero from 24 + 50/100 × 12 = 30 (by hand).
        let benefit = ResolvedBenefit(id: "b", name: "B", fullYearValue: 100, rampUp: [2, -1.5, 1], basis: "")
        let analysis = ROICalculator.analyse(costs: FinanceFixtures.costs(initial: 100, perYear: 0), benefits: [benefit],
                                             settings: EvaluationSettings(discountRate: 0, horizonYears: 3))
        close(analysis.paybackMonths, 30)
        #expect(analysis.notes.contains("The cumulative net cash flow reached zero at month 6 but fell below zero "
            + "again; the payback is month 30, from which it stays at or above zero."))
    }

    @Test func encodesWithCamelCaseKeysAndRoundTrips() throws {
        let analysis = FinanceFixtures.bundledAnalysis()
        let json = try JSONEncoder().encode(analysis)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        for key in ["npv", "spreadsheetNPV", "irr", "roiPercent", "paybackMonths", "discountedPaybackMonths",
                    "pvBenefits", "pvCosts", "tco", "projections", "years", "benefits", "conventions", "notes"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let decoded = try JSONDecoder().decode(ROIAnalysis.self, from: json)
        #expect(decoded.years == analysis.years)
        #expect(decoded.npv == analysis.npv)
    }
}
