import ArgumentParser
import Foundation
import RolloutKit

struct HandoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handover",
        abstract: "Write the hand-over pack for an incoming consultant: handover.md and handover.html.",
        discussion: """
            Where the project stands (phases, current phase, next step); every gate decision with each approver's vote and reason; custom requirements (tasks added by playbook upgrades) and the playbook version history; open risks (gates not passed, overdue tasks, criteria failing at the last evaluation, lessons with a long delay or a cost); open tasks with owners and due dates; lessons learned by category; who holds each role and which gates and tasks it approves or owns.

            Everything comes from the workspace, so the pack is the same whoever writes it. The HTML is one self-contained file that prints cleanly. Templates are Templates/handover.*.mustache; copy them into WORKSPACE/templates/ (or pass --templates DIR) to restyle the pack.

            Example: rollout handover --db acme/rollout.sqlite --out handover/
            """)

    @Option(help: "The directory the files are written to.")
    var out: String = "."

    @Option(help: "A directory of templates to use before the bundled ones.")
    var templates: String?

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try Terminal.failing {
            let session = try workspace.session()
            let workspaceDirectory = URL(fileURLWithPath: workspace.databasePath).deletingLastPathComponent().path
            let writer = HandoverWriter(templates: .templates(explicit: templates, workspaceDirectory: workspaceDirectory))
            let clock = try workspace.clock()
            let pack = try writer.pack(session, asOf: clock.isVirtual ? clock.now : nil)
            for path in try writer.write(pack, to: out) { print(path) }
        }
    }
}
