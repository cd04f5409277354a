extension BuiltInMetrics {
    /// Tickets: how fast and how well the group answers and resolves them.
    static let service: [MetricDefinition] = [
        MetricDefinition(
            id: "ticket.first_response_sla_compliance", category: .service,
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
            id: "ticket.resolution_hours", category: .service,
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
            id: "ticket.resolution_sla_compliance", category: .service,
            name: "Ticket resolution SLA compliance",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "ticket",
            definition: """
                Of the tickets created in the window and assigned to the group, the share resolved by their \
                resolution due time: the instant set on the SLA policy's business calendar when the ticket was \
                created (resolution_due_at), or, for a ticket without one, its creation plus the resolution \
                minutes of its priority (sla_policies, calendar minutes). A ticket counts once its outcome is \
                known at the end of the window: resolved, or past due unresolved. Reopening a ticket clears its \
                resolution, so a reopened ticket counts by its latest resolution, or as unresolved.
                """,
            sql: """
                SELECT CASE WHEN resolved_at < :to AND resolved_at <= due_at THEN 100.0 ELSE 0.0 END AS value
                FROM (SELECT t.resolved_at, COALESCE(t.resolution_due_at, t.created_at + p.resolution_minutes * 60) AS due_at
                      FROM tickets t
                      JOIN sla_policies p ON p.priority = t.priority
                      WHERE t.created_at >= :from AND t.created_at < :to
                        AND t.assignee_id IN (SELECT value FROM json_each(:users)))
                WHERE resolved_at < :to OR due_at < :to
                """),
        MetricDefinition(
            id: "ticket.complaint_resolution_sla_compliance", category: .service,
            name: "Complaints resolved on time",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "complaint",
            definition: """
                Of the complaints (tickets of type complaint) created in the window and assigned to the group, \
                the share resolved by their resolution due time: the instant set on the SLA policy's business \
                calendar when the complaint was created (resolution_due_at), or, without one, its creation \
                plus the resolution minutes of its priority (sla_policies, calendar minutes). A complaint \
                counts once its outcome is known at the end of the window: resolved, or past due unresolved. \
                Reopening clears a resolution, so a reopened complaint counts by its latest resolution, or as \
                unresolved.
                """,
            sql: """
                SELECT CASE WHEN resolved_at < :to AND resolved_at <= due_at THEN 100.0 ELSE 0.0 END AS value
                FROM (SELECT t.resolved_at, COALESCE(t.resolution_due_at, t.created_at + p.resolution_minutes * 60) AS due_at
                      FROM tickets t
                      JOIN sla_policies p ON p.priority = t.priority
                      WHERE t.created_at >= :from AND t.created_at < :to
                        AND t.assignee_id IN (SELECT value FROM json_each(:users))
                        AND t.type = 'complaint')
                WHERE resolved_at < :to OR due_at < :to
                """),
        MetricDefinition(
            id: "ticket.kb_article_use", category: .service,
            name: "Knowledge-base use on tickets",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "resolved ticket",
            definition: """
                Of the group's tickets resolved in the window (assignee; resolved_at in the window), the share \
                with at least one knowledge-base article linked to them (ticket_articles) before the end of \
                the window.
                """,
            sql: """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM ticket_articles ta WHERE ta.ticket_id = t.id AND ta.linked_at < :to)
                            THEN 100.0 ELSE 0.0 END AS value
                FROM tickets t
                WHERE t.resolved_at >= :from AND t.resolved_at < :to
                  AND t.assignee_id IN (SELECT value FROM json_each(:users))
                """),
    ]
}
