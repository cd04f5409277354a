/// Writes an RFC 4180 CSV file, quoting a field only when it has to.
///
/// ```swift
/// let writer = try CSVWriter(path: "customers.csv", includeBOM: true) // Excel needs the BOM for 中文
/// try writer.write(["Name", "Phone"])
/// try writer.write(["王芳", "+86 138 0013 8000"])
/// try writer.close()
/// ```
///
/// A field is quoted when it holds the delimiter, a quote or a line end; quotes inside are
/// doubled. A record of one empty field is written as `""` so that it does not read back as
/// a blank line. Text is written as given: a field such as `=SUM(A1)` is not altered.
public final class CSVWriter {
    /// How records end.
    public enum LineEnding: Sendable, Hashable {
        /// `\r\n`, as RFC 4180 says and Excel writes.
        case crlf
        /// `\n`, as Unix tools expect.
        case lf
    }

    public let path: String
    public let delimiter: UInt8
    public let lineEnding: LineEnding
    private let output: OfficeFileOutput

    /// Creates (or truncates) the file at `path`. `includeBOM` starts it with the UTF-8
    /// byte-order mark, which Excel needs to read UTF-8 rather than the system code page.
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ","), lineEnding: LineEnding = .crlf,
                includeBOM: Bool = false) throws {
        guard delimiter < 0x80, delimiter != csvQuote, delimiter != csvLF, delimiter != csvCR else {
            throw CSVError(code: .unsupportedDelimiter, path: path,
                           reason: "the delimiter must be an ASCII character other than a quote or a line end")
        }
        self.path = path
        self.delimiter = delimiter
        self.lineEnding = lineEnding
        do {
            output = try OfficeFileOutput(path: path)
            if includeBOM { try output.append([0xEF, 0xBB, 0xBF]) }
        } catch let error as OfficeSystemError {
            throw CSVError(code: .fileUnwritable, path: path, reason: error.description)
        }
    }

    deinit {
        // Best effort for a writer dropped without `close()`; call `close()` to see errors.
        try? output.close()
    }

    /// Appends one record.
    public func write(_ fields: [String]) throws {
        do {
            if fields.count == 1, fields[0].isEmpty {
                try output.append("\"\"")
            } else {
                for (index, field) in fields.enumerated() {
                    if index > 0 { try output.append(delimiter) }
                    try append(field)
                }
            }
            switch lineEnding {
            case .crlf: try output.append("\r\n")
            case .lf: try output.append(csvLF)
            }
        } catch let error as OfficeSystemError {
            throw CSVError(code: .fileUnwritable, path: path, reason: error.description)
        }
    }

    /// Writes what is buffered and closes the file.
    public func close() throws {
        do {
            try output.close()
        } catch let error as OfficeSystemError {
            throw CSVError(code: .fileUnwritable, path: path, reason: error.description)
        }
    }

    private func append(_ field: String) throws {
        var field = field
        try field.withUTF8 { bytes in
            let needsQuotes = bytes.contains { $0 == delimiter || $0 == csvQuote || $0 == csvLF || $0 == csvCR }
            guard needsQuotes else {
                try output.append(UnsafeRawBufferPointer(bytes))
                return
            }
            try output.append(csvQuote)
            var runStart = 0
            for (i, byte) in bytes.enumerated() where byte == csvQuote {
                // Write through the quote, then write it again.
                try output.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...i])))
                runStart = i
            }
            try output.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...])))
            try output.append(csvQuote)
        }
    }
}
