import CRMCore
import Evaluation
import Foundation
import RolloutKit

/// The text of `rollout plan`: a week-by-week chart of the phases and tasks, the checks, the
/// KPIs by group and the costs by month.
enum PlanRenderer {
    static func render(_ plan: PlaybookPlan) -> String {
        var sections = [header(plan), timeline(plan.timeline, cycles: plan.cycles), checks(plan), kpis(plan)]
        if let costs = plan.costs { sections.append(self.costs(costs, timeline: plan.timeline)) }
        var closing = plan.dryRun.map { "Dry run: nothing was written to \($0.workspace) or anywhere else." }
            ?? "Dry run: nothing was written. Add --db WORKSPACE to judge each criterion on today's data."
        let workspace = plan.dryRun?.projectID != nil ? nil : plan.dryRun?.workspace ?? "WORKSPACE"
        if let workspace { closing += "\nNext: `rollout run \(plan.playbook.path) --db \(workspace)` starts the project." }
        sections.append(closing)
        // The chart pads its rows to the width of the timeline; trailing blanks are noise in a terminal.
        return sections.joined(separator: "\n\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }

    // MARK: Header

    static func header(_ plan: PlaybookPlan) -> String {
        let t = plan.timeline
        let tasks = t.phases.map(\.tasks.count).reduce(0, +)
        var lines = ["Plan of \(plan.playbook.title) (\(plan.playbook.id) v\(plan.playbook.version))",
                     "  \(t.phases.count) phases, \(tasks) tasks, \(t.totalWeeks) weeks: \(t.start.dateString) → \(t.end.dateString)"
                         + (t.goLive.map { ", go-live \($0.dateString)" } ?? "")]
        if let dryRun = plan.dryRun {
            lines.append("  judged on \(dryRun.workspace) as of \(dryRun.asOf.dateString)"
                + (dryRun.projectID.map { " (runs project '\($0)', " + (dryRun.currentPhase.map { "current phase: \($0))" } ?? "every phase complete)") }
                    ?? " (no project of this playbook has started there)"))
            lines.append("  groups: " + dryRun.groups.map { "\($0.group) \($0.users) users" }.joined(separator: ", "))
            for problem in dryRun.problems {
                lines.append("  ! " + problem.replacingOccurrences(of: "\n", with: "\n    "))
            }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Timeline

    static func timeline(_ t: PlanTimeline, cycles: [PlaybookPlan.PlannedCycle]) -> String {
        var rows: [(label: String, weeks: String, bar: String)] = []
        for (index, phase) in t.phases.enumerated() {
            let weeks = phase.span.startWeek...phase.span.endWeek
            rows.append(("\(index + 1) \(phase.name)" + (phase.cycle == nil ? "" : " ↻"), span(phase.span),
                         bar(t.totalWeeks) { weeks.contains($0) ? "█" : " " }))
            for task in phase.tasks {
                let own = task.span.startWeek...task.span.endWeek
                rows.append(("    \(task.id)", span(task.span) + (task.endsAfterPhase ? "!" : ""), bar(t.totalWeeks) {
                    own.contains($0) ? "█" : weeks.contains($0) ? "░" : " "
                }))
            }
        }
        let labelWidth = min(48, rows.map(\.label.count).max() ?? 0)
        let weeksWidth = rows.map(\.weeks.count).max() ?? 0
        func line(_ label: String, _ weeks: String, _ bar: String) -> String {
            let shown = label.count > labelWidth ? String(label.prefix(labelWidth - 1)) + "…" : label
            return "  " + shown.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  "
                + weeks.padding(toLength: weeksWidth, withPad: " ", startingAt: 0) + "  " + bar
        }
        var lines = ["Timeline (█ planned, ░ rest of the phase; week 1 starts \(t.start.dateString))",
                     line("", "week", ruler(t.totalWeeks))]
        lines += rows.map { line($0.label, $0.weeks, $0.bar) }
        if t.phases.contains(where: { $0.tasks.contains(where: \.endsAfterPhase) }) {
            lines.append("  ! the task, after the tasks it depends on, ends after its phase's planned end")
        }
        for cycle in cycles {
            lines.append("  ↻ cycle '\(cycle.id)' (\(cycle.name)): \(cycle.phases.joined(separator: " → ")) may repeat up to "
                + "\(cycle.maxIterations) times" + (cycle.until.map { " until \($0)" } ?? "")
                + "; shown once, repetitions add at most \(cycle.extraDaysAtMost) days")
        }
        return lines.joined(separator: "\n")
    }

    static func span(_ span: PlanTimeline.Span) -> String {
        span.startWeek == span.endWeek ? "w\(span.startWeek)" : "w\(span.startWeek)–\(span.endWeek)"
    }

    static func bar(_ weeks: Int, _ cell: (Int) -> String) -> String {
        (1...max(1, weeks)).map(cell).joined()
    }

    /// `1   5    10   15`: week numbers at 1 and every fifth week, one column a week.
    static func ruler(_ weeks: Int) -> String {
        var cells = Array(repeating: Character(" "), count: max(1, weeks))
        for week in [1] + Array(stride(from: 5, through: weeks, by: 5)) {
            let digits = Array(String(week))
            let from = week - 1
            guard from + digits.count <= cells.count || week == 1,
                  from == 0 || cells[from - 1] == " " else { continue }
            for (offset, digit) in digits.enumerated() where from + offset < cells.count { cells[from + offset] = digit }
        }
        return String(cells)
    }

    // MARK: Checks

    static func checks(_ plan: PlaybookPlan) -> String {
        var lines = ["What each phase checks" + (plan.dryRun.map { ", judged on the data of \($0.asOf.dateString)" } ?? "")]
        for phase in plan.checks where !phase.entry.isEmpty || phase.gate != nil {
            lines.append("  \(phase.phaseName)" + (phase.projectStatus.map { " [\($0.replacingOccurrences(of: "_", with: " "))]" } ?? ""))
            if !phase.entry.isEmpty {
                lines.append("    entry (must hold before the phase starts):")
                lines += phase.entry.map { "      " + check($0) }
            }
            guard let gate = phase.gate else { continue }
            var roles = ["approved by " + (gate.approvers.isEmpty ? "nobody: passes on its criteria alone"
                                                                 : gate.approvers.map(\.description).joined(separator: ", "))]
            if !gate.consulted.isEmpty { roles.append("consulted: " + gate.consulted.map(\.description).joined(separator: ", ")) }
            if !gate.informed.isEmpty { roles.append("informed: " + gate.informed.map(\.description).joined(separator: ", ")) }
            lines.append("    gate: " + roles.joined(separator: "; "))
            lines += gate.criteria.map { "      " + check($0) }
        }
        if lines.count == 1 { lines.append("  (no phase has entry criteria or a gate)") }
        return lines.joined(separator: "\n")
    }

    static func check(_ check: PlannedCheck) -> String {
        guard let outcome = check.outcome else { return "- \(check.criterion)" }
        let mark = switch outcome {
        case .wouldPass: "✔"
        case .wouldFail: "✘"
        case .unknown: "?"
        }
        let detail = check.detail.map { $0.isEmpty ? "" : ": \($0)" } ?? ""
        return "\(mark) \(outcome.words): \(check.criterion)\(detail)"
    }

    // MARK: KPIs and groups

    static func kpis(_ plan: PlaybookPlan) -> String {
        var lines = ["KPIs and the groups they are measured on"]
        var rows = [["KPI", "Measures", "Window", "Better", "Baseline", "Target", "Groups"]]
        for kpi in plan.kpis {
            rows.append([kpi.id, kpi.isSQL ? "SQL metric" : kpi.metric ?? "-", "\(kpi.windowDays)d",
                         kpi.direction == .higherIsBetter ? "higher" : "lower",
                         kpi.baseline.map { number($0) } ?? "measured at start",
                         kpi.target.map { number($0) + (kpi.unit.map { " \($0)" } ?? "") } ?? "-",
                         kpi.groups.map(\.description).joined(separator: ", ")])
        }
        lines.append(Terminal.table(rows))
        let sql = plan.kpis.filter(\.isSQL).map(\.id)
        lines.append("  SQL metrics (the playbook's own SELECT over the v_* views): " + (sql.isEmpty ? "none" : sql.joined(separator: ", ")))
        for pilot in plan.pilotGroups {
            var text = "  pilot group \(pilot.id) (\(pilot.name)): pilot = \(pilot.members)" + count(pilot.memberCount)
            text += pilot.control.map { "; control = \($0)" + count(pilot.controlCount) } ?? "; no control group"
            lines.append(text)
        }
        if let dryRun = plan.dryRun {
            let groups = dryRun.groups.map(\.group)
            lines.append("")
            lines.append("  Today's values (as of \(dryRun.asOf.dateString); n = units measured):")
            var values = [["KPI"] + groups.map(\.description)]
            for kpi in plan.kpis {
                values.append([kpi.id] + groups.map { group in
                    guard let value = kpi.today?.first(where: { $0.group == group }) else { return "not measured" }
                    return value.value.map { number($0) + (kpi.unit.map { " \($0)" } ?? "") + " (n=\(value.sampleSize))" }
                        ?? "no data"
                })
            }
            lines.append(Terminal.table(values, indent: "    "))
        }
        return lines.joined(separator: "\n")
    }

    static func count(_ users: Int?) -> String {
        users.map { " (\($0) user\($0 == 1 ? "" : "s") in the workspace)" } ?? ""
    }

    // MARK: Costs

    static func costs(_ costs: PlannedCosts, timeline: PlanTimeline) -> String {
        func money(_ value: Double) -> String {
            Money(major: value, currency: costs.currency).formatted.replacingOccurrences(of: costs.currency + " ", with: "")
        }
        func row(_ label: String, _ c: CostBreakdown) -> [String] {
            [label, money(c.licence), money(c.implementation), money(c.internalStaff), money(c.training),
             money(c.maintenance), money(c.total)]
        }
        let goLive = timeline.goLive.map { "go-live \($0.dateString), the start of the phase that runs project.go-live" }
            ?? "go-live \(timeline.end.dateString), the end of the plan (no phase runs project.go-live)"
        var rows = [["", "Licence", "Implementation", "Internal staff", "Training", "Maintenance", "Total"]]
        rows.append(row("Initial (one-off, up to go-live)", costs.initial))
        for month in costs.months {
            rows.append(row("Month \(month.month)" + (month.from.map { " (from \($0.dateString))" } ?? ""), month.costs))
        }
        for column in costs.tco.columns where column.year > 0 {
            rows.append(row("Year \(column.year)", column.costs))
        }
        rows.append(row("Total over \(costs.tco.columns.count - 1) years", costs.tco.total))
        return (["Costs in \(costs.currency) (\(goLive); a year's costs accrue evenly over its months, "
                 + "so months 1–12 add up to year 1)", Terminal.table(rows)]).joined(separator: "\n")
    }

    /// `12`, `12.5`: at most two decimals.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(format: "%.2f", rounded)
    }
}
