import GRDB

/// The 80/20 view of profit by customer (`ParetoAnalysis`): what share of the profit the top
/// 1 %, 5 %, 10 %, 20 % and 50 % of customers bring, and how few bring 80 % of it.
///
/// ```swift
/// let pareto = try ProfitConcentration.compute(asOf: .day("2025-07-01"), as: actor, db)
/// pareto.bands[3]                          // top 20 %: 200 customers, 71 % of the profit
/// pareto.shareOfCustomersForEightyPercent  // 0.27
/// ```
///
/// A customer is an account the actor may see with at least one order that is not cancelled,
/// ordered at or before `asOf` (and at or after `since`, when given), in the report's currency.
/// Its profit is Σ (`total_minor` − `cost_minor`) of those orders. Shares are of the total
/// positive profit; loss-making customers are ranked last and listed apart (see `ParetoAnalysis`).
public struct ProfitConcentration: Codable, Sendable, Hashable {
    public struct Band: Codable, Sendable, Hashable {
        public let topPercent: Int
        public let customers: Int
        public let profit: Money
        public let profitShare: Double
    }

    public struct RankedCustomer: Codable, Sendable, Hashable {
        public let rank: Int
        public let accountID: Int64
        public let account: String
        public let profit: Money
        public let cumulativeProfit: Money
        public let cumulativeShare: Double
    }

    public let asOf: Timestamp
    public let since: Timestamp?
    public let currency: String
    public let otherCurrencies: [String]
    public let customers: Int
    /// The sum of the profits above zero: what the shares are of.
    public let totalPositiveProfit: Money
    /// The sum of the losses (0 or negative).
    public let totalLoss: Money
    public let netProfit: Money
    public let bands: [Band]
    /// The fewest top customers bringing 80 % of the positive profit; nil when nobody profits.
    public let customersForEightyPercent: Int?
    public let shareOfCustomersForEightyPercent: Double?
    /// Every customer, most profitable first.
    public let ranked: [RankedCustomer]
    /// Customers with a loss.
    public let lossMakingCustomers: Int

    public static func compute(asOf: Timestamp, since: Timestamp? = nil, bands: [Int] = ParetoAnalysis.standardBands,
                               currency: String? = nil, as actor: CRMActor, _ db: Database) throws -> ProfitConcentration {
        let scope = try ReportScope(actor, report: "profit concentration")
        let rows = try Row.fetchAll(db, sql: """
            SELECT g.*, a.name FROM (
                SELECT o.account_id, o.currency, sum(o.total_minor - o.cost_minor) AS profit
                FROM orders o
                WHERE o.status <> 'cancelled' AND o.ordered_at <= :asOf AND o.ordered_at >= :since
                  AND \(scope.accountIDs("o.account_id"))
                GROUP BY o.currency, o.account_id
            ) g JOIN accounts a ON a.id = g.account_id
            """, arguments: ["asOf": asOf, "since": since?.secondsSinceEpoch ?? Int64.min])
        let (currency, others) = try ReportCurrency(currency).resolve(found: rows.map { $0["currency"] as String })
        let inCurrency = rows.filter { $0["currency"] == currency }
        let names = Dictionary(uniqueKeysWithValues: inCurrency.map { ($0["account_id"] as Int64, $0["name"] as String) })
        let pareto = try ParetoAnalysis(customers: inCurrency.map {
            ParetoAnalysis.Customer(id: $0["account_id"], profitMinor: $0["profit"])
        }, bands: bands)
        func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: currency) }
        return ProfitConcentration(
            asOf: asOf, since: since, currency: currency, otherCurrencies: others, customers: pareto.ranked.count,
            totalPositiveProfit: money(pareto.totalPositiveProfitMinor), totalLoss: money(pareto.totalLossMinor),
            netProfit: money(pareto.netProfitMinor),
            bands: pareto.bands.map {
                Band(topPercent: $0.topPercent, customers: $0.customers, profit: money($0.profitMinor), profitShare: $0.profitShare)
            },
            customersForEightyPercent: pareto.customersForEightyPercent,
            shareOfCustomersForEightyPercent: pareto.shareOfCustomersForEightyPercent,
            ranked: pareto.ranked.map {
                RankedCustomer(rank: $0.rank, accountID: $0.id, account: names[$0.id] ?? "", profit: money($0.profitMinor),
                               cumulativeProfit: money($0.cumulativeProfitMinor), cumulativeShare: $0.cumulativeShare)
            },
            lossMakingCustomers: pareto.lossMaking.count)
    }
}
