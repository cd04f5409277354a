import PluginKit

/// The retail KPIs for the catalog. Each is one SELECT over the published views returning
/// `user_id`, `at` and `value` per unit; the host keeps the units of a group's users whose `at`
/// falls in the KPI's window. Rates are 100 or 0 per unit, so their mean is a percentage.
///
/// Outcomes that take time to be known (did the customer order again within a year?) are dated
/// when they are known, not when the unit began: a window then holds only settled units, and a
/// measurement in the past (`--as-of`) reads nothing it could not have known.
enum RetailMetrics {
    static let all = [repeatPurchaseRate, churnRate, loyaltyMemberShare, reactivationRate]

    static let repeatPurchaseRate = PluginMetric(
        id: "retail.repeat_purchase_rate", name: "Repeat-purchase rate", category: "sales", unit: "%",
        direction: "higher", unitOfAnalysis: "order",
        definition: "Of the orders placed in the window (not cancelled), the share placed by a customer who had "
            + "placed another order (not cancelled) in the 365 days before. Owner: the order's owner. Needs a year "
            + "of order history before the window: earlier orders are not in the CRM, so the first months read low.",
        sql: """
            SELECT o.owner_id AS user_id, o.ordered_at AS at,
                   CASE WHEN EXISTS (
                       SELECT 1 FROM v_orders p
                       WHERE p.account_id = o.account_id AND p.status <> 'cancelled' AND p.id <> o.id
                         AND p.ordered_at <= o.ordered_at AND p.ordered_at > o.ordered_at - 31536000
                   ) THEN 100.0 ELSE 0.0 END AS value
            FROM v_orders o
            WHERE o.status <> 'cancelled'
            """)

    /// Counted per customer and month, not per order: per order, a customer ordering monthly
    /// would weigh twelve times as much as one ordering yearly, and churn would read lower the
    /// more the loyal customers buy.
    static let churnRate = PluginMetric(
        id: "retail.churn_rate", name: "Customer churn rate", category: "sales", unit: "%",
        direction: "lower", unitOfAnalysis: "customer and month",
        definition: "Of the customers who had ordered (not cancelled) in the 365 days before the first day of a "
            + "month, the share who placed no order in the 365 days after it; each customer and month counts "
            + "once, 365 days after that first day, when the outcome is known. So a window measures the customers "
            + "active a year before it. Owner: the account's owner.",
        sql: """
            WITH RECURSIVE purchases AS (
                SELECT account_id, ordered_at,
                       LEAD(ordered_at) OVER (PARTITION BY account_id ORDER BY ordered_at, id) AS next_ordered_at
                FROM v_orders
                WHERE status <> 'cancelled'
            ), month_starts(starts_at) AS (
                SELECT CAST(strftime('%s', min(ordered_at), 'unixepoch', 'start of month', '+1 month') AS INTEGER)
                FROM purchases
                UNION ALL
                SELECT CAST(strftime('%s', starts_at, 'unixepoch', '+1 month') AS INTEGER)
                FROM month_starts
                WHERE starts_at <= (SELECT max(ordered_at) FROM purchases)
            )
            SELECT a.owner_id AS user_id, m.starts_at + 31536000 AS at,
                   CASE WHEN p.next_ordered_at IS NULL OR p.next_ordered_at > m.starts_at + 31536000
                        THEN 100.0 ELSE 0.0 END AS value
            FROM purchases p
            JOIN month_starts m ON m.starts_at >= p.ordered_at AND m.starts_at < p.ordered_at + 31536000
                               AND (p.next_ordered_at IS NULL OR m.starts_at < p.next_ordered_at)
            JOIN v_accounts a ON a.id = p.account_id
            """)

    static let loyaltyMemberShare = PluginMetric(
        id: "retail.loyalty_member_share", name: "Orders from loyalty members", category: "marketing", unit: "%",
        direction: "higher", unitOfAnalysis: "order",
        definition: "Of the orders placed in the window (not cancelled), the share placed by a customer enrolled "
            + "in the loyalty programme (retail.enroll-loyalty) at the time. Owner: the order's owner.",
        sql: """
            SELECT o.owner_id AS user_id, o.ordered_at AS at,
                   CASE WHEN EXISTS (
                       SELECT 1 FROM v_retail_loyalty_members m
                       WHERE m.account_id = o.account_id AND m.enrolled_at <= o.ordered_at
                   ) THEN 100.0 ELSE 0.0 END AS value
            FROM v_orders o
            WHERE o.status <> 'cancelled'
            """)

    static let reactivationRate = PluginMetric(
        id: "retail.reactivation_rate", name: "Win-back rate", category: "marketing", unit: "%",
        direction: "higher", unitOfAnalysis: "win-back target",
        definition: "Of the customers a win-back campaign (retail.reactivate) targeted, the share who placed an "
            + "order (not cancelled) while the campaign ran; each target counts on the campaign's last day, when "
            + "the outcome is known. Owner: the account's owner.",
        sql: """
            SELECT a.owner_id AS user_id, t.campaign_ends_at AS at,
                   CASE WHEN EXISTS (
                       SELECT 1 FROM v_orders o
                       WHERE o.account_id = t.account_id AND o.status <> 'cancelled'
                         AND o.ordered_at > t.targeted_at AND o.ordered_at <= t.campaign_ends_at
                   ) THEN 100.0 ELSE 0.0 END AS value
            FROM v_retail_reactivation_targets t
            JOIN v_accounts a ON a.id = t.account_id
            """)
}
