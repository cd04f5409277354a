import Foundation
import PluginKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plugin the host talks to: loaded into this process, or run in a child process.
public protocol PluginConnection: AnyObject, Sendable {
    var candidate: PluginCandidate { get }
    /// What the library declares: its metrics, actions, checks, migrations, report sections.
    var declaration: PluginDeclaration { get }
    /// Runs `operation` on `request` (JSON) and returns the plugin's response (JSON).
    func call(_ operation: String, request: Data, timeLimit: TimeInterval) throws -> Data
}

extension PluginConnection {
    public var id: String { candidate.manifest.id }
    public var manifest: PluginManifest { candidate.manifest }
}

extension LoadedPlugin: PluginConnection {}

/// A plugin whose every call runs in a child process (`--isolate-plugins`): the child is this
/// same `rollout` binary running `rollout plugin call ID OPERATION -`, which verifies and loads
/// the plugin, answers one operation (its queries read the workspace read-only, as in process)
/// and exits. A crash in the plugin ends the child, not the host; a call past its time limit
/// is stopped for real (the child is killed), where an in-process call can only be abandoned.
/// The price is a process start and a library load per call, tens of milliseconds.
public final class IsolatedPlugin: PluginConnection, @unchecked Sendable {
    public let candidate: PluginCandidate
    public let declaration: PluginDeclaration
    private let executable: String
    private let databasePath: String?

    /// The operation a child answers with the library's declaration instead of calling the plugin.
    public static let declarationOperation = "rollout:declaration"

    /// Asks a child for the library's declaration: the host never loads the library itself.
    public init(candidate: PluginCandidate, executable: String, databasePath: String?, timeLimit: TimeInterval) throws {
        self.candidate = candidate
        self.executable = executable
        self.databasePath = databasePath
        let data = try Self.run(executable: executable, candidate: candidate, databasePath: databasePath,
                                operation: Self.declarationOperation, request: Data("{}".utf8), timeLimit: timeLimit)
        do {
            declaration = try JSONDecoder().decode(PluginDeclaration.self, from: data)
        } catch {
            throw PluginError(.load, "plugin '\(candidate.manifest.id)': its declaration, read in a child process, "
                + "is not valid: \(error)")
        }
        try PluginLoader.check(declaration, against: candidate.manifest)
    }

    public func call(_ operation: String, request: Data, timeLimit: TimeInterval) throws -> Data {
        try Self.run(executable: executable, candidate: candidate, databasePath: databasePath, operation: operation,
                     request: request, timeLimit: timeLimit)
    }

    /// The path of the running executable, which the children run.
    public static var currentExecutable: String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    private static func run(executable: String, candidate: PluginCandidate, databasePath: String?, operation: String,
                            request: Data, timeLimit: TimeInterval) throws -> Data {
        let id = candidate.manifest.id
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["plugin", "call", id, operation, "-", "--plugins", candidate.directory,
                             "--time-limit", String(timeLimit)] + (databasePath.map { ["--db", $0] } ?? [])
        // The child must not isolate again.
        var environment = ProcessInfo.processInfo.environment
        environment["ROLLOUT_ISOLATE_PLUGINS"] = nil
        process.environment = environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        (process.standardInput, process.standardOutput, process.standardError) = (input, output, errors)
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw PluginError(.load, "plugin '\(id)': cannot start a child process (\(executable)): \(error)")
        }
        // Read both pipes while the child runs, so a large answer cannot fill a pipe and stall it.
        let collected = Collected()
        let readers = DispatchGroup()
        for (pipe, isOutput) in [(output, true), (errors, false)] {
            DispatchQueue.global().async(group: readers) {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(data, output: isOutput)
            }
        }
        input.fileHandleForWriting.write(request)
        try? input.fileHandleForWriting.close()
        // The child has its own time limit on the call; this one also covers loading and start-up.
        if finished.wait(timeout: .now() + timeLimit + 5) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 1) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
        }
        readers.wait()
        let (stdout, stderr) = collected.both
        let message = String(decoding: stderr, as: UTF8.self)
            .split(separator: "\n").map { $0.hasPrefix("error: ") ? String($0.dropFirst(7)) : String($0) }
        if process.terminationReason == .uncaughtSignal {
            let signal = process.terminationStatus
            throw PluginError(.call, "plugin '\(id)' crashed (signal \(signal)\(signal == SIGTERM || signal == SIGKILL ? ", stopped at the time limit of \(LoadedPlugin.seconds(timeLimit))" : "")) while running `\(operation)`; it ran in a child process, so the host goes on")
        }
        guard process.terminationStatus == 0 else {
            let kind: PluginError.Kind = message.contains { $0.contains("did not answer") } ? .timeLimit : .call
            throw PluginError(kind, message.last { !$0.hasPrefix("plugin \(id): ") } ?? "plugin '\(id)' failed `\(operation)`")
        }
        // What the plugin logged, passed on.
        for line in message where line.hasPrefix("plugin \(id): ") {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        return stdout
    }
}

/// The child's two outputs, written by the reader threads.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var output = Data()
    private var errors = Data()

    func set(_ data: Data, output isOutput: Bool) {
        lock.lock()
        if isOutput { output = data } else { errors = data }
        lock.unlock()
    }

    var both: (Data, Data) {
        lock.lock()
        defer { lock.unlock() }
        return (output, errors)
    }
}
