import Foundation

/// Numbers as summaries, check details and the report show them.
enum DisplayText {
    /// `98.1 %`.
    static func percent(_ value: Double) -> String {
        String(format: "%.1f %%", value)
    }

    /// `part` of `whole` as `98.1 %`; `n/a` when there is no whole.
    static func percent(_ part: Int64, of whole: Int64) -> String {
        whole == 0 ? "n/a" : percent(100 * Double(part) / Double(whole))
    }

    /// `CNY 150,000`: minor units shown in whole major units, as reports round money.
    static func money(minor: Int64, currency: String) -> String {
        let major = (minor + (minor >= 0 ? 50 : -50)) / 100
        var digits = String(major.magnitude)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return "\(currency) \(major < 0 ? "-" : "")\(digits)\(grouped)"
    }

    /// The same in major units with cents, as `rollout crm` fields read an amount: `5000.00`.
    static func fieldAmount(minor: Int64) -> String {
        let cents = minor.magnitude % 100
        return "\(minor < 0 ? "-" : "")\(minor.magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}
