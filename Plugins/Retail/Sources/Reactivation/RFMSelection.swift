import PluginKit

/// One customer's recency, frequency and monetary figures and scores (1 to 5, 5 best).
struct RFMCustomer {
    var accountID: Int64
    var lastOrderedAt: Int64
    var orders: Int64
    var spendMinor: Int64
    var recencyScore: Int64
    var frequencyScore: Int64
    var monetaryScore: Int64
    /// The account's first contact, whom a campaign can reach; nil when it has none.
    var contactID: Int64?
}

/// Which customers count as lapsed and valuable, by RFM scores.
///
/// Scores are quintiles of rank among every customer who ordered by the step's moment, the way
/// `rollout crm segment rfm` computes them (`RFMAnalysis`): SQL's `NTILE(5)` over the customers
/// sorted from worst to best, ties broken by account id. Recency ranks the instant of the last
/// order (not cancelled), frequency the number of orders, monetary their total, all orders in
/// one currency. The quintiles are over all customers even when the step works on the pilot's:
/// "valuable" means valuable to the company.
///
/// The defaults pick the "at risk" and "cannot lose them" cells of the RFM grid: R ≤ 2 and
/// F + M ≥ 7, who have not ordered for at least 90 days. A customer an earlier win-back
/// campaign targeted within `cooldown_days` (90) is left alone: one mailing and call a quarter
/// is a reminder, more is a nuisance.
struct RFMSelection: CustomStringConvertible {
    var maxRecencyScore: Int64
    var minFrequencyMonetary: Int64
    var minDaysSinceOrder: Int64
    var cooldownDays: Int64

    static let arguments = ["max_recency_score", "min_frequency_monetary", "min_days_since_order", "cooldown_days"]

    init(_ arguments: StepArguments) throws {
        // Scores run from 1 to 5, so F + M from 2 to 10.
        maxRecencyScore = try arguments.wholeNumber("max_recency_score", default: 2, atLeast: 1, atMost: 5)
        minFrequencyMonetary = try arguments.wholeNumber("min_frequency_monetary", default: 7, atLeast: 2, atMost: 10)
        minDaysSinceOrder = try arguments.wholeNumber("min_days_since_order", default: 90, atLeast: 0, atMost: 36_500)
        cooldownDays = try arguments.wholeNumber("cooldown_days", default: 90, atLeast: 0, atMost: 36_500)
    }

    /// `R ≤ 2, F + M ≥ 7, no order for 90 days or more, not targeted in the last 90 days`.
    var description: String {
        "R ≤ \(maxRecencyScore), F + M ≥ \(minFrequencyMonetary), no order for \(minDaysSinceOrder) days or more, "
            + "not targeted in the last \(cooldownDays) days"
    }

    /// The customers in scope the selection picks, most valuable first: F + M, then spend, then
    /// account id.
    func lapsedValuableCustomers(scope: CustomerScope, currency: String, at: Int64,
                                 _ host: PluginHostServices) throws -> [RFMCustomer] {
        try host.rows("""
            WITH buyers AS (
                SELECT o.account_id, max(o.ordered_at) AS last_ordered_at, count(*) AS orders,
                       sum(o.total_minor) AS spend_minor
                FROM v_orders o
                WHERE o.status <> 'cancelled' AND o.currency = :currency AND o.ordered_at <= :at
                GROUP BY o.account_id
            ), scored AS (
                SELECT b.*, a.owner_id,
                       NTILE(5) OVER (ORDER BY b.last_ordered_at, b.account_id) AS recency_score,
                       NTILE(5) OVER (ORDER BY b.orders, b.account_id) AS frequency_score,
                       NTILE(5) OVER (ORDER BY b.spend_minor, b.account_id) AS monetary_score
                FROM buyers b
                JOIN v_accounts a ON a.id = b.account_id
            )
            SELECT s.account_id, s.last_ordered_at, s.orders, s.spend_minor,
                   s.recency_score, s.frequency_score, s.monetary_score,
                   (SELECT min(c.id) FROM v_contacts c WHERE c.account_id = s.account_id AND c.created_at <= :at)
                       AS contact_id
            FROM scored s
            WHERE s.recency_score <= :max_recency_score
              AND s.frequency_score + s.monetary_score >= :min_frequency_monetary
              AND s.last_ordered_at <= :at - :min_days * 86400
              AND NOT EXISTS (
                  SELECT 1 FROM retail_reactivation_targets t
                  WHERE t.account_id = s.account_id AND t.targeted_at > :at - :cooldown_days * 86400
              )
              AND \(CustomerScope.condition(account: "s.account_id", owner: "s.owner_id"))
            ORDER BY s.frequency_score + s.monetary_score DESC, s.spend_minor DESC, s.account_id
            """, scope.queryArguments.merging([
                "currency": .string(currency), "at": .int(at), "max_recency_score": .int(maxRecencyScore),
                "min_frequency_monetary": .int(minFrequencyMonetary), "min_days": .int(minDaysSinceOrder),
                "cooldown_days": .int(cooldownDays),
            ]) { new, _ in new }).map { row in
            RFMCustomer(accountID: try row.int("account_id"), lastOrderedAt: try row.int("last_ordered_at"),
                        orders: try row.int("orders"), spendMinor: try row.int("spend_minor"),
                        recencyScore: try row.int("recency_score"), frequencyScore: try row.int("frequency_score"),
                        monetaryScore: try row.int("monetary_score"), contactID: try row.optionalInt("contact_id"))
        }
    }
}
