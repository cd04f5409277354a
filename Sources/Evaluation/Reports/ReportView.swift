import CRMCore
import Engine
import Foundation
import RolloutMetrics

/// The report as the templates see it: every number already formatted, every chart already
/// drawn, every condition a boolean, because Mustache templates have no logic.
struct ReportView {
    let report: EvaluationReport
    let generator: String
    let format: ReportFormat

    var context: [String: Any] {
        let r = report
        var c: [String: Any] = [
            "title": r.title,
            "generator": generator,
            "projectID": r.project.id,
            "statusText": statusText(r.project.status),
            "startedAt": r.project.startedAt.dateString,
            "asOf": r.asOf.dateString,
            "playbookPath": r.playbook.path,
            "playbookVersion": r.playbook.version,
            "playbookSHAShort": String(r.playbook.sha256.prefix(16)),
            "benefitBasis": r.benefitBasis,
        ]
        c["hasPluginSections"] = !r.pluginSections.isEmpty
        c["pluginSections"] = r.pluginSections.map { section -> [String: Any] in
            ["plugin": section.plugin, "title": section.title, "markdown": section.markdown, "html": section.html,
             "problem": section.problem ?? "", "hasProblem": section.problem != nil]
        }
        if let live = r.project.goLiveAt { c["goLiveAt"] = live.dateString }
        if let ended = r.project.endedAt { c["endedAt"] = ended.dateString }
        let reworks = r.phases.map { max(0, $0.attempts.count - 1) }.reduce(0, +)
        c["summary"] = [
            "phasesCompleted": r.phases.filter { $0.status == "completed" }.count,
            "phasesTotal": r.phases.count,
            "reworks": reworks, "reworksPlural": reworks == 1 ? "" : "s",
            "lessons": r.lessons.count,
            "delayDays": r.lessonSummary.totalDelayDays, "delayPlural": r.lessonSummary.totalDelayDays == 1 ? "" : "s",
            "lessonCost": r.lessonSummary.totalCost.map(\.formatted) as Any,
        ] as [String: Any]
        c["headlines"] = headlines
        c["valuePerRole"] = r.valuePerRole.map { v -> [String: Any] in
            let money = { (x: Double) in Money(major: x, currency: v.currency).formatted }
            return ["role": v.role, "people": v.people, "hours": String(format: "%.1f", v.hoursPerWeek),
                    "fullYear": money(v.fullYearValue), "riskAdjusted": money(v.riskAdjustedValue),
                    "perPerson": money(v.perPerson)]
        }
        c["hasValuePerRole"] = !r.valuePerRole.isEmpty
        if let recommendation = r.recommendation { c["recommendation"] = recommendationContext(recommendation) }
        if let pilot = r.pilot {
            var p: [String: Any] = ["name": pilot.name, "pilotUsers": pilot.pilotUsers, "controlUsers": pilot.controlUsers,
                                    "phaseName": r.phases.first { $0.id == pilot.phaseID }?.name ?? pilot.phaseID,
                                    "startedAt": pilot.startedAt?.dateString ?? "not yet"]
            if let end = pilot.endedAt { p["endedAt"] = end.dateString }
            c["pilot"] = p
        }
        c["hasPilotKPIs"] = !r.pilotKPIs.isEmpty && r.pilot != nil
        c["pilotKPIs"] = r.pilotKPIs.map(pilotRow)
        if format == .html {
            c["pilotChart"] = pilotChart
            c["intervalChart"] = intervalChart
            c["trendCharts"] = trendCharts
            c["hasTrendCharts"] = !trendCharts.isEmpty
        }
        c["evidenceQuestions"] = r.evidence.map { answer -> [String: Any] in
            ["question": answer.question, "fromData": answer.fromData,
             "judgements": answer.judgements.map(judgementView), "hasJudgements": !answer.judgements.isEmpty]
        }
        if let evaluation = r.projectEvaluation {
            c["projectEvaluation"] = [
                "performance": evaluation.performance,
                "performanceJudgements": evaluation.performanceJudgements.map(judgementView),
                "outcomes": evaluation.outcomes.map { outcome -> [String: Any] in
                    var v = judgementView(outcome.judgement)
                    v["kpis"] = outcome.kpis.map(latestRow)
                    v["hasKPIs"] = !outcome.kpis.isEmpty
                    return v
                },
                "hasOutcomes": !evaluation.outcomes.isEmpty,
                "unquantified": evaluation.unquantified.map(judgementView),
                "hasUnquantified": !evaluation.unquantified.isEmpty,
            ] as [String: Any]
        }
        c["hasLatestKPIs"] = !r.latestKPIs.isEmpty
        c["latestAt"] = r.latestKPIs.first?.measuredAt?.dateString ?? ""
        c["latestKPIs"] = r.latestKPIs.map(latestRow)
        c["hasGoals"] = !r.goals.isEmpty
        c["goals"] = r.goals.map { g -> [String: Any] in
            ["statement": g.statement, "level": g.level + (g.department.map { " (\($0))" } ?? ""),
             "kpis": g.kpis.map { id in r.latestKPIs.first { $0.id == id }?.name ?? id }.joined(separator: ", ")]
        }
        c["hasProcesses"] = !r.processes.isEmpty
        c["processes"] = r.processes.map { ProcessView(stats: $0).context }
        c["phases"] = r.phases.enumerated().map { phaseView($0.offset + 1, $0.element) }
        c["hasLessons"] = !r.lessons.isEmpty
        c["lessonCategories"] = lessonCategories
        let lessonCurrency = r.lessons.compactMap(\.cost?.currency).first
        c["lessonCauses"] = r.lessonSummary.byCause.filter { $0.delayDays > 0 || $0.costMinor > 0 }.map { line -> [String: Any] in
            ["cause": line.key, "lessons": line.lessons, "delayDays": line.delayDays,
             "cost": lessonCurrency.map { Money(minorUnits: line.costMinor, currency: $0).formatted } ?? "–"]
        }
        c["hasLessonCauses"] = !(c["lessonCauses"] as? [Any] ?? []).isEmpty
        if let roi = r.roi { c["roi"] = ROIView(roi: roi, format: format).context }
        c["snapshots"] = r.snapshots.map { ["label": $0.label, "takenAt": $0.takenAt.iso8601, "sha": $0.sha256] }
        return c
    }

    // MARK: - KPIs

    func value(_ v: Double?, _ unit: String) -> String { Self.value(v, unit) }

    func signed(_ v: Double?, _ unit: String) -> String { Self.signed(v, unit) }

    /// A value with its unit: `19.2 h`, `71 %`, `n/a`.
    static func value(_ v: Double?, _ unit: String) -> String {
        guard let v else { return "n/a" }
        return Self.number(v) + (unit.isEmpty ? "" : unit == "%" ? " %" : " \(unit)")
    }

    /// A change: `+2.2 pp` for rates (percentage points, not per cent), `−19.2 h` otherwise.
    static func signed(_ v: Double?, _ unit: String) -> String {
        guard let v else { return "n/a" }
        let sign = v > 0 ? "+" : v < 0 ? "−" : "±"
        return sign + (unit == "%" ? Self.number(abs(v)) + " pp" : value(abs(v), unit))
    }

    func recommendationContext(_ rec: Recommendation) -> [String: Any] {
        let phase = rec.phaseID.flatMap { id in report.phases.first { $0.id == id } }
        var c: [String: Any] = [
            "decision": rec.decision.rawValue.uppercased(),
            "decisionClass": rec.decision == .go ? "good" : rec.decision == .noGo ? "bad" : "warn",
            "gate": phase.map { "the gate of \($0.name)" + (rec.attempt.map { $0 > 1 ? " (attempt \($0))" : "" } ?? "") }
                ?? "the project (no gate evaluated yet)",
            "for": rec.reasons.filter(\.supportsGo).map(\.text),
            "against": rec.reasons.filter { !$0.supportsGo }.map(\.text),
            "risks": rec.risks, "hasRisks": !rec.risks.isEmpty,
        ]
        if let decided = rec.committeeDecision {
            c["committee"] = "The committee decided \(decided.rawValue)"
                + (decided == rec.decision ? ", as recommended." : ", not \(rec.decision.rawValue) as recommended; "
                   + "its votes below give its reasons.")
        } else {
            c["committee"] = "The committee has not decided yet: `rollout approve` records each approver's vote."
        }
        return c
    }

    func judgementView(_ j: Judgement) -> [String: Any] {
        var v: [String: Any] = ["text": j.text, "by": j.recordedBy, "at": j.recordedAt.dateString]
        if let verdict = j.verdict {
            v["verdict"] = verdict.rawValue
            v["verdictClass"] = verdict == .achieved ? "good" : verdict == .partly ? "warn" : "bad"
        }
        if let phase = j.phaseID { v["phase"] = report.phases.first { $0.id == phase }?.name ?? phase }
        if let label = j.snapshotLabel, let hash = j.snapshotSHA256 {
            v["snapshot"] = label
            v["snapshotHash"] = String(hash.prefix(16))
        }
        return v
    }

    /// One small chart per KPI: its value for each group at every snapshot.
    var trendCharts: [String] {
        report.trends.isEmpty ? [] : (try? kpiTrendCharts()) ?? []
    }

    private func kpiTrendCharts() throws -> [String] {
        var charts: [String] = []
        var kpiIDs: [String] = []
        for trend in report.trends where !kpiIDs.contains(trend.kpiID) { kpiIDs.append(trend.kpiID) }
        for id in kpiIDs {
            let trends = report.trends.filter { $0.kpiID == id }
            guard trends.contains(where: { $0.points.count > 1 }) else { continue }
            let kpi = report.latestKPIs.first { $0.id == id } ?? report.pilotKPIs.first { $0.id == id }
            let unit = kpi?.unit ?? ""
            let series = trends.map { trend -> SVGChart.TrendSeries in
                let style = trend.group.hasPrefix("pilot") ? "pilot" : trend.group.hasPrefix("control") ? "control" : "everyone"
                let name = style == "everyone" ? "everyone" : style
                return SVGChart.TrendSeries(name: name, style: style, points: trend.points.map { ($0.takenAt, $0.value) })
            }
            charts.append(SVGChart.trend(title: "\(kpi?.name ?? id) (\(unit.isEmpty ? "value" : unit)) at each snapshot",
                                         series: series, yLabel: { Self.number($0) }))
        }
        return charts
    }

    /// The pilot's difference in differences per KPI with its 95 % interval.
    var intervalChart: String {
        let rows = report.pilotKPIs.compactMap { k -> SVGChart.IntervalRow? in
            guard let estimate = k.differenceInDifferences else { return nil }
            let interval = k.statistics?.confidenceInterval
            var text = signed(estimate, k.unit)
            if let interval { text += " [\(signed(interval.lowerBound, k.unit)), \(signed(interval.upperBound, k.unit))]" }
            let style = switch k.evidence {
            case .better: "good"
            case .worse: "bad"
            default: "na"
            }
            return SVGChart.IntervalRow(label: k.name, estimate: estimate, interval: interval, text: text, style: style)
        }
        guard !rows.isEmpty else { return "" }
        return SVGChart.intervals(title: "Pilot minus control (difference in differences) with 95 % intervals", rows: rows)
    }

    static func number(_ v: Double) -> String {
        let magnitude = abs(v)
        if magnitude >= 100 { return String(format: "%.0f", v) }
        if magnitude >= 10 { return String(format: "%.1f", v) }
        return String(format: "%.2f", v)
    }

    func pilotRow(_ k: EvaluationReport.KPIResult) -> [String: Any] {
        let pilot = k.groups.first { $0.label == "pilot" }, control = k.groups.first { $0.label == "control" }
        let verdict: (String, String) = switch k.evidence {
        case .notConclusive: ("not conclusive", "na")
        case .better: ("pilot better", "good")
        case .worse: ("pilot worse", "bad")
        case .noDifference: ("no difference", "na")
        case .notMeasured: ("not measured", "na")
        }
        return ["name": k.name, "metric": k.metric, "target": k.target.map { value($0, k.unit) } ?? "–",
                "pilotBaseline": value(pilot?.baseline, k.unit), "pilotActual": value(pilot?.actual, k.unit),
                "pilotSample": pilot?.sampleSize ?? 0,
                "controlBaseline": value(control?.baseline, k.unit), "controlActual": value(control?.actual, k.unit),
                "controlSample": control?.sampleSize ?? 0,
                "did": signed(k.differenceInDifferences, k.unit), "verdict": verdict.0, "verdictClass": verdict.1,
                "evidence": evidence(k) ?? "", "hasEvidence": evidence(k) != nil]
    }

    /// "95 % CI −9.8 h … −5.6 h, p < 0.001 (Welch)" and the warnings, for a pilot KPI's row.
    func evidence(_ k: EvaluationReport.KPIResult) -> String? {
        guard let s = k.statistics else { return nil }
        var parts: [String] = []
        if let ci = s.confidenceInterval {
            parts.append("95 % CI \(signed(ci.lowerBound, k.unit)) … \(signed(ci.upperBound, k.unit))")
        }
        if let p = s.pValue { parts.append(p < 0.001 ? "p < 0.001" : String(format: "p = %.3f", p)) }
        parts += s.warnings
        if let warning = k.parallelTrends?.warning { parts.append(warning) }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    func latestRow(_ k: EvaluationReport.KPIResult) -> [String: Any] {
        let all = k.groups.first { $0.label == "everyone" }
        let better = all?.change.map { k.direction == "higher_is_better" ? $0 > 0 : $0 < 0 }
        return ["name": k.name, "baseline": value(all?.baseline, k.unit), "target": k.target.map { value($0, k.unit) } ?? "–",
                "actual": value(all?.actual, k.unit), "change": signed(all?.change, k.unit),
                "changeClass": better.map { $0 ? "good" : "bad" } ?? "na",
                "meets": all?.meetsTarget.map { $0 ? "yes" : "no" } ?? (all?.actual == nil ? "not measured" : "no target"),
                "meetsClass": all?.meetsTarget.map { $0 ? "good" : "bad" } ?? "na"]
    }

    var headlines: [String] {
        var lines: [String] = []
        let better = report.pilotKPIs.filter { $0.evidence == .better }
        if !report.pilotKPIs.isEmpty, report.pilot != nil {
            lines.append("The pilot improved more than the control on \(better.count) of \(report.pilotKPIs.count) KPIs,"
                         + " each with a 95 % interval that leaves out zero.")
        }
        let met = report.latestKPIs.filter { $0.groups.first { $0.label == "everyone" }?.meetsTarget == true }
        let withTarget = report.latestKPIs.filter { $0.target != nil }
        if !withTarget.isEmpty {
            lines.append("\(met.count) of \(withTarget.count) KPIs meet their target across the organisation.")
        }
        return lines
    }

    var pilotChart: String {
        guard report.pilot != nil, !report.pilotKPIs.isEmpty else { return "" }
        let groups = report.pilotKPIs.map { k -> SVGChart.BarGroup in
            let p = k.groups.first { $0.label == "pilot" }, c = k.groups.first { $0.label == "control" }
            return SVGChart.BarGroup(label: k.name, bars: [
                (0, p?.baseline, value(p?.baseline, k.unit)), (1, p?.actual, value(p?.actual, k.unit)),
                (2, c?.baseline, value(c?.baseline, k.unit)), (3, c?.actual, value(c?.actual, k.unit)),
            ])
        }
        return SVGChart.groupedBars(title: "KPIs: pilot and control, baseline and end of pilot",
                                    series: ["pilot baseline", "pilot at end of pilot", "control baseline",
                                             "control at end of pilot"],
                                    groups: groups)
    }

    // MARK: - Phases

    func phaseView(_ number: Int, _ p: EvaluationReport.PhaseEvaluation) -> [String: Any] {
        var v: [String: Any] = [
            "number": number, "name": p.name, "statusText": statusText(p.status), "statusClass": statusClass(p.status),
            "start": p.start.dateString, "end": p.end.dateString, "plannedDays": p.plannedDays,
            "tasks": "\(p.tasksDone)/\(p.tasksTotal)",
            "hasDeliverables": !p.deliverables.isEmpty,
            "deliverables": p.deliverables.map { ["name": $0.name, "mark": $0.delivered ? "✔" : "✘",
                                                  "class": $0.delivered ? "good" : "bad"] },
            "hasActions": !p.actions.isEmpty, "actions": p.actions,
            "attempts": p.attempts.map { attemptView($0, multiple: p.attempts.count > 1) },
            "hasLessons": !p.lessons.isEmpty, "lessons": p.lessons.map(lessonView),
        ]
        if let description = p.description { v["description"] = description }
        if let days = p.actualDays { v["actualDays"] = "\(days) days" }
        if p.daysLate > 0 { v["late"] = "\(p.daysLate) days late" }
        if let first = p.kpis.first {
            let headers = first.groups.map(\.label)
            v["groupHeaders"] = headers
            v["kpis"] = p.kpis.map { k -> [String: Any] in
                ["name": k.name, "target": k.target.map { value($0, k.unit) } ?? "–",
                 "cells": k.groups.map { value($0.actual, k.unit) }]
            }
        }
        v["hasKPIs"] = !p.kpis.isEmpty
        return v
    }

    func attemptView(_ a: EvaluationReport.GateAttempt, multiple: Bool) -> [String: Any] {
        var v: [String: Any] = [
            "attempt": a.attempt, "multiple": multiple, "evaluatedAt": a.evaluatedAt.dateString,
            "passedText": a.passed ? "all criteria met" : "criteria not met", "passedClass": a.passed ? "good" : "bad",
            "criteria": a.criteria.map { c -> [String: Any] in
                let (mark, cls) = switch c.status {
                case .passed: ("✔", "good")
                case .failed: ("✘", "bad")
                case .unknown: ("?", "warn")
                }
                return ["mark": mark, "class": cls, "criterion": c.criterion, "detail": c.detail]
            },
            "votes": a.votes.map { vote -> [String: Any] in
                var v: [String: Any] = ["role": vote.role, "voter": vote.voter, "at": vote.at.dateString,
                                        "decision": vote.decision.rawValue, "class": decisionClass(vote.decision)]
                if let note = vote.note, !note.isEmpty { v["note"] = note }
                if !vote.waived.isEmpty { v["waived"] = vote.waived.joined(separator: "; ") }
                if !vote.conditions.isEmpty { v["conditions"] = vote.conditions }
                return v
            },
        ]
        if let d = a.decision {
            v["decision"] = d.rawValue
            v["decisionClass"] = decisionClass(d)
        }
        if let label = a.snapshotLabel { v["snapshot"] = label }
        if let hash = a.snapshotSHA256 { v["snapshotHash"] = String(hash.prefix(16)) }
        return v
    }

    func lessonView(_ l: LessonLearned) -> [String: Any] {
        var facts: [String] = []
        if l.delayDays > 0 { facts.append("\(l.delayDays) day\(l.delayDays == 1 ? "" : "s") of delay") }
        if let by = l.causedBy { facts.append("caused by \(by)") }
        if let cost = l.cost { facts.append("cost \(cost.formatted)") }
        var v: [String: Any] = ["category": l.category.rawValue, "what": l.whatHappened,
                                "phase": report.phases.first { $0.id == l.phaseID }?.name ?? l.phaseID]
        if !facts.isEmpty { v["facts"] = facts.joined(separator: ", ") }
        if let remedy = l.remedy { v["remedy"] = remedy }
        return v
    }

    var lessonCategories: [[String: Any]] {
        LessonLearned.Category.allCases.compactMap { category in
            let lessons = report.lessons.filter { $0.category == category }
            guard !lessons.isEmpty, let line = report.lessonSummary.byCategory.first(where: { $0.key == category.rawValue })
            else { return nil }
            var v: [String: Any] = ["question": category.question, "count": lessons.count,
                                    "plural": lessons.count == 1 ? "" : "s", "delayDays": line.delayDays,
                                    "delayPlural": line.delayDays == 1 ? "" : "s",
                                    "lessons": lessons.map(lessonView)]
            if line.costMinor > 0, let currency = lessons.compactMap(\.cost?.currency).first {
                v["cost"] = Money(minorUnits: line.costMinor, currency: currency).formatted
            }
            return v
        }
    }

    func statusText(_ status: String) -> String { status.replacingOccurrences(of: "_", with: " ") }

    func statusClass(_ status: String) -> String {
        switch status {
        case "completed": "good"
        case "stopped": "bad"
        case "awaiting_decision", "active": "warn"
        default: "na"
        }
    }

    func decisionClass(_ d: GateDecision) -> String {
        switch d {
        case .go: "good"
        case .rework: "warn"
        case .noGo: "bad"
        }
    }
}
