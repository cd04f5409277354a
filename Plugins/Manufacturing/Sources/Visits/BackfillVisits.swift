import PluginKit

/// `manufacturing.backfill-visits`: derives a visit history for the install-base tickets resolved
/// in the last `days` days that have no visits yet, so first-time fix and repair time can be
/// measured on the history before the field-service process recorded visits, and on the control
/// group that keeps working the old way.
///
/// The history is **derived, not recorded** (see `DerivedVisitHistory`): every derived row says
/// so in its `source` column, and the report counts them apart.
struct BackfillVisits {
    static let declaration = PluginActionDeclaration(
        id: "manufacturing.backfill-visits",
        summary: "derive visits from ticket times for resolved install-base tickets without visits (argument days, default 365)")

    func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse {
        let arguments = try StepArguments(request, accepting: ["days"])
        let days = try arguments.wholeNumber("days", default: 365, in: 1...3650)
        let until = request.context.at
        let tickets = try host.rows("""
            SELECT t.id, t.install_base_id, t.assignee_id, t.created_at, t.resolved_at
            FROM v_tickets t
            WHERE t.install_base_id IS NOT NULL AND t.resolved_at >= :since AND t.resolved_at < :until
              AND NOT EXISTS (SELECT 1 FROM manufacturing_visits v WHERE v.ticket_id = t.id)
            ORDER BY t.id
            """, ["since": .int(until - Int64(days) * 86_400), "until": .int(until)])
        var writes: [PluginWrite] = []
        var fixedFirstTime = 0
        for ticket in tickets {
            let id = try ticket.requiredInt("id")
            let visits = DerivedVisitHistory.visits(openedAt: try ticket.requiredInt("created_at"),
                                                    resolvedAt: try ticket.requiredInt("resolved_at"))
            if visits.count == 1 { fixedFirstTime += 1 }
            for (index, visit) in visits.enumerated() {
                writes.append(.insert(table: "manufacturing_visits", values: [
                    "ticket_id": .int(id),
                    "install_base_id": ticket.int("install_base_id").map(JSONValue.int) ?? .null,
                    "technician_id": ticket.int("assignee_id").map(JSONValue.int) ?? .null,
                    "visited_at": .int(visit.at),
                    "outcome": .string(visit.outcome.rawValue),
                    "source": "backfill",
                    "idempotency_key": .string("manufacturing:backfill:ticket:\(id):visit:\(index + 1)"),
                ], onConflict: "ignore"))
            }
        }
        guard !tickets.isEmpty else {
            return PluginActionResponse(summary: "no install-base ticket resolved in the last \(days) days is without visits; "
                + "nothing derived")
        }
        return PluginActionResponse(
            summary: "derived \(writes.count) visits for \(tickets.count) install-base tickets resolved in the last \(days) "
                + "days (\(fixedFirstTime) fixed on the first visit); derived from ticket times, not recorded by technicians",
            writes: writes)
    }
}

/// The visits a resolved ticket's times suggest, for tickets handled before visits were recorded.
///
/// The CRM knows when a ticket about an installed unit was opened and resolved, not how often a
/// technician went out. The rule is deterministic and plain, so anyone can check a derived row:
///
/// - resolved within 48 hours: one visit, at the resolution, fixed;
/// - longer: two visits. The first a day after the ticket was opened, ending with parts ordered
///   when the repair took more than five days (waiting for a part is what makes repairs that
///   long) and with a follow-up visit needed otherwise; the second at the resolution, fixed.
///
/// So on derived history the first-time fix rate is the share of repairs done within 48 hours.
enum DerivedVisitHistory {
    static let oneVisitWithin: Int64 = 48 * 3600
    static let firstVisitAfter: Int64 = 24 * 3600
    static let partsOrderedBeyond: Int64 = 120 * 3600

    static func visits(openedAt: Int64, resolvedAt: Int64) -> [(at: Int64, outcome: VisitOutcome)] {
        let repair = resolvedAt - openedAt
        guard repair > oneVisitWithin else { return [(resolvedAt, .fixed)] }
        let first: VisitOutcome = repair > partsOrderedBeyond ? .partsOrdered : .followUp
        return [(openedAt + firstVisitAfter, first), (resolvedAt, .fixed)]
    }
}
