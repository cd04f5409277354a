/// Rows of a file being imported, read one at a time (CSV or a sheet of an XLSX workbook).
public protocol ImportSource: AnyObject {
    /// The file, as messages name it.
    var name: String { get }
    /// The header row's cells. Read before the first data row.
    func header() throws -> [String]
    /// The next data row, or nil at the end.
    func nextRow() throws -> ImportRow?
    /// How much of the file has been read, 0…1, for a progress bar.
    var fractionRead: Double { get }
}

/// One data row: its cells and where it is, as a spreadsheet program numbers it (the header is
/// row 1), with the physical line for a CSV record that spans several.
public struct ImportRow: Sendable, Hashable {
    public var cells: [String]
    public var row: Int
    public var line: Int?

    public init(cells: [String], row: Int, line: Int? = nil) {
        self.cells = cells
        self.row = row
        self.line = line
    }
}
