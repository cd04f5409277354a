import PluginKit

/// `manufacturing.record-visit`: records a technician's visit on the ticket a field-service
/// process moved, with the outcome its transition stands for.
///
/// ```yaml
/// - { from: dispatched, to: resolved, event: field_changed, field: status,
///     guard: "record.status == 'resolved'",
///     do: [{ plugin: manufacturing.record-visit, with: { outcome: fixed } }] }
/// ```
///
/// The unit and the technician come from the ticket (`install_base_id`, `assignee_id`), the time
/// from the transition. The visit's key is the transition's idempotency key, so a transition the
/// runtime repeats after a crash records its visit once.
struct RecordVisit {
    static let declaration = PluginActionDeclaration(
        id: "manufacturing.record-visit",
        summary: "process effect on a ticket: record a technician's visit with its outcome (fixed, follow_up, parts_ordered)")

    func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse {
        let arguments = try StepArguments(request, accepting: ["outcome"])
        let outcome: VisitOutcome = try arguments.choice("outcome")
        guard let record = request.context.record else {
            throw PluginFailure("\(request.action) runs as a process-transition effect on a ticket "
                + "(do: [{ plugin: \(request.action), with: { outcome: fixed } }]); to derive visits from the ticket "
                + "history in a phase, use \(BackfillVisits.declaration.id)")
        }
        guard record.entity == "ticket" else {
            throw PluginFailure("\(request.action) records visits on tickets, but process '\(record.processID)' runs on "
                + "\(record.entity) records; use it in a process whose entity is ticket")
        }
        let key = request.context.idempotencyKey
        guard let ticket = try host.rows("""
            SELECT t.install_base_id, t.assignee_id,
                   (SELECT COUNT(*) FROM manufacturing_visits v WHERE v.ticket_id = t.id) AS visits_before,
                   EXISTS (SELECT 1 FROM manufacturing_visits v WHERE v.idempotency_key = :key) AS recorded
            FROM v_tickets t
            WHERE t.id = :ticket
            """, ["ticket": .int(record.id), "key": .string(key)]).first
        else {
            throw PluginFailure("\(request.action): ticket \(record.id) does not exist any more, so its visit cannot be recorded")
        }
        if ticket.int("recorded") == 1 {
            return PluginActionResponse(summary: "visit on ticket \(record.id) already recorded; nothing changed")
        }
        let number = (ticket.int("visits_before") ?? 0) + 1
        let visit: [String: JSONValue] = [
            "ticket_id": .int(record.id),
            "install_base_id": ticket.int("install_base_id").map(JSONValue.int) ?? .null,
            "technician_id": ticket.int("assignee_id").map(JSONValue.int) ?? .null,
            "visited_at": .int(request.context.at),
            "outcome": .string(outcome.rawValue),
            "source": "process",
            "idempotency_key": .string(key),
        ]
        let unit = ticket.int("install_base_id").map { " (installed unit \($0))" } ?? " (no installed unit named)"
        return PluginActionResponse(
            summary: "visit \(number) on ticket \(record.id)\(unit) recorded: \(outcome.words)",
            writes: [.insert(table: "manufacturing_visits", values: visit, onConflict: "ignore")])
    }
}
