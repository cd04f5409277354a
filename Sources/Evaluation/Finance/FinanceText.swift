import Foundation

/// How the finance code writes numbers into words (benefit bases, conventions, notes): plain
/// digits, a point for decimals, no grouping and no locale, trailing zeros dropped. Reports
/// format the numeric fields themselves.
enum FinanceText {
    /// `552000`, `1.5`, `-305820.12`.
    static func number(_ value: Double, fractionDigits: Int = 2) -> String {
        guard value.isFinite else { return "\(value)" }
        var text = String(format: "%.\(fractionDigits)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// `10 %`, `4 %`, `28.09 %` for a rate given as a fraction (0.1, 0.04, 0.2809…).
    static func percent(_ rate: Double, fractionDigits: Int = 2) -> String {
        "\(number(rate * 100, fractionDigits: fractionDigits)) %"
    }
}
