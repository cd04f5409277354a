import GRDB

/// A quotation's money: line by line, then the quotation's discount and tax.
///
/// Every step rounds to the minor unit, half away from zero, in this order:
/// line net = quantity × unit price × (1 − line discount %); subtotal = Σ line nets;
/// discount = subtotal × quotation discount %; net = subtotal − discount;
/// tax = net × tax %; total = net + tax.
public struct QuotationTotals: Sendable, Hashable, Codable {
    public var lines: [Int64]
    public var subtotalMinor: Int64
    public var discountMinor: Int64
    public var netMinor: Int64
    public var taxMinor: Int64
    public var totalMinor: Int64
    public var currency: String

    public static func compute(lines: [(quantity: Int64, unitPriceMinor: Int64, discountPercent: Double)],
                               discountPercent: Double, taxPercent: Double, currency: String) -> QuotationTotals {
        let nets = lines.map { round(Double($0.quantity * $0.unitPriceMinor) * (1 - $0.discountPercent / 100)) }
        let subtotal = nets.reduce(0, +)
        let discount = round(Double(subtotal) * discountPercent / 100)
        let net = subtotal - discount
        let tax = round(Double(net) * taxPercent / 100)
        return QuotationTotals(lines: nets, subtotalMinor: subtotal, discountMinor: discount, netMinor: net,
                               taxMinor: tax, totalMinor: net + tax, currency: currency)
    }

    public static func of(quotationID: Int64, _ db: Database) throws -> QuotationTotals {
        guard let header = try Row.fetchOne(db, sql: "SELECT discount_percent, tax_percent, currency FROM quotations WHERE id = ?",
                                            arguments: [quotationID]) else {
            throw CRMError.notFound(entity: "quotation", key: String(quotationID))
        }
        let lines = try Row.fetchAll(db, sql: """
            SELECT quantity, unit_price_minor, discount_percent FROM quotation_lines WHERE quotation_id = ? ORDER BY position
            """, arguments: [quotationID]).map { (quantity: $0["quantity"] as Int64, unitPriceMinor: $0["unit_price_minor"] as Int64,
                                                  discountPercent: $0["discount_percent"] as Double) }
        return compute(lines: lines, discountPercent: header["discount_percent"], taxPercent: header["tax_percent"],
                       currency: header["currency"])
    }

    private static func round(_ value: Double) -> Int64 { Int64(value.rounded(.toNearestOrAwayFromZero)) }
}
