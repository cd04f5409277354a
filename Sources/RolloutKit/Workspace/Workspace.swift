import CRMCore
import Engine
import Evaluation
import Foundation
import RolloutMetrics
import Playbook
import PluginHost

/// A Rollout workspace: one SQLite database holding the CRM, the project's event log, its KPI
/// snapshots and lessons. Every command works on one.
///
/// ```swift
/// let workspace = try Workspace.create(directory: "acme")        // acme/rollout.sqlite
/// let same = try Workspace.open(databasePath: "acme/rollout.sqlite")
/// ```
public struct Workspace: Sendable {
    /// The file name `rollout init` gives the database.
    public static let databaseFileName = "rollout.sqlite"

    /// Every module's migrations, in dependency order.
    public static var modules: [any SchemaModule.Type] { [CRMSchema.self, MetricsSchema.self, EngineSchema.self,
                                                          EvaluationSchema.self] }

    public let database: WorkspaceDatabase
    public let catalog: MetricCatalog
    public let actions: ActionRegistry

    init(database: WorkspaceDatabase) {
        self.database = database
        self.catalog = .builtIn
        self.actions = .builtIn
    }

    /// Opens an existing workspace database, applying any pending migrations.
    public static func open(databasePath: String) throws -> Workspace {
        Workspace(database: try WorkspaceDatabase.open(at: databasePath, modules: modules, create: false))
    }

    /// Opens the workspace database, creating it when it does not exist.
    public static func openOrCreate(databasePath: String) throws -> Workspace {
        Workspace(database: try WorkspaceDatabase.open(at: databasePath, modules: modules, create: true))
    }

    /// Creates `directory` (if needed) and its `rollout.sqlite`; an existing workspace there is
    /// opened and migrated, never emptied.
    public static func create(directory: String) throws -> (workspace: Workspace, created: Bool) {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(databaseFileName).path
        let existed = FileManager.default.fileExists(atPath: path)
        return (try openOrCreate(databasePath: path), !existed)
    }

    /// An in-memory workspace, for tests and dry runs.
    public static func inMemory() throws -> Workspace {
        Workspace(database: try WorkspaceDatabase.inMemory(modules: modules))
    }

    /// The names of the applied migrations, oldest first.
    public func migrations() throws -> [String] {
        try database.appliedMigrations(modules: Self.modules)
    }

    /// Where this workspace's commands find plugins: `ROLLOUT_PLUGIN_PATH`, then `plugins/`
    /// beside the database.
    public var pluginDirectories: [String] {
        PluginCatalog.directories(explicit: [], databasePath: database.path)
    }

    /// What a playbook may name: the catalog's metrics and the engine's actions, with those of
    /// the plugins this workspace can find.
    public var playbookContext: PlaybookContext {
        Self.playbookContext(pluginDirectories: pluginDirectories)
    }

    /// The built-in names and those the plugins in `pluginDirectories` list in their
    /// plugin.yaml (read without loading any library).
    public static func playbookContext(pluginDirectories: [String]) -> PlaybookContext {
        var context = builtInPlaybookContext
        let found = (try? PluginLoader.discover(in: pluginDirectories)) ?? []
        for candidate in found {
            let m = candidate.manifest
            for metric in m.metrics { context.metrics?[metric] = "metric of plugin '\(m.id)'" }
            context.actions?.formUnion(m.actions)
            context.pluginActions = (context.pluginActions ?? []).union(m.actions)
            context.checks = (context.checks ?? []).union(m.checks)
            context.pluginDirectories[m.id] = candidate.directory
        }
        if context.pluginActions == nil { context.pluginActions = [] }
        if context.checks == nil { context.checks = [] }
        return context
    }

    /// The database path commands use: `--db`, else `ROLLOUT_DB`, else `./rollout.sqlite`.
    public static func databasePath(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String
    {
        if let option, !option.isEmpty { return option }
        if let env = environment["ROLLOUT_DB"], !env.isEmpty { return env }
        return databaseFileName
    }
}

/// A playbook that did not compile: every diagnostic, errors and warnings.
public struct PlaybookCompilationError: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [PlaybookDiagnostic]

    public var description: String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        return (diagnostics.map(\.description) + ["\(errors) error\(errors == 1 ? "" : "s"); nothing was written"])
            .joined(separator: "\n")
    }
}

extension Workspace {
    /// Compiles a playbook file against this workspace's catalog and actions.
    public func compile(playbookAt path: String, parameters: [String: String] = [:]) -> PlaybookCompilation {
        PlaybookCompiler(context: playbookContext, parameters: parameters).compile(path: path)
    }

    /// What a playbook may name when no workspace is open: the built-in metrics and actions, and
    /// the CRM's entities with their fields (for process models and their guards).
    public static var builtInPlaybookContext: PlaybookContext {
        PlaybookContext(metrics: MetricCatalog.builtIn.summaries, actions: ActionRegistry.builtIn.names,
                        entities: crmEntities)
    }

    /// Every CRM entity → its fields typed for conditions (`record.amount` is a number…).
    public static let crmEntities: [String: [String: ConditionType]] = {
        var entities: [String: [String: ConditionType]] = [:]
        for entity in EntityCatalog.all {
            var fields: [String: ConditionType] = ["id": .number]
            for field in entity.fields {
                fields[field.name] = switch field.kind {
                case .integer, .decimal, .money, .timestamp: .number
                case .boolean: .boolean
                case .reference: .number
                default: .text
                }
            }
            entities[entity.name] = fields
        }
        return entities
    }()

    /// Compiles a playbook file with the built-in catalog and actions (no workspace needed).
    /// `pluginDirectories` are where the playbook's `plugins:` are looked for (see
    /// `PluginCatalog.directories`).
    public static func check(playbookAt path: String, parameters: [String: String] = [:],
                             pluginDirectories: [String] = PluginCatalog.directories(explicit: [], databasePath: nil))
        -> PlaybookCompilation
    {
        var compilation = PlaybookCompiler(context: playbookContext(pluginDirectories: pluginDirectories),
                                           parameters: parameters).compile(path: path)
        if let playbook = compilation.playbook {
            let sql = SQLMetricCheck.diagnostics(for: playbook)
                + PluginCatalog(directories: pluginDirectories).diagnostics(for: playbook)
            if !sql.isEmpty {
                compilation.diagnostics += sql
                if sql.contains(where: { $0.severity == .error }) { compilation.playbook = nil }
            }
        }
        return compilation
    }
}
