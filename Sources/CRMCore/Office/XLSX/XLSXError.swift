/// A problem writing or reading an Excel workbook, saying where it is and what to do about it.
///
/// Its description is meant to be printed as it is:
///
/// ```
/// export.xlsx, sheet "Customers", row 12, column C: a date needs a real calendar day (2025-02-30)
/// ```
public struct XLSXError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What kind of problem this is, for code that reacts to some of them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notAnXLSXFile = "not an xlsx file"
            case sheetNotFound = "sheet not found"
            case malformedWorkbook = "malformed workbook"
            case invalidValue = "invalid value"
            case invalidColumns = "invalid columns"
            case misuse = "misuse"
            case fileUnreadable = "file unreadable"
            case fileUnwritable = "file unwritable"
        }

        private let base: Base

        /// The file is not an Office Open XML workbook (an old `.xls`, a CSV, a Word file…).
        public static let notAnXLSXFile = Code(base: .notAnXLSXFile)
        /// The workbook has no sheet of the requested name.
        public static let sheetNotFound = Code(base: .sheetNotFound)
        /// A part of the workbook is missing or is not the XML it should be.
        public static let malformedWorkbook = Code(base: .malformedWorkbook)
        /// A value Excel cannot hold: an impossible date, a number that is not finite, text
        /// longer than a cell takes, more values than the sheet has columns.
        public static let invalidValue = Code(base: .invalidValue)
        /// A column declaration Excel cannot honour, such as 31 decimal places.
        public static let invalidColumns = Code(base: .invalidColumns)
        /// A call out of order: a row before any sheet, anything after `close()`.
        public static let misuse = Code(base: .misuse)
        /// The file cannot be opened or read.
        public static let fileUnreadable = Code(base: .fileUnreadable)
        /// The file or its temporary parts cannot be written.
        public static let fileUnwritable = Code(base: .fileUnwritable)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The workbook file, as the caller named it.
    public var path: String
    /// The sheet, when the problem is in one.
    public var sheet: String?
    /// The 1-based sheet row, when the problem is in one.
    public var row: Int?
    /// The 1-based column, when the problem is in one; shown as Excel's letters.
    public var column: Int?
    /// What is wrong, in a sentence without the position.
    public var reason: String
    /// What the person can do about it, when we know.
    public var suggestion: String?

    public var description: String {
        var text = path
        if let sheet { text += ", sheet \"\(sheet)\"" }
        if let row { text += ", row \(row)" }
        if let column { text += ", column \(XLSXCellReference.letters(column: column))" }
        text += ": " + reason
        if let suggestion { text += ". " + suggestion }
        return text
    }
}

/// Excel's A1-style cell references.
enum XLSXCellReference {
    /// `1` → `A`, `27` → `AA`, `16384` → `XFD`.
    static func letters(column: Int) -> String {
        var n = column
        var letters: [UInt8] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(remainder))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// The 1-based column of a reference such as `C7` (`3`), or nil when it has no letters
    /// or names a column beyond Excel's last, XFD.
    static func column(of reference: some StringProtocol) -> Int? {
        var column = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
            case UInt8(ascii: "$"): continue
            default: return column == 0 ? nil : column
            }
            if column > maxColumn { return nil }
        }
        return column == 0 ? nil : column
    }

    static let maxColumn = 16_384
    static let maxRow = 1_048_576
}
