import ArgumentParser
import Foundation
import RolloutKit

/// Where to look for plugins, for every plugin command.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugins"), help: ArgumentHelp(
        "A folder of plugins to look in first (repeatable); then $ROLLOUT_PLUGIN_PATH, then the workspace's plugins/.",
        valueName: "dir"))
    var directories: [String] = []
}

struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "List, inspect, verify and install vertical plugins (shared libraries loaded through a C ABI).",
        discussion: """
            A plugin is a folder with plugin.yaml (id, name, version, abi_version, host_version, library, provides, permissions) and its shared library. `install` copies it into the workspace's plugins/ folder and records the library's SHA-256; before any load, a library whose checksum, ABI version or file kind does not match is refused, with what to do.

            Examples:
              rollout plugin install Plugins/Retail/build --db rollout-demo/rollout.sqlite
              rollout plugin verify --db rollout-demo/rollout.sqlite
              rollout plugin info retail --json
            """,
        subcommands: [PluginList.self, PluginInfo.self, PluginVerify.self, PluginInstall.self, PluginCall.self],
        defaultSubcommand: PluginList.self)

    static func catalog(_ plugins: PluginOptions, _ workspace: WorkspaceOptions) -> PluginCatalog {
        PluginCatalog(directories: PluginCatalog.directories(explicit: plugins.directories,
                                                             databasePath: workspace.databasePath))
    }

    static func describe(_ s: PluginCatalog.Status) -> String {
        var lines = ["\(s.id) \(s.version) — \(s.name)", "  folder:  \(s.directory)", "  library: \(s.library)",
                     "  sha256:  \(s.sha256 ?? "not recorded")"]
        if !s.metrics.isEmpty { lines.append("  metrics: " + s.metrics.joined(separator: ", ")) }
        if !s.actions.isEmpty { lines.append("  actions: " + s.actions.joined(separator: ", ")) }
        if !s.checks.isEmpty { lines.append("  checks:  " + s.checks.joined(separator: ", ")) }
        if !s.permissions.isEmpty { lines.append("  permissions: " + s.permissions.joined(separator: ", ")) }
        lines.append("  status:  " + (s.problem.map { "refused: \($0)" } ?? "ok"))
        return lines.joined(separator: "\n")
    }
}

struct PluginList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The plugins found, with whether each verifies (nothing is loaded).")

    @OptionGroup var plugins: PluginOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let statuses = try PluginCommand.catalog(plugins, workspace).statuses(load: false)
            try output.emit(statuses) { list in
                list.isEmpty ? "no plugins found (looked in: "
                    + PluginCommand.catalog(plugins, workspace).directories.joined(separator: ", ") + ")"
                    : Terminal.table(list.map { [$0.id, $0.version, $0.name, $0.problem == nil ? "ok" : "refused"] })
            }
        }
    }
}

struct PluginInfo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "One plugin's manifest and state.")

    @Argument(help: "The plugin's id.") var id: String
    @OptionGroup var plugins: PluginOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let catalog = PluginCommand.catalog(plugins, workspace)
            let candidates = try catalog.candidates()
            guard let candidate = candidates.first(where: { $0.manifest.id == id }) else {
                throw ValidationError("no plugin '\(id)'; found: "
                    + (candidates.isEmpty ? "none" : candidates.map(\.manifest.id).joined(separator: ", ")))
            }
            try output.emit(catalog.status(of: candidate, load: false), PluginCommand.describe)
        }
    }
}

struct PluginVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every plugin (or one) before loading, then load it: exit 1 if any is refused.")

    @Argument(help: "Only this plugin.") var id: String?
    @OptionGroup var plugins: PluginOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            var statuses = try PluginCommand.catalog(plugins, workspace).statuses(load: true)
            if let id { statuses = statuses.filter { $0.id == id } }
            try output.emit(statuses) { list in
                list.map { "\($0.id) \($0.version): " + ($0.problem.map { "refused: \($0)" } ?? "ok") }
                    .joined(separator: "\n")
            }
            if statuses.contains(where: { $0.problem != nil }) { throw ExitCode.failure }
        }
    }
}

struct PluginInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Copy a plugin folder into the workspace's plugins/, record its SHA-256, check that it loads, apply its migrations.",
        discussion: """
            Copies plugin.yaml, the library it names, and the plugin's templates/ and fragments/ folders. The library is taken from the folder, or from --library when it is built elsewhere. The workspace must exist: the plugin's migrations (its own tables and views) are applied to it.

            Example:
              swift build --product RolloutRetail
              rollout plugin install Plugins/Retail --library .build/debug/libRolloutRetail.so --db rollout-demo/rollout.sqlite
            """)

    @Argument(help: "The plugin's folder: plugin.yaml (and the library it names, unless --library).") var source: String
    @Option(help: ArgumentHelp("The plugin's shared library, when it is not in the folder.", valueName: "file"))
    var library: String?
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let status = try PluginCatalog.install(from: source, library: library, databasePath: workspace.databasePath)
            try output.emit(status) { "installed " + PluginCommand.describe($0) }
        }
    }
}

struct PluginCall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Load a plugin and run one operation on a JSON request; print its JSON response (for plugin authors).",
        discussion: """
            Example: rollout plugin call example action:example.greet '{"name": "Li Wei"}' --db rollout-demo/rollout.sqlite
            """)

    @Argument(help: "The plugin's id.") var id: String
    @Argument(help: "The operation, such as action:retail.enroll-loyalty.") var operation: String
    @Argument(help: "The request, as JSON; - reads it from standard input.") var request: String = "{}"
    @Option(name: .customLong("time-limit"), help: "Seconds the call may take.") var timeLimit: Double = 10
    @OptionGroup var plugins: PluginOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try Terminal.failing {
            let path = workspace.databasePath
            let body = request == "-" ? FileHandle.standardInput.readDataToEndOfFile() : Data(request.utf8)
            let response = try PluginCommand.catalog(plugins, workspace).call(
                id, operation, request: body, timeLimit: timeLimit,
                databasePath: FileManager.default.fileExists(atPath: path) ? path : nil)
            print(String(decoding: response, as: UTF8.self))
        }
    }
}
