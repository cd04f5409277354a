import CRMCore
import Engine
import Foundation
import GRDB
import RolloutMetrics
import Playbook
import PluginHost
import PluginKit

/// The plugins a playbook names, loaded for one workspace: their migrations applied, their
/// metrics in the KPI catalog, their actions and checks available to the engine.
///
/// Every call goes through the C ABI as JSON with a time limit. A plugin reads through the host's
/// query service (the SQL sandbox: published views and its own tables, read-only) and never
/// writes: an action returns writes, which `PluginWrites` checks against the manifest's
/// permissions and applies in the engine step's own transaction, audited with the plugin as
/// actor. So a step's effects happen exactly once, however often it is retried.
///
/// ```swift
/// let plugins = try PluginRuntime.load(playbook.plugins.map(\.id), directories: dirs, databasePath: path)
/// let engine = RolloutEngine(database: db, playbook: playbook, measurer: KPIMeasurer(catalog: plugins.catalog),
///                            plugins: plugins)
/// ```
public final class PluginRuntime: PluginBridge, @unchecked Sendable {
    public let plugins: [any PluginConnection]
    /// The built-in catalog with the plugins' metrics.
    public let catalog: MetricCatalog
    /// How long one call may take before it is abandoned.
    public let timeLimit: TimeInterval
    private let databasePath: String?

    init(plugins: [any PluginConnection], databasePath: String?, timeLimit: TimeInterval) throws {
        self.plugins = plugins
        self.databasePath = databasePath
        self.timeLimit = timeLimit
        var metrics = MetricCatalog.builtIn.metrics
        for plugin in plugins {
            for metric in plugin.declaration.metrics {
                metrics.append(try Self.definition(of: metric, plugin: plugin.id))
            }
        }
        catalog = MetricCatalog(metrics: metrics)
    }

    /// How long a plugin call may take: `ROLLOUT_PLUGIN_TIME_LIMIT` seconds, else 30.
    public static var defaultTimeLimit: TimeInterval {
        ProcessInfo.processInfo.environment["ROLLOUT_PLUGIN_TIME_LIMIT"].flatMap(Double.init).map { max(0.01, $0) } ?? 30
    }

    /// Whether plugin calls run in child processes: `--isolate-plugins`, which sets
    /// `ROLLOUT_ISOLATE_PLUGINS=1`.
    public static var isolateByDefault: Bool {
        ["1", "true", "yes"].contains(ProcessInfo.processInfo.environment["ROLLOUT_ISOLATE_PLUGINS"]?.lowercased() ?? "")
    }

    /// Loads the plugins `ids` from `directories` (each verified before `dlopen`) and applies
    /// their pending migrations to the workspace at `databasePath`. With `isolated`, no library
    /// is loaded here: each call runs in a child process (`IsolatedPlugin`).
    public static func load(_ ids: [String], directories: [String], databasePath: String?,
                            timeLimit: TimeInterval = defaultTimeLimit,
                            isolated: Bool = isolateByDefault) throws -> PluginRuntime {
        let found = try PluginLoader.discover(in: directories)
        var loaded: [any PluginConnection] = []
        for id in ids {
            guard let candidate = found.first(where: { $0.manifest.id == id }) else {
                let looked = directories.isEmpty ? "no plugin folders" : directories.joined(separator: ", ")
                throw PluginError(.notFound, "the playbook needs plugin '\(id)', which is not installed (looked in "
                    + "\(looked)); install it with `rollout plugin install DIR --db WORKSPACE`")
            }
            if isolated {
                try PluginLoader.verify(candidate, hostVersion: PluginCatalog.hostVersion)
                loaded.append(try IsolatedPlugin(candidate: candidate, executable: IsolatedPlugin.currentExecutable,
                                                 databasePath: databasePath, timeLimit: timeLimit))
            } else {
                loaded.append(try PluginLoader.shared.load(candidate, hostVersion: PluginCatalog.hostVersion,
                                                           services: services(for: candidate.manifest,
                                                                              databasePath: databasePath,
                                                                              timeLimit: timeLimit)))
            }
        }
        if let databasePath {
            for plugin in loaded { try PluginMigrator(databasePath: databasePath).apply(plugin) }
        }
        return try PluginRuntime(plugins: loaded, databasePath: databasePath, timeLimit: timeLimit)
    }

    /// Logging to standard error, and queries in the sandbox with the plugin's namespace.
    static func services(for manifest: PluginManifest, databasePath: String?, timeLimit: TimeInterval) -> PluginServices {
        let id = manifest.id
        let namespace = manifest.namespace
        return PluginServices(
            log: { level, message in
                guard level >= 1 else { return }
                FileHandle.standardError.write(Data("plugin \(id): \(message)\n".utf8))
            },
            query: { request in
                guard let databasePath else { throw PluginError(.call, "this command has no workspace to query") }
                let query = try JSONDecoder().decode(PluginQueryRequest.self, from: request)
                let sandbox = try SQLSandbox(path: databasePath, timeLimit: timeLimit, namespace: namespace)
                var arguments: [String: SQLSandbox.Argument] = [:]
                for (name, value) in query.arguments {
                    switch value {
                    case .int(let v): arguments[name] = .integer(v)
                    case .double(let v): arguments[name] = .real(v)
                    case .bool(let v): arguments[name] = .integer(v ? 1 : 0)
                    case .string(let v): arguments[name] = .text(v)
                    default: throw PluginError(.call, "query argument '\(name)' must be a number, text or boolean")
                    }
                }
                let result = try sandbox.rows(query.sql, arguments: arguments)
                let rows = result.rows.map { row in
                    row.map { value -> JSONValue in
                        switch value {
                        case .null: .null
                        case .integer(let v): .int(v)
                        case .real(let v): .double(v)
                        case .text(let v): .string(v)
                        }
                    }
                }
                return try JSONEncoder().encode(PluginQueryResponse(columns: result.columns, rows: rows))
            })
    }

    /// A plugin's metric as a catalog metric: it runs in the sandbox, like a custom `sql:` metric.
    static func definition(of metric: PluginMetric, plugin: String) throws -> MetricDefinition {
        func refuse(_ reason: String) -> PluginError {
            PluginError(.load, "plugin '\(plugin)': metric '\(metric.id)' \(reason)")
        }
        guard let category = MetricCategory(rawValue: metric.category) else {
            throw refuse("has category '\(metric.category)'; one of "
                + MetricCategory.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let aggregate = KPIDefinition.Aggregate(rawValue: metric.aggregate) else {
            throw refuse("has aggregate '\(metric.aggregate)'; one of "
                + KPIDefinition.Aggregate.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let direction: KPIDefinition.Direction
        switch metric.direction {
        case "higher", "higher_is_better": direction = .higherIsBetter
        case "lower", "lower_is_better": direction = .lowerIsBetter
        default: throw refuse("has direction '\(metric.direction)'; higher or lower")
        }
        return MetricDefinition(id: metric.id, category: category, name: metric.name, unit: metric.unit,
                                defaultAggregate: aggregate, naturalDirection: direction,
                                unitOfAnalysis: metric.unitOfAnalysis, definition: metric.definition, sql: metric.sql,
                                source: .plugin(plugin))
    }

    // MARK: PluginBridge

    public var actionSummaries: [String: String] {
        Dictionary(plugins.flatMap { $0.declaration.actions.map { ($0.id, $0.summary) } }, uniquingKeysWith: { a, _ in a })
    }

    public var checkSummaries: [String: String] {
        Dictionary(plugins.flatMap { $0.declaration.checks.map { ($0.id, $0.summary) } }, uniquingKeysWith: { a, _ in a })
    }

    public func perform(_ action: String, arguments: [String: String], context: PluginStepContext, _ db: Database) throws
        -> String
    {
        let plugin = try owner(of: action, in: \.actions, kind: "action")
        let request = PluginActionRequest(action: action, arguments: arguments, context: Self.context(context))
        let data = try plugin.call("action:\(action)", request: try JSONEncoder().encode(request), timeLimit: timeLimit)
        let response: PluginActionResponse
        do {
            response = try JSONDecoder().decode(PluginActionResponse.self, from: data)
        } catch {
            throw PluginError(.call, "plugin '\(plugin.id)' answered `action:\(action)` with JSON that is not an "
                + "action response (summary, writes): \(error)")
        }
        let applied = try PluginWrites(manifest: plugin.manifest, at: context.at).apply(response.writes, db)
        return response.summary + (applied.isEmpty ? "" : " (\(applied))")
    }

    public func check(_ check: String, arguments: [String: String], context: PluginStepContext) throws
        -> PluginCheckOutcome
    {
        let plugin = try owner(of: check, in: \.checks, kind: "check")
        let request = PluginCheckRequest(action: check, arguments: arguments, context: Self.context(context))
        let data = try plugin.call("check:\(check)", request: try JSONEncoder().encode(request), timeLimit: timeLimit)
        let response = try JSONDecoder().decode(PluginCheckResponse.self, from: data)
        return PluginCheckOutcome(passed: response.passed, detail: response.detail)
    }

    /// The context of each report section the plugins declare, rendered with their templates.
    public func reportSections(projectID: String?, at: Timestamp) -> [PluginReportSectionOutput] {
        plugins.flatMap { plugin in
            plugin.declaration.reportSections.map { section in
                PluginReportSectionOutput.render(section, of: plugin, projectID: projectID, at: at, timeLimit: timeLimit)
            }
        }
    }

    private func owner(of name: String, in list: KeyPath<PluginDeclaration, [PluginActionDeclaration]>, kind: String)
        throws -> any PluginConnection
    {
        guard let plugin = plugins.first(where: { $0.declaration[keyPath: list].contains { $0.id == name } }) else {
            throw PluginError(.notFound, "no loaded plugin provides the \(kind) '\(name)'")
        }
        return plugin
    }

    static func context(_ c: PluginStepContext) -> PluginCallContext {
        PluginCallContext(projectID: c.projectID, phaseID: c.phaseID, at: c.at.secondsSinceEpoch, idempotencyKey: c.key,
                          pilotUserIDs: c.pilotUserIDs,
                          record: c.record.map { PluginRecord(entity: $0.entity, id: $0.id, processID: $0.processID,
                                                              from: $0.from, to: $0.to) })
    }
}
