/// Reads an RFC 4180 CSV file one record at a time, holding only a chunk of it in memory.
///
/// ```swift
/// let reader = try CSVReader(path: "customers.csv", encoding: .gb18030)
/// while let record = try reader.next() {
///     importer.add(record.fields, line: record.line)
///     progressBar.update(reader.bytesRead, of: reader.totalBytes)
/// }
/// ```
///
/// A field may be quoted; a quoted field may hold delimiters, line breaks and doubled quotes
/// (`""` stands for `"`). Lines end in CRLF, LF or CR. Blank lines are skipped, a byte-order
/// mark is dropped, and a newline at the end of the file does not make an empty record.
/// Records keep the number of fields they have: checking them against the header is the
/// importer's job. Malformed input stops the reader with a `CSVError` naming line and column.
public final class CSVReader {
    /// The file, as the caller named it.
    public let path: String
    public let encoding: CSVTextEncoding
    public let delimiter: UInt8

    /// Bytes of the file read so far; with `totalBytes`, enough for a progress bar.
    public var bytesRead: Int64 { source.bytesRead }
    /// The size of the file in bytes.
    public var totalBytes: Int64 { source.totalBytes }

    private let source: CSVTextSource
    private let maxRecordBytes: Int
    /// Decoded UTF-8 text; bytes before `position` are consumed.
    private var text: [UInt8] = []
    private var position = 0
    /// The physical line (1-based) at `position`.
    private var line = 1
    private var recordCount = 0
    private var slices: [CSVFieldSlice] = []

    /// Opens `path` for reading. `delimiter` is an ASCII byte: `,` by default, `;` or tab for
    /// files from spreadsheet programs in some locales.
    public convenience init(path: String, encoding: CSVTextEncoding = .utf8,
                            delimiter: UInt8 = UInt8(ascii: ",")) throws {
        try self.init(path: path, encoding: encoding, delimiter: delimiter,
                      chunkSize: 256 * 1024, maxRecordBytes: 16 * 1024 * 1024)
    }

    /// `chunkSize` is how many bytes one read takes; tests make it tiny to split characters
    /// and records across reads. `maxRecordBytes` bounds memory when a quote is never closed.
    init(path: String, encoding: CSVTextEncoding, delimiter: UInt8, chunkSize: Int, maxRecordBytes: Int) throws {
        guard delimiter < 0x80, delimiter != csvQuote, delimiter != csvLF, delimiter != csvCR else {
            throw CSVError(code: .unsupportedDelimiter, path: path,
                           reason: "the delimiter must be an ASCII character other than a quote or a line end")
        }
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self.maxRecordBytes = maxRecordBytes
        source = try CSVTextSource(path: path, encoding: encoding, chunkSize: chunkSize)
        text.reserveCapacity(chunkSize * 2)
    }

    /// The next record, or `nil` at the end of the file.
    public func next() throws -> CSVRecord? {
        while true {
            // Text after the last invalid byte never comes, so the end of `text` is the end of
            // the file only when the source read everything.
            let isFinal = source.isExhausted
            if skipBlankLines(isFinal: isFinal) {
                if position == text.count {
                    if isFinal { return nil }
                } else {
                    let outcome = text.withUnsafeBufferPointer {
                        Self.scanRecord($0, from: position, isFinal: isFinal, delimiter: delimiter, slices: &slices)
                    }
                    switch outcome {
                    case .record(let end, let lines):
                        let fields = text.withUnsafeBufferPointer { makeFields($0) }
                        recordCount += 1
                        let record = CSVRecord(fields: fields, line: line, index: recordCount)
                        position = end
                        line += lines
                        return record
                    case .needMore:
                        break
                    case .malformed(let malformation):
                        throw error(for: malformation)
                    }
                }
            }
            try refill()
        }
    }

    /// Reads every remaining record; for files known to be small.
    public func readAll() throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    // MARK: - Buffer

    /// Steps over empty lines at `position`. Returns false when it needs more text to decide
    /// (a CR at the end of the buffer may be half of a CRLF).
    private func skipBlankLines(isFinal: Bool) -> Bool {
        while position < text.count {
            switch text[position] {
            case csvLF:
                position += 1
            case csvCR:
                if position + 1 < text.count {
                    position += text[position + 1] == csvLF ? 2 : 1
                } else if isFinal {
                    position += 1
                } else {
                    return false
                }
            default:
                return true
            }
            line += 1
        }
        return true
    }

    private func refill() throws {
        if let failure = source.failure { throw encodingError(failure) }
        let pending = text.count - position
        if pending > maxRecordBytes { throw recordTooLongError() }
        if position == text.count {
            text.removeAll(keepingCapacity: true)
        } else if position > 0 {
            text.removeSubrange(0..<position)
        }
        position = 0
        // Reading at least as much again as the unfinished record holds keeps rescanning a
        // long record linear in its length.
        try source.read(minimum: pending, appendingTo: &text)
    }

    // MARK: - Scanning

    private enum ScanOutcome {
        case record(end: Int, lines: Int)
        case needMore
        case malformed(CSVMalformation)
    }

    /// Finds the fields of the record starting at `begin`, as byte ranges into `p`. Returns
    /// where the next record starts and how many line ends the record spans, or `.needMore`
    /// when the record may continue past the end of `p`.
    private static func scanRecord(_ p: UnsafeBufferPointer<UInt8>, from begin: Int, isFinal: Bool,
                                   delimiter: UInt8, slices: inout [CSVFieldSlice]) -> ScanOutcome {
        let n = p.count
        var i = begin
        var lines = 0
        var lineStart = begin
        slices.removeAll(keepingCapacity: true)
        while true {
            if i < n, p[i] == csvQuote {
                let opening = CSVMalformation(code: .unterminatedQuote, offset: i, linesBefore: lines, lineStart: lineStart)
                i += 1
                let contentStart = i
                var hasDoubledQuotes = false
                while true {
                    guard i < n else { return isFinal ? .malformed(opening) : .needMore }
                    let byte = p[i]
                    if byte == csvQuote {
                        if i + 1 < n {
                            guard p[i + 1] == csvQuote else { break }
                            hasDoubledQuotes = true
                            i += 2
                        } else if isFinal {
                            break
                        } else {
                            return .needMore
                        }
                    } else if byte == csvLF {
                        lines += 1
                        i += 1
                        lineStart = i
                    } else if byte == csvCR {
                        // A CRLF counts once, at its LF.
                        if i + 1 < n {
                            i += 1
                            if p[i] != csvLF {
                                lines += 1
                                lineStart = i
                            }
                        } else if isFinal {
                            lines += 1
                            i += 1
                        } else {
                            return .needMore
                        }
                    } else {
                        i += 1
                    }
                }
                slices.append(CSVFieldSlice(start: contentStart, end: i, hasDoubledQuotes: hasDoubledQuotes))
                i += 1 // the closing quote
            } else {
                let start = i
                while i < n {
                    let byte = p[i]
                    if byte == delimiter || byte == csvLF || byte == csvCR { break }
                    if byte == csvQuote {
                        return .malformed(CSVMalformation(code: .strayQuote, offset: i, linesBefore: lines, lineStart: lineStart))
                    }
                    i += 1
                }
                slices.append(CSVFieldSlice(start: start, end: i, hasDoubledQuotes: false))
            }

            guard i < n else { return isFinal ? .record(end: n, lines: lines) : .needMore }
            switch p[i] {
            case delimiter:
                i += 1
            case csvLF:
                return .record(end: i + 1, lines: lines + 1)
            case csvCR:
                if i + 1 < n { return .record(end: p[i + 1] == csvLF ? i + 2 : i + 1, lines: lines + 1) }
                return isFinal ? .record(end: i + 1, lines: lines + 1) : .needMore
            default:
                return .malformed(CSVMalformation(code: .textAfterClosingQuote, offset: i, linesBefore: lines, lineStart: lineStart))
            }
        }
    }

    /// One `String` per field: the only allocation per field, and no validation, since the
    /// source delivers valid UTF-8 only.
    private func makeFields(_ p: UnsafeBufferPointer<UInt8>) -> [String] {
        var fields: [String] = []
        fields.reserveCapacity(slices.count)
        for slice in slices {
            let bytes = UnsafeBufferPointer(rebasing: p[slice.start..<slice.end])
            if slice.hasDoubledQuotes {
                fields.append(String(unsafeUninitializedCapacity: bytes.count) { out in
                    var count = 0
                    var i = 0
                    while i < bytes.count {
                        out[count] = bytes[i]
                        count += 1
                        i += bytes[i] == csvQuote ? 2 : 1
                    }
                    return count
                })
            } else {
                fields.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        return fields
    }

    // MARK: - Errors

    private func error(for malformation: CSVMalformation) -> CSVError {
        let reason: String
        let suggestion: String?
        switch malformation.code {
        case .unterminatedQuote:
            reason = "a quoted field starts here but has no closing quote"
            suggestion = "Close the quote, or double any quote inside the field (\"\")"
        case .strayQuote:
            reason = "a quote inside a field that does not start with one"
            suggestion = "Put the whole field in quotes and double the quotes inside it (\"\")"
        default:
            reason = "text after the closing quote of a quoted field"
            suggestion = "A quoted field must end right before a delimiter or a line end; double quotes inside it (\"\")"
        }
        return CSVError(code: malformation.code, path: path, line: line + malformation.linesBefore,
                        column: column(from: malformation.lineStart, to: malformation.offset),
                        reason: reason, suggestion: suggestion)
    }

    private func encodingError(_ failure: CSVDecodingFailure) -> CSVError {
        // The bad bytes come right after the text delivered so far: find the line they are on.
        var lineNumber = line
        var lineStart = position
        var i = position
        while i < text.count {
            if text[i] == csvLF || (text[i] == csvCR && (i + 1 == text.count || text[i + 1] != csvLF)) {
                lineNumber += 1
                lineStart = i + 1
            }
            i += 1
        }
        let hex = failure.bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
        let encodingName: String
        switch encoding {
        case .utf8: encodingName = "UTF-8"
        case .gb18030: encodingName = "GB18030"
        case .utf16: encodingName = "UTF-16"
        }
        let reason = failure.truncated
            ? "the file ends in the middle of a character (bytes \(hex)); it is not valid \(encodingName)"
            : "bytes \(hex) are not valid \(encodingName)"
        var suggestion: String?
        if source.looksLikeUTF16 {
            suggestion = "The file starts with a UTF-16 byte-order mark: read it with --encoding utf-16"
        } else if encoding == .utf8 {
            suggestion = "If the file was saved by Excel on Chinese Windows, read it with --encoding gb18030"
        } else if encoding == .gb18030 {
            suggestion = "Check which encoding the file was saved in; --encoding utf-8 is the default"
        }
        return CSVError(code: .invalidEncoding, path: path, line: lineNumber,
                        column: column(from: lineStart, to: text.count),
                        byteOffset: failure.byteOffset, reason: reason, suggestion: suggestion)
    }

    private func recordTooLongError() -> CSVError {
        let limit = "\(maxRecordBytes / (1024 * 1024)) MiB"
        // Read as if the file ended here: an unclosed quote is the usual cause, and this finds it.
        let outcome = text.withUnsafeBufferPointer {
            Self.scanRecord($0, from: position, isFinal: true, delimiter: delimiter, slices: &slices)
        }
        if case .malformed(let malformation) = outcome, malformation.code == .unterminatedQuote {
            var error = error(for: malformation)
            error.reason = "a quoted field starts here and has no closing quote within \(limit)"
            return error
        }
        return CSVError(code: .recordTooLong, path: path, line: line, column: 1,
                        reason: "the record starting here is longer than \(limit)")
    }

    /// The 1-based character column of `offset`, counting from the line starting at `lineStart`.
    private func column(from lineStart: Int, to offset: Int) -> Int {
        var characters = 1
        for byte in text[lineStart..<offset] where byte & 0xC0 != 0x80 { characters += 1 }
        return characters
    }
}

/// The bytes of one field within the reader's buffer, between its quotes if it has them.
struct CSVFieldSlice {
    var start: Int
    var end: Int
    var hasDoubledQuotes: Bool
}

/// Where the scanner found malformed text, relative to the start of the record.
struct CSVMalformation {
    var code: CSVError.Code
    /// Offset in the buffer of the offending byte (the opening quote for an unclosed field).
    var offset: Int
    /// Line ends in the record before `offset`.
    var linesBefore: Int
    /// Offset in the buffer where the line holding `offset` starts.
    var lineStart: Int
}

let csvQuote = UInt8(ascii: "\"")
let csvLF = UInt8(ascii: "\n")
let csvCR = UInt8(ascii: "\r")
