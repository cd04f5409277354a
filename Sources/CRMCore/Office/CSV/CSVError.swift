/// A problem reading or writing a CSV file, saying where it is and what to do about it.
///
/// Its description is meant to be printed as it is:
///
/// ```
/// customers.csv, line 7, column 12: a quoted field starts here but has no closing quote
/// ```
public struct CSVError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What kind of problem this is, for code that reacts to some of them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unterminatedQuote = "unterminated quote"
            case strayQuote = "stray quote"
            case textAfterClosingQuote = "text after closing quote"
            case invalidEncoding = "invalid encoding"
            case recordTooLong = "record too long"
            case unsupportedDelimiter = "unsupported delimiter"
            case fileUnreadable = "file unreadable"
            case fileUnwritable = "file unwritable"
        }

        private let base: Base

        /// A quoted field has no closing quote before the end of the file.
        public static let unterminatedQuote = Code(base: .unterminatedQuote)
        /// A `"` inside a field that does not start with one.
        public static let strayQuote = Code(base: .strayQuote)
        /// Something other than a delimiter or a line end follows a closing quote.
        public static let textAfterClosingQuote = Code(base: .textAfterClosingQuote)
        /// Bytes that are not valid in the declared encoding.
        public static let invalidEncoding = Code(base: .invalidEncoding)
        /// One record is longer than the reader's limit.
        public static let recordTooLong = Code(base: .recordTooLong)
        /// The delimiter is a quote, a line end or not ASCII.
        public static let unsupportedDelimiter = Code(base: .unsupportedDelimiter)
        /// The file cannot be opened or read.
        public static let fileUnreadable = Code(base: .fileUnreadable)
        /// The file cannot be created or written.
        public static let fileUnwritable = Code(base: .fileUnwritable)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The file, as the caller named it.
    public var path: String
    /// The physical line (1-based) where the problem is, when it is in the text.
    public var line: Int?
    /// The character (1-based) within `line`.
    public var column: Int?
    /// The offset of the offending byte from the start of the file, for encoding errors.
    public var byteOffset: Int64?
    /// What is wrong, in a sentence without the position.
    public var reason: String
    /// What the person can do about it, when we know.
    public var suggestion: String?

    public var description: String {
        var text = path
        if let line {
            text += ", line \(line)"
            if let column { text += ", column \(column)" }
        }
        if let byteOffset { text += " (byte \(byteOffset))" }
        text += ": " + reason
        if let suggestion { text += ". " + suggestion }
        return text
    }
}
