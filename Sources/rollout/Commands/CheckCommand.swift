import ArgumentParser
import Foundation
import Playbook
import RolloutKit

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate playbooks and print every problem as FILE:LINE:COL: error|warning[CODE]: message.",
        discussion: """
            Checks YAML syntax, every key (an unknown key is an error, with the key you probably meant), every reference (roles, KPIs, metrics, phases, tasks, deliverables, pilot groups, processes, states, actions), every condition (names, types, and that it is true or false), extends/include/parameters, and the method (three KPIs per goal, a control group per pilot, an approver per gate…) in one pass. Each problem is followed by its line with a caret under the column. Exit status 1 when any error is found.

            The codes are listed in docs/playbook-reference.md; --format json gives editors the same diagnostics as data.

            Examples:
              rollout check Playbooks/standard-nine-phase.yaml
              rollout check my-rollout.yaml --param pilot_weeks=8
              rollout check Playbooks/*.yaml --format json
            """)

    @Argument(help: "Playbook files.")
    var files: [String]

    @Option(help: "text, or json for editors and scripts.")
    var format: Format = .text

    @OptionGroup var plugins: PluginOptions

    @Option(name: .long, help: ArgumentHelp(
        "A workspace whose plugins/ the playbook's `plugins:` may come from (default: $ROLLOUT_DB, if set).",
        valueName: "path"))
    var db: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A value for one of the playbook's parameters.", valueName: "NAME=VALUE"))
    var parameters: [String] = []

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
        var compilations: [PlaybookCompilation] = []
        let values = try ParameterOption.parse(parameters)
        for file in files {
            let workspaceDB = db ?? ProcessInfo.processInfo.environment["ROLLOUT_DB"]
            let compilation = Workspace.check(playbookAt: file, parameters: values, pluginDirectories:
                PluginCatalog.directories(explicit: plugins.directories, databasePath: workspaceDB))
            compilations.append(compilation)
            results.append(FileResult(file: file, ok: !compilation.hasErrors, errors: compilation.errors.count,
                                      warnings: compilation.warnings.count, diagnostics: compilation.diagnostics))
            guard format == .text else { continue }
            if !compilation.diagnostics.isEmpty { print(compilation.renderedDiagnostics) }
            if let playbook = compilation.playbook {
                func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
                print("\(file): ok: playbook '\(playbook.id)', \(count(playbook.phases.count, "phase")), "
                    + "\(count(playbook.phases.map(\.tasks.count).reduce(0, +), "task")), \(count(playbook.kpis.count, "KPI")), "
                    + "\(count(playbook.goals.count, "goal")), \(count(playbook.pilotGroups.count, "pilot group")); "
                    + "\(count(compilation.warnings.count, "warning"))")
            } else {
                print("\(file): \(compilation.errors.count) error\(compilation.errors.count == 1 ? "" : "s"), "
                    + "\(compilation.warnings.count) warning\(compilation.warnings.count == 1 ? "" : "s")")
            }
        }
        if format == .json { try Terminal.json(results) }
        // The process is about to exit: like a compiler driver (clang's -disable-free), leave
        // the playbooks' memory to the exit instead of freeing it object by object, which was
        // a tenth of checking a large playbook.
        _ = Unmanaged.passRetained(Retained(compilations))
        if results.contains(where: { !$0.ok }) { throw ExitCode.failure }
    }
}

/// Keeps a value alive until the process exits (see `CheckCommand.run`).
private final class Retained<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
}
