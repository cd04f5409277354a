import PluginKit

/// The currency a step counts money in. Money is never added across currencies, so a step
/// reads only the orders in one: the `currency` argument, else the currency most orders before
/// the step's moment are in (the demo company's, and most retailers', only one).
enum OrderCurrency {
    static let argument = "currency"

    /// Nil when nobody has ordered anything by `at`.
    static func resolve(_ arguments: StepArguments, by at: Int64, host: PluginHostServices) throws -> String? {
        if let text = arguments.text(argument) {
            guard text.count == 3, text.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw PluginFailure("\(arguments.step): currency must be a three-letter ISO 4217 code such as CNY, "
                    + "not '\(text)'")
            }
            return text.uppercased()
        }
        return try host.rows("""
            SELECT currency, count(*) AS orders FROM v_orders
            WHERE status <> 'cancelled' AND ordered_at <= :at
            GROUP BY currency ORDER BY orders DESC, currency LIMIT 1
            """, ["at": .int(at)]).first?.optionalString("currency")
    }
}
