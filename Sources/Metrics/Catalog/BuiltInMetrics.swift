extension MetricCatalog {
    /// The metrics every workspace has. Their exact definitions are documented in docs/kpis.md.
    public static let builtIn = MetricCatalog(metrics: [
        MetricDefinition(
            id: "lead.first_response_hours",
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
            id: "lead.conversion_rate",
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
            id: "opportunity.win_rate",
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
            id: "opportunity.sales_cycle_days",
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
            id: "ticket.first_response_sla_compliance",
            name: "Ticket first-response SLA compliance",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "ticket",
            definition: """
                Of the tickets created in the window and assigned to the group, the share answered within \
                the first-response target of their priority (sla_policies, calendar minutes). A ticket \
                counts once its outcome is known at the end of the window: answered, or past due unanswered.
                """,
            sql: """
                SELECT CASE WHEN t.first_response_at IS NOT NULL AND t.first_response_at < :to
                                 AND t.first_response_at <= t.created_at + p.first_response_minutes * 60
                            THEN 100.0 ELSE 0.0 END AS value
                FROM tickets t
                JOIN sla_policies p ON p.priority = t.priority
                WHERE t.created_at >= :from AND t.created_at < :to
                  AND t.assignee_id IN (SELECT value FROM json_each(:users))
                  AND ((t.first_response_at IS NOT NULL AND t.first_response_at < :to)
                       OR t.created_at + p.first_response_minutes * 60 < :to)
                """),
        MetricDefinition(
            id: "ticket.resolution_hours",
            name: "Ticket resolution time",
            unit: "h", defaultAggregate: .median, naturalDirection: .lowerIsBetter, unitOfAnalysis: "ticket",
            definition: """
                Hours from a ticket's creation to its resolution, for the group's tickets resolved in the window.
                """,
            sql: """
                SELECT (t.resolved_at - t.created_at) / 3600.0 AS value
                FROM tickets t
                WHERE t.resolved_at >= :from AND t.resolved_at < :to
                  AND t.assignee_id IN (SELECT value FROM json_each(:users))
                """),
        MetricDefinition(
            id: "user.active_adoption",
            name: "Active-user adoption",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "user",
            definition: """
                For each active user of the group who existed before the end of the window: the days with \
                at least one sign-in (user_logins) divided by the Monday-to-Friday days of the window, \
                capped at 100 %. The KPI is the mean over users, so every user counts, the idle ones too.
                """,
            sql: """
                SELECT MIN(100.0, 100.0 * COUNT(DISTINCT l.at / 86400) / :working_days) AS value
                FROM users u
                LEFT JOIN user_logins l ON l.user_id = u.id AND l.at >= :from AND l.at < :to
                WHERE u.id IN (SELECT value FROM json_each(:users)) AND u.active = 1 AND u.created_at < :to
                GROUP BY u.id
                """),
        MetricDefinition(
            id: "contact.record_completeness",
            name: "Contact record completeness",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "contact",
            definition: """
                For each contact the group created in the window: the share of the four required fields \
                filled (account, title, e-mail, phone).
                """,
            sql: """
                SELECT 25.0 * ((c.account_id IS NOT NULL) + (c.title IS NOT NULL AND c.title <> '')
                             + (c.email IS NOT NULL AND c.email <> '') + (c.phone IS NOT NULL AND c.phone <> '')) AS value
                FROM contacts c
                WHERE c.created_at >= :from AND c.created_at < :to
                  AND c.owner_id IN (SELECT value FROM json_each(:users))
                """),
    ])
}
