import CRolloutPlugin
import Foundation
import PluginKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plugin whose library is loaded: calls go through its C table as JSON.
///
/// A call that throws comes back as `PluginError(.call)` with the plugin's message; a call that
/// runs past its time limit is abandoned (`PluginError(.timeLimit)`): its thread keeps running
/// in the background, since a thread cannot be stopped safely, and the host goes on. A crash
/// inside the plugin takes the process down: it runs in the host's address space
/// (docs/plugin-author-guide.md says so).
public final class LoadedPlugin: @unchecked Sendable {
    public let candidate: PluginCandidate
    /// What the library declares: its metrics, actions, checks, migrations, report sections.
    public let declaration: PluginDeclaration
    private let table: UnsafePointer<rollout_plugin>
    private let services: ServicesBox

    init(candidate: PluginCandidate, declaration: PluginDeclaration, table: UnsafePointer<rollout_plugin>,
         services: ServicesBox) {
        self.candidate = candidate
        self.declaration = declaration
        self.table = table
        self.services = services
    }

    public var id: String { candidate.manifest.id }
    public var manifest: PluginManifest { candidate.manifest }

    /// Gives the plugin other host services from now on (a command opens its workspace after
    /// the plugin was first loaded; the library keeps the one host table it was given).
    public func use(_ services: PluginServices) {
        self.services.replace(services)
    }

    /// The manifest the library itself declares, as JSON.
    public var declaredManifest: String {
        table.pointee.manifest_json.map { String(cString: $0) } ?? "{}"
    }

    /// Runs `operation` on `request` (JSON) and returns the plugin's response (JSON).
    public func call(_ operation: String, request: Data, timeLimit: TimeInterval) throws -> Data {
        guard let call = table.pointee.call, let release = table.pointee.free else {
            throw PluginError(.call, "plugin '\(id)' has no call function in its table")
        }
        let outcome = CallOutcome()
        let thread = Thread {
            var response: UnsafeMutablePointer<UInt8>?
            var length = 0
            let status = operation.withCString { name in
                request.withUnsafeBytes { bytes in
                    call(name, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), request.count, &response, &length)
                }
            }
            let data = response.map { Data(bytes: $0, count: length) } ?? Data()
            if let response { release(response) }
            outcome.finish(status: status, data: data)
        }
        thread.stackSize = 8 << 20
        thread.start()
        guard outcome.wait(timeLimit) else {
            throw PluginError(.timeLimit, "plugin '\(id)' did not answer `\(operation)` within "
                + "\(Self.seconds(timeLimit)); the call was abandoned and the host goes on")
        }
        let (status, data) = outcome.result
        if status != ROLLOUT_OK {
            let message = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["error"] as? String
                ?? String(decoding: data, as: UTF8.self)
            throw PluginError(.call, "plugin '\(id)' failed `\(operation)`: \(message)")
        }
        return data
    }

    static func seconds(_ t: TimeInterval) -> String {
        t == t.rounded() ? "\(Int(t)) s" : String(format: "%.2f s", t)
    }
}

/// The result of a call running on its own thread, handed over under a lock.
private final class CallOutcome: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var status: Int32 = ROLLOUT_ERROR
    private var data = Data()

    func finish(status: Int32, data: Data) {
        lock.lock()
        (self.status, self.data) = (status, data)
        lock.unlock()
        done.signal()
    }

    func wait(_ limit: TimeInterval) -> Bool {
        done.wait(timeout: .now() + limit) == .success
    }

    var result: (Int32, Data) {
        lock.lock()
        defer { lock.unlock() }
        return (status, data)
    }
}
