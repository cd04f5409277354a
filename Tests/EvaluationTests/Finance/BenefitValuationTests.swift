import Evaluation
import Playbook
import Testing

struct BenefitValuationTests {
    private let here = FinanceFixtures.here

    @Test func timeSavedIsHoursTimesHourlyCostTimesHeadcountTimesWorkingWeeks() {
        let resolved = BenefitValuation.resolve(FinanceFixtures.bundledBenefits, settings: FinanceFixtures.bundledSettings,
                                                kpiImprovements: [:])
        // python3 -c "print(2*150*40*46, 1.5*120*30*46)"  → 552000 248400.0
        #expect(resolved.map(\.fullYearValue) == [552_000, 248_400])
        #expect(resolved.map(\.id) == ["sales-admin-time", "service-lookup-time"])
        #expect(resolved[0].rampUp == [0.5, 1])
        #expect(resolved[0].confidence == 0.9)
        #expect(resolved[0].basis == "2 h a week saved × 150 an hour × 40 people (sales-rep) × 46 working weeks = 552000 a year")
    }

    @Test func kpiImprovementIsTheMeasuredImprovementTimesTheValueOfOneUnit() {
        let benefit = Benefit(id: "faster-leads", name: "Faster lead response",
                              kind: .kpiImprovement(kpi: Reference("lead_conversion_rate", at: here), valuePerUnit: 2000),
                              location: here)
        let resolved = BenefitValuation.resolve([benefit], settings: EvaluationSettings(),
                                                kpiImprovements: ["faster-leads": 3.5])
        // 3.5 × 2000 = 7000 (by hand).
        #expect(resolved.first?.fullYearValue == 7000)
        #expect(resolved.first?.basis.contains("lead_conversion_rate") == true)
    }

    @Test func anUnmeasuredKPIIsValuedAtZeroAndSaysSo() {
        let benefit = Benefit(id: "faster-leads", name: "Faster lead response",
                              kind: .kpiImprovement(kpi: Reference("lead_conversion_rate", at: here), valuePerUnit: 2000),
                              location: here)
        for improvements in [[:], ["faster-leads": Double.nan]] {
            let resolved = BenefitValuation.resolve([benefit], settings: EvaluationSettings(), kpiImprovements: improvements)
            #expect(resolved.first?.fullYearValue == 0)
            #expect(resolved.first?.basis.contains("not measured yet") == true)
        }
    }

    @Test func aFixedBenefitIsItsYearlyAmount() {
        let benefit = Benefit(id: "fewer-licences", name: "Old system retired", kind: .fixed(perYear: 80_000),
                              rampUp: [0, 1], confidence: 0.75, location: here)
        let resolved = BenefitValuation.resolve([benefit], settings: EvaluationSettings(), kpiImprovements: [:])
        #expect(resolved == [ResolvedBenefit(id: "fewer-licences", name: "Old system retired", fullYearValue: 80_000,
                                             rampUp: [0, 1], confidence: 0.75,
                                             basis: "fixed estimate of 80000 a year by people who know the business")])
    }

    @Test func rampUpRepeatsItsLastShareAndAnEmptyRampMeansFullyRealised() {
        let benefit = ResolvedBenefit(id: "b", name: "B", fullYearValue: 1000, rampUp: [0.25, 0.5], confidence: 0.8,
                                      basis: "")
        #expect((0...4).map { benefit.rampShare(inYear: $0) } == [0, 0.25, 0.5, 0.5, 0.5])
        #expect(benefit.riskAdjustedValue(inYear: 1) == 200)
        let flat = ResolvedBenefit(id: "c", name: "C", fullYearValue: 1000, rampUp: [], basis: "")
        #expect(flat.rampShare(inYear: 3) == 1)
    }
}
