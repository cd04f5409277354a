import ArgumentParser
import CRMCore
import Evaluation
import Foundation
import RolloutKit

/// `rollout process stats`: how the playbook's business processes run on the workspace's data.
struct ProcessStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Measure the business processes: conformance to the model, transition times against SLAs, cycle times before and after.",
        discussion: """
            Each record of the process's entity is read as a trace of states: from the process runtime's history when the runtime ran it, else from the CRM (ticket status changes, opportunity stage changes, lead status changes in the audit trail, else a lead's timestamps). A trace conforms when it starts in the initial state and every move is a modelled transition. Cycle times (initial → final state) compare records started before and after the process's first activation, for the pilot group, its control group and everyone. docs/processes.md has the definitions.

            Example: rollout process stats --db rollout-demo/rollout.sqlite --process lead-handling --json
            """)

    @Option(name: .customLong("process"), help: ArgumentHelp("Measure only this process (default: every process).",
                                                            valueName: "id"))
    var processID: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let clock = try workspace.clock()
            let stats = try workspace.session().processStatistics(processID: processID,
                                                                  asOf: clock.isVirtual ? clock.now : nil)
            if output.json { return try Terminal.json(stats) }
            if stats.isEmpty {
                print("The playbook models no processes (no `processes:` section): there is nothing to measure.")
                return
            }
            print(stats.map(Self.render).joined(separator: "\n\n"))
        }
    }

    static func render(_ s: ProcessStatistics) -> String {
        var lines = ["\(s.name) (\(s.processID)): \(s.records) \(s.entity) record\(s.records == 1 ? "" : "s") with a history"
            + (s.sources.isEmpty ? "" : " (" + s.sources.map { "\($0.source.label) \($0.records)" }
                .joined(separator: ", ") + ")")]
        lines.append("  Times: \(s.clock).")
        for c in s.conformance {
            lines.append("")
            lines.append("  \(c.variant.label): \(c.recordsMeasured) record\(c.recordsMeasured == 1 ? "" : "s"), "
                + (c.conformingPercent.map { "\(c.recordsConforming) conform (\(percent($0)))" } ?? "nothing to measure"))
            var table = ReportTable(["Transition", "Trigger", "Moves>", "Median h>"]
                + (s.businessCalendar == nil ? [] : ["Median working h>"]) + ["SLA>", "Within SLA>"])
            for t in c.transitions {
                table.row(["\(t.from) → \(t.to)", t.triggers.joined(separator: " / "), "\(t.count)", hours(t.medianHours)]
                    + (s.businessCalendar == nil ? [] : [hours(t.medianBusinessHours)])
                    + [t.slaHours.map { "\(number($0)) h (\(t.slaSource?.rawValue ?? ""))" } ?? "–",
                       t.withinSLAPercent.map { "\(percent($0)) (\(t.withinSLA ?? 0))" } ?? "–"])
            }
            lines.append(table.rendered(indent: "    "))
            if !c.deviations.isEmpty {
                lines.append("    Most common deviations:")
                lines += c.deviations.prefix(5).map { "      \($0.summary)" }
            }
        }
        let ct = s.cycleTimes
        lines.append("")
        lines.append("  Cycle time, initial → final state (elapsed hours); change: "
            + (ct.changeAt.map { "first activation \($0.dateString)" } ?? "not activated yet")
            + (ct.pilotGroup.map { "; pilot group \($0)" } ?? ""))
        var table = ReportTable(["Group", "Before: records>", "final>", "median>", "p75>"]
            + (ct.changeAt == nil ? [] : ["After: records>", "final>", "median>", "p75>", "Change in median>"]))
        for g in ct.groups {
            table.row([g.label] + cells(g.before) + (g.after.map { cells($0) + [signed(g.medianChangeHours)] } ?? []))
        }
        lines.append(table.rendered(indent: "    "))
        if let did = ct.medianDifferenceInDifferences {
            lines.append("    Difference in differences of the median (pilot − control): \(signed(did)) h")
        }
        let notes = ct.notes + s.notes
        if !notes.isEmpty {
            lines.append("")
            lines.append("  Notes:")
            lines += notes.map { "    - \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    static func cells(_ c: CycleTimes) -> [String] {
        ["\(c.records)", c.reachedFinalPercent.map(percent) ?? "–", hours(c.medianHours), hours(c.p75Hours)]
    }

    static func number(_ v: Double) -> String { String(format: "%.1f", v) }
    static func hours(_ v: Double?) -> String { v.map(number) ?? "–" }
    static func percent(_ v: Double) -> String { String(format: "%.1f %%", v) }
    static func signed(_ v: Double?) -> String {
        guard let v else { return "–" }
        return (v > 0 ? "+" : v < 0 ? "−" : "±") + number(abs(v))
    }
}
