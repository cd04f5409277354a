/// JSON text written by hand where a serializer would cost more than it gives: the JSON Schema's
/// pretty printing, the process runtime's batches of rows for SQLite's `json_each`.
public enum JSONText {
    /// `text` as a JSON string literal (RFC 8259: quote, backslash and control characters escaped).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        appendQuoted(text, to: &out)
        return out + "\""
    }

    /// Appends `text`'s characters escaped for a JSON string, without the quotes around them.
    public static func appendQuoted(_ text: String, to out: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
    }
}
