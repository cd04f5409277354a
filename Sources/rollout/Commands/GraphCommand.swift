import ArgumentParser
import Foundation
import Playbook
import RolloutKit

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a playbook's phases, or one of its processes, as Mermaid, DOT, SVG or BPMN 2.0.",
        discussion: """
            Without --process: the phase graph, start → each phase → its gate → … → end, with a dashed loop from the last gate of each cycle back to its first phase. With --process ID: that business process (its to_be variant unless --variant as_is), each state a task, final states as end events, a choice where a state has several transitions.

            Formats: mermaid (flowchart LR / stateDiagram-v2, renders in GitHub Markdown), dot (Graphviz), svg (self-contained picture), bpmn (BPMN 2.0 with diagram; opens in bpmn.io and Camunda Modeler and runs on engines such as SpiffWorkflow; a cycle repeats when the task data holds repeat == True). docs/graphs.md has the details.

            The playbook is checked as `rollout check` checks it; with errors, they are printed and nothing is drawn.

            Examples:
              rollout graph Playbooks/standard-nine-phase.yaml
              rollout graph playbook.yaml --format svg --out phases.svg
              rollout graph playbook.yaml --process leads --format bpmn --out leads.bpmn
              rollout graph playbook.yaml --process leads --variant as_is
            """)

    @Argument(help: "The playbook file.")
    var file: String

    @Option(help: "The output format.")
    var format: GraphFormat = .mermaid

    @Option(help: ArgumentHelp("Draw this process instead of the phases.", valueName: "id"))
    var process: String?

    @Option(help: "Which variant of --process to draw.")
    var variant: ProcessVariant.Kind = .toBe

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var out: String?

    func validate() throws {
        if process == nil && variant != .toBe { throw ValidationError("--variant applies only with --process ID") }
    }

    func run() throws {
        try Terminal.failing {
            let compilation = Workspace.check(playbookAt: file)
            guard let playbook = compilation.playbook else {
                // As `check` prints them, but on stderr: stdout is for the drawing.
                let errors = compilation.errors.count
                Terminal.note((compilation.diagnostics.map(\.description)
                    + ["\(file): \(errors) error\(errors == 1 ? "" : "s"); nothing was drawn"]).joined(separator: "\n"))
                throw ExitCode.failure
            }
            let text = format.render(try playbook.graph(process: process, variant: variant))
            guard let out else { return print(text, terminator: "") }
            do {
                try text.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw ValidationError("cannot write \(out): \(error.localizedDescription); check that its directory exists and is writable")
            }
            Terminal.note("wrote \(out)")
        }
    }
}

extension GraphFormat: ExpressibleByArgument {}
extension ProcessVariant.Kind: ExpressibleByArgument {}
