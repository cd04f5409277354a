/// One record of a CSV file: its fields and where it starts.
public struct CSVRecord: Sendable, Hashable {
    /// The fields, unquoted; a quoted field keeps its embedded line ends as they were.
    public var fields: [String]
    /// The physical line (1-based) where the record starts; later than `index` when blank
    /// lines or quoted line breaks come before it.
    public var line: Int
    /// The record's number (1-based); the header, if the file has one, is record 1.
    public var index: Int

    public init(fields: [String], line: Int, index: Int) {
        self.fields = fields
        self.line = line
        self.index = index
    }
}
