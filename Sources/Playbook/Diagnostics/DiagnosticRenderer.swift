/// Prints diagnostics the way compilers do: the located message, then the offending line with a
/// caret under the column and the rest of the token underlined.
///
/// ```
/// Playbooks/x.yaml:21:18: error[unknown-kpi]: gate of phase 'pilot' uses unknown KPI 'lead_resp' (did you mean 'lead_response_hours'?)
///    21 |         - { kpi: lead_resp, at_most: 8 }
///       |                  ^~~~~~~~~
/// ```
public struct DiagnosticRenderer: Sendable {
    /// The text of each file diagnostics may point into, by path.
    public var sources: [String: String]

    public init(sources: [String: String]) {
        self.sources = sources
    }

    /// The message line, followed by the source line and caret when the file's text is known.
    public func render(_ diagnostic: PlaybookDiagnostic) -> String {
        var text = diagnostic.description
        guard let source = sources[diagnostic.location.file],
              let line = Self.line(diagnostic.location.line, of: source)
        else { return text }
        let number = String(diagnostic.location.line)
        let gutter = String(repeating: " ", count: max(5, number.count + 1))
        let shown = line.replacingOccurrences(of: "\t", with: " ")
        let scalars = Array(shown.unicodeScalars)
        let column = min(max(diagnostic.location.column - 1, 0), scalars.count)
        let indent = scalars[..<column].reduce(0) { $0 + Self.width(of: $1) }
        let token = Self.tokenLength(in: scalars, from: column)
        let underline = "^" + String(repeating: "~", count: max(0, token - 1))
        text += "\n" + String(gutter.dropLast(number.count)) + number + " | " + shown
        text += "\n" + gutter + " | " + String(repeating: " ", count: indent) + underline
        return text
    }

    /// Every diagnostic rendered, separated by newlines.
    public func render(_ diagnostics: [PlaybookDiagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }

    static func line(_ number: Int, of text: String) -> Substring? {
        guard number >= 1 else { return nil }
        var current = 1
        var start = text.startIndex
        while current < number {
            guard let newline = text[start...].firstIndex(of: "\n") else { return nil }
            start = text.index(after: newline)
            current += 1
        }
        let end = text[start...].firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) ?? text.endIndex
        return text[start..<end]
    }

    /// The display width of the token at `column` (an id, a number, a quoted text), at least 1.
    static func tokenLength(in scalars: [Unicode.Scalar], from column: Int) -> Int {
        guard column < scalars.count else { return 1 }
        let first = scalars[column]
        if first == "\"" || first == "'" {
            var end = column + 1
            while end < scalars.count, scalars[end] != first { end += 1 }
            return scalars[column...min(end, scalars.count - 1)].reduce(0) { $0 + width(of: $1) }
        }
        var end = column
        while end < scalars.count, isTokenPart(scalars[end]) { end += 1 }
        return max(1, scalars[column..<end].reduce(0) { $0 + width(of: $1) })
    }

    private static func isTokenPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-.".unicodeScalars.contains(scalar)
            || scalar.properties.generalCategory == .otherLetter
    }

    /// Columns a scalar takes in a terminal: 2 for East Asian wide characters (Han, kana, Hangul,
    /// full-width forms), else 1.
    static func width(of scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            2
        default:
            1
        }
    }
}
