/// The one currency a report adds amounts in: a report never adds yuan to euros.
///
/// The requested currency when one is given; otherwise the only currency the report's records
/// use. Records in other currencies are left out and the report lists those currencies, so that
/// nothing is dropped silently. With several currencies and none requested, the report refuses.
struct ReportCurrency {
    /// The currency of an empty report (nothing to add up): the demo data's.
    static let fallback = "CNY"

    let requested: String?

    init(_ requested: String?) {
        self.requested = requested?.uppercased()
    }

    /// The currency to report in and the other currencies found (sorted).
    func resolve(found: some Sequence<String>) throws -> (currency: String, others: [String]) {
        let currencies = Set(found)
        if let requested {
            return (requested, currencies.subtracting([requested]).sorted())
        }
        if currencies.count > 1 {
            let list = currencies.sorted()
            throw AnalysisError("amounts are in \(list.joined(separator: " and ")); choose one currency (--currency \(list[0]))")
        }
        return (currencies.first ?? Self.fallback, [])
    }
}

extension Money {
    /// This amount divided by `count`, rounded half away from zero to the minor unit; nil for 0.
    func divided(by count: Int) -> Money? {
        guard count != 0 else { return nil }
        return Money(minorUnits: Int64((Double(minorUnits) / Double(count)).rounded(.toNearestOrAwayFromZero)),
                     currency: currency)
    }

    static func + (lhs: Money, rhs: Money) -> Money {
        Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    static func - (lhs: Money, rhs: Money) -> Money {
        Money(minorUnits: lhs.minorUnits - rhs.minorUnits, currency: lhs.currency)
    }

    static func zero(_ currency: String) -> Money { Money(minorUnits: 0, currency: currency) }
}

/// `part / whole`, or nil when `whole` is 0: a rate over nothing is unknown, not zero.
func rate(_ part: Int, of whole: Int) -> Double? {
    whole == 0 ? nil : Double(part) / Double(whole)
}
