import GRDB

/// Recency, frequency and monetary scores of the actor's customers from their orders, and the
/// RFM segment each falls in (`RFMAnalysis`, `RFMSegment`).
///
/// ```swift
/// let rfm = try RFMReport.compute(asOf: .day("2025-07-01"), as: actor, db)
/// rfm.segments          // Champions: 120 customers (12 %), CNY 4,800,000.00; …
/// rfm.customers[0]      // Huaxin Trading: last order 5 days ago, 12 orders, R 5 F 4 M 5, Champions
/// ```
///
/// A customer is an account with at least one order that is not cancelled, ordered at or
/// before `asOf` (and at or after `since`, when given). Its recency is the instant of its last
/// such order, its frequency their number, its monetary value the sum of their `total_minor`.
/// Scores are quintiles of rank (see `RFMAnalysis`). Only accounts the actor may see count, and
/// the quintiles are among them: a manager's "top 20 %" is of their own customers.
public struct RFMReport: Codable, Sendable, Hashable {
    public struct Customer: Codable, Sendable, Hashable {
        public let accountID: Int64
        public let account: String
        public let lastOrderAt: Timestamp
        public let daysSinceLastOrder: Int64
        public let orders: Int
        public let monetary: Money
        public let recencyScore: Int
        public let frequencyScore: Int
        public let monetaryScore: Int
        /// `"545"`: R, F and M.
        public let code: String
        public let segment: RFMSegment
    }

    public struct Segment: Codable, Sendable, Hashable {
        public let segment: RFMSegment
        /// `Potential loyalist`.
        public let name: String
        public let customers: Int
        /// `customers` over all customers scored.
        public let share: Double
        public let monetary: Money
    }

    public let asOf: Timestamp
    public let since: Timestamp?
    public let currency: String
    /// Currencies of orders left out.
    public let otherCurrencies: [String]
    /// By account id.
    public let customers: [Customer]
    /// Every segment, in `RFMSegment.allCases` order, empty ones included.
    public let segments: [Segment]

    public static func compute(asOf: Timestamp, since: Timestamp? = nil, currency: String? = nil, as actor: CRMActor,
                               _ db: Database) throws -> RFMReport {
        let scope = try ReportScope(actor, report: "RFM")
        let rows = try Row.fetchAll(db, sql: """
            SELECT g.*, a.name FROM (
                SELECT o.account_id, o.currency, max(o.ordered_at) AS last_at, count(*) AS orders,
                       sum(o.total_minor) AS monetary
                FROM orders o
                WHERE o.status <> 'cancelled' AND o.ordered_at <= :asOf AND o.ordered_at >= :since
                  AND \(scope.accountIDs("o.account_id"))
                GROUP BY o.currency, o.account_id
            ) g JOIN accounts a ON a.id = g.account_id
            """, arguments: ["asOf": asOf, "since": since?.secondsSinceEpoch ?? Int64.min])
        let (currency, others) = try ReportCurrency(currency).resolve(found: rows.map { $0["currency"] as String })
        let inCurrency = rows.filter { $0["currency"] == currency }
        let analysis = try RFMAnalysis(customers: inCurrency.map {
            RFMAnalysis.Customer(id: $0["account_id"], lastPurchaseAt: $0["last_at"], frequency: $0["orders"],
                                 monetaryMinor: $0["monetary"])
        }, asOf: asOf.secondsSinceEpoch)
        let inputs = Dictionary(uniqueKeysWithValues: inCurrency.map { ($0["account_id"] as Int64, $0) })
        return RFMReport(
            asOf: asOf, since: since, currency: currency, otherCurrencies: others,
            customers: analysis.scores.map { score in
                let row = inputs[score.customerId]!   // every score is of an input row
                return Customer(accountID: score.customerId, account: row["name"],
                                lastOrderAt: Timestamp(secondsSinceEpoch: row["last_at"]),
                                daysSinceLastOrder: score.daysSinceLastPurchase, orders: row["orders"],
                                monetary: Money(minorUnits: row["monetary"], currency: currency),
                                recencyScore: score.recency, frequencyScore: score.frequency, monetaryScore: score.monetary,
                                code: score.code, segment: score.segment)
            },
            segments: analysis.summary.map {
                Segment(segment: $0.segment, name: $0.segment.description, customers: $0.customers, share: $0.share,
                        monetary: Money(minorUnits: $0.monetaryMinor, currency: currency))
            })
    }
}
