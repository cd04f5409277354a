import ArgumentParser
import Playbook
import RolloutKit

struct PlaybookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playbook",
        abstract: "Work with playbook versions.",
        subcommands: [PlaybookDiffCommand.self])
}

struct PlaybookDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changes between two versions of a playbook, by id.",
        discussion: """
            Compares the two playbooks as compiled (not their text): phases added, removed or reordered; per phase its name, duration, owner, pilot, actions, entry criteria, tasks (owner, duration, dependencies, deliverable), deliverables and gate (approvers, criteria); KPIs, goals, pilot groups, processes, cycles, costs, benefits, evaluation settings, version and title. Formatting, comments and key order do not count. Both files are checked as `rollout check` checks them; a file with errors prints its diagnostics and exits 1.

            Before `rollout run NEW --upgrade`, this is the list of what the running project would get.

            Example: rollout playbook diff Playbooks/acme-v1.yaml Playbooks/acme-v2.yaml
            """)

    @Argument(help: "The playbook as it is (e.g. the version the project runs).")
    var old: String

    @Argument(help: "The new version.")
    var new: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let diff = try Workspace.diff(playbookAt: old, and: new)
            try output.emit(diff, Self.render)
        }
    }

    static func render(_ diff: PlaybookDiff) -> String {
        let header = "\(diff.old.path) (\(diff.old.id) version \(diff.old.version)) → "
            + "\(diff.new.path) (\(diff.new.id) version \(diff.new.version))"
        guard !diff.isEmpty else { return header + ": no changes" }
        let count = diff.changes.count
        return ([header + ": \(count) change\(count == 1 ? "" : "s")"] + diff.summary.map { "  • " + $0 })
            .joined(separator: "\n")
    }
}
