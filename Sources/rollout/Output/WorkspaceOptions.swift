import ArgumentParser
import CRMCore
import Foundation
import RolloutKit

/// The options every workspace command shares.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The workspace database (default: $ROLLOUT_DB, else ./rollout.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Act at this moment instead of now: YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ. Runs on a virtual clock.",
        valueName: "date"))
    var asOf: String?

    @Flag(name: .customLong("isolate-plugins"), help: ArgumentHelp(
        "Run every plugin call in a child process, so a plugin that crashes cannot take this command down (slower; also ROLLOUT_ISOLATE_PLUGINS=1)."))
    var isolatePlugins = false

    var databasePath: String { Workspace.databasePath(option: db) }

    func clock() throws -> ProjectClock {
        guard let asOf else { return .system }
        do {
            return .fixed(try Timestamp(parsing: asOf))
        } catch {
            throw ValidationError("--as-of: \(error)")
        }
    }

    func open() throws -> Workspace {
        // The plugin runtime reads it when the session loads the playbook's plugins.
        if isolatePlugins { setenv("ROLLOUT_ISOLATE_PLUGINS", "1", 1) }
        return try Workspace.open(databasePath: databasePath)
    }

    /// The project of the workspace, with the playbook recorded when it started.
    func session() throws -> ProjectSession {
        try open().session(playbookPath: nil)
    }
}

/// `--json` for commands whose output scripts read.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// Prints `value` as JSON with --json, else the text `describe` makes of it.
    func emit<T: Encodable>(_ value: T, _ describe: (T) -> String) throws {
        if json {
            try Terminal.json(value)
        } else {
            print(describe(value))
        }
    }
}
