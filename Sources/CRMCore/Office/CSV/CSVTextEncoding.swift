/// The character encoding of a CSV file.
///
/// Excel on Chinese-language Windows saves "CSV" in GB18030 (code page 936, a subset), and
/// "Unicode text" as UTF-16 with a byte-order mark; everything else we meet is UTF-8.
public enum CSVTextEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    /// GB18030, which also reads GBK and GB2312 files (it is a superset of both).
    case gb18030 = "gb18030"
    /// UTF-16; the byte-order mark chooses the byte order, little-endian when there is none.
    case utf16 = "utf-16"

    /// The encoding a person means by `name` (`utf8`, `UTF-8`, `gbk`, `GB2312`, `cp936`, `utf16`…),
    /// for a command-line `--encoding` option.
    public init?(name: String) {
        switch name.lowercased().filter({ $0 != "-" && $0 != "_" }) {
        case "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936", "windows936": self = .gb18030
        case "utf16", "utf16le", "unicode": self = .utf16
        default: return nil
        }
    }
}
