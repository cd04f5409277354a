import ArgumentParser
import CRMCore
import Foundation
import Playbook
import RolloutKit

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Dry-run a playbook: its timeline, what each gate checks, KPIs by group, costs by month. Writes nothing.",
        discussion: """
            Shows the phases and their tasks week by week (tasks after the tasks they depend on, phases one after another), each phase's entry criteria and gate (criteria in words, approvers, consulted and informed roles), which KPIs are measured on which groups, and the costs of the first 12 months after go-live with the yearly TCO.

            With --db, reads that workspace read-only and judges every criterion on its data as of today (or --as-of): would pass, would fail, or unknown with the reason. What cannot be known before the project gets there — a baseline measured when the project starts, a deliverable of a phase not reached — is unknown, never a failure. If the workspace already runs a project of this playbook, its real progress and baseline are used for the phases it has reached. Nothing is written: no migration, no project start, no snapshot.

            The playbook is compiled as `rollout check` compiles it (with --param values for its parameters); its diagnostics go to stderr, and with errors the exit status is 1.

            Examples:
              rollout plan Playbooks/standard-nine-phase.yaml --start 2025-03-03
              rollout plan my-rollout.yaml --db acme/rollout.sqlite --as-of 2025-03-03
              rollout plan Playbooks/standard-nine-phase.yaml --json > plan.json
            """)

    @Argument(help: "The playbook file.")
    var file: String

    @Option(name: .long, help: ArgumentHelp(
        "An existing workspace to judge the gates on, opened read-only (default: $ROLLOUT_DB if set; else none: the plan needs no workspace).",
        valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(
        "The day the project starts: YYYY-MM-DD (default: the running project's start, else today or --as-of).",
        valueName: "date"))
    var start: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Measure the workspace's data at this moment instead of now: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ.",
        valueName: "date"))
    var asOf: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A value for one of the playbook's parameters.", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @OptionGroup var output: OutputOptions

    func run() throws {
        let compilation = Workspace.check(playbookAt: file, parameters: try ParameterOption.parse(parameters),
                                          pluginDirectories: PluginCatalog.directories(explicit: [], databasePath: workspacePath))
        // Diagnostics as `check` prints them, on stderr: stdout is the plan.
        if !compilation.diagnostics.isEmpty { Terminal.note(compilation.renderedDiagnostics) }
        guard let playbook = compilation.playbook else {
            let errors = compilation.errors.count
            Terminal.note("\(file): \(errors) error\(errors == 1 ? "" : "s"); fix \(errors == 1 ? "it" : "them") to see the plan")
            throw ExitCode.failure
        }
        try Terminal.failing {
            let asOf = try date(asOf, option: "--as-of") ?? ProjectClock.system.now
            let plan = try PlaybookPlan.make(playbook: playbook, start: try date(start, option: "--start")?.startOfDay,
                                             workspaceAt: workspacePath, asOf: asOf)
            if output.json { return try Terminal.json(plan) }
            print(PlanRenderer.render(plan))
        }
    }

    /// `--db`, else `$ROLLOUT_DB`; unlike other commands, no `./rollout.sqlite` default: planning needs no workspace.
    private var workspacePath: String? {
        if let db, !db.isEmpty { return db }
        return ProcessInfo.processInfo.environment["ROLLOUT_DB"].flatMap { $0.isEmpty ? nil : $0 }
    }

    private func date(_ text: String?, option: String) throws -> Timestamp? {
        guard let text else { return nil }
        do {
            return try Timestamp(parsing: text)
        } catch {
            throw ValidationError("\(option): \(error)")
        }
    }
}
