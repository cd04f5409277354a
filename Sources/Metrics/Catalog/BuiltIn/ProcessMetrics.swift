extension BuiltInMetrics {
    /// How work moves through the CRM, read from its own histories: ticket status changes
    /// (`ticket_status_changes`) and opportunity stage changes (`opportunity_stage_changes`),
    /// which the CRM writes on every change.
    static let process: [MetricDefinition] = [
        MetricDefinition(
            id: "ticket.reopen_rate", category: .process,
            name: "Ticket reopen rate",
            unit: "%", defaultAggregate: .mean, naturalDirection: .lowerIsBetter, unitOfAnalysis: "resolved ticket",
            definition: """
                Of the tickets created in the window, assigned to the group and resolved before the end of \
                the window (a status change to resolved or closed before it, or a resolution time before it), \
                the share reopened before the end of the window: moved from resolved or closed back to open \
                or in progress (ticket_status_changes).
                """,
            sql: """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM ticket_status_changes s
                                         WHERE s.ticket_id = t.id AND s.changed_at < :to
                                           AND (s.from_status = 'resolved' OR s.from_status = 'closed')
                                           AND (s.to_status = 'open' OR s.to_status = 'in_progress'))
                            THEN 100.0 ELSE 0.0 END AS value
                FROM tickets t
                WHERE t.created_at >= :from AND t.created_at < :to
                  AND t.assignee_id IN (SELECT value FROM json_each(:users))
                  AND (t.resolved_at < :to
                       OR EXISTS (SELECT 1 FROM ticket_status_changes s
                                  WHERE s.ticket_id = t.id AND s.changed_at < :to
                                    AND (s.to_status = 'resolved' OR s.to_status = 'closed')))
                """),
        MetricDefinition(
            id: "opportunity.stage_skip_rate", category: .process,
            name: "Stage-skip rate",
            unit: "%", defaultAggregate: .mean, naturalDirection: .lowerIsBetter, unitOfAnalysis: "closed opportunity",
            definition: """
                Of the group's opportunities closed in the window (won or lost, owner), the share whose stage \
                history (opportunity_stage_changes) jumped a stage of the pipeline: a change to a stage more \
                than one position after the stage it left (prospecting → qualification → proposal → \
                negotiation → closed won), such as qualification → negotiation or proposal → closed won. \
                Losing a deal from any stage is not a skip, and the stage a deal was created in is not judged.
                """,
            sql: """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM opportunity_stage_changes s
                                         JOIN opportunity_stages f ON f.name = s.from_stage
                                         JOIN opportunity_stages n ON n.name = s.to_stage
                                         WHERE s.opportunity_id = o.id AND s.changed_at < :to
                                           AND n.position > f.position + 1 AND NOT (n.is_closed = 1 AND n.is_won = 0))
                            THEN 100.0 ELSE 0.0 END AS value
                FROM opportunities o
                WHERE o.closed_at >= :from AND o.closed_at < :to
                  AND o.owner_id IN (SELECT value FROM json_each(:users))
                """),
        MetricDefinition(
            id: "opportunity.stage_days", category: .process,
            name: "Days in a pipeline stage",
            unit: "days", defaultAggregate: .median, naturalDirection: .lowerIsBetter, unitOfAnalysis: "stage left",
            definition: """
                For each time one of the group's opportunities (owner) left an open stage in the window (a \
                stage change dated in the window, from prospecting, qualification, proposal or negotiation): \
                the days it had spent in that stage, from the change that brought it there (the latest \
                earlier change of that opportunity) or, without one, from its creation.
                """,
            sql: """
                SELECT (s.changed_at - COALESCE((SELECT MAX(p.changed_at) FROM opportunity_stage_changes p
                                                 WHERE p.opportunity_id = s.opportunity_id
                                                   AND (p.changed_at, p.id) < (s.changed_at, s.id)),
                                                o.created_at)) / 86400.0 AS value
                FROM opportunity_stage_changes s
                CROSS JOIN opportunities o ON o.id = s.opportunity_id
                JOIN opportunity_stages f ON f.name = s.from_stage
                WHERE s.changed_at >= :from AND s.changed_at < :to
                  AND o.owner_id IN (SELECT value FROM json_each(:users))
                  AND f.is_closed = 0
                """),
    ]
}
