import CRMCore
import Engine

/// What the evidence says the steering committee should decide at the latest gate — go, no-go
/// or rework — with every reason, so the committee can see what it would overrule.
///
/// It is computed, never recorded as a decision: the committee decides with `rollout approve`,
/// and the report shows both side by side.
///
/// The rules, in order (docs/guide-steering-committee.md explains them):
/// 1. **no-go** when the risk-adjusted NPV is negative and no KPI improved conclusively: the
///    rollout costs more than it returns and nothing measured argues otherwise;
/// 2. **rework** when a gate criterion is not met (or cannot be checked), when a KPI got
///    conclusively worse in the pilot than in the control, or when the NPV is negative;
/// 3. **go** otherwise.
///
/// Risks never change the recommendation; they are listed under it: KPIs whose difference is not
/// conclusive, small groups, groups that were not moving in parallel before the pilot, a payback
/// beyond the horizon, lessons that cost time.
public struct Recommendation: Sendable, Hashable, Codable {
    public struct Reason: Sendable, Hashable, Codable {
        /// `criterion`, `evidence` or `roi`.
        public var kind: String
        /// True when the reason argues for going ahead.
        public var supportsGo: Bool
        public var text: String
    }

    public var decision: GateDecision
    /// The phase whose gate the recommendation is about; nil before any gate was evaluated.
    public var phaseID: String?
    public var attempt: Int?
    public var reasons: [Reason]
    public var risks: [String]
    /// What the committee decided at that gate attempt, once every approver has voted.
    public var committeeDecision: GateDecision?

    /// "go: all 3 gate criteria met; the pilot beat the control on 2 KPIs; NPV €534,488".
    public var summary: String {
        let against = reasons.filter { !$0.supportsGo }.map(\.text)
        let shown = decision == .go ? reasons.map(\.text) : against
        return "\(decision.rawValue): " + shown.joined(separator: "; ")
    }
}

extension Recommendation {
    /// The recommendation at the report's latest gate evaluation.
    public init(report: EvaluationReport) {
        let latest = report.phases
            .compactMap { phase in phase.attempts.last.map { (phase, $0) } }
            .max { $0.1.evaluatedAt < $1.1.evaluatedAt }
        var reasons: [Reason] = []
        var risks: [String] = []

        if let (phase, attempt) = latest {
            let missed = attempt.criteria.filter { $0.status != .passed }
            if attempt.criteria.isEmpty {
                reasons.append(.init(kind: "criterion", supportsGo: true,
                                     text: "the gate of \(phase.name) has no criteria to check"))
            } else if missed.isEmpty {
                reasons.append(.init(kind: "criterion", supportsGo: true,
                                     text: "all \(attempt.criteria.count) criteria of the gate of \(phase.name) are met"))
            }
            for criterion in missed {
                let verb = criterion.status == .unknown ? "cannot be checked yet" : "is not met"
                reasons.append(.init(kind: "criterion", supportsGo: false,
                                     text: "\(criterion.criterion) \(verb): \(criterion.detail)"))
            }
        }

        let evidence = report.pilotKPIs.filter { $0.improvement != nil }
        let better = evidence.filter { $0.evidence == .better }
        let worse = evidence.filter { $0.evidence == .worse }
        let unclear = evidence.filter { $0.evidence == .notConclusive }
        if !better.isEmpty {
            reasons.append(.init(kind: "evidence", supportsGo: true, text: "the pilot improved more than the control on "
                + "\(Self.list(better.map(\.name))), with 95 % intervals that leave out zero"))
        }
        for kpi in worse {
            reasons.append(.init(kind: "evidence", supportsGo: false,
                                 text: "\(kpi.name) got worse in the pilot than in the control, beyond chance"))
        }
        if !unclear.isEmpty {
            risks.append("the difference on \(Self.list(unclear.map(\.name))) is not conclusive: its 95 % interval "
                + "contains zero" + (report.roi == nil ? "" : ", yet the ROI counts the measured difference"))
        }
        for kpi in report.pilotKPIs {
            if let warnings = kpi.statistics?.warnings, !warnings.isEmpty {
                risks.append("\(kpi.name): " + warnings.joined(separator: "; "))
            }
            if let warning = kpi.parallelTrends?.warning {
                risks.append("\(kpi.name): \(warning)")
            }
        }

        var negativeNPV = false
        if let roi = report.roi {
            let npv = Money(major: roi.npv, currency: roi.currency).formatted
            negativeNPV = roi.npv < 0
            reasons.append(.init(kind: "roi", supportsGo: !negativeNPV,
                                 text: negativeNPV ? "the risk-adjusted NPV is negative (\(npv))"
                                     : "the risk-adjusted NPV is \(npv) over \(roi.horizonYears) years"))
            if roi.paybackMonths == nil {
                risks.append("the investment does not pay back within \(roi.horizonYears) years")
            }
        }
        let delay = report.lessonSummary.totalDelayDays
        if delay > 0 {
            risks.append("lessons learned record \(delay) days of delay" + (report.lessonSummary.totalCost.map {
                " costing \($0.formatted)"
            } ?? ""))
        }

        let decision: GateDecision
        if negativeNPV && better.isEmpty {
            decision = .noGo
        } else if reasons.contains(where: { !$0.supportsGo }) {
            decision = .rework
        } else {
            decision = .go
        }
        self.init(decision: decision, phaseID: latest?.0.id, attempt: latest?.1.attempt, reasons: reasons,
                  risks: risks, committeeDecision: latest?.1.decision)
    }

    static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }
}

extension EvaluationReport.KPIResult {
    /// What the pilot-versus-control comparison shows for this KPI.
    public enum Evidence: String, Sendable, Hashable, Codable {
        /// Better in the pilot than in the control, and the 95 % interval leaves out zero (or no
        /// interval could be computed and the difference stands as measured).
        case better
        case worse
        /// The 95 % interval contains zero.
        case notConclusive = "not conclusive"
        case noDifference = "no difference"
        case notMeasured = "not measured"
    }

    public var evidence: Evidence {
        guard let improvement else { return .notMeasured }
        if let interval = statistics?.confidenceInterval, interval.contains(0) { return .notConclusive }
        if improvement > 0 { return .better }
        if improvement < 0 { return .worse }
        return .noDifference
    }
}
