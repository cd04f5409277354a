import GRDB

/// The SQL of the deals open at an instant, each in the stage it was in at that instant: what the
/// pipeline and the forecast count.
///
/// A deal is open at T when it was created at or before T and not closed by T (`closed_at` NULL
/// or later than T). Its stage at T is the `to_stage` of its last stage change at or before T;
/// a deal with no recorded change by then counts at its current stage. When no stage changed
/// after T at all (T is now, the usual case), every deal's stage at T is its current stage and
/// the history is not read.
///
/// The two halves of "not closed by T" are two index range scans joined by UNION ALL: still
/// open (`opportunities_open_by_close`, partial on `closed_at IS NULL`) and closed after T
/// (`opportunities_by_closed`), instead of one scan of every deal ever made.
struct OpenDeals {
    let asOf: Timestamp
    let stageAtAsOf: String

    init(asOf: Timestamp, _ db: Database) throws {
        self.asOf = asOf
        let changedSince = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM opportunity_stage_changes WHERE changed_at > ?)
            """, arguments: [asOf]) ?? false
        stageAtAsOf = changedSince
            ? """
              COALESCE((SELECT c.to_stage FROM opportunity_stage_changes c \
              WHERE c.opportunity_id = o.id AND c.changed_at <= :asOf ORDER BY c.changed_at DESC, c.id DESC LIMIT 1), o.stage)
              """
            : "o.stage"
    }

    /// A subquery yielding `id, account_id, owner_id, amount_minor, currency, expected_close_on,
    /// forecast_category, stage, probability` for the open deals matching `condition` (on alias
    /// `o`); the caller binds `:asOf`. Deals whose stage at T is a closed one (history missing) are left out.
    func sql(where condition: String) -> String {
        let columns = """
            o.id, o.account_id, o.owner_id, o.amount_minor, o.currency, o.expected_close_on, o.forecast_category, \
            \(stageAtAsOf) AS stage
            """
        return """
            (SELECT open.*, s.probability FROM (
                SELECT \(columns) FROM opportunities o
                WHERE o.closed_at IS NULL AND o.created_at <= :asOf AND \(condition)
                UNION ALL
                SELECT \(columns) FROM opportunities o
                WHERE o.closed_at > :asOf AND o.created_at <= :asOf AND \(condition)
            ) open JOIN opportunity_stages s ON s.name = open.stage AND s.is_closed = 0)
            """
    }
}
