import ArgumentParser
import Foundation
import Playbook
import RolloutKit

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate playbooks and print every problem as FILE:LINE:COL: error|warning: message.",
        discussion: """
            Checks YAML syntax, every key, every reference (roles, KPIs, metrics, phases, tasks, deliverables, pilot groups, actions) and the method (three KPIs per goal, a control group per pilot, an approver per gate…) in one pass. Exit status 1 when any error is found.

            Example:
              rollout check Playbooks/standard-nine-phase.yaml
            """)

    @Argument(help: "Playbook files.")
    var files: [String]

    @Option(help: "text, or json for editors and scripts.")
    var format: Format = .text

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    struct FileResult: Encodable {
        var file: String
        var ok: Bool
        var errors: Int
        var warnings: Int
        var diagnostics: [PlaybookDiagnostic]
    }

    func run() throws {
        var results: [FileResult] = []
        for file in files {
            let compilation = Workspace.check(playbookAt: file)
            results.append(FileResult(file: file, ok: !compilation.hasErrors, errors: compilation.errors.count,
                                      warnings: compilation.warnings.count, diagnostics: compilation.diagnostics))
            guard format == .text else { continue }
            for diagnostic in compilation.diagnostics { print(diagnostic) }
            if let playbook = compilation.playbook {
                let pilots = playbook.pilotGroups.count
                print("\(file): ok: playbook '\(playbook.id)', \(playbook.phases.count) phases, "
                    + "\(playbook.phases.map(\.tasks.count).reduce(0, +)) tasks, \(playbook.kpis.count) KPIs, "
                    + "\(playbook.goals.count) goals, \(pilots) pilot group\(pilots == 1 ? "" : "s"); "
                    + "\(compilation.warnings.count) warning\(compilation.warnings.count == 1 ? "" : "s")")
            } else {
                print("\(file): \(compilation.errors.count) error\(compilation.errors.count == 1 ? "" : "s"), "
                    + "\(compilation.warnings.count) warning\(compilation.warnings.count == 1 ? "" : "s")")
            }
        }
        if format == .json { try Terminal.json(results) }
        if results.contains(where: { !$0.ok }) { throw ExitCode.failure }
    }
}
