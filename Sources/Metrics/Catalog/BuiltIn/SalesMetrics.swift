extension BuiltInMetrics {
    /// Leads, opportunities and quotations: how fast, how often and how much the group sells.
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
        MetricDefinition(
            id: "opportunity.won_amount", category: .sales,
            name: "Won deal size",
            unit: "major units", defaultAggregate: .mean, naturalDirection: .higherIsBetter,
            unitOfAnalysis: "won opportunity",
            definition: """
                The amount of each of the group's opportunities won in the window (stage closed_won, closed \
                in the window, owned by the group), in major units of its currency (yuan, not fen). Amounts \
                are never added across currencies: when those deals are in more than one currency, the \
                metric has no value.
                """,
            sql: """
                WITH won AS (
                    SELECT o.amount_minor, o.currency
                    FROM opportunities o
                    WHERE o.stage = 'closed_won' AND o.closed_at >= :from AND o.closed_at < :to
                      AND o.owner_id IN (SELECT value FROM json_each(:users))
                )
                SELECT \(MoneySQL.majorUnits("won.amount_minor", currency: "won.currency")) AS value
                FROM won
                WHERE (SELECT COUNT(DISTINCT currency) FROM won) = 1
                """),
        MetricDefinition(
            id: "quotation.order_conversion_rate", category: .sales,
            name: "Quote-to-order conversion",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "quotation",
            definition: """
                Of the quotations the group created in the window (owner; drafts left out) whose outcome is \
                known at the end of the window, the share an order was placed from: an order naming the \
                quotation, ordered before the end of the window and not cancelled. The outcome is known \
                once such an order exists, the quotation is rejected or expired, or its last valid day \
                (valid_until_on) is over; quotations still open are left out. The CRM records no date for \
                a quotation's rejection or an order's cancellation, so those count by their current status.
                """,
            sql: """
                SELECT CASE WHEN ordered THEN 100.0 ELSE 0.0 END AS value
                FROM (SELECT q.status, q.valid_until_on,
                             EXISTS (SELECT 1 FROM orders r
                                     WHERE r.quotation_id = q.id AND r.ordered_at < :to AND r.status <> 'cancelled') AS ordered
                      FROM quotations q
                      WHERE q.created_at >= :from AND q.created_at < :to
                        AND q.owner_id IN (SELECT value FROM json_each(:users))
                        AND q.status <> 'draft')
                WHERE ordered OR status = 'rejected' OR status = 'expired' OR valid_until_on < date(:to, 'unixepoch')
                """),
        MetricDefinition(
            id: "quotation.effective_discount", category: .sales,
            name: "Effective quotation discount",
            unit: "%", defaultAggregate: .mean, naturalDirection: .lowerIsBetter, unitOfAnalysis: "quotation",
            definition: """
                For each quotation the group created in the window (owner; drafts left out): how far below \
                list price it is, in per cent of the list price, before tax. List price: the sum over its \
                lines of quantity × unit price. Net: each line after its own discount, summed, then the \
                quotation's discount (as QuotationTotals computes it, without rounding). Quotations without \
                lines, or with a list price of 0, are left out.
                """,
            sql: """
                SELECT 100.0 * (1 - (1 - q.discount_percent / 100.0)
                                    * SUM(l.quantity * l.unit_price_minor * (1 - l.discount_percent / 100.0))
                                    / SUM(l.quantity * l.unit_price_minor)) AS value
                FROM quotations q
                JOIN quotation_lines l ON l.quotation_id = q.id
                WHERE q.created_at >= :from AND q.created_at < :to
                  AND q.owner_id IN (SELECT value FROM json_each(:users))
                  AND q.status <> 'draft'
                GROUP BY q.id
                HAVING SUM(l.quantity * l.unit_price_minor) > 0
                """),
    ]
}
