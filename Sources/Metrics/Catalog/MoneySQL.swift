/// SQL for the money metrics of the catalog: amounts in major units, one currency at a time.
///
/// The CRM stores money as integer minor units plus a currency code (docs/decisions.md); a
/// metric reports major units (yuan, not fen) and, like every report, never adds amounts in
/// different currencies.
package enum MoneySQL {
    /// Currencies whose minor unit is not the hundredth, by digits after the decimal point.
    /// `Money.minorUnitDigits(of:)` is the rule; a test checks this table against it for every
    /// ISO 4217 code.
    package static let exceptions: [(digits: Int, currencies: [String])] = [
        (0, ["JPY", "KRW", "VND", "CLP", "ISK", "HUF"]),
        (3, ["BHD", "KWD", "OMR", "JOD", "TND"]),
    ]

    /// `minor` (an integer column) in major units of `currency` (a column holding its code), as
    /// a real number.
    package static func majorUnits(_ minor: String, currency: String) -> String {
        let cases = exceptions.map { exception in
            let list = exception.currencies.map { "'\($0)'" }.joined(separator: ", ")
            return "WHEN \(currency) IN (\(list)) THEN \(divisor(digits: exception.digits))"
        }
        return "\(minor) / CASE \(cases.joined(separator: " ")) ELSE 100.0 END"
    }

    static func divisor(digits: Int) -> String {
        digits == 0 ? "1.0" : "1" + String(repeating: "0", count: digits) + ".0"
    }
}
