/// One cell's value for `XLSXWriter.appendRow(_:)`.
///
/// The case decides the cell's type: `.text` is always a string cell, so "2/4", "00123",
/// "1E5" and "=SUM(A1)" stay exactly as written, never a date, a number or a formula.
public enum XLSXValue: Sendable, Hashable {
    case text(String)
    /// A whole number. Excel keeps 15 significant digits, so identifiers such as phone or
    /// account numbers belong in `.text`.
    case integer(Int64)
    /// A number with a fraction; shown with the column's decimal places, if it declares them.
    case decimal(Double)
    /// A calendar date, shown as `yyyy-mm-dd`. Excel cannot hold dates before 1900; those
    /// are written as ISO text instead.
    case date(year: Int, month: Int, day: Int)
    /// A moment, shown in UTC as `yyyy-mm-dd hh:mm`.
    case dateTime(secondsSince1970: Int64)
    case boolean(Bool)
    /// No cell at all.
    case empty
}

/// A column of a sheet: its header, what its cells hold, and how wide it is.
public struct XLSXColumn: Sendable, Hashable {
    public var header: String
    /// Sets the number format of the column's cells, including cells a person adds later.
    public var kind: XLSXColumnKind
    /// The width in Excel's units (the width of one digit); `nil` fits the header and the
    /// first thousand values.
    public var width: Double?

    public init(header: String, kind: XLSXColumnKind = .text, width: Double? = nil) {
        self.header = header
        self.kind = kind
        self.width = width
    }
}

/// What a column holds, which decides its number format.
public enum XLSXColumnKind: Sendable, Hashable {
    /// Text format (`@`): what a person types later stays text too.
    case text
    /// Whole numbers, without separators (`0`).
    case integer
    /// Numbers with this many decimal places (0–30).
    case decimal(places: Int)
    /// `yyyy-mm-dd`.
    case date
    /// `yyyy-mm-dd hh:mm`, in UTC.
    case dateTime
    case boolean
}
