import CRMCore
import RolloutMetrics

/// The evidence report of S1 step 6: each of its six questions answered from the data, with the
/// judgements people recorded on it (`rollout judgement add`).
public struct EvidenceAnswer: Sendable, Hashable, Codable {
    public var topic: Judgement.Topic
    public var question: String
    /// Sentences computed from the report's figures.
    public var fromData: [String]
    public var judgements: [Judgement]
}

/// The project evaluation of S0 §5: the performance evaluation (how the project was run, soon
/// after it ends) and the outcome evaluations (whether it achieved its purpose, recorded later,
/// each with the KPI snapshot it was based on).
public struct ProjectEvaluation: Sendable, Codable {
    public struct Outcome: Sendable, Codable {
        public var judgement: Judgement
        /// Each KPI for everyone at the outcome snapshot against its baseline.
        public var kpis: [EvaluationReport.KPIResult]
    }

    /// Schedule, reworks, delays and their cost, in sentences.
    public var performance: [String]
    public var performanceJudgements: [Judgement]
    public var outcomes: [Outcome]
    /// Benefits no KPI measures, as people who know the business judged them.
    public var unquantified: [Judgement]
}

extension EvidenceAnswer {
    /// The six answers for `report`, whose recommendation, KPIs and processes are already set.
    static func answers(for report: EvaluationReport, judgements: [Judgement]) -> [EvidenceAnswer] {
        Judgement.Topic.evidenceQuestions.map { topic in
            EvidenceAnswer(topic: topic, question: topic.question, fromData: fromData(topic, report),
                           judgements: judgements.filter { $0.topic == topic })
        }
    }

    private static func fromData(_ topic: Judgement.Topic, _ r: EvaluationReport) -> [String] {
        func list(_ names: [String]) -> String { Recommendation.list(names) }
        switch topic {
        case .success:
            var lines: [String] = []
            let better = r.pilotKPIs.filter { $0.evidence == .better }
            if !better.isEmpty {
                lines.append("The pilot improved more than the control, beyond chance, on " + list(better.map {
                    "\($0.name) (\(ReportView.signed($0.differenceInDifferences, $0.unit)))"
                }) + ".")
            }
            let met = r.latestKPIs.filter { $0.groups.first { $0.label == "everyone" }?.meetsTarget == true }
            if !met.isEmpty { lines.append("Across the organisation, \(list(met.map(\.name))) meet their target.") }
            return lines.isEmpty ? ["No KPI shows a conclusive improvement yet."] : lines
        case .assumptions:
            var lines = r.processes.flatMap { process in
                process.conformance.compactMap { c -> String? in
                    guard let percent = c.conformingPercent else { return nil }
                    return "\(process.name) (\(c.variant.label)): \(String(format: "%.0f", percent)) % of "
                        + "\(c.recordsMeasured) records followed the model"
                        + (c.deviations.first.map { "; most common deviation: \($0.summary)" } ?? "") + "."
                }
            }
            let adoption = r.latestKPIs.filter { $0.metric.hasPrefix("user.") }
            for kpi in adoption {
                if let all = kpi.groups.first(where: { $0.label == "everyone" }), let actual = all.actual {
                    lines.append("\(kpi.name): \(ReportView.value(actual, kpi.unit)) across the organisation.")
                }
            }
            return lines.isEmpty ? ["No process or adoption data: only recorded judgements can answer."] : lines
        case .gaps:
            var lines: [String] = []
            for phase in r.phases {
                guard let attempt = phase.attempts.last else { continue }
                let unmet = attempt.criteria.filter { $0.status != .passed }.map(\.criterion)
                if !unmet.isEmpty { lines.append("\(phase.name): not met at its gate: \(unmet.joined(separator: "; ")).") }
                let waived = attempt.votes.flatMap(\.waived)
                if !waived.isEmpty { lines.append("\(phase.name): waived by the committee: \(waived.joined(separator: "; ")).") }
                for condition in attempt.votes.flatMap(\.conditions) {
                    lines.append("\(phase.name): on condition that \(condition).")
                }
            }
            for lesson in r.lessons where lesson.category == .shortfall {
                lines.append("Shortfall: \(lesson.whatHappened)" + (lesson.remedy.map { "; remedy: \($0)" } ?? "") + ".")
            }
            return lines.isEmpty ? ["Every gate's criteria were met, and no shortfall was recorded."] : lines
        case .continuing:
            var lines = r.recommendation.map { rec in
                ["Recommendation: \(rec.decision.rawValue)."] + rec.reasons.filter(\.supportsGo).map { "\($0.text.capitalizedFirst)." }
            } ?? []
            if let roi = r.roi, let months = roi.paybackMonths {
                lines.append(String(format: "Payback after %.1f months.", months))
            }
            return lines
        case .goals:
            return r.goals.map { goal in
                let kpis = goal.kpis.compactMap { id in r.pilotKPIs.first { $0.id == id } ?? r.latestKPIs.first { $0.id == id } }
                let verdicts = kpis.map { "\($0.name): \($0.evidence.rawValue)" }
                return "\(goal.statement) (\(goal.level)) — " + (verdicts.isEmpty ? "no KPI measured" : verdicts.joined(separator: ", "))
                    + "."
            }
        case .customer:
            let service = r.latestKPIs.filter { $0.metric.hasPrefix("ticket.") || $0.metric.hasPrefix("complaint.") }
            let lines = service.compactMap { kpi -> String? in
                guard let all = kpi.groups.first(where: { $0.label == "everyone" }), let actual = all.actual else { return nil }
                return "\(kpi.name): \(ReportView.value(all.baseline, kpi.unit)) at the baseline, \(ReportView.value(actual, kpi.unit)) now."
            }
            if service.isEmpty { return ["No service KPI in the playbook: only recorded judgements can answer."] }
            return lines.isEmpty ? ["The service KPIs have no value at the latest snapshot."] : lines
        default:
            return []
        }
    }
}

extension ProjectEvaluation {
    static func build(report r: EvaluationReport, judgements: [Judgement], outcomeKPIs: [String: [EvaluationReport.KPIResult]])
        -> ProjectEvaluation
    {
        var performance: [String] = []
        let ended = r.phases.filter { $0.actualDays != nil }
        let planned = ended.map(\.plannedDays).reduce(0, +), actual = ended.compactMap(\.actualDays).reduce(0, +)
        if !ended.isEmpty {
            performance.append("\(ended.count) of \(r.phases.count) phases ended, in \(actual) days against \(planned) planned"
                + (actual > planned ? " (\(actual - planned) days late)." : "."))
        }
        let late = r.phases.filter { $0.daysLate > 0 }
        if !late.isEmpty {
            performance.append("Late: " + late.map { "\($0.name) (\($0.daysLate) days)" }.joined(separator: ", ") + ".")
        }
        let reworked = r.phases.filter { $0.attempts.count > 1 }
        if !reworked.isEmpty {
            performance.append("Reworked at the gate: " + reworked.map { "\($0.name) (\($0.attempts.count - 1)×)" }
                .joined(separator: ", ") + ".")
        }
        let tasksDone = r.phases.map(\.tasksDone).reduce(0, +), tasks = r.phases.map(\.tasksTotal).reduce(0, +)
        performance.append("\(tasksDone) of \(tasks) tasks done.")
        if r.lessonSummary.totalDelayDays > 0 {
            performance.append("Lessons learned record \(r.lessonSummary.totalDelayDays) days of avoidable delay"
                + (r.lessonSummary.totalCost.map { ", costing \($0.formatted)" } ?? "") + ".")
        }
        return ProjectEvaluation(
            performance: performance,
            performanceJudgements: judgements.filter { $0.topic == .performance },
            outcomes: judgements.filter { $0.topic == .outcome }.map { judgement in
                Outcome(judgement: judgement, kpis: judgement.snapshotLabel.flatMap { outcomeKPIs[$0] } ?? [])
            },
            unquantified: judgements.filter { $0.topic == .unquantified })
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
