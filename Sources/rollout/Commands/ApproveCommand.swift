import ArgumentParser
import Engine
import RolloutKit

extension GateDecision: ExpressibleByArgument {}

struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Record an approver's decision on a phase's gate: go, no-go or rework.",
        discussion: """
            Only a role the gate names may vote; each named role votes once per gate attempt. When all have voted, the most conservative vote decides (no-go over rework over go); then `rollout run` acts on it: go starts the next phase, rework opens a rework task and re-evaluates the gate when it is done, no-go stops the project. rework and no-go need --note.

            A go on a gate whose criteria are not all met waives the unmet ones: it needs --note saying why, and the waiver is recorded with the vote. --condition (repeatable) attaches what the go requires next; the evaluation report lists waivers and conditions under the gate.

            Example:
              rollout approve prototype-test --by "Li Wei" --role steering --decision go --note "Pilot met its targets"
              rollout approve prototype-test --by "Li Wei" --role steering --decision go \\
                --note "Adoption is 3 pp short; the West rollout starts with training" \\
                --condition "Train the West team before cut-over"
            """)

    @Argument(help: "The phase whose gate is decided.")
    var phase: String

    @Option(help: "Who decides (a person's name).")
    var by: String

    @Option(help: "The organisation role the person votes for; the gate must name it.")
    var role: String

    @Option(help: "go, no-go or rework.")
    var decision: GateDecision

    @Option(help: "Why: shown in the evaluation report. Required for rework and no-go, and for a go that waives unmet criteria.")
    var note: String?

    @Option(help: "A condition of a go decision (repeatable).")
    var condition: [String] = []

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let session = try workspace.session()
            try output.emit(try session.approve(phaseID: phase, role: role, by: by, decision: decision, note: note,
                                                conditions: condition, clock: try workspace.clock()), \.message)
        }
    }
}
