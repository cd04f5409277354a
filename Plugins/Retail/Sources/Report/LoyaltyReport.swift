import Foundation
import PluginKit

/// The evaluation report's `loyalty` section: the loyalty programme's members by tier, the
/// win-back campaigns and how many of their targets ordered again, and the retail KPIs over
/// the 90 days before the report, on every customer (the report's own tables compare the pilot
/// with the control group).
///
/// Its context, which `templates/loyalty.*.mustache` render:
///
/// ```json
/// { "as_of": "2025-11-10", "window_days": 90,
///   "has_members": true, "members": 130,
///   "tiers": [{ "tier": "Gold", "members": 21, "share": "16.2 %", "orders": "9.1", "spend": "CNY 512,300" }],
///   "has_campaigns": true,
///   "campaigns": [{ "name": "Loyalty win-back 2025-09-15 [...]", "launched_on": "2025-09-15", "targets": 43,
///                   "ordered_again": 12, "response": "27.9 %" }],
///   "rates": [{ "name": "Repeat-purchase rate", "metric": "retail.repeat_purchase_rate", "value": "82.1 %",
///               "units": 575 }] }
/// ```
struct LoyaltyReport {
    static let section = PluginReportSection(
        id: "loyalty", title: "Loyalty programme",
        markdownTemplate: "templates/loyalty.md.mustache", htmlTemplate: "templates/loyalty.html.mustache")

    static let windowDays: Int64 = 90

    let request: PluginReportRequest

    init(_ request: PluginReportRequest) {
        self.request = request
    }

    func context(_ host: PluginHostServices) throws -> JSONValue {
        let tiers = try tierRows(host)
        let members = tiers.reduce(0) { $0 + $1.members }
        let campaigns = try campaignRows(host)
        return .object([
            "as_of": .string(CalendarDay(containing: request.at).description),
            "window_days": .int(Self.windowDays),
            "has_members": .bool(members > 0),
            "members": .int(members),
            "tiers": .array(tiers.map { $0.json(of: members) }),
            "has_campaigns": .bool(!campaigns.isEmpty),
            "campaigns": .array(campaigns),
            "rates": .array(try rates(host)),
        ])
    }

    private struct TierRow {
        var tier: LoyaltyTier
        var members: Int64
        var meanOrders: Double
        var meanSpendMinor: Double
        var currency: String

        func json(of total: Int64) -> JSONValue {
            .object([
                "tier": .string(tier.name), "members": .int(members),
                "share": .string(DisplayText.percent(members, of: total)),
                "orders": .string(String(format: "%.1f", meanOrders)),
                "spend": .string(DisplayText.money(minor: Int64(meanSpendMinor.rounded()), currency: currency)),
            ])
        }
    }

    /// Members enrolled by the report's moment, highest tier first, with the means of the
    /// figures their tier was last assessed on.
    private func tierRows(_ host: PluginHostServices) throws -> [TierRow] {
        try host.rows("""
            SELECT tier, count(*) AS members, avg(orders_12m) AS orders, avg(spend_minor_12m) AS spend_minor,
                   min(currency) AS currency
            FROM retail_loyalty_members
            WHERE enrolled_at <= :at
            GROUP BY tier
            """, ["at": .int(request.at)]).compactMap { row in
            guard let tier = LoyaltyTier(rawValue: try row.string("tier")) else { return nil }
            return TierRow(tier: tier, members: try row.int("members"), meanOrders: row.optionalDouble("orders") ?? 0,
                           meanSpendMinor: row.optionalDouble("spend_minor") ?? 0, currency: try row.string("currency"))
        }.sorted { $0.tier > $1.tier }
    }

    /// The win-back campaigns of the report's project (of every project when it has none), in
    /// the order they started.
    private func campaignRows(_ host: PluginHostServices) throws -> [JSONValue] {
        try host.rows("""
            SELECT t.campaign_name, min(t.targeted_at) AS launched_at, count(*) AS targets,
                   sum(EXISTS (
                       SELECT 1 FROM v_orders o
                       WHERE o.account_id = t.account_id AND o.status <> 'cancelled'
                         AND o.ordered_at > t.targeted_at AND o.ordered_at <= :at
                   )) AS ordered_again
            FROM retail_reactivation_targets t
            WHERE (:project = '' OR t.project_id = :project) AND t.targeted_at <= :at
            GROUP BY t.project_id, t.campaign_key, t.campaign_name
            ORDER BY launched_at, t.campaign_name
            """, ["project": .string(request.projectID ?? ""), "at": .int(request.at)]).map { row in
            let targets = try row.int("targets")
            let orderedAgain = try row.int("ordered_again")
            return .object([
                "name": .string(try row.string("campaign_name")),
                "launched_on": .string(CalendarDay(containing: try row.int("launched_at")).description),
                "targets": .int(targets), "ordered_again": .int(orderedAgain),
                "response": .string(DisplayText.percent(orderedAgain, of: targets)),
            ])
        }
    }

    /// Each retail metric's mean over the units dated in the window before the report.
    private func rates(_ host: PluginHostServices) throws -> [JSONValue] {
        try RetailMetrics.all.map { metric in
            let row = try host.row("""
                SELECT count(*) AS units, avg(value) AS mean FROM (\(metric.sql)) WHERE at >= :from AND at < :to
                """, ["from": .int(request.at - Self.windowDays * 86_400), "to": .int(request.at)])
            return .object([
                "name": .string(metric.name), "metric": .string(metric.id), "units": .int(try row.int("units")),
                "value": .string(row.optionalDouble("mean").map(DisplayText.percent) ?? "n/a"),
            ])
        }
    }
}
