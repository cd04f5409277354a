/// Escaping text into the XML of a workbook part.
enum XLSXMarkup {
    /// Appends `text` escaped for XML 1.0 to `out`.
    ///
    /// `& < > " '` become entities. Characters XML 1.0 cannot hold (control characters other
    /// than tab and line ends, U+FFFE, U+FFFF) are dropped. CR becomes `&#13;` because a parser
    /// would turn a literal CR into LF; in attributes tab and LF become references too, since a
    /// parser turns them into spaces. With `protectingExcelEscapes`, an underscore that starts
    /// something like `_x0041_` is written as `_x005F_`, so Excel does not read the text as
    /// the escaped character `A`.
    static func appendEscaped(_ text: String, to out: inout [UInt8], inAttribute: Bool = false,
                              protectingExcelEscapes: Bool = false) {
        var text = text
        text.withUTF8 { bytes in
            let n = bytes.count
            var runStart = 0
            var i = 0
            while i < n {
                let byte = bytes[i]
                var replacement: StaticString?
                var skip = 1
                switch byte {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "'"): replacement = "&apos;"
                case 0x0D: replacement = "&#13;"
                case 0x09: replacement = inAttribute ? "&#9;" : nil
                case 0x0A: replacement = inAttribute ? "&#10;" : nil
                case 0x00..<0x20: replacement = ""
                case 0xEF where i + 2 < n && bytes[i + 1] == 0xBF && (bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF):
                    replacement = "" // U+FFFE, U+FFFF
                    skip = 3
                case UInt8(ascii: "_") where protectingExcelEscapes && startsExcelEscape(bytes, at: i):
                    replacement = "_x005F"
                default: break
                }
                if let replacement {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                    out.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                    i += skip
                    // `_x005F` replaces nothing: the underscore itself still follows.
                    runStart = byte == UInt8(ascii: "_") ? i - 1 : i
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n]))
        }
    }

    /// The text escaped for XML, as a `String`.
    static func escaped(_ text: String, inAttribute: Bool = false) -> String {
        var out: [UInt8] = []
        appendEscaped(text, to: &out, inAttribute: inAttribute)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `_xHHHH_` (four hex digits) starts at `i`.
    static func startsExcelEscape(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "x"), bytes[i + 6] == UInt8(ascii: "_") else { return false }
        return (i + 2...i + 5).allSatisfy { isHexDigit(bytes[$0]) }
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }

    /// Undoes Excel's `_xHHHH_` escapes, which Excel writes for control characters and for
    /// underscores that would otherwise start one.
    static func unescapingExcelEscapes(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "_")) else { return text }
        var text = text
        return text.withUTF8 { bytes -> String in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            var changed = false
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "_"), startsExcelEscape(bytes, at: i),
                   let value = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[i + 2...i + 5]), as: UTF8.self), radix: 16),
                   let scalar = Unicode.Scalar(value) {
                    UTF8.encode(scalar) { out.append($0) }
                    i += 7
                    changed = true
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            return changed ? String(decoding: out, as: UTF8.self) : String(decoding: bytes, as: UTF8.self)
        }
    }
}
