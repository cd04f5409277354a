import GRDB

/// The SQL of the deals open at an instant, each in the stage it was in at that instant: what the
/// pipeline and the forecast count.
///
/// A deal is open at T when it was created at or before T and not closed by T (`closed_at` NULL
/// or later than T). Its stage at T is its current stage unless it changed stage after T; then
/// it is the `to_stage` of its last stage change at or before T (the current stage when it has
/// none). When no deal changed stage after T at all (T is now, the usual case), the history is
/// not read.
///
/// The two halves of "not closed by T" are two index scans joined by UNION ALL: still open
/// (`opportunities_open_by_stage` for the pipeline, `opportunities_open_covering` for the
/// forecast: partial indexes on `closed_at IS NULL` holding every column the reports read) and
/// closed after T (`opportunities_by_closed`), instead of one scan of every deal ever made.
struct OpenDeals {
    let asOf: Timestamp
    /// SQL for a deal's stage at T (alias `o`).
    let stage: String

    init(asOf: Timestamp, _ db: Database) throws {
        self.asOf = asOf
        let changedSince = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM opportunity_stage_changes WHERE changed_at > ?)
            """, arguments: [asOf]) ?? false
        stage = changedSince
            ? """
              CASE WHEN o.id IN (SELECT opportunity_id FROM opportunity_stage_changes WHERE changed_at > :asOf)
              THEN COALESCE((SELECT c.to_stage FROM opportunity_stage_changes c
                             WHERE c.opportunity_id = o.id AND c.changed_at <= :asOf
                             ORDER BY c.changed_at DESC, c.id DESC LIMIT 1), o.stage)
              ELSE o.stage END
              """
            : "o.stage"
    }

    /// SQL aggregating the open deals matching `condition` (on alias `o`): `select` may use
    /// `\(stage)` for the deal's stage at T; `from` names `opportunities o` with any joins; rows
    /// are grouped by `groupBy`. The two halves of "open" are aggregated apart and joined by
    /// UNION ALL, so a key may come twice: callers add the rows up. The caller binds `:asOf`.
    func aggregate(select: String, from: String = "opportunities o", where condition: String, groupBy: String) -> String {
        """
        SELECT \(select) FROM \(from)
        WHERE o.closed_at IS NULL AND o.created_at <= :asOf AND \(condition) GROUP BY \(groupBy)
        UNION ALL
        SELECT \(select) FROM \(from)
        WHERE o.closed_at > :asOf AND o.created_at <= :asOf AND \(condition) GROUP BY \(groupBy)
        """
    }
}

/// The stages of the pipeline (`opportunity_stages`), loaded once per report.
struct PipelineStages {
    struct Stage {
        let name: String
        let position: Int
        let probability: Double
        let isClosed: Bool
        let isWon: Bool
    }

    /// In pipeline order.
    let all: [Stage]
    private let byName: [String: Stage]

    init(_ db: Database) throws {
        all = try Row.fetchAll(db, sql: """
            SELECT name, position, probability, is_closed, is_won FROM opportunity_stages ORDER BY position
            """).map { Stage(name: $0["name"], position: $0["position"], probability: $0["probability"],
                             isClosed: $0["is_closed"], isWon: $0["is_won"]) }
        byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }

    /// The stage named `name` if it is an open one: a deal open at T in a closed stage (its history
    /// is missing) is in no stage.
    func open(_ name: String) -> Stage? {
        byName[name].flatMap { $0.isClosed ? nil : $0 }
    }
}
