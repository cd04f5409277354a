/// The type YAML gives a plain (unquoted) scalar: null, bool, int, float or string, and the
/// values of numbers.
///
/// Regular-expression resolvers (Yams, via `NSRegularExpression`) were half the time of
/// compiling a playbook. Plain scalars are classified here by hand-written matchers that accept
/// exactly what YAML 1.1's resolver rules accept (`yes`/`no`/`on`/`off` are booleans, `0x1F` and
/// `1_000` are integers, `1.5e+3` and `.inf` are floats, `1e3` is text); a test checks them against PyYAML's resolver.
enum ImplicitScalarType {
    /// The value of a YAML 1.1 integer: decimal, `0x` hex, `0b` binary, leading-zero octal, `1:30` base 60, with `_` separators.
    static func intValue(_ text: String) -> Int? {
        var digits = text.replacingOccurrences(of: "_", with: "")
        var sign = 1
        if digits.hasPrefix("-") { sign = -1; digits.removeFirst() } else if digits.hasPrefix("+") { digits.removeFirst() }
        guard !digits.isEmpty else { return nil }
        let magnitude: Int?
        if digits.hasPrefix("0x") { magnitude = Int(digits.dropFirst(2), radix: 16) }
        else if digits.hasPrefix("0b") { magnitude = Int(digits.dropFirst(2), radix: 2) }
        else if digits.contains(":") { magnitude = sexagesimal(digits).flatMap { Int(exactly: $0) } }
        else if digits.count > 1 && digits.hasPrefix("0") { magnitude = Int(digits.dropFirst(), radix: 8) }
        else { magnitude = Int(digits) }
        return magnitude.map { sign * $0 }
    }

    /// The value of a YAML 1.1 float or integer: `1.5`, `1e3`, `.inf`, `-.inf`, `.nan`, `1:30.5`.
    static func doubleValue(_ text: String) -> Double? {
        if isInt(Array(text.utf8)) { return intValue(text).map(Double.init) }
        var digits = text.replacingOccurrences(of: "_", with: "")
        var sign = 1.0
        if digits.hasPrefix("-") { sign = -1; digits.removeFirst() } else if digits.hasPrefix("+") { digits.removeFirst() }
        switch digits {
        case ".inf", ".Inf", ".INF": return sign * .infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        if digits.contains(":") { return sexagesimal(digits).map { sign * $0 } }
        return Double(digits).map { sign * $0 }
    }

    private static func sexagesimal(_ digits: String) -> Double? {
        var value = 0.0
        for part in digits.split(separator: ":", omittingEmptySubsequences: false) {
            guard let n = Double(part) else { return nil }
            value = value * 60 + n
        }
        return value
    }

    static func classify(_ text: String) -> ScalarType {
        var text = text
        return text.withUTF8 { classify($0) }
    }

    /// The type of a plain scalar's UTF-8 bytes. Like PyYAML's resolver, the first byte picks
    /// the rules that can match, so most text (ids, names) is decided by one comparison.
    static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> ScalarType {
        guard let first = bytes.first else { return .null }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
             UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            guard bytes.count <= 5 else { return .str }
            let text = String(decoding: bytes, as: UTF8.self)
            if isBool(text) { return .bool }
            if isNull(text) { return .null }
            return .str
        case UInt8(ascii: "~"):
            return bytes.count == 1 ? .null : .str
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let array = Array(bytes)
            if isInt(array) { return .int }
            if isFloat(array) { return .float }
            return .str
        default:
            return .str
        }
    }

    private static let bools: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]

    static func isBool(_ text: String) -> Bool { bools.contains(text) }

    /// The value of a YAML 1.1 boolean (what Yams's `Bool.construct` reads, which refuses scalars
    /// typed `str` by the basic resolver).
    static func boolValue(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }

    static func isNull(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    // MARK: Matching helpers over UTF-8 bytes

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// Index after an optional sign.
    private static func afterSign(_ b: [UInt8], _ i: Int) -> Int {
        i < b.count && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) ? i + 1 : i
    }

    /// Index after one or more characters of `allowed` starting at `i`, or nil if none.
    private static func some(_ b: [UInt8], _ i: Int, _ allowed: (UInt8) -> Bool) -> Int? {
        var j = i
        while j < b.count && allowed(b[j]) { j += 1 }
        return j > i ? j : nil
    }

    /// Index after zero or more characters of `allowed`.
    private static func many(_ b: [UInt8], _ i: Int, _ allowed: (UInt8) -> Bool) -> Int {
        some(b, i, allowed) ?? i
    }

    private static func digitOrUnderscore(_ c: UInt8) -> Bool { isDigit(c) || c == UInt8(ascii: "_") }

    /// `(?::[0-5]?[0-9])+` from `i`: the sexagesimal tail; nil if there is none.
    private static func sexagesimal(_ b: [UInt8], _ i: Int) -> Int? {
        var j = i
        var groups = 0
        while j < b.count && b[j] == UInt8(ascii: ":") {
            var k = j + 1
            if k + 1 < b.count, b[k] >= 48, b[k] <= 53, isDigit(b[k + 1]) {
                k += 2
            } else if k < b.count, isDigit(b[k]) {
                k += 1
            } else {
                return groups > 0 ? j : nil
            }
            j = k
            groups += 1
        }
        return groups > 0 ? j : nil
    }

    // MARK: int

    /// `[-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+ | [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`
    static func isInt(_ b: [UInt8]) -> Bool {
        let s = afterSign(b, 0)
        guard s < b.count else { return false }
        let n = b.count
        if b[s] == UInt8(ascii: "0") {
            if s + 1 == n { return true }
            let marker = b[s + 1]
            if marker == UInt8(ascii: "b") {
                return some(b, s + 2, { $0 == 48 || $0 == 49 || $0 == UInt8(ascii: "_") }) == n
            }
            if marker == UInt8(ascii: "x") {
                return some(b, s + 2, { isDigit($0) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70)
                    || $0 == UInt8(ascii: "_") }) == n
            }
            return some(b, s + 1, { ($0 >= 48 && $0 <= 55) || $0 == UInt8(ascii: "_") }) == n
        }
        guard b[s] >= 49 && b[s] <= 57 else { return false }
        let end = many(b, s + 1, digitOrUnderscore)
        if end == n { return true }
        return sexagesimal(b, end) == n
    }

    // MARK: float

    /// `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)? | \.[0-9][0-9_]*([eE][-+][0-9]+)?
    ///  | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)`
    static func isFloat(_ b: [UInt8]) -> Bool {
        let n = b.count
        guard n > 0 else { return false }
        let text = String(decoding: b, as: UTF8.self)
        if [".nan", ".NaN", ".NAN"].contains(text) { return true }
        let s = afterSign(b, 0)
        if [".inf", ".Inf", ".INF"].contains(String(decoding: b[s...], as: UTF8.self)) { return true }
        // \.[0-9][0-9_]*([eE][-+][0-9]+)?  (no sign allowed before the dot, a sign required in the exponent)
        if b[0] == UInt8(ascii: ".") {
            guard n > 1, isDigit(b[1]) else { return false }
            let end = many(b, 2, digitOrUnderscore)
            if end == n { return true }
            guard b[end] == UInt8(ascii: "e") || b[end] == UInt8(ascii: "E"), end + 1 < n,
                  b[end + 1] == UInt8(ascii: "-") || b[end + 1] == UInt8(ascii: "+") else { return false }
            return some(b, end + 2, isDigit) == n
        }
        guard s < n, isDigit(b[s]) else { return false }
        let mantissa = many(b, s + 1, digitOrUnderscore)
        // Sexagesimal float: digits, (:NN)+, '.', [0-9_]*
        if let afterSexagesimal = sexagesimal(b, mantissa), afterSexagesimal < n, b[afterSexagesimal] == UInt8(ascii: ".") {
            if many(b, afterSexagesimal + 1, digitOrUnderscore) == n { return true }
        }
        // A dot is required (`1e3` is a string in YAML 1.1), and a sign in the exponent.
        guard mantissa < n, b[mantissa] == UInt8(ascii: ".") else { return false }
        var i = many(b, mantissa + 1, digitOrUnderscore)
        if i < n && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            guard i + 1 < n, b[i + 1] == UInt8(ascii: "-") || b[i + 1] == UInt8(ascii: "+"),
                  let end = some(b, i + 2, isDigit) else { return false }
            i = end
        }
        return i == n
    }
}
