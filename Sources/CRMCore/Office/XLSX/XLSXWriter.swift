import Foundation
import ZIPFoundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private typealias ZIPArchive = ZIPFoundation.Archive

/// Writes an Excel workbook (`.xlsx`) one row at a time, with one sheet open at a time.
///
/// ```swift
/// let book = try XLSXWriter(path: "customers.xlsx")
/// try book.addSheet(named: "Customers", columns: [
///     XLSXColumn(header: "Name"),
///     XLSXColumn(header: "Since", kind: .date),
///     XLSXColumn(header: "Revenue", kind: .decimal(places: 2)),
/// ])
/// try book.appendRow([.text("王芳"), .date(year: 2024, month: 2, day: 4), .decimal(1234.5)])
/// try book.close()
/// ```
///
/// Text is always a string cell, so "2/4", "00123", "1E5" or "=SUM(A1)" open in Excel as
/// written. Dates are real dates (`yyyy-mm-dd`, `yyyy-mm-dd hh:mm` in UTC). Each sheet has a
/// bold, frozen header row with an autofilter. Sheet names are made acceptable to Excel
/// (see `addSheet(named:columns:)`). Rows go to temporary files, so memory stays small
/// however many rows there are; `close()` zips them into `path`, which appears only then.
public final class XLSXWriter {
    /// The workbook file, as the caller named it.
    public let path: String

    private let workDirectory: String
    private let partialPath: String
    private var archive: ZIPArchive?
    private var names = XLSXSheetNames()
    private var styles = XLSXStyleSheet()
    private var current: XLSXSheetStream?
    private var finished: [XLSXSheetStream.Finished] = []
    private var isClosed = false

    /// Prepares to write a workbook at `path`, replacing any file there when `close()` succeeds.
    public init(path: String) throws {
        self.path = path
        let unique = UUID().uuidString
        workDirectory = FileManager.default.temporaryDirectory.path + "/rollout-xlsx-" + unique
        // The package is assembled beside its destination so that the final rename is atomic.
        partialPath = path + ".partial-" + unique
        do {
            try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
            archive = try ZIPArchive(url: URL(fileURLWithPath: partialPath), accessMode: .create, pathEncoding: nil)
        } catch {
            try? FileManager.default.removeItem(atPath: workDirectory)
            throw XLSXError(code: .fileUnwritable, path: path, reason: "cannot create the workbook: \(error)")
        }
    }

    deinit {
        if !isClosed { discard() }
    }

    /// Finishes the current sheet and starts a new one whose first row holds the headers of
    /// `columns`; the rows that follow go to it.
    ///
    /// Returns the name the sheet got. Excel refuses some names, so `name` is adjusted: `[ ] :
    /// * ? / \` become `_`, it is cut to 31 characters, leading and trailing apostrophes and
    /// spaces go, a blank name becomes "SheetN", and a name already used (in any case, or
    /// "History", which Excel reserves) gets " (2)", " (3)"…
    @discardableResult
    public func addSheet(named name: String, columns: [XLSXColumn]) throws -> String {
        try checkOpen()
        for (index, column) in columns.enumerated() {
            if case .decimal(let places) = column.kind, !(0...30).contains(places) {
                throw XLSXError(code: .invalidColumns, path: path, sheet: name, column: index + 1,
                                reason: "\(places) decimal places; Excel shows 0 to 30")
            }
            if let width = column.width, !(0...255).contains(width) {
                throw XLSXError(code: .invalidColumns, path: path, sheet: name, column: index + 1,
                                reason: "a width of \(width); Excel's columns are 0 to 255 wide")
            }
        }
        guard columns.count <= XLSXCellReference.maxColumn else {
            throw XLSXError(code: .invalidColumns, path: path, sheet: name,
                            reason: "\(columns.count) columns; a sheet holds at most \(XLSXCellReference.maxColumn)")
        }
        try finishCurrentSheet()
        let number = finished.count + 1
        let sheetName = names.claim(name, fallbackNumber: number)
        do {
            current = try XLSXSheetStream(name: sheetName, columns: columns, styles: &styles,
                                          rowsPath: workDirectory + "/sheet\(number).rows")
        } catch let error as OfficeSystemError {
            throw XLSXError(code: .fileUnwritable, path: path, sheet: sheetName, reason: error.description)
        }
        return sheetName
    }

    /// Appends a row to the current sheet, one value per column from the left; fewer values
    /// leave the remaining cells empty. A refused value (an impossible date, a number that is
    /// not finite, text beyond Excel's 32,767 characters) throws and writes nothing of the row.
    public func appendRow(_ values: [XLSXValue]) throws {
        try checkOpen()
        guard let sheet = current else {
            throw XLSXError(code: .misuse, path: path, reason: "a row was appended before any sheet was added")
        }
        do {
            try sheet.append(values)
        } catch let problem as XLSXSheetStream.CellProblem {
            throw XLSXError(code: .invalidValue, path: path, sheet: sheet.name, row: sheet.lastRow + 1,
                            column: problem.column, reason: problem.reason, suggestion: problem.suggestion)
        } catch let error as OfficeSystemError {
            throw XLSXError(code: .fileUnwritable, path: path, sheet: sheet.name, reason: error.description)
        }
    }

    /// Writes the workbook to `path` and removes the temporary files. A workbook without
    /// sheets gets one empty sheet, since Excel cannot open a workbook with none.
    public func close() throws {
        try checkOpen()
        do {
            if current == nil, finished.isEmpty { try addSheet(named: "Sheet1", columns: []) }
            try finishCurrentSheet()
            guard let archive else { throw XLSXError(code: .misuse, path: path, reason: "the workbook is closed") }
            let sheetNames = finished.map(\.name)
            try add(XLSXPackageParts.contentTypes(sheetCount: finished.count), as: "[Content_Types].xml", to: archive)
            try add(XLSXPackageParts.packageRelationships, as: "_rels/.rels", to: archive)
            try add(XLSXPackageParts.appProperties(sheetNames: sheetNames), as: "docProps/app.xml", to: archive)
            let created = OfficeGregorian.isoDateTime(secondsSince1970: Int64(time(nil)))
            try add(XLSXPackageParts.coreProperties(created: created), as: "docProps/core.xml", to: archive)
            try add(XLSXPackageParts.workbook(sheets: finished), as: "xl/workbook.xml", to: archive)
            try add(XLSXPackageParts.workbookRelationships(sheetCount: finished.count),
                    as: "xl/_rels/workbook.xml.rels", to: archive)
            try add(styles.xml, as: "xl/styles.xml", to: archive)
            for (index, sheet) in finished.enumerated() {
                let part = XLSXPartStream(segments: [.bytes(Data(sheet.prefix.utf8)), .file(sheet.rowsPath),
                                                     .bytes(Data(sheet.suffix.utf8))])
                try archive.addEntry(with: XLSXPackageParts.sheetPath(index + 1), type: .file,
                                     uncompressedSize: try part.size(), compressionMethod: .deflate,
                                     provider: { position, size in try part.read(at: position, count: size) })
                try? FileManager.default.removeItem(atPath: sheet.rowsPath)
            }
            self.archive = nil // closes the file
            guard rename(partialPath, path) == 0 else {
                throw OfficeSystemError(operation: "replace", path: path, code: errno)
            }
        } catch let error as XLSXError {
            discard()
            throw error
        } catch {
            discard()
            throw XLSXError(code: .fileUnwritable, path: path, reason: "cannot write the workbook: \(error)")
        }
        isClosed = true
        try? FileManager.default.removeItem(atPath: workDirectory)
    }

    private func checkOpen() throws {
        guard !isClosed else { throw XLSXError(code: .misuse, path: path, reason: "the workbook is already closed") }
    }

    private func finishCurrentSheet() throws {
        guard let sheet = current else { return }
        current = nil
        do {
            finished.append(try sheet.finish(isFirstSheet: finished.isEmpty))
        } catch let error as OfficeSystemError {
            throw XLSXError(code: .fileUnwritable, path: path, sheet: sheet.name, reason: error.description)
        }
    }

    private func add(_ xml: String, as entryPath: String, to archive: ZIPArchive) throws {
        let data = Data(xml.utf8)
        try archive.addEntry(with: entryPath, type: .file, uncompressedSize: Int64(data.count),
                             compressionMethod: .deflate, provider: { position, size in
            let start = Int(position)
            return data.subdata(in: start..<min(start + size, data.count))
        })
    }

    /// Removes every temporary file and the partial package; the destination is untouched.
    private func discard() {
        isClosed = true
        archive = nil
        current = nil
        try? FileManager.default.removeItem(atPath: partialPath)
        try? FileManager.default.removeItem(atPath: workDirectory)
    }
}

/// Bytes and files read one after another as one stream: a sheet part is the XML before the
/// rows, the rows file, and the XML after them.
final class XLSXPartStream {
    enum Segment {
        case bytes(Data)
        case file(String)
    }

    private let segments: [Segment]
    private var segmentIndex = 0
    private var offsetInSegment = 0
    private var handle: FileHandle?
    private var produced: Int64 = 0

    init(segments: [Segment]) {
        self.segments = segments
    }

    func size() throws -> Int64 {
        try segments.reduce(0) { total, segment in
            switch segment {
            case .bytes(let data): return total + Int64(data.count)
            case .file(let path):
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                return total + ((attributes[.size] as? NSNumber)?.int64Value ?? 0)
            }
        }
    }

    /// The next `count` bytes (fewer at the end). ZIPFoundation asks in order, from 0.
    func read(at position: Int64, count: Int) throws -> Data {
        precondition(position == produced, "parts are read in order")
        var chunk = Data()
        while chunk.count < count, segmentIndex < segments.count {
            switch segments[segmentIndex] {
            case .bytes(let data):
                let end = min(data.count, offsetInSegment + count - chunk.count)
                chunk.append(data.subdata(in: offsetInSegment..<end))
                offsetInSegment = end
                if offsetInSegment == data.count { nextSegment() }
            case .file(let path):
                if handle == nil {
                    guard let opened = FileHandle(forReadingAtPath: path) else {
                        throw OfficeSystemError(operation: "read", path: path, code: ENOENT)
                    }
                    handle = opened
                }
                let data = try handle?.read(upToCount: count - chunk.count) ?? Data()
                if data.isEmpty {
                    try handle?.close()
                    handle = nil
                    nextSegment()
                } else {
                    chunk.append(data)
                }
            }
        }
        produced += Int64(chunk.count)
        return chunk
    }

    private func nextSegment() {
        segmentIndex += 1
        offsetInSegment = 0
    }
}
