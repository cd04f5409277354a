import ArgumentParser
import CRMCore
import Foundation
import Playbook
import RolloutKit

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Try a process on last year's volumes before the pilot: load per agent, SLA breaches to expect.",
        discussion: """
            Copies the workspace to a scratch database, starts the playbook's processes there on \
            everyone's records (or a pilot group's, --scope pilot:ID), and replays the CRM history \
            of the last --months months on the virtual clock: every record of the process's \
            entity created again at its own time, its activities logged and its status changes \
            made when they happened. The process runtime runs between the events as `rollout \
            worker` would: assignments, SLA timers on the business calendar, escalations.

            It prints, per process, the records that entered and where they ended, the SLA \
            breaches and escalations (per month), the load per agent (records assigned, most held \
            open at once, breaches on their records) and the median time per transition against \
            its SLA. The workspace itself is only read; --keep PATH keeps the scratch database \
            for `rollout process stats --db PATH`.

            History holds no users' actions, so transitions on `action:` do not fire; --scale \
            replays more (or fewer) records to try next year's growth.

            Examples:
              rollout simulate --months 3
              rollout simulate my-rollout.yaml --process lead-handling --months 12 --scale 1.2
              rollout simulate --scope pilot:east --json > simulation.json
            """)

    @Argument(help: "The playbook whose processes to simulate (default: the running project's).")
    var file: String?

    @Option(help: "Months of history to replay, ending at the newest record (or --ending).")
    var months = 3

    @Option(name: .customLong("process"), help: ArgumentHelp("A process to simulate (repeatable; default: all).", valueName: "id"))
    var processes: [String] = []

    @Option(help: ArgumentHelp("The variant to run: to_be or as_is.", valueName: "variant"))
    var variant = "to_be"

    @Option(help: ArgumentHelp("Whose records: everyone, or pilot:GROUP for a pilot group's members.", valueName: "scope"))
    var scope = "everyone"

    @Option(help: "Volume multiplier (1.2 replays 20 % more records).")
    var scale = 1.0

    @Option(help: ArgumentHelp("The end of the replayed window: YYYY-MM-DD (default: just after the newest record).",
                               valueName: "date"))
    var ending: String?

    @Option(help: ArgumentHelp("Keep the scratch database at this path (must not exist).", valueName: "path"))
    var keep: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A value for one of the playbook's parameters.", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Flag(help: "Print progress to stderr.")
    var progress = false

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard months >= 1 else { throw ValidationError("--months must be at least 1") }
        guard scale > 0 && scale <= 10 else { throw ValidationError("--scale must be above 0 and at most 10") }
        guard variantKind(variant) != nil else { throw ValidationError("--variant is to_be or as_is, not '\(variant)'") }
        guard scope == "everyone" || scope.hasPrefix("pilot:") && scope.count > 6 else {
            throw ValidationError("--scope is everyone or pilot:GROUP (a pilot group of the playbook), not '\(scope)'")
        }
    }

    func run() throws {
        try Terminal.failing {
            let opened = try workspace.open()
            let session: ProjectSession
            if let file {
                let compilation = opened.compile(playbookAt: file, parameters: try ParameterOption.parse(parameters))
                if !compilation.diagnostics.isEmpty { Terminal.note(compilation.renderedDiagnostics) }
                guard let playbook = compilation.playbook else {
                    let errors = compilation.errors.count
                    Terminal.note("\(file): \(errors) error\(errors == 1 ? "" : "s"); fix \(errors == 1 ? "it" : "them") to simulate")
                    throw ExitCode.failure
                }
                session = try opened.session(playbook: playbook)
            } else {
                session = try opened.session(playbookPath: nil)
            }
            var options = ProcessSimulation.Options()
            options.months = months
            options.processIDs = processes
            options.variant = variantKind(variant)!
            options.scope = scope == "everyone" ? .everyone : .pilot(String(scope.dropFirst(6)))
            options.scale = scale
            options.ending = try ending.map { try Timestamp(parsing: $0) }
            options.keepPath = keep.map { URL(fileURLWithPath: $0).path }
            let report = try session.simulate(options) { done in
                guard progress else { return }
                Terminal.note(String(format: "simulate: %.0f %% of the history replayed", done * 100))
            }
            try output.emit(report, Self.describe)
        }
    }

    static func describe(_ r: SimulationReport) -> String {
        var lines: [String] = []
        let scale = r.scale == 1 ? "" : String(format: " × %.2g", r.scale)
        lines.append("Replayed \(r.window.months) month\(r.window.months == 1 ? "" : "s") of history\(scale), "
                     + "\(r.window.start.dateString) to \(r.window.end.dateString), on \(r.scope)'s records: "
                     + "\(r.replayed.records) records, \(r.replayed.activities) activities, \(r.replayed.changes) status changes"
                     + (r.replayed.skipped > 0 ? ", \(r.replayed.skipped) skipped" : ""))
        lines.append("The runtime made \(r.worker.transitions) transitions and fired \(r.worker.timers) timers "
                     + String(format: "in %.1f s. ", r.seconds)
                     + (r.keptDatabase.map { "Scratch database kept: \($0)" } ?? "The workspace was not changed."))
        for p in r.processes {
            lines.append("")
            lines.append("\(p.processID) — \(p.name) (\(p.variant == "to_be" ? "to-be" : "as-is"), \(p.entity) records)")
            lines.append("  \(p.records) records entered, \(p.finished) finished, \(p.openAtEnd) still open at the end")
            if !p.states.isEmpty {
                lines.append(Terminal.table([["state", "records", "open"]]
                    + p.states.map { [$0.state, "\($0.records)", "\($0.open)"] }, indent: "    "))
            }
            let share = p.recordsBreachedPercent.map { String(format: " (%.1f %% of the records)", $0) } ?? ""
            lines.append("  SLA breaches: \(p.slaBreaches) on \(p.recordsBreached) records\(share); escalations: \(p.escalations)")
            if !p.months.isEmpty {
                lines.append(Terminal.table([["month", "records", "SLA breaches", "escalations"]]
                    + p.months.map { [$0.month, "\($0.records)", "\($0.slaBreaches)", "\($0.escalations)"] }, indent: "    "))
            }
            if p.agents.isEmpty {
                lines.append("  load per agent: the process assigns nobody (no `assign:` on a transition)")
            } else {
                lines.append("  load per agent:")
                lines.append(Terminal.table([["agent", "assigned", "escalated to", "per week", "peak open", "open at end", "SLA breaches"]]
                    + p.agents.map { a in
                        [a.name, "\(a.assigned)", "\(a.escalatedTo)", String(format: "%.1f", a.assignedPerWeek), "\(a.peakOpen)",
                         "\(a.openAtEnd)", "\(a.slaBreaches)"]
                    }, indent: "    "))
            }
            if !p.transitionTimes.isEmpty {
                lines.append("  time per transition:")
                lines.append(Terminal.table([["transition", "moves", "median", "SLA", "within SLA"]]
                    + p.transitionTimes.map { t in
                        let median = (t.medianBusinessHours ?? t.medianHours).map { String(format: "%.1f h", $0) } ?? "–"
                        return ["\(t.from) → \(t.to)", "\(t.count)", median, t.slaHours.map { String(format: "%gh", $0) } ?? "–",
                                t.withinSLAPercent.map { String(format: "%.0f %%", $0) } ?? "–"]
                    }, indent: "    "))
            }
        }
        if !r.notes.isEmpty {
            lines.append("")
            lines.append(contentsOf: r.notes.map { "note: \($0)" })
        }
        return lines.joined(separator: "\n")
    }
}

private func variantKind(_ text: String) -> ProcessVariant.Kind? {
    ProcessVariant.Kind(rawValue: text.replacingOccurrences(of: "-", with: "_"))
}
