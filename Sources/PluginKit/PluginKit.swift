import CRolloutPlugin
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a plugin author implements: the declaration the library makes (its metrics, actions,
/// checks, migrations, report sections) and the operations the host calls, with JSON in and out.
/// PluginKit turns it into the C table of `rollout_plugin.h`.
///
/// Implement `perform`, `check` and `report` for the typed contract of `Contract.swift` (the
/// default `call` routes `action:ID`, `check:ID` and `report:ID` to them), or `call` itself to
/// handle raw JSON.
///
/// ```swift
/// import CRolloutPlugin
/// import PluginKit
///
/// struct Retail: RolloutPlugin {
///     let manifest = PluginDeclaration(id: "retail", version: "1.0.0",
///                                      actions: [.init(id: "retail.enroll-loyalty", summary: "…")])
///     func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse { … }
/// }
///
/// @_cdecl("rollout_plugin_entry")
/// public func rolloutPluginEntry(_ host: UnsafePointer<rollout_host_services>?) -> UnsafePointer<rollout_plugin>? {
///     PluginExport.table(for: Retail(), host: host)
/// }
/// ```
public protocol RolloutPlugin: Sendable {
    var manifest: PluginDeclaration { get }
    /// Answers `operation` (`action:ID`, `check:ID`, `report:ID`); a thrown error goes back to
    /// the host as `{"error": "<its description>"}`.
    func call(_ operation: String, request: Data, host: PluginHostServices) throws -> Data
    /// Runs one of the declared actions.
    func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse
    /// Evaluates one of the declared checks.
    func check(_ request: PluginCheckRequest, host: PluginHostServices) throws -> PluginCheckResponse
    /// The context of one of the declared report sections' templates.
    func report(_ request: PluginReportRequest, host: PluginHostServices) throws -> JSONValue
}

extension RolloutPlugin {
    public func call(_ operation: String, request: Data, host: PluginHostServices) throws -> Data {
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        if operation.hasPrefix("action:") {
            return try encoder.encode(perform(try decoder.decode(PluginActionRequest.self, from: request), host: host))
        }
        if operation.hasPrefix("check:") {
            return try encoder.encode(check(try decoder.decode(PluginCheckRequest.self, from: request), host: host))
        }
        if operation.hasPrefix("report:") {
            return try encoder.encode(report(try decoder.decode(PluginReportRequest.self, from: request), host: host))
        }
        throw PluginFailure("plugin '\(manifest.id)' has no operation '\(operation)'")
    }

    public func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse {
        throw PluginFailure("plugin '\(manifest.id)' has no action '\(request.action)'")
    }

    public func check(_ request: PluginCheckRequest, host: PluginHostServices) throws -> PluginCheckResponse {
        throw PluginFailure("plugin '\(manifest.id)' has no check '\(request.action)'")
    }

    public func report(_ request: PluginReportRequest, host: PluginHostServices) throws -> JSONValue {
        throw PluginFailure("plugin '\(manifest.id)' has no report section '\(request.section)'")
    }
}

/// The manifest as the library declares it; the host checks its id against plugin.yaml and
/// every declared metric, action and check against plugin.yaml's `provides`.
public struct PluginDeclaration: Sendable, Codable {
    public var id: String
    public var version: String
    public var metrics: [PluginMetric]
    public var actions: [PluginActionDeclaration]
    public var checks: [PluginCheckDeclaration]
    public var migrations: [PluginMigration]
    public var reportSections: [PluginReportSection]

    public init(id: String, version: String, metrics: [PluginMetric] = [], actions: [PluginActionDeclaration] = [],
                checks: [PluginCheckDeclaration] = [], migrations: [PluginMigration] = [],
                reportSections: [PluginReportSection] = []) {
        self.id = id
        self.version = version
        self.metrics = metrics
        self.actions = actions
        self.checks = checks
        self.migrations = migrations
        self.reportSections = reportSections
    }

    enum CodingKeys: String, CodingKey {
        case id, version, metrics, actions, checks, migrations
        case reportSections = "report_sections"
    }

    /// Missing lists read as empty, so a library written in C may declare only what it has.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        version = try c.decodeIfPresent(String.self, forKey: .version) ?? "0.0.0"
        metrics = try c.decodeIfPresent([PluginMetric].self, forKey: .metrics) ?? []
        actions = try c.decodeIfPresent([PluginActionDeclaration].self, forKey: .actions) ?? []
        checks = try c.decodeIfPresent([PluginCheckDeclaration].self, forKey: .checks) ?? []
        migrations = try c.decodeIfPresent([PluginMigration].self, forKey: .migrations) ?? []
        reportSections = try c.decodeIfPresent([PluginReportSection].self, forKey: .reportSections) ?? []
    }

    /// `retail` → `retail`, `financial-services` → `financial_services`: the prefix of the
    /// plugin's tables (`retail_…`) and views (`v_retail_…`).
    public static func namespace(of id: String) -> String {
        String(id.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}

/// A plugin's error, returned to the host with its message.
public struct PluginFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The host's services, as Swift: logging and read-only queries on the published views.
public struct PluginHostServices: @unchecked Sendable {
    let table: UnsafePointer<rollout_host_services>?

    public enum Level: Int32, Sendable { case debug, info, warning, error }

    public func log(_ message: String, level: Level = .info) {
        guard let table, let log = table.pointee.log else { return }
        log(table.pointee.context, level.rawValue, message)
    }

    /// Runs one SELECT on the published views and the plugin's own tables, in the host's
    /// read-only sandbox (it sees the last committed state of the workspace).
    ///
    /// ```swift
    /// let rows = try host.query("SELECT id, account_id FROM v_orders WHERE ordered_at >= :since",
    ///                           arguments: ["since": .int(since)]).records
    /// ```
    public func query(_ sql: String, arguments: [String: JSONValue] = [:]) throws -> PluginQueryResponse {
        let request = try JSONEncoder().encode(PluginQueryRequest(sql: sql, arguments: arguments))
        return try JSONDecoder().decode(PluginQueryResponse.self, from: query(request))
    }

    /// The raw form of `query(_:arguments:)`: a `PluginQueryRequest` as JSON → the response JSON.
    public func query(_ request: Data) throws -> Data {
        guard let table, let query = table.pointee.query else { throw PluginFailure("the host offers no queries") }
        var response: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = request.withUnsafeBytes { bytes in
            query(table.pointee.context, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), request.count,
                  &response, &length)
        }
        let data = response.map { Data(bytes: $0, count: length) } ?? Data()
        if let response { table.pointee.free_buffer?(table.pointee.context, response) }
        guard status == ROLLOUT_OK else {
            let message = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["error"] as? String
            throw PluginFailure(message ?? "the host's query failed")
        }
        return data
    }
}

/// Builds the C table for a plugin. One plugin per library: PluginKit is linked into each
/// plugin's library, so each has its own copy of this state.
public enum PluginExport {
    nonisolated(unsafe) private static var plugin: (any RolloutPlugin)?
    nonisolated(unsafe) private static var host: UnsafePointer<rollout_host_services>?
    nonisolated(unsafe) private static var table: UnsafeMutablePointer<rollout_plugin>?

    public static func table(for plugin: any RolloutPlugin, host: UnsafePointer<rollout_host_services>?)
        -> UnsafePointer<rollout_plugin>
    {
        if let table { return UnsafePointer(table) }
        Self.plugin = plugin
        Self.host = host
        let manifest = (try? JSONEncoder().encode(plugin.manifest)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let table = UnsafeMutablePointer<rollout_plugin>.allocate(capacity: 1)
        table.initialize(to: rollout_plugin(
            abi_version: UInt32(ROLLOUT_PLUGIN_ABI_VERSION), manifest_json: UnsafePointer(strdup(manifest)),
            call: { operation, request, length, response, responseLength in
                guard let response, let responseLength else { return ROLLOUT_ERROR }
                let name = operation.map { String(cString: $0) } ?? ""
                let input = request.map { Data(bytes: $0, count: length) } ?? Data()
                var status = ROLLOUT_OK
                var output: Data
                do {
                    guard let plugin = PluginExport.plugin else { throw PluginFailure("the plugin is not set up") }
                    output = try plugin.call(name, request: input, host: PluginHostServices(table: PluginExport.host))
                } catch {
                    status = ROLLOUT_ERROR
                    output = (try? JSONSerialization.data(withJSONObject: ["error": "\(error)"])) ?? Data()
                }
                let buffer = malloc(max(1, output.count))!.assumingMemoryBound(to: UInt8.self)
                output.copyBytes(to: buffer, count: output.count)
                response.pointee = buffer
                responseLength.pointee = output.count
                return status
            },
            free: { free($0) }))
        Self.table = table
        return UnsafePointer(table)
    }
}
