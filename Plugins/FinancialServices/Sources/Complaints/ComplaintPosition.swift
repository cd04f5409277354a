import PluginKit

/// Complaints against the regulatory handling deadline at a moment: those open past it, and
/// those resolved after it in the days before.
struct ComplaintPosition {
    var deadlineDays: Int64
    var lookbackDays: Int64
    /// Open at the moment: not resolved before it.
    var open: Int64
    var overdueOpen: Int64
    /// Resolved in the lookback days.
    var resolved: Int64
    var resolvedLate: Int64

    static func read(at: Int64, deadlineDays: Int64, lookbackDays: Int64, scope: Scope, host: PluginHostServices)
        throws -> ComplaintPosition
    {
        let row = try host.query("""
            SELECT coalesce(sum(t.resolved_at IS NULL OR t.resolved_at >= :at), 0) AS open,
                   coalesce(sum((t.resolved_at IS NULL OR t.resolved_at >= :at) AND :at > t.created_at + :deadline), 0)
                       AS overdue_open,
                   coalesce(sum(t.resolved_at >= :since AND t.resolved_at < :at), 0) AS resolved,
                   coalesce(sum(t.resolved_at >= :since AND t.resolved_at < :at
                                AND t.resolved_at > t.created_at + :deadline), 0) AS resolved_late
            FROM v_tickets t
            WHERE t.type = 'complaint' AND t.created_at < :at AND \(Scope.filter(column: "t.assignee_id"))
            """, arguments: scope.queryArguments.merging([
                "at": .int(at), "deadline": .int(deadlineDays * 86_400), "since": .int(at - lookbackDays * 86_400),
            ]) { a, _ in a }).records.first ?? [:]
        return ComplaintPosition(deadlineDays: deadlineDays, lookbackDays: lookbackDays, open: row["open"]?.int ?? 0,
                                 overdueOpen: row["overdue_open"]?.int ?? 0, resolved: row["resolved"]?.int ?? 0,
                                 resolvedLate: row["resolved_late"]?.int ?? 0)
    }

    /// Complaints that missed the deadline: open past it, or resolved after it lately.
    var missed: Int64 { overdueOpen + resolvedLate }
}
