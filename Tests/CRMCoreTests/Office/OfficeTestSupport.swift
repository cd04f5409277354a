import Foundation

/// A fresh directory for one test, removed when the test's closure returns, so tests that
/// run in parallel never share files.
func withOfficeScratchDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.path + "/rollout-office-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Something a helper program reported, with its error output.
struct OfficeToolFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs a program and returns its standard output; throws with its error output when it fails.
func runOfficeTool(_ arguments: [String], input: Data? = nil) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe(), errors = Pipe(), stdin = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(input) }
    try stdin.fileHandleForWriting.close()
    // Read before waiting, so a large output cannot fill the pipe and stall the program.
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw OfficeToolFailure(description: "\(arguments.prefix(2).joined(separator: " ")) exited with \(process.terminationStatus): "
            + String(decoding: message, as: UTF8.self))
    }
    return data
}

/// Runs a Python 3 script that prints one JSON document, and returns it decoded. The checks
/// that use it read our files with the libraries other programs use (openpyxl, icalendar).
func runOfficePython<T: Decodable>(_ script: String, arguments: [String] = [], as type: T.Type) throws -> T {
    let data = try runOfficeTool(["python3", "-c", script] + arguments)
    do {
        return try JSONDecoder().decode(T.self, from: data)
    } catch {
        throw OfficeToolFailure(description: "python printed \(String(decoding: data, as: UTF8.self)): \(error)")
    }
}

/// `text` in GB18030, as the `iconv` tool encodes it: an encoder independent of the reader's.
func gb18030Bytes(_ text: String) throws -> [UInt8] {
    [UInt8](try runOfficeTool(["iconv", "-f", "UTF-8", "-t", "GB18030"], input: Data(text.utf8)))
}

/// Writes `bytes` to `name` in `directory` and returns the file's path.
func writeOfficeFixture(_ bytes: [UInt8], named name: String, in directory: String) throws -> String {
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

func writeOfficeFixture(_ text: String, named name: String, in directory: String) throws -> String {
    try writeOfficeFixture(Array(text.utf8), named: name, in: directory)
}
