import CRMCore
import Engine
import Foundation
import RolloutMetrics

/// Writes an `EvaluationReport` as an Excel workbook, one sheet per section, for committees that
/// work the figures further in a spreadsheet.
///
/// Numbers are number cells (unrounded: the cell format rounds for display), dates are date
/// cells, and every text — names, notes, hashes, "2/4" — is a text cell, so Excel never turns
/// it into a date or a formula.
///
/// ```swift
/// try ReportWorkbook(report: report).write(to: "out/evaluation.xlsx")
/// ```
public struct ReportWorkbook: Sendable {
    public let report: EvaluationReport

    public init(report: EvaluationReport) {
        self.report = report
    }

    /// The sheets, in order; the tests read them back by these names.
    public static let sheetNames = [
        "Summary", "Recommendation", "Pilot vs control", "KPIs now", "KPI trends", "Phases", "Gate criteria", "Votes",
        "Lessons", "Cash flows", "Sensitivity", "Monte Carlo", "Evidence report", "Snapshots",
    ]

    public func write(to path: String) throws {
        let book = try XLSXWriter(path: path)
        try summary(book)
        try recommendation(book)
        try pilotVersusControl(book)
        try kpisNow(book)
        try trends(book)
        try phases(book)
        try criteria(book)
        try votes(book)
        try lessons(book)
        try cashFlows(book)
        try sensitivity(book)
        try monteCarlo(book)
        try evidence(book)
        try snapshots(book)
        try book.close()
    }

    // MARK: Sheets

    private func summary(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Summary", columns: [
            XLSXColumn(header: "Item", width: 28), XLSXColumn(header: "Text", width: 60),
            XLSXColumn(header: "Number", kind: .decimal(places: 2)),
        ])
        func row(_ item: String, _ text: String? = nil, _ number: Double? = nil) throws {
            try book.appendRow([.text(item), text.map(XLSXValue.text) ?? .empty, number.map(XLSXValue.decimal) ?? .empty])
        }
        try row("Title", report.title)
        try row("Project", report.project.id)
        try row("Status", report.project.status)
        try row("As of", report.asOf.iso8601)
        try row("Playbook", "\(report.playbook.path) v\(report.playbook.version)")
        try row("Playbook sha256", report.playbook.sha256)
        if let rec = report.recommendation {
            try row("Recommendation", rec.decision.rawValue)
            try row("Committee decision", rec.committeeDecision?.rawValue ?? "not decided yet")
        }
        if let roi = report.roi {
            try row("Currency", roi.currency)
            try row("Discount rate", nil, roi.discountRate)
            try row("Horizon (years)", nil, Double(roi.horizonYears))
            try row("NPV", nil, roi.npv)
            try row("IRR", roi.irr == nil ? "not defined" : nil, roi.irr)
            try row("ROI %", roi.roiPercent == nil ? "n/a" : nil, roi.roiPercent)
            try row("Payback (months)", roi.paybackMonths == nil ? "not within the horizon" : nil, roi.paybackMonths)
            try row("Discounted payback (months)", roi.discountedPaybackMonths == nil ? "not within the horizon" : nil,
                    roi.discountedPaybackMonths)
            for projection in roi.projections {
                try row("Net value after \(projection.months) months", nil, projection.net)
            }
        }
        try row("Lessons learned", nil, Double(report.lessons.count))
        try row("Delay recorded in lessons (days)", nil, Double(report.lessonSummary.totalDelayDays))
    }

    private func recommendation(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Recommendation", columns: [
            XLSXColumn(header: "Kind", width: 12), XLSXColumn(header: "Argues for", width: 14),
            XLSXColumn(header: "Reason", width: 100),
        ])
        guard let rec = report.recommendation else { return }
        try book.appendRow([.text("decision"), .text(rec.decision.rawValue), .text(rec.summary)])
        for reason in rec.reasons {
            try book.appendRow([.text(reason.kind), .text(reason.supportsGo ? "go" : "against go"), .text(reason.text)])
        }
        for risk in rec.risks {
            try book.appendRow([.text("risk"), .empty, .text(risk)])
        }
    }

    private func pilotVersusControl(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Pilot vs control", columns: [
            XLSXColumn(header: "KPI", width: 32), XLSXColumn(header: "Unit"), XLSXColumn(header: "Direction"),
            number("Target"), number("Pilot baseline"), number("Pilot end"), XLSXColumn(header: "Pilot n", kind: .integer),
            number("Control baseline"), number("Control end"), XLSXColumn(header: "Control n", kind: .integer),
            number("Difference in differences"), number("95 % CI low"), number("95 % CI high"),
            XLSXColumn(header: "p-value (Welch)", kind: .decimal(places: 4)), XLSXColumn(header: "Verdict"),
            XLSXColumn(header: "Warnings", width: 60),
        ])
        for k in report.pilotKPIs {
            let pilot = k.groups.first { $0.label == "pilot" }, control = k.groups.first { $0.label == "control" }
            let interval = k.statistics?.confidenceInterval
            var warnings = k.statistics?.warnings ?? []
            if let warning = k.parallelTrends?.warning { warnings.append(warning) }
            try book.appendRow([
                .text(k.name), .text(k.unit), .text(k.direction), cell(k.target),
                cell(pilot?.baseline), cell(pilot?.actual), .integer(Int64(pilot?.sampleSize ?? 0)),
                cell(control?.baseline), cell(control?.actual), .integer(Int64(control?.sampleSize ?? 0)),
                cell(k.differenceInDifferences), cell(interval?.lowerBound), cell(interval?.upperBound),
                cell(k.statistics?.pValue), .text(k.evidence.rawValue), .text(warnings.joined(separator: "; ")),
            ])
        }
    }

    private func kpisNow(_ book: XLSXWriter) throws {
        try book.addSheet(named: "KPIs now", columns: [
            XLSXColumn(header: "KPI", width: 32), XLSXColumn(header: "Unit"), number("Baseline"), number("Target"),
            number("Now"), number("Change"), XLSXColumn(header: "n", kind: .integer), XLSXColumn(header: "Target met"),
            XLSXColumn(header: "Measured at", kind: .dateTime),
        ])
        for k in report.latestKPIs {
            let all = k.groups.first { $0.label == "everyone" }
            try book.appendRow([
                .text(k.name), .text(k.unit), cell(all?.baseline), cell(k.target), cell(all?.actual), cell(all?.change),
                .integer(Int64(all?.sampleSize ?? 0)), all?.meetsTarget.map { .text($0 ? "yes" : "no") } ?? .empty,
                k.measuredAt.map { .dateTime(secondsSince1970: $0.secondsSinceEpoch) } ?? .empty,
            ])
        }
    }

    private func trends(_ book: XLSXWriter) throws {
        try book.addSheet(named: "KPI trends", columns: [
            XLSXColumn(header: "KPI", width: 28), XLSXColumn(header: "Group", width: 20),
            XLSXColumn(header: "Snapshot", width: 32), XLSXColumn(header: "Taken", kind: .dateTime), number("Value"),
            XLSXColumn(header: "n", kind: .integer),
        ])
        for trend in report.trends {
            for point in trend.points {
                try book.appendRow([.text(trend.kpiID), .text(trend.group), .text(point.label),
                                    .dateTime(secondsSince1970: point.takenAt.secondsSinceEpoch), cell(point.value),
                                    .integer(Int64(point.sampleSize))])
            }
        }
    }

    private func phases(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Phases", columns: [
            XLSXColumn(header: "Phase", width: 28), XLSXColumn(header: "Status"), XLSXColumn(header: "Start", kind: .date),
            XLSXColumn(header: "End", kind: .date), XLSXColumn(header: "Planned days", kind: .integer),
            XLSXColumn(header: "Actual days", kind: .integer), XLSXColumn(header: "Days late", kind: .integer),
            XLSXColumn(header: "Tasks done", kind: .integer), XLSXColumn(header: "Tasks", kind: .integer),
            XLSXColumn(header: "Gate attempts", kind: .integer), XLSXColumn(header: "Decision"),
        ])
        for p in report.phases {
            try book.appendRow([
                .text(p.name), .text(p.status), date(p.start), date(p.end), .integer(Int64(p.plannedDays)),
                p.actualDays.map { .integer(Int64($0)) } ?? .empty, .integer(Int64(p.daysLate)),
                .integer(Int64(p.tasksDone)), .integer(Int64(p.tasksTotal)), .integer(Int64(p.attempts.count)),
                p.attempts.last?.decision.map { .text($0.rawValue) } ?? .empty,
            ])
        }
    }

    private func criteria(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Gate criteria", columns: [
            XLSXColumn(header: "Phase", width: 24), XLSXColumn(header: "Attempt", kind: .integer),
            XLSXColumn(header: "Evaluated", kind: .dateTime), XLSXColumn(header: "Criterion", width: 48),
            XLSXColumn(header: "Status"), number("Actual"), XLSXColumn(header: "Detail", width: 60),
            XLSXColumn(header: "Snapshot"), XLSXColumn(header: "Snapshot sha256", width: 66),
        ])
        for p in report.phases {
            for a in p.attempts {
                for c in a.criteria {
                    try book.appendRow([
                        .text(p.name), .integer(Int64(a.attempt)), .dateTime(secondsSince1970: a.evaluatedAt.secondsSinceEpoch),
                        .text(c.criterion), .text(c.status.rawValue), cell(c.actual), .text(c.detail),
                        a.snapshotLabel.map(XLSXValue.text) ?? .empty, a.snapshotSHA256.map(XLSXValue.text) ?? .empty,
                    ])
                }
            }
        }
    }

    private func votes(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Votes", columns: [
            XLSXColumn(header: "Phase", width: 24), XLSXColumn(header: "Attempt", kind: .integer),
            XLSXColumn(header: "Role"), XLSXColumn(header: "Voter", width: 18), XLSXColumn(header: "Decision"),
            XLSXColumn(header: "Note", width: 50), XLSXColumn(header: "Waived", width: 40),
            XLSXColumn(header: "Conditions", width: 40), XLSXColumn(header: "At", kind: .dateTime),
        ])
        for p in report.phases {
            for a in p.attempts {
                for v in a.votes {
                    try book.appendRow([
                        .text(p.name), .integer(Int64(a.attempt)), .text(v.role), .text(v.voter), .text(v.decision.rawValue),
                        v.note.map(XLSXValue.text) ?? .empty, .text(v.waived.joined(separator: "; ")),
                        .text(v.conditions.joined(separator: "; ")), .dateTime(secondsSince1970: v.at.secondsSinceEpoch),
                    ])
                }
            }
        }
    }

    private func lessons(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Lessons", columns: [
            XLSXColumn(header: "Phase", width: 24), XLSXColumn(header: "Category"), XLSXColumn(header: "What happened", width: 60),
            XLSXColumn(header: "Delay days", kind: .integer), XLSXColumn(header: "Caused by", width: 18),
            number("Cost"), XLSXColumn(header: "Currency"), XLSXColumn(header: "Remedy", width: 40),
            XLSXColumn(header: "Recorded by", width: 18), XLSXColumn(header: "Recorded at", kind: .dateTime),
        ])
        for l in report.lessons {
            try book.appendRow([
                .text(report.phases.first { $0.id == l.phaseID }?.name ?? l.phaseID), .text(l.category.rawValue),
                .text(l.whatHappened), .integer(Int64(l.delayDays)), l.causedBy.map(XLSXValue.text) ?? .empty,
                cell(l.cost?.majorUnits), l.cost.map { .text($0.currency) } ?? .empty, l.remedy.map(XLSXValue.text) ?? .empty,
                l.recordedBy.map(XLSXValue.text) ?? .empty, .dateTime(secondsSince1970: l.recordedAt.secondsSinceEpoch),
            ])
        }
    }

    private func cashFlows(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Cash flows", columns: [
            XLSXColumn(header: "Year"), number("Licences"), number("Implementation"), number("Internal staff"),
            number("Training"), number("Maintenance"), number("Costs"), number("Benefits (risk-adjusted)"), number("Net"),
            XLSXColumn(header: "Discount factor", kind: .decimal(places: 4)), number("Present value"),
            number("Cumulative net"), number("Cumulative present value"),
        ])
        guard let roi = report.roi else { return }
        for y in roi.years {
            try book.appendRow([
                .text(y.year == 0 ? "Initial" : "Year \(y.year)"), .decimal(y.costs.licence), .decimal(y.costs.implementation),
                .decimal(y.costs.internalStaff), .decimal(y.costs.training), .decimal(y.costs.maintenance),
                .decimal(y.costs.total), .decimal(y.totalBenefits), .decimal(y.net), .decimal(y.discountFactor),
                .decimal(y.presentValue), .decimal(y.cumulativeNet), .decimal(y.cumulativeDiscountedNet),
            ])
        }
    }

    private func sensitivity(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Sensitivity", columns: [
            XLSXColumn(header: "Driver", width: 36), XLSXColumn(header: "Kind"), number("Base value"),
            number("NPV at −spread"), number("NPV at +spread"), number("Swing"), number("Base NPV"),
            XLSXColumn(header: "Spread", kind: .decimal(places: 2)),
        ])
        guard let s = report.roi?.sensitivity else { return }
        for bar in s.bars {
            try book.appendRow([.text(bar.driver.name), .text(bar.driver.kind.rawValue), .decimal(bar.baseValue),
                                .decimal(bar.npvLow), .decimal(bar.npvHigh), .decimal(bar.swing), .decimal(s.baseNPV),
                                .decimal(s.spread)])
        }
    }

    private func monteCarlo(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Monte Carlo", columns: [
            XLSXColumn(header: "Figure", width: 36), number("Value"), XLSXColumn(header: "Text", width: 80),
        ])
        guard let m = report.roi?.monteCarlo else { return }
        for (name, value) in [("P10 NPV", m.p10), ("P50 NPV", m.p50), ("P90 NPV", m.p90), ("Mean NPV", m.mean),
                              ("P(NPV < 0)", m.probabilityOfNegativeNPV), ("Runs", Double(m.runs))] {
            try book.appendRow([.text(name), .decimal(value), .empty])
        }
        try book.appendRow([.text("Seed"), .empty, .text(String(m.seed))])
        for d in m.distributions {
            try book.appendRow([.text("Distribution: \(d.driver.name)"), .empty,
                                .text("triangular × \(d.low) … \(d.mode) … \(d.high) of the planned value")])
        }
        try book.appendRow([.text("Method"), .empty, .text(m.method)])
    }

    private func evidence(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Evidence report", columns: [
            XLSXColumn(header: "Question", width: 50), XLSXColumn(header: "Source"), XLSXColumn(header: "Answer", width: 90),
            XLSXColumn(header: "By", width: 18), XLSXColumn(header: "At", kind: .dateTime),
        ])
        for answer in report.evidence {
            for line in answer.fromData {
                try book.appendRow([.text(answer.question), .text("data"), .text(line), .empty, .empty])
            }
            for j in answer.judgements {
                try book.appendRow([.text(answer.question), .text("judgement"), .text(j.text), .text(j.recordedBy),
                                    .dateTime(secondsSince1970: j.recordedAt.secondsSinceEpoch)])
            }
        }
        guard let evaluation = report.projectEvaluation else { return }
        for line in evaluation.performance {
            try book.appendRow([.text(Judgement.Topic.performance.question), .text("data"), .text(line), .empty, .empty])
        }
        for j in evaluation.performanceJudgements + evaluation.outcomes.map(\.judgement) + evaluation.unquantified {
            let verdict = j.verdict.map { "[\($0.rawValue)] " } ?? ""
            let snapshot = j.snapshotSHA256.map { " (snapshot \(j.snapshotLabel ?? ""), sha256 \($0))" } ?? ""
            try book.appendRow([.text(j.topic.question), .text("judgement"), .text(verdict + j.text + snapshot),
                                .text(j.recordedBy), .dateTime(secondsSince1970: j.recordedAt.secondsSinceEpoch)])
        }
    }

    private func snapshots(_ book: XLSXWriter) throws {
        try book.addSheet(named: "Snapshots", columns: [
            XLSXColumn(header: "Snapshot", width: 32), XLSXColumn(header: "Taken", kind: .dateTime),
            XLSXColumn(header: "sha256", width: 66),
        ])
        for s in report.snapshots {
            try book.appendRow([.text(s.label), .dateTime(secondsSince1970: s.takenAt.secondsSinceEpoch), .text(s.sha256)])
        }
    }

    // MARK: Cells

    private func number(_ header: String) -> XLSXColumn {
        XLSXColumn(header: header, kind: .decimal(places: 2))
    }

    private func cell(_ value: Double?) -> XLSXValue {
        guard let value, value.isFinite else { return .empty }
        return .decimal(value)
    }

    private func date(_ t: Timestamp) -> XLSXValue {
        let parts = t.dateString.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return .text(t.dateString) }
        return .date(year: parts[0], month: parts[1], day: parts[2])
    }
}
