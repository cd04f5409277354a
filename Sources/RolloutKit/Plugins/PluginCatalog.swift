import CRMCore
import Foundation
import Playbook
import PluginHost

/// The plugins a command can see, and installing one into a workspace.
///
/// Discovery looks, in this order, in each `--plugins DIR`, in each folder of
/// `ROLLOUT_PLUGIN_PATH` (colon-separated), and in the workspace's `plugins/` folder beside its
/// database; the first plugin found with an id wins.
///
/// ```swift
/// let catalog = PluginCatalog(directories: PluginCatalog.directories(explicit: ["/opt/plugins"],
///                                                                    databasePath: "ws/rollout.sqlite"))
/// for status in try catalog.verifyAll() { print(status.id, status.problem ?? "ok") }
/// ```
public struct PluginCatalog: Sendable {
    /// The version plugins' `host_version` ranges are checked against.
    public static let hostVersion = "0.1.0"

    public var directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    public static func directories(explicit: [String], databasePath: String?,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var result = explicit
        if let path = environment["ROLLOUT_PLUGIN_PATH"] {
            result += path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        if let databasePath { result.append(workspacePlugins(databasePath: databasePath)) }
        return result
    }

    /// `plugins/` beside the workspace database: where `install` puts plugins.
    public static func workspacePlugins(databasePath: String) -> String {
        (URL(fileURLWithPath: databasePath).deletingLastPathComponent().path as NSString).appendingPathComponent("plugins")
    }

    public func candidates() throws -> [PluginCandidate] {
        try PluginLoader.discover(in: directories)
    }

    /// One plugin's state: where it is, what it declares, and the first problem, if any.
    public struct Status: Sendable, Codable {
        public var id: String
        public var name: String
        public var version: String
        public var directory: String
        public var library: String
        public var sha256: String?
        public var metrics: [String]
        public var actions: [String]
        public var checks: [String]
        public var permissions: [String]
        /// nil when the plugin verifies (and, with `load`, loads).
        public var problem: String?
        public var problemKind: String?
    }

    /// Checks every plugin found; with `load`, also loads each one that verifies.
    public func statuses(load: Bool) throws -> [Status] {
        try candidates().map { status(of: $0, load: load) }
    }

    public func status(of candidate: PluginCandidate, load: Bool) -> Status {
        let m = candidate.manifest
        var status = Status(id: m.id, name: m.name, version: m.version, directory: candidate.directory,
                            library: candidate.libraryPath, sha256: m.librarySHA256, metrics: m.metrics,
                            actions: m.actions, checks: m.checks, permissions: m.permissions)
        do {
            if load {
                _ = try PluginLoader.shared.load(candidate, hostVersion: Self.hostVersion)
            } else {
                try PluginLoader.verify(candidate, hostVersion: Self.hostVersion)
            }
        } catch let error as PluginError {
            status.problem = error.message
            status.problemKind = error.kind.rawValue
        } catch {
            status.problem = "\(error)"
        }
        return status
    }

    /// Loads plugin `id` (verified first) and runs one operation; its queries read the workspace
    /// at `databasePath`, when given (nothing is written: writes an action returns are printed,
    /// not applied).
    public func call(_ id: String, _ operation: String, request: Data, timeLimit: TimeInterval,
                     databasePath: String? = nil) throws -> Data {
        let found = try candidates()
        guard let candidate = found.first(where: { $0.manifest.id == id }) else {
            throw PluginError(.notFound, "no plugin '\(id)'; found: "
                + (found.isEmpty ? "none" : found.map(\.manifest.id).joined(separator: ", ")))
        }
        let services = PluginRuntime.services(for: candidate.manifest, databasePath: databasePath, timeLimit: timeLimit)
        let plugin = try PluginLoader.shared.load(candidate, hostVersion: Self.hostVersion, services: services)
        if operation == IsolatedPlugin.declarationOperation { return Data(plugin.declaredManifest.utf8) }
        return try plugin.call(operation, request: request, timeLimit: timeLimit)
    }

    /// `missing-plugin` for each of the playbook's `plugins:` that is not found, and
    /// `plugin-refused` for one found that fails its checks before loading.
    public func diagnostics(for playbook: Playbook) -> [PlaybookDiagnostic] {
        guard !playbook.plugins.isEmpty else { return [] }
        let found: [PluginCandidate]
        do {
            found = try candidates()
        } catch {
            return [PlaybookDiagnostic(.error, code: "missing-plugin", "the plugins could not be read: \(error)",
                                       at: playbook.plugins[0].location)]
        }
        return playbook.plugins.compactMap { required -> PlaybookDiagnostic? in
            guard let candidate = found.first(where: { $0.manifest.id == required.id }) else {
                let looked = directories.isEmpty ? "no plugin folders" : directories.joined(separator: ", ")
                return PlaybookDiagnostic(.error, code: "missing-plugin",
                    "the playbook needs plugin '\(required.id)', which is not installed (looked in \(looked)); "
                        + "install it with `rollout plugin install DIR --db WORKSPACE`, or name its folder with --plugins",
                    at: required.location)
            }
            if let problem = status(of: candidate, load: false).problem {
                return PlaybookDiagnostic(.error, code: "plugin-refused",
                                          "the playbook needs plugin '\(required.id)', which is refused: \(problem)",
                                          at: required.location)
            }
            return nil
        }
    }

    /// Whether the tables of one namespace could be taken for the other's (`retail_…` holds `retail_x_…`).
    static func overlap(_ a: String, _ b: String) -> Bool {
        a == b || a.hasPrefix(b + "_") || b.hasPrefix(a + "_")
    }

    /// Copies the plugin in `source` (its plugin.yaml, its library — or `library` — and its
    /// `templates/` and `fragments/`) into `plugins/ID/` of the workspace, records the
    /// library's SHA-256 in the copied manifest, loads it once to check its entry symbol, ABI and
    /// declaration, and applies its migrations when the workspace exists. A plugin that does not
    /// load or migrate is not left installed.
    public static func install(from source: String, library explicitLibrary: String? = nil,
                               databasePath: String) throws -> Status {
        let manifestPath = (source as NSString).appendingPathComponent(PluginManifest.fileName)
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            throw PluginError(.manifest, "\(source) has no \(PluginManifest.fileName); a plugin folder holds its manifest "
                + "and its library (docs/plugin-author-guide.md)")
        }
        var manifest = try PluginManifest.read(at: manifestPath)
        let library = explicitLibrary ?? (source as NSString).appendingPathComponent(manifest.library)
        guard FileManager.default.fileExists(atPath: library) else {
            throw PluginError(.missingFile, "plugin '\(manifest.id)': its library \(library) does not exist; build it "
                + "first, and name it with --library when the build puts it elsewhere")
        }
        // Namespaces are prefixes: `retail` and `retail-x` would share the tables `retail_x_…`.
        let installed = try PluginLoader.discover(in: [workspacePlugins(databasePath: databasePath)])
        if let other = installed.first(where: { $0.manifest.id != manifest.id && Self.overlap($0.manifest.namespace, manifest.namespace) }) {
            throw PluginError(.manifest, "plugin '\(manifest.id)' cannot be installed beside plugin '\(other.manifest.id)': "
                + "their namespaces \(manifest.namespace)_… and \(other.manifest.namespace)_… overlap, so one could read "
                + "and write the other's tables; give one of them another id")
        }
        let target = (workspacePlugins(databasePath: databasePath) as NSString).appendingPathComponent(manifest.id)
        let staging = target + ".installing-\(UUID().uuidString.prefix(8))"
        let files = FileManager.default
        try files.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            try files.copyItem(atPath: library, toPath: (staging as NSString).appendingPathComponent(manifest.library))
            for folder in ["templates", "fragments"] {
                let from = (source as NSString).appendingPathComponent(folder)
                if files.fileExists(atPath: from) {
                    try files.copyItem(atPath: from, toPath: (staging as NSString).appendingPathComponent(folder))
                }
            }
            manifest.librarySHA256 = try PluginLoader.sha256(ofFileAt: (staging as NSString).appendingPathComponent(manifest.library))
            var text = String(decoding: files.contents(atPath: manifestPath) ?? Data(), as: UTF8.self)
            text = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("library_sha256:") }.joined(separator: "\n")
            if !text.hasSuffix("\n") { text += "\n" }
            text += "library_sha256: \(manifest.librarySHA256!)\n"
            try text.write(toFile: (staging as NSString).appendingPathComponent(PluginManifest.fileName),
                           atomically: true, encoding: .utf8)
            let candidate = PluginCandidate(directory: staging, manifest: manifest)
            // A fresh loader: the check must really load this file.
            let loaded = try PluginLoader().load(candidate, hostVersion: hostVersion)
            if files.fileExists(atPath: databasePath) {
                _ = try Workspace.open(databasePath: databasePath)  // the host's own migrations first
                try PluginMigrator(databasePath: databasePath).apply(loaded)
            }
            if files.fileExists(atPath: target) { try files.removeItem(atPath: target) }
            try files.moveItem(atPath: staging, toPath: target)
        } catch {
            try? files.removeItem(atPath: staging)
            throw error
        }
        return PluginCatalog(directories: [target]).status(of: PluginCandidate(
            directory: target, manifest: try PluginManifest.read(at: (target as NSString).appendingPathComponent(PluginManifest.fileName))),
            load: false)
    }
}
