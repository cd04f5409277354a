import Foundation

/// A CSV file as an import source: streamed in chunks, memory bounded by the longest record.
public final class CSVImportSource: ImportSource {
    public let name: String
    private let reader: CSVReader
    private var headerCells: [String]?

    public init(path: String, encoding: CSVTextEncoding = .utf8, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        name = path
        reader = try CSVReader(path: path, encoding: encoding, delimiter: delimiter)
    }

    public func header() throws -> [String] {
        if let headerCells { return headerCells }
        guard let record = try reader.next() else {
            throw CRMError.invalid(entity: "file", [FieldError(field: name, value: nil, reason: "is empty: the first row must name the columns")])
        }
        headerCells = record.fields
        return record.fields
    }

    public func nextRow() throws -> ImportRow? {
        _ = try header()
        guard let record = try reader.next() else { return nil }
        return ImportRow(cells: record.fields, row: record.index, line: record.line)
    }

    public var fractionRead: Double {
        reader.totalBytes > 0 ? Double(reader.bytesRead) / Double(reader.totalBytes) : 0
    }
}

/// A sheet of an XLSX workbook as an import source. The sheet's rows are read when the source
/// opens (a workbook is a zip archive; its sheet XML is parsed in one pass).
public final class XLSXImportSource: ImportSource {
    public let name: String
    private let rows: [XLSXRow]
    private var position = 0

    public init(path: String, sheet: String? = nil) throws {
        name = sheet.map { "\(path) [\($0)]" } ?? path
        rows = try XLSXReader(path: path).rows(inSheet: sheet).filter { !$0.values.allSatisfy(\.isEmpty) }
    }

    public func header() throws -> [String] {
        guard let first = rows.first else {
            throw CRMError.invalid(entity: "file", [FieldError(field: name, value: nil, reason: "has no rows: the first row must name the columns")])
        }
        return first.values
    }

    public func nextRow() throws -> ImportRow? {
        if position == 0 { position = 1 }
        guard position < rows.count else { return nil }
        defer { position += 1 }
        return ImportRow(cells: rows[position].values, row: rows[position].number)
    }

    public var fractionRead: Double { rows.count > 1 ? Double(position) / Double(rows.count) : 1 }
}
