import CRolloutPlugin
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a plugin author implements: the manifest the library declares and one function that
/// answers operations with JSON. PluginKit turns it into the C table of `rollout_plugin.h`.
///
/// ```swift
/// import CRolloutPlugin
/// import PluginKit
///
/// struct Retail: RolloutPlugin {
///     let manifest = PluginDeclaration(id: "retail", version: "1.0.0", actions: ["retail.enroll-loyalty"])
///     func call(_ operation: String, request: Data, host: PluginHostServices) throws -> Data { … }
/// }
///
/// @_cdecl("rollout_plugin_entry")
/// public func rolloutPluginEntry(_ host: UnsafePointer<rollout_host_services>?) -> UnsafePointer<rollout_plugin>? {
///     PluginExport.table(for: Retail(), host: host)
/// }
/// ```
public protocol RolloutPlugin: Sendable {
    var manifest: PluginDeclaration { get }
    /// Answers `operation` (`action:ID`, `metrics`, …); a thrown error goes back to the host as
    /// `{"error": "<its description>"}`.
    func call(_ operation: String, request: Data, host: PluginHostServices) throws -> Data
}

/// The manifest as the library declares it; the host checks its id against plugin.yaml.
public struct PluginDeclaration: Sendable, Codable {
    public var id: String
    public var version: String
    public var metrics: [String]
    public var actions: [String]

    public init(id: String, version: String, metrics: [String] = [], actions: [String] = []) {
        self.id = id
        self.version = version
        self.metrics = metrics
        self.actions = actions
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

    /// Runs `sql` (one SELECT on the v_* views) in the host's sandbox; the response JSON.
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
