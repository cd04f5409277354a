import Foundation

/// The built `rollout` executable, for end-to-end tests that drive it as a user would.
///
/// Found as `ROLLOUT_BINARY` if set, else next to the test bundle (`swift test` builds it in
/// the same directory, because the end-to-end test target depends on it).
public struct RolloutBinary: Sendable {
    public let path: String

    public init() throws {
        if let explicit = ProcessInfo.processInfo.environment["ROLLOUT_BINARY"], !explicit.isEmpty {
            path = explicit
            return
        }
        var candidates: [URL] = []
        for argument in CommandLine.arguments.prefix(1) + [Bundle.main.bundlePath] {
            var dir = URL(fileURLWithPath: argument).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("rollout"))
                dir = dir.deletingLastPathComponent()
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/rollout"))
        guard let found = candidates.first(where: {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: $0.path)
        }) else {
            throw BinaryError("the rollout binary was not found (looked at \(candidates.map(\.path))); set ROLLOUT_BINARY")
        }
        path = found.path
    }

    /// The outcome of one invocation.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// True when the process ended by a signal (e.g. the SIGKILL a test sent).
        public var killed: Bool

        public init(status: Int32, stdout: String, stderr: String, killed: Bool = false) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
            self.killed = killed
        }
    }

    /// Runs `rollout ARGS` to completion.
    @discardableResult
    public func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Result {
        let process = try start(arguments, environment: environment, directory: directory)
        return process.wait()
    }

    /// Starts `rollout ARGS` without waiting, so a test can kill it.
    public func start(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws
        -> RunningProcess
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "ROLLOUT_DB")
        env.removeValue(forKey: "ROLLOUT_CRASH_POINT")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return RunningProcess(process: process, out: out, err: err)
    }
}

/// A started `rollout` process.
public final class RunningProcess: @unchecked Sendable {
    let process: Process
    let out: Pipe
    let err: Pipe
    private var outData = Data()
    private var errData = Data()
    private let lock = NSLock()
    private let group = DispatchGroup()

    init(process: Process, out: Pipe, err: Pipe) {
        self.process = process
        self.out = out
        self.err = err
        // Drain both pipes concurrently so a chatty process never blocks on a full pipe.
        group.enter()
        DispatchQueue.global().async { [self] in
            // Chunk by chunk, so a test can read what a server printed while it runs.
            while true {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                lock.lock()
                outData.append(chunk)
                lock.unlock()
            }
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async { [self] in
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
    }

    public var isRunning: Bool { process.isRunning }

    /// Waits until standard output holds a line starting with `prefix` and returns it; nil when
    /// the process ends first or `timeout` passes.
    public func waitForLine(startingWith prefix: String, timeout: TimeInterval = 30) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lock.lock()
            let text = String(decoding: outData, as: UTF8.self)
            lock.unlock()
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            if !process.isRunning { return nil }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    /// Sends SIGKILL: the process gets no chance to clean up, as in a power cut or an OOM kill.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    public func wait() -> RolloutBinary.Result {
        process.waitUntilExit()
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        return RolloutBinary.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                    stderr: String(decoding: errData, as: UTF8.self),
                                    killed: process.terminationReason == .uncaughtSignal)
    }
}

public struct BinaryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
