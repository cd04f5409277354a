import ArgumentParser
import Foundation
import RolloutKit

/// Printing for the commands: stdout for results, stderr for errors, JSON on demand.
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Whether stdout is a terminal (progress and colour only then).
    static var isInteractive: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Runs a command body: a domain error prints as `error: …` and exits 1, nothing else printed.
    static func failing(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch let error as PlaybookCompilationError {
            // Diagnostics carry their own `FILE:LINE:COL: error:`; print them as `check` does.
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode.failure
        } catch {
            Self.error(String(describing: error))
            throw ExitCode.failure
        }
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ rows: [[String]], indent: String = "  ") -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: width)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            indent + row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
