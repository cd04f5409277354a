import Foundation
import RolloutTesting
import Testing

/// Shared set-up for the end-to-end tests: the built binary, fixtures, and one seeded demo
/// workspace that tests copy instead of seeding again.
enum E2E {
    static let binary: RolloutBinary = {
        // The binary is built by `swift test` because this target depends on it; a missing one is a set-up bug.
        guard let binary = try? RolloutBinary() else { preconditionFailure("the rollout binary was not built") }
        return binary
    }()

    static func fixture(_ name: String) throws -> String {
        let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The path of a fixture file, for commands that read it themselves.
    static func fixturePath(_ name: String) -> String {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!.path
    }

    /// `(line, column)`, 1-based, of the `occurrence`-th appearance of `needle` in `text`.
    static func position(of needle: String, in text: String, occurrence: Int = 1) -> (line: Int, column: Int) {
        var seen = 0
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            var searchRange = line.startIndex..<line.endIndex
            while let range = line.range(of: needle, range: searchRange) {
                seen += 1
                if seen == occurrence {
                    return (index + 1, line.unicodeScalars.distance(from: line.unicodeScalars.startIndex,
                                                                   to: range.lowerBound.samePosition(in: line.unicodeScalars)!) + 1)
                }
                searchRange = range.upperBound..<line.endIndex
            }
        }
        preconditionFailure("'\(needle)' (occurrence \(occurrence)) not in fixture")
    }

    /// A directory holding `rollout.sqlite` seeded with the small demo CRM (seed 42), made once
    /// per test process and copied by each test that needs one.
    static let seededTemplate: String = {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("rollout-e2e-template-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.removeItem(atPath: dir)
        let result = try? binary.run(["demo", "seed", "--db", dir + "/rollout.sqlite", "--scale", "small", "--seed", "42"])
        precondition(result?.status == 0, "seeding the template failed: \(result?.stderr ?? "")")
        return dir
    }()

    /// A fresh copy of the seeded template in `directory`.
    static func seededWorkspace(in directory: TemporaryDirectory, name: String = "ws") throws -> String {
        let target = directory.file(name)
        try FileManager.default.copyItem(atPath: seededTemplate, toPath: target)
        return target
    }

    /// What the `sqlite3` shell prints for `query` on the database, trimmed: the tests' own
    /// reading of a workspace, independent of Rollout's code.
    static func sql(_ databasePath: String, _ query: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", databasePath, query]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a tool the tests use as an independent checker (schemathesis, …) and returns its
    /// exit status and output; a missing tool is an error saying how to install it.
    static func run(_ tool: String, _ arguments: [String]) throws -> RolloutBinary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var errorText = Data()
        let reader = Thread { errorText = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        if process.terminationStatus == 127 {
            throw BinaryError("\(tool) is not installed; run .ci/install-deps")
        }
        return RolloutBinary.Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                                    stderr: String(decoding: errorText, as: UTF8.self), killed: process.terminationReason == .uncaughtSignal)
    }

    static func dump(_ databasePath: String) throws -> String {
        try DatabaseDump.dump(path: databasePath)
    }
}
