import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

private typealias ZIPArchive = ZIPFoundation.Archive

/// One row of a sheet as text, with its row number in the sheet.
public struct XLSXRow: Sendable, Hashable {
    /// The 1-based row number in the sheet; rows without values are skipped, so numbers can jump.
    public var number: Int
    /// One string per column from A up to the last cell with a value; a column without a
    /// cell is `""`.
    public var values: [String]

    public init(number: Int, values: [String]) {
        self.number = number
        self.values = values
    }
}

/// Reads the sheets of an Excel workbook (`.xlsx`) as rows of text, for importing.
///
/// ```swift
/// let book = try XLSXReader(path: "leads.xlsx")
/// print(book.sheetNames)                        // ["Leads", "Notes"]
/// try book.forEachRow(inSheet: "Leads") { row in
///     importer.add(row.values, line: row.number)
/// }
/// ```
///
/// Works with workbooks written by Excel, LibreOffice, openpyxl and `XLSXWriter`. Every
/// cell becomes text: strings as they are (shared, inline or rich text), numbers as stored
/// (`42`, `1234.5`), booleans as `TRUE`/`FALSE`, formulas as their cached result, and cells
/// whose number format is a date as ISO 8601: `2024-02-04`, `2024-02-04T09:30:00Z`, or
/// `09:30:00` for a time of day. The sheet's XML is parsed as a stream, so only its shared
/// strings are held in memory.
public final class XLSXReader {
    /// The workbook file, as the caller named it.
    public let path: String
    /// The sheets, in the order the workbook shows them.
    public let sheetNames: [String]

    private let archive: ZIPArchive
    private let sheetParts: [String]
    private let sharedStringsPart: String?
    private let stylesPart: String?
    private let uses1904Dates: Bool
    /// Parts larger than this are parsed from a temporary file instead of memory.
    private let inMemoryLimit: Int
    private var sharedStrings: [String]?
    private var dateKinds: [XLSXDateKind]?

    /// Opens the workbook and reads its list of sheets.
    public convenience init(path: String) throws {
        try self.init(path: path, inMemoryLimit: 8 * 1024 * 1024)
    }

    init(path: String, inMemoryLimit: Int) throws {
        self.path = path
        self.inMemoryLimit = inMemoryLimit
        try Self.checkSignature(path: path)
        let archive: ZIPArchive
        do {
            archive = try ZIPArchive(url: URL(fileURLWithPath: path), accessMode: .read, pathEncoding: nil)
        } catch {
            throw XLSXError(code: .notAnXLSXFile, path: path, reason: "the file is not a readable ZIP package, so not an .xlsx workbook")
        }
        self.archive = archive

        let packageRelationships = XLSXRelationshipsHandler()
        var workbookPart = "xl/workbook.xml"
        if archive["_rels/.rels"] != nil {
            try Self.parse("_rels/.rels", in: archive, path: path, inMemoryLimit: inMemoryLimit, with: packageRelationships)
            if let target = packageRelationships.relationships.first(where: { $0.type.hasSuffix("/officeDocument") })?.target {
                workbookPart = Self.resolve(target, relativeTo: "")
            }
        }
        guard archive[workbookPart] != nil else { throw Self.notAWorkbook(archive, path: path) }

        let workbook = XLSXWorkbookHandler()
        try Self.parse(workbookPart, in: archive, path: path, inMemoryLimit: inMemoryLimit, with: workbook)
        let relationships = XLSXRelationshipsHandler()
        let relationshipsPart = Self.relationshipsPart(of: workbookPart)
        if archive[relationshipsPart] != nil {
            try Self.parse(relationshipsPart, in: archive, path: path, inMemoryLimit: inMemoryLimit, with: relationships)
        }
        let targets = Dictionary(relationships.relationships.map { ($0.id, Self.resolve($0.target, relativeTo: workbookPart)) },
                                 uniquingKeysWith: { first, _ in first })
        var names: [String] = []
        var parts: [String] = []
        for sheet in workbook.sheets {
            // Chart sheets and dialog sheets have no rows; only worksheets are listed.
            guard let target = targets[sheet.relationshipID],
                  relationships.relationships.first(where: { $0.id == sheet.relationshipID })?.type.hasSuffix("/worksheet") == true
            else { continue }
            names.append(sheet.name)
            parts.append(target)
        }
        sheetNames = names
        sheetParts = parts
        uses1904Dates = workbook.uses1904Dates
        func part(ofType suffix: String, fallback: String) -> String? {
            if let relationship = relationships.relationships.first(where: { $0.type.hasSuffix(suffix) }) {
                return Self.resolve(relationship.target, relativeTo: workbookPart)
            }
            return archive[fallback] != nil ? fallback : nil
        }
        sharedStringsPart = part(ofType: "/sharedStrings", fallback: "xl/sharedStrings.xml")
        stylesPart = part(ofType: "/styles", fallback: "xl/styles.xml")
    }

    /// Calls `body` with each row of the sheet named `name` (the first sheet when nil) that
    /// has at least one value, in order. A sheet name matches exactly or, failing that,
    /// ignoring case.
    public func forEachRow(inSheet name: String? = nil, _ body: (XLSXRow) throws -> Void) throws {
        let index = try sheetIndex(named: name)
        let strings = try loadSharedStrings()
        let kinds = try loadDateKinds()
        try withoutActuallyEscaping(body) { body in
            let handler = XLSXSheetHandler(path: path, sheet: sheetNames[index], sharedStrings: strings, dateKinds: kinds,
                                           uses1904Dates: uses1904Dates, body: body)
            do {
                try Self.parse(sheetParts[index], in: archive, path: path, inMemoryLimit: inMemoryLimit, with: handler)
            } catch var error as XLSXError where error.code == .malformedWorkbook {
                error.sheet = sheetNames[index]
                throw error
            }
        }
    }

    /// Every row of the sheet named `name` (the first sheet when nil) that has a value.
    public func rows(inSheet name: String? = nil) throws -> [XLSXRow] {
        var rows: [XLSXRow] = []
        try forEachRow(inSheet: name) { rows.append($0) }
        return rows
    }

    // MARK: - Parts

    private func sheetIndex(named name: String?) throws -> Int {
        guard !sheetNames.isEmpty else {
            throw XLSXError(code: .sheetNotFound, path: path, reason: "the workbook has no worksheets")
        }
        guard let name else { return 0 }
        if let index = sheetNames.firstIndex(of: name) { return index }
        if let index = sheetNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) { return index }
        let available = sheetNames.map { "\"\($0)\"" }.joined(separator: ", ")
        throw XLSXError(code: .sheetNotFound, path: path, reason: "there is no sheet named \"\(name)\"",
                        suggestion: "The workbook has \(available)")
    }

    private func loadSharedStrings() throws -> [String] {
        if let sharedStrings { return sharedStrings }
        var strings: [String] = []
        if let sharedStringsPart, archive[sharedStringsPart] != nil {
            let handler = XLSXSharedStringsHandler()
            try Self.parse(sharedStringsPart, in: archive, path: path, inMemoryLimit: inMemoryLimit, with: handler)
            strings = handler.strings
        }
        sharedStrings = strings
        return strings
    }

    private func loadDateKinds() throws -> [XLSXDateKind] {
        if let dateKinds { return dateKinds }
        var kinds: [XLSXDateKind] = []
        if let stylesPart, archive[stylesPart] != nil {
            let handler = XLSXStylesHandler()
            try Self.parse(stylesPart, in: archive, path: path, inMemoryLimit: inMemoryLimit, with: handler)
            kinds = handler.cellFormatIDs.map { XLSXDateKind(numberFormatID: $0, formatCode: handler.customFormats[$0]) }
        }
        dateKinds = kinds
        return kinds
    }

    /// Parses one XML part of the package with `handler`, from memory when it is small and
    /// through a temporary file otherwise.
    private static func parse(_ part: String, in archive: ZIPArchive, path: String, inMemoryLimit: Int,
                              with handler: some XLSXPartHandler) throws {
        guard let entry = archive[part] else {
            throw XLSXError(code: .malformedWorkbook, path: path, reason: "the part \(part) is missing")
        }
        let parser: XMLParser
        var temporaryPath: String?
        defer { if let temporaryPath { try? FileManager.default.removeItem(atPath: temporaryPath) } }
        do {
            if entry.uncompressedSize <= UInt64(inMemoryLimit) {
                var data = Data()
                data.reserveCapacity(Int(entry.uncompressedSize))
                _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
                parser = XMLParser(data: data)
            } else {
                let file = FileManager.default.temporaryDirectory.path + "/rollout-xlsx-part-" + UUID().uuidString + ".xml"
                temporaryPath = file
                _ = try archive.extract(entry, to: URL(fileURLWithPath: file), skipCRC32: false)
                guard let stream = InputStream(fileAtPath: file) else {
                    throw OfficeSystemError(operation: "read", path: file, code: 2)
                }
                parser = XMLParser(stream: stream)
            }
        } catch {
            throw XLSXError(code: .malformedWorkbook, path: path, reason: "cannot unpack \(part): \(error)")
        }
        parser.delegate = handler
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        if let failure = handler.failure { throw failure }
        // FoundationXML on Linux recovers from some errors and still reports success, so the
        // parser's error counts too.
        if !parsed || parser.parserError != nil {
            let code = parser.parserError.map { " (XML error \(($0 as NSError).code))" } ?? ""
            throw XLSXError(code: .malformedWorkbook, path: path,
                            reason: "\(part) is not well-formed XML near line \(parser.lineNumber)\(code)")
        }
    }

    /// `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
    private static func relationshipsPart(of part: String) -> String {
        var components = part.split(separator: "/").map(String.init)
        let file = components.popLast() ?? ""
        return (components + ["_rels", file + ".rels"]).joined(separator: "/")
    }

    /// A relationship's target as a path inside the package: absolute targets start at the
    /// root, relative ones at the folder of the part that names them.
    static func resolve(_ target: String, relativeTo part: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var components = part.split(separator: "/").map(String.init).dropLast()
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(String(component))
            }
        }
        return components.joined(separator: "/")
    }

    /// Refuses files that are plainly not workbooks before ZIP reading fails with less to say.
    private static func checkSignature(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot open the file" : "there is no such file"
            throw XLSXError(code: .fileUnreadable, path: path, reason: reason)
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw XLSXError(code: .notAnXLSXFile, path: path,
                            reason: "this is an Excel 97–2003 workbook (.xls) or a password-protected workbook, not an .xlsx file",
                            suggestion: "Open it in Excel and save it as \"Excel Workbook (.xlsx)\" without a password")
        }
        let looksLikeText = !head.isEmpty && head.allSatisfy { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 >= 0x80 }
        throw XLSXError(code: .notAnXLSXFile, path: path,
                        reason: head.isEmpty ? "the file is empty, not an .xlsx workbook" : "the file is not an .xlsx workbook",
                        suggestion: looksLikeText ? "It looks like text; if it is CSV, import it as CSV" : nil)
    }

    private static func notAWorkbook(_ archive: ZIPArchive, path: String) -> XLSXError {
        let kind: String? = if archive["word/document.xml"] != nil {
            "a Word document"
        } else if archive["ppt/presentation.xml"] != nil {
            "a PowerPoint presentation"
        } else if archive["content.xml"] != nil {
            "an OpenDocument file (save it as .xlsx first)"
        } else {
            nil
        }
        return XLSXError(code: .notAnXLSXFile, path: path,
                         reason: "the ZIP package has no workbook" + (kind.map { "; it is \($0)" } ?? ""))
    }
}

// MARK: - XML handlers

/// A SAX handler for one part; it records the first error, since XMLParser's callbacks
/// cannot throw, and stops the parser.
protocol XLSXPartHandler: XMLParserDelegate {
    var failure: (any Error)? { get }
}

/// The element name without a namespace prefix: some writers spell `<x:row>`.
private func localName(_ name: String) -> Substring {
    guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name[...] }
    return name[name.index(after: colon)...]
}

final class XLSXRelationshipsHandler: NSObject, XLSXPartHandler {
    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    private(set) var relationships: [Relationship] = []
    var failure: (any Error)? { nil }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        guard localName(elementName) == "Relationship", attributes["TargetMode"] != "External",
              let id = attributes["Id"], let type = attributes["Type"], let target = attributes["Target"] else { return }
        relationships.append(Relationship(id: id, type: type, target: target))
    }
}

final class XLSXWorkbookHandler: NSObject, XLSXPartHandler {
    private(set) var sheets: [(name: String, relationshipID: String)] = []
    private(set) var uses1904Dates = false
    var failure: (any Error)? { nil }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch localName(elementName) {
        case "sheet":
            // The relationship id is `r:id`, whatever prefix the writer gave its namespace.
            guard let name = attributes["name"],
                  let id = attributes.first(where: { $0.key.hasSuffix(":id") })?.value else { return }
            sheets.append((name, id))
        case "workbookPr":
            uses1904Dates = ["1", "true"].contains(attributes["date1904"] ?? "")
        default:
            break
        }
    }
}

final class XLSXSharedStringsHandler: NSObject, XLSXPartHandler {
    private(set) var strings: [String] = []
    var failure: (any Error)? { nil }
    private var current = ""
    private var inItem = false
    private var inPhonetic = false
    private var capturing = false

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch localName(elementName) {
        case "si":
            current = ""
            inItem = true
        case "rPh":
            inPhonetic = true // the reading of Japanese text, not part of the string
        case "t":
            capturing = inItem && !inPhonetic
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch localName(elementName) {
        case "si":
            strings.append(XLSXMarkup.unescapingExcelEscapes(current))
            inItem = false
        case "rPh":
            inPhonetic = false
        case "t":
            capturing = false
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing { current += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if capturing { current += String(decoding: CDATABlock, as: UTF8.self) }
    }
}

final class XLSXStylesHandler: NSObject, XLSXPartHandler {
    private(set) var customFormats: [Int: String] = [:]
    /// The number format of each cell format, in order: a cell's `s` attribute indexes this.
    private(set) var cellFormatIDs: [Int] = []
    var failure: (any Error)? { nil }
    private var inCellFormats = false

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch localName(elementName) {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
                customFormats[id] = code
            }
        case "cellXfs":
            inCellFormats = true
        case "xf" where inCellFormats:
            cellFormatIDs.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if localName(elementName) == "cellXfs" { inCellFormats = false }
    }
}

/// Turns a worksheet's `<row>` and `<c>` elements into `XLSXRow`s as they stream past.
final class XLSXSheetHandler: NSObject, XLSXPartHandler {
    private(set) var failure: (any Error)?
    private let path: String
    private let sheet: String
    private let sharedStrings: [String]
    private let dateKinds: [XLSXDateKind]
    private let uses1904Dates: Bool
    private let body: (XLSXRow) throws -> Void

    private var rowNumber = 0
    private var values: [String] = []
    private var cellColumn = 0
    private var cellType = ""
    private var cellStyle = 0
    private var cellValue = ""
    private var inlineText = ""
    private var capture = Capture.nothing
    private var inInlineString = false
    private var inPhonetic = false

    private enum Capture {
        case nothing, value, inlineText
    }

    init(path: String, sheet: String, sharedStrings: [String], dateKinds: [XLSXDateKind], uses1904Dates: Bool,
         body: @escaping (XLSXRow) throws -> Void) {
        self.path = path
        self.sheet = sheet
        self.sharedStrings = sharedStrings
        self.dateKinds = dateKinds
        self.uses1904Dates = uses1904Dates
        self.body = body
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch localName(elementName) {
        case "row":
            rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
            values.removeAll(keepingCapacity: true)
        case "c":
            if let reference = attributes["r"] {
                guard let column = XLSXCellReference.column(of: reference) else {
                    fail(parser, "the cell reference \"\(reference)\" is not valid")
                    return
                }
                cellColumn = column
            } else {
                cellColumn = values.count + 1
            }
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
            cellValue = ""
            inlineText = ""
        case "v":
            capture = .value
        case "is":
            inInlineString = true
        case "rPh":
            inPhonetic = true
        case "t" where inInlineString && !inPhonetic:
            capture = .inlineText
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch localName(elementName) {
        case "v", "t":
            capture = .nothing
        case "is":
            inInlineString = false
        case "rPh":
            inPhonetic = false
        case "c":
            guard let value = resolvedValue(parser) else { return }
            if values.count < cellColumn { values += repeatElement("", count: cellColumn - values.count) }
            values[cellColumn - 1] = value
        case "row":
            while values.last?.isEmpty == true { values.removeLast() }
            guard !values.isEmpty, failure == nil else { return }
            do {
                try body(XLSXRow(number: rowNumber, values: values))
            } catch {
                // The caller's own error, handed back unchanged by `forEachRow`.
                failure = error
                parser.abortParsing()
            }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch capture {
        case .nothing: break
        case .value: cellValue += string
        case .inlineText: inlineText += string
        }
    }

    private func resolvedValue(_ parser: XMLParser) -> String? {
        switch cellType {
        case "s":
            guard let index = Int(cellValue), sharedStrings.indices.contains(index) else {
                fail(parser, "a cell refers to shared string \(cellValue), which does not exist")
                return nil
            }
            return sharedStrings[index]
        case "inlineStr":
            return XLSXMarkup.unescapingExcelEscapes(inlineText)
        case "str", "e":
            return cellValue
        case "b":
            return cellValue == "1" || cellValue == "true" ? "TRUE" : "FALSE"
        case "d":
            return Self.normalizedISODate(cellValue)
        default:
            guard !cellValue.isEmpty else { return "" }
            let kind = dateKinds.indices.contains(cellStyle) ? dateKinds[cellStyle] : .notADate
            if kind != .notADate, let serial = Double(cellValue),
               let text = kind.text(serial: serial, uses1904Dates: uses1904Dates) {
                return text
            }
            return cellValue
        }
    }

    /// A `t="d"` cell holds ISO 8601 text already; midnight becomes a plain date.
    private static func normalizedISODate(_ text: String) -> String {
        guard let t = text.firstIndex(of: "T") else { return text }
        let time = text[text.index(after: t)...].prefix(8)
        if time == "00:00:00" || time == "00:00" { return String(text[..<t]) }
        return String(text[..<t]) + "T" + time + (time.count == 5 ? ":00" : "") + "Z"
    }

    private func fail(_ parser: XMLParser, _ reason: String) {
        guard failure == nil else { return }
        failure = XLSXError(code: .malformedWorkbook, path: path, sheet: sheet, row: rowNumber, column: cellColumn, reason: reason)
        parser.abortParsing()
    }
}
