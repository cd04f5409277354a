extension BuiltInMetrics {
    /// Leads and opportunities: how fast and how often the group sells.
    static let sales: [MetricDefinition] = [
        MetricDefinition(
            id: "lead.first_response_hours", category: .sales,
            name: "Lead first-response time",
            unit: "h", defaultAggregate: .median, naturalDirection: .lowerIsBetter, unitOfAnalysis: "lead",
            definition: """
                Hours from a lead's creation to the first activity logged on it. Leads: created in the window \
                and owned by the group. Leads not answered before the end of the window are left out.
                """,
            sql: """
                SELECT (MIN(a.at) - l.created_at) / 3600.0 AS value
                FROM leads l
                JOIN activities a ON a.lead_id = l.id AND a.at >= l.created_at AND a.at < :to
                WHERE l.created_at >= :from AND l.created_at < :to
                  AND l.owner_id IN (SELECT value FROM json_each(:users))
                GROUP BY l.id
                """),
        MetricDefinition(
            id: "lead.conversion_rate", category: .sales,
            name: "Lead conversion rate",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "lead",
            definition: """
                Of the group's leads decided in the window (converted or disqualified in it), the share \
                converted. Deciding by outcome date, not creation date, keeps leads still being worked out \
                of the denominator.
                """,
            sql: """
                SELECT CASE WHEN l.converted_at IS NOT NULL THEN 100.0 ELSE 0.0 END AS value
                FROM leads l
                WHERE COALESCE(l.converted_at, l.disqualified_at) >= :from
                  AND COALESCE(l.converted_at, l.disqualified_at) < :to
                  AND l.owner_id IN (SELECT value FROM json_each(:users))
                """),
        MetricDefinition(
            id: "opportunity.win_rate", category: .sales,
            name: "Win rate",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "opportunity",
            definition: """
                Of the group's opportunities closed in the window (won or lost), the share won.
                """,
            sql: """
                SELECT CASE WHEN o.stage = 'closed_won' THEN 100.0 ELSE 0.0 END AS value
                FROM opportunities o
                WHERE o.closed_at >= :from AND o.closed_at < :to
                  AND o.owner_id IN (SELECT value FROM json_each(:users))
                """),
        MetricDefinition(
            id: "opportunity.sales_cycle_days", category: .sales,
            name: "Sales-cycle length",
            unit: "days", defaultAggregate: .median, naturalDirection: .lowerIsBetter, unitOfAnalysis: "won opportunity",
            definition: """
                Days from an opportunity's creation to its close, for the group's opportunities won in the window.
                """,
            sql: """
                SELECT (o.closed_at - o.created_at) / 86400.0 AS value
                FROM opportunities o
                WHERE o.stage = 'closed_won' AND o.closed_at >= :from AND o.closed_at < :to
                  AND o.owner_id IN (SELECT value FROM json_each(:users))
                """),
    ]
}
