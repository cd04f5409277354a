import ArgumentParser
import CRMCore
import Engine
import RolloutKit

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the phase timeline, gate results, open tasks and the next step.",
        discussion: "Example: rollout status --db rollout-demo/rollout.sqlite --json")

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let clock = try workspace.clock()
            let status = try workspace.session().status(clock: clock)
            if output.json { return try Terminal.json(status) }
            print(Self.render(status, virtual: clock.isVirtual))
        }
    }

    static func render(_ status: ProjectStatus, virtual: Bool) -> String {
        var lines: [String] = []
        let p = status.project
        lines.append("Project \(p.id): \(p.title)")
        var facts = ["\(p.status)", "started \(p.startedAt.dateString)"]
        if let live = p.goLiveAt { facts.append("live since \(live.dateString)") }
        if let end = p.endedAt { facts.append("ended \(end.dateString)") }
        facts.append("as of \(status.asOf.dateString)\(virtual ? " (virtual clock)" : "")")
        lines.append("  " + facts.joined(separator: " · "))
        if let reason = p.stopReason { lines.append("  stopped: \(reason)") }
        lines.append("")
        var rows = [["", "Phase", "Start", "End", "Status", "Tasks", "Gate"]]
        for phase in status.phases {
            let mark = switch phase.status {
            case "completed": "✔"
            case "active", "awaiting_decision": "▶"
            case "stopped": "■"
            default: "·"
            }
            let end = phase.end.dateString + (phase.ended || !phase.started ? "" : "*")
            rows.append([mark, phase.name + (phase.iteration > 1 ? " (round \(phase.iteration))" : ""), phase.start.dateString, end,
                         phase.status.replacingOccurrences(of: "_", with: " ") + (phase.daysLate > 0 ? " (+\(phase.daysLate)d)" : ""),
                         "\(phase.tasksDone)/\(phase.tasksTotal)", gateSummary(phase.gate)])
        }
        lines.append(Terminal.table(rows))
        lines.append("  (* planned; +Nd: days past the planned end)")
        if let current = status.phases.first(where: { $0.status == "awaiting_decision" }), let gate = current.gate {
            lines.append("")
            lines.append("Gate of \(current.name) (attempt \(gate.attempt), evaluated \(gate.evaluatedAt?.dateString ?? "-")): "
                + (gate.passed == true ? "criteria met" : "criteria not met"))
            for c in gate.criteria {
                let mark = switch c.status {
                case .passed: "✔"
                case .failed: "✘"
                case .unknown: "?"
                }
                lines.append("  \(mark) \(c.criterion): \(c.detail)")
            }
            for vote in gate.votes {
                lines.append("  vote: \(vote.role) (\(vote.voter)) \(vote.decision.rawValue)" + (vote.note.map { ": \($0)" } ?? ""))
                if !vote.waived.isEmpty { lines.append("    waived (not met): " + vote.waived.joined(separator: "; ")) }
                lines += vote.conditions.map { "    on condition: \($0)" }
            }
        }
        if !status.openTasks.isEmpty {
            lines.append("")
            lines.append("Open tasks:")
            lines.append(Terminal.table(status.openTasks.map {
                [$0.id, $0.owner, "due " + ($0.dueAt?.dateString ?? "-") + ($0.overdue ? " (overdue)" : ""), $0.name]
            }))
        }
        if !status.versions.isEmpty {
            lines.append("")
            lines.append("Playbook versions:")
            for v in status.versions {
                let opened = v.openedTasks.isEmpty ? "" : "; opened " + v.openedTasks.joined(separator: ", ")
                lines.append("  \(v.at.dateString): version \(v.fromVersion) → \(v.toVersion), "
                    + "\(v.changes.count) change\(v.changes.count == 1 ? "" : "s")\(opened)")
            }
        }
        if !status.failedActions.isEmpty {
            lines.append("")
            lines.append("Failed actions:")
            for failure in status.failedActions {
                lines.append("  ✘ \(failure.phaseID): \(failure.action) (attempt \(failure.attempt)): \(failure.message)")
            }
        }
        lines.append("")
        lines.append("Next: \(status.nextStep)")
        return lines.joined(separator: "\n")
    }

    static func gateSummary(_ gate: ProjectStatus.GateStatus?) -> String {
        guard let gate else { return "no gate" }
        if let decision = gate.decision { return "decided \(decision.rawValue)" + (gate.attempt > 1 ? " (attempt \(gate.attempt))" : "") }
        guard let passed = gate.passed else { return "approvers: " + gate.approvers.joined(separator: ", ") }
        let met = gate.criteria.filter { $0.status == .passed }.count
        return "\(passed ? "passed" : "not passed") \(met)/\(gate.criteria.count), awaits " + gate.approvers.joined(separator: ", ")
    }
}
