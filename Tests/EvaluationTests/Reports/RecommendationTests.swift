import CRMCore
@testable import Engine
@testable import Evaluation
import Foundation
import Playbook
import Testing

/// The recommendation's three rules, each on a report built by hand so that exactly one input
/// changes between cases.
@Suite struct RecommendationTests {
    static let day = Timestamp.day("2025-06-02")

    func criterion(_ status: CriterionResult.Status) -> CriterionResult {
        CriterionResult(criterion: "lead_response_hours (pilot) at most 8", status: status, actual: 9,
                        detail: "9 h against at most 8 h")
    }

    /// A pilot KPI whose difference in differences is `did` (higher is better) with the given interval.
    func kpi(_ name: String, did: Double, interval: ClosedRange<Double>?) -> EvaluationReport.KPIResult {
        var statistics: PilotControlTest?
        if let interval {
            statistics = PilotControlTest(pilotBefore: [1, 2, 3], pilotAfter: [1, 2, 3], controlBefore: [1, 2, 3],
                                          controlAfter: [1, 2, 3], aggregate: .mean)
            statistics?.confidenceInterval = interval
            statistics?.warnings = []
        }
        return EvaluationReport.KPIResult(
            id: name, name: name, metric: "lead.conversion_rate", unit: "%", direction: "higher_is_better", target: nil,
            measuredAt: Self.day, snapshotLabel: "gate:pilot:1", groups: [], differenceInDifferences: did,
            improvement: did, statistics: statistics, parallelTrends: nil)
    }

    func roi(yearlyBenefit: Double) -> ROIAnalysis {
        let benefit = ResolvedBenefit(id: "b", name: "Benefit", fullYearValue: yearlyBenefit, basis: "estimate")
        let costs = CostModel(currency: "CNY", implementation: 100_000, internalStaffPerYear: 10_000,
                              location: SourceLocation(file: "t", line: 1, column: 1))
        return ROICalculator.analyse(costs: costs, benefits: [benefit], settings: EvaluationSettings())
    }

    func report(criteria: [CriterionResult], kpis: [EvaluationReport.KPIResult], roi: ROIAnalysis?) -> EvaluationReport {
        let attempt = EvaluationReport.GateAttempt(attempt: 1, evaluatedAt: Self.day, passed: criteria.allSatisfy {
            $0.status == .passed
        }, criteria: criteria, votes: [], decision: nil, snapshotLabel: nil, snapshotSHA256: nil)
        let phase = EvaluationReport.PhaseEvaluation(
            id: "pilot", name: "Pilot", description: nil, status: "awaiting_decision", start: Self.day, end: Self.day,
            plannedDays: 30, actualDays: nil, daysLate: 0, tasksDone: 1, tasksTotal: 1, deliverables: [], actions: [],
            gateApprovers: ["steering"], attempts: [attempt], kpis: [], lessons: [])
        return EvaluationReport(
            title: "t", asOf: Self.day,
            project: .init(id: "p", title: "p", status: "active", startedAt: Self.day, goLiveAt: nil, endedAt: nil,
                           stopReason: nil, playbookSHA256: "", playbookVersion: 1),
            playbook: .init(id: "p", version: 1, path: "p.yaml", sha256: ""), pilot: nil, goals: [], phases: [phase],
            pilotKPIs: kpis, latestKPIs: [], processes: [], lessons: [],
            lessonSummary: LessonSummary(byCategory: [], byPhase: [], totalDelayDays: 0, totalCost: nil),
            roi: roi, benefitBasis: "", snapshots: [])
    }

    @Test func goWhenCriteriaAreMetNothingGotWorseAndTheNPVIsPositive() {
        let r = Recommendation(report: report(criteria: [criterion(.passed)],
                                              kpis: [kpi("Conversion", did: 4, interval: 1...7)],
                                              roi: roi(yearlyBenefit: 200_000)))
        #expect(r.decision == .go)
        #expect(r.phaseID == "pilot")
        #expect(r.reasons.allSatisfy { $0.supportsGo })
        #expect(r.reasons.map(\.kind) == ["criterion", "evidence", "roi"])
    }

    @Test func reworkWhenACriterionIsUnmetOrUnknownOrAKPIGotWorseBeyondChance() {
        let unmet = Recommendation(report: report(criteria: [criterion(.passed), criterion(.failed)],
                                                  kpis: [], roi: roi(yearlyBenefit: 200_000)))
        #expect(unmet.decision == .rework)
        #expect(unmet.reasons.contains { !$0.supportsGo && $0.text.contains("is not met: 9 h against at most 8 h") })
        let unknown = Recommendation(report: report(criteria: [criterion(.unknown)], kpis: [], roi: nil))
        #expect(unknown.decision == .rework)
        #expect(unknown.reasons.first?.text.contains("cannot be checked yet") == true)
        let worse = Recommendation(report: report(criteria: [criterion(.passed)],
                                                  kpis: [kpi("Conversion", did: -4, interval: -7 ... -1)],
                                                  roi: roi(yearlyBenefit: 200_000)))
        #expect(worse.decision == .rework)
        #expect(worse.reasons.contains { $0.text == "Conversion got worse in the pilot than in the control, beyond chance" })
    }

    @Test func anInconclusiveDifferenceIsARiskNotAReason() {
        let r = Recommendation(report: report(criteria: [criterion(.passed)],
                                              kpis: [kpi("Conversion", did: -4, interval: -7...2)],
                                              roi: roi(yearlyBenefit: 200_000)))
        #expect(r.decision == .go)
        #expect(r.risks.first?.hasPrefix("the difference on Conversion is not conclusive") == true)
    }

    @Test func noGoWhenTheNPVIsNegativeAndNothingImprovedConclusively() throws {
        // 100 000 up front, 10 000 a year, 20 000 a year of benefit: NPV = −100 000 + 10 000 × 2.4869 < 0.
        let losing = roi(yearlyBenefit: 20_000)
        #expect(losing.npv < 0)
        let r = Recommendation(report: report(criteria: [criterion(.passed)],
                                              kpis: [kpi("Conversion", did: 1, interval: -1...3)], roi: losing))
        #expect(r.decision == .noGo)
        let npvReason = r.reasons.last?.text ?? ""
        #expect(npvReason.hasPrefix("the risk-adjusted NPV is negative ("), "\(npvReason)")
        // With a conclusive improvement to build on, the same NPV asks for rework, not a stop.
        let improving = Recommendation(report: report(criteria: [criterion(.passed)],
                                                      kpis: [kpi("Conversion", did: 4, interval: 1...7)], roi: losing))
        #expect(improving.decision == .rework)
    }
}
