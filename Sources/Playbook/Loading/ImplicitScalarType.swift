import Yams

/// The type YAML gives a plain (unquoted) scalar: null, bool, int, float or string.
///
/// Yams resolves these with `NSRegularExpression`, which was half the time of compiling a
/// playbook (profiled: 50 % in tag resolution, mostly ICU). The playbook is composed with Yams's
/// regex-free `basic` resolver instead, and plain scalars are classified here by hand-written
/// matchers that accept exactly what Yams's default rules accept (YAML 1.1: `yes`/`no`/`on`/`off`
/// are booleans, `0x1F` and `1_000` are integers, `.inf` is a float).
enum ImplicitScalarType {
    static func classify(_ text: String) -> Tag.Name {
        let bytes = Array(text.utf8)
        if isBool(text) { return .bool }
        if isInt(bytes) { return .int }
        if isFloat(bytes) { return .float }
        if isNull(text) { return .null }
        return .str
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

    /// `[-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+ | [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`
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
            let octalStart = marker == UInt8(ascii: "o") ? s + 2 : s + 1
            return some(b, octalStart, { ($0 >= 48 && $0 <= 55) || $0 == UInt8(ascii: "_") }) == n
        }
        guard b[s] >= 49 && b[s] <= 57 else { return false }
        let end = many(b, s + 1, digitOrUnderscore)
        if end == n { return true }
        return sexagesimal(b, end) == n
    }

    // MARK: float

    /// `[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)? | \.[0-9_]+([eE][-+][0-9]+)?
    ///  | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)`
    static func isFloat(_ b: [UInt8]) -> Bool {
        let n = b.count
        guard n > 0 else { return false }
        let text = String(decoding: b, as: UTF8.self)
        if [".nan", ".NaN", ".NAN"].contains(text) { return true }
        let s = afterSign(b, 0)
        if [".inf", ".Inf", ".INF"].contains(String(decoding: b[s...], as: UTF8.self)) { return true }
        // \.[0-9_]+([eE][-+][0-9]+)?  (no sign allowed before the dot, a sign required in the exponent)
        if b[0] == UInt8(ascii: ".") {
            guard let end = some(b, 1, digitOrUnderscore) else { return false }
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
        var i = mantissa
        if i < n && b[i] == UInt8(ascii: ".") { i = many(b, i + 1, digitOrUnderscore) }
        if i < n && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            guard let end = some(b, afterSign(b, i + 1), isDigit) else { return false }
            i = end
        }
        return i == n
    }
}
