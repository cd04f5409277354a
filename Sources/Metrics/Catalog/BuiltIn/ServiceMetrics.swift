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
    ]
}
