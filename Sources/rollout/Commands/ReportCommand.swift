import ArgumentParser
import CRMCore
import Evaluation
import Foundation
import RolloutKit

extension ReportFormat: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the steering committee's evaluation: HTML, Markdown, JSON or XLSX.",
        discussion: """
            Per phase: the gate result and decision, KPI baseline → target → actual for pilot and control, lessons learned; then the ROI. The HTML is one self-contained file (inline CSS, SVG charts) that prints to PDF. The XLSX workbook has a sheet per section (summary, recommendation, pilot vs control, KPIs, trends, phases, gate criteria, votes, lessons, cash flows, evidence report, snapshots); text stays text. Templates are Templates/*.mustache; copy them into WORKSPACE/templates/ (or pass --templates DIR) to restyle the report without recompiling.

            Example: rollout report --db rollout-demo/rollout.sqlite --format html --format md --out out/
            """)

    @Option(help: "html, md, json or xlsx; repeat for several (default: html).")
    var format: [ReportFormat] = []

    @Option(help: "The directory the files are written to (evaluation.<format>).")
    var out: String = "."

    @Option(help: "A directory of templates to use before the bundled ones.")
    var templates: String?

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try Terminal.failing {
            let ws = try workspace.open()
            let session = try ws.session(playbookPath: nil)
            let workspaceDirectory = URL(fileURLWithPath: workspace.databasePath).deletingLastPathComponent().path
            let writer = ReportWriter(templates: .templates(explicit: templates, workspaceDirectory: workspaceDirectory))
            let clock = try workspace.clock()
            let report = try writer.report(session, asOf: clock.isVirtual ? clock.now : nil)
            let paths = try writer.write(report, formats: format.isEmpty ? [.html] : format, to: out)
            for path in paths { print(path) }
        }
    }
}
