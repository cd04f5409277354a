import ArgumentParser
import Engine
import RolloutKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start the project or continue it; stops where a person must act.",
        discussion: """
            Starts the current phase, runs its actions (KPI baseline and snapshots, pilot start, go-live…), and once its tasks are done evaluates its gate on the CRM data, stopping at a gate that needs a decision. After `rollout approve`, run again to act on the decision.

            Every step is committed on its own: a run killed half-way loses nothing, and running again continues where it stopped. Running when there is nothing to do changes nothing.

            Without PLAYBOOK, continues the project with the playbook recorded when it started.

            Examples:
              rollout run Playbooks/standard-nine-phase.yaml --db acme/rollout.sqlite
              rollout run --db acme/rollout.sqlite --as-of 2025-06-30
              rollout run Playbooks/acme-v2.yaml --upgrade --db acme/rollout.sqlite

            With --upgrade, a running project first moves to the new version of its playbook when that is safe; unsafe changes (to work already started or done) are refused, each named, and nothing is written. See `rollout playbook diff`.
            """)

    @Argument(help: "The playbook to start (optional once the project has started).")
    var playbook: String?

    @Flag(help: "Move the running project to this new version of its playbook first, when that is safe.")
    var upgrade = false

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            if upgrade, playbook == nil { throw ValidationError("--upgrade needs PLAYBOOK: the new version to move the project to") }
            let upgraded = try playbook.flatMap { upgrade ? try workspace.open().upgradeProject(toPlaybookAt: $0, clock: try workspace.clock()) : nil }
            let session = try workspace.open().session(playbookPath: playbook)
            let report = try session.run(clock: try workspace.clock())
            if output.json {
                try Terminal.json(report)
            } else {
                if let upgraded { print(([upgraded.message] + upgraded.changes.map { "  ~ " + $0 }).joined(separator: "\n")) }
                if report.steps.isEmpty { print("nothing to do") }
                for step in report.steps { print("• \(step)") }
                print(describe(report.outcome))
            }
            // A failed step is recorded and the run stops there: a script must notice.
            if case .actionFailed = report.outcome { throw ExitCode(1) }
        }
    }

    func describe(_ outcome: RunOutcome) -> String {
        switch outcome {
        case .waitingForTasks(let phase, let tasks):
            return "waiting: \(tasks.count) open task\(tasks.count == 1 ? "" : "s") in '\(phase)' (\(tasks.joined(separator: ", "))); "
                + "mark them with `rollout task done TASK`"
        case .awaitingDecision(let phase, let attempt, let passed, let roles):
            return "stopped at the gate of '\(phase)' (attempt \(attempt), criteria \(passed ? "met" : "not met")): "
                + "waiting for \(roles.joined(separator: ", ")); see `rollout status`, then "
                + "`rollout approve \(phase) --by NAME --role \(roles.first ?? "ROLE") --decision go|no-go|rework --note TEXT`"
        case .waitingForEntry(let phase, let unmet):
            return "waiting: the entry criteria of '\(phase)' are not met yet:\n  " + unmet.joined(separator: "\n  ")
                + "\nrun `rollout run` again once they hold"
        case .actionFailed(let phase, let action, let attempt, let message):
            return "stopped: action '\(action)' of '\(phase)' failed (attempt \(attempt)): \(message)\n"
                + "the failure is recorded in the project's log; fix its cause and run `rollout run` again to retry it"
        case .completed:
            return "the project is complete; write the evaluation with `rollout report`"
        case .stopped(let reason):
            return "the project is stopped: \(reason)"
        }
    }
}
