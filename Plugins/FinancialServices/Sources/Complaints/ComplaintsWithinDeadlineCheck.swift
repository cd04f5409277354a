import PluginKit

/// `financial-services.complaints-within-deadline`, a gate criterion: no more than
/// `max_overdue` of the scope's complaints missed the regulatory deadline: open past it at the
/// gate's moment, or resolved after it in the last `lookback_days`.
enum ComplaintsWithinDeadlineCheck {
    static let id = "financial-services.complaints-within-deadline"
    /// About a month: late decisions lately, not since the beginning of the CRM's history.
    static let defaultLookbackDays: Int64 = 30
    static let declaration = PluginCheckDeclaration(
        id: id, summary: "at most max_overdue (default 0) complaints open past the regulatory deadline "
            + "(deadline_days, 15) or resolved after it in the last lookback_days (30)")

    static func check(_ request: PluginCheckRequest, host: PluginHostServices) throws -> PluginCheckResponse {
        let arguments = try Arguments(request, allowed: ["deadline_days", "lookback_days", "max_overdue", "scope"])
        let deadlineDays = try arguments.wholeNumber("deadline_days", default: Regulation.complaintDeadlineDays,
                                                     minimum: 1)
        let lookbackDays = try arguments.wholeNumber("lookback_days", default: defaultLookbackDays, minimum: 1)
        let maxOverdue = try arguments.wholeNumber("max_overdue", default: 0)
        let scope = try arguments.scope(pilotUserIDs: request.context.pilotUserIDs)
        let position = try ComplaintPosition.read(at: request.context.at, deadlineDays: deadlineDays,
                                                  lookbackDays: lookbackDays, scope: scope, host: host)
        return verdict(position, maxOverdue: maxOverdue, scope: scope)
    }

    static func verdict(_ position: ComplaintPosition, maxOverdue: Int64, scope: Scope) -> PluginCheckResponse {
        PluginCheckResponse(
            passed: position.missed <= maxOverdue,
            detail: "\(Figures.count(position.missed, scope.label("complaint"))) missed the "
                + "\(position.deadlineDays)-day deadline (at most \(maxOverdue) allowed): \(position.overdueOpen) open "
                + "past it, \(position.resolvedLate) resolved late; \(position.open) open now, \(position.resolved) "
                + "resolved in the last \(position.lookbackDays) days")
    }
}
