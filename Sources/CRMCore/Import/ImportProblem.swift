/// A bad row of an import: where it is and why it was refused.
public struct ImportProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The row as a spreadsheet program numbers it (the header is row 1).
    public var row: Int
    /// The physical line of a CSV file where the row starts, when it differs from `row`.
    public var line: Int?
    /// The column's letter and header (`C (email)`), or nil for the whole row.
    public var column: String?
    public var value: String?
    public var reason: String

    public var description: String {
        var place = "row \(row)"
        if let line, line != row { place += " (line \(line))" }
        if let column { place += ", column \(column)" }
        let shown = value.map { " '\($0)'" } ?? ""
        return "\(place):\(shown) \(reason)"
    }

    /// A, B, …, Z, AA, AB, … for a 0-based column index.
    static func columnLetter(_ index: Int) -> String {
        var n = index + 1
        var letters = ""
        while n > 0 {
            let remainder = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            n = (n - 1) / 26
        }
        return letters
    }
}
