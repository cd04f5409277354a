import GRDB

/// The SQL of the deals open at an instant, each in the stage it was in at that instant: what the
/// pipeline and the forecast count.
///
/// A deal is open at T when it was created at or before T and not closed by T (`closed_at` NULL
/// or later than T). Its stage at T is its current stage unless it changed stage after T; then
/// it is the `to_stage` of its last stage change at or before T (the current stage when it has
/// none).
///
/// The open deals are read in parts joined by UNION ALL, each an index scan: the deals still open
/// (`opportunities_open_by_stage` for the pipeline, `opportunities_open_covering` for the
/// forecast: partial indexes on `closed_at IS NULL` holding every column the reports read), and
/// the deals closed after T (`opportunities_by_closed`). When some deal changed stage after T
/// (T is in the past), the still-open deals are split into those that did not, counted at their
/// current stage straight from the index, and those that did, whose stage is looked up in their
/// history; when none did (T is now, the usual case) the history is not read at all.
struct OpenDeals {
    let asOf: Timestamp
    /// Whether any deal changed stage after T.
    let historyNeeded: Bool

    init(asOf: Timestamp, _ db: Database) throws {
        self.asOf = asOf
        historyNeeded = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM opportunity_stage_changes WHERE changed_at > ?)
            """, arguments: [asOf]) ?? false
    }

    private static let changedAfter = "(SELECT opportunity_id FROM opportunity_stage_changes WHERE changed_at > :asOf)"
    private static let stageAtAsOf = """
        COALESCE((SELECT c.to_stage FROM opportunity_stage_changes c WHERE c.opportunity_id = o.id AND c.changed_at <= :asOf \
        ORDER BY c.changed_at DESC, c.id DESC LIMIT 1), o.stage)
        """

    /// SQL aggregating the open deals matching `condition` (on alias `o`): `select` is given the
    /// SQL of the deal's stage at T; `from` names `opportunities o` with any joins; rows are
    /// grouped by `groupBy`. The parts are aggregated apart, so a key may come more than once:
    /// callers add the rows up. The caller binds `:asOf`.
    func aggregate(select: (_ stage: String) -> String, from: String = "opportunities o", where condition: String,
                   groupBy: String) -> String {
        let parts: [(open: String, stage: String)] = historyNeeded
            ? [("o.closed_at IS NULL AND o.id NOT IN \(Self.changedAfter)", "o.stage"),
               ("o.closed_at IS NULL AND o.id IN \(Self.changedAfter)", Self.stageAtAsOf),
               ("o.closed_at > :asOf", Self.stageAtAsOf)]
            : [("o.closed_at IS NULL", "o.stage"), ("o.closed_at > :asOf", "o.stage")]
        return parts.map { part in
            """
            SELECT \(select(part.stage)) FROM \(from)
            WHERE \(part.open) AND o.created_at <= :asOf AND \(condition) GROUP BY \(groupBy)
            """
        }.joined(separator: "\nUNION ALL\n")
    }
}

/// The stages of the pipeline (`opportunity_stages`), loaded once per report.
struct PipelineStages {
    struct Stage {
        let name: String
        let position: Int
        let probability: Double
        let isClosed: Bool
    }

    /// SQL for the names of the won stages: `o.stage IN \(wonSQL)` lets SQLite read the won deals
    /// of a window as one index range per won stage (`opportunities_won`).
    static let wonSQL = "(SELECT name FROM opportunity_stages WHERE is_won = 1)"

    /// In pipeline order.
    let all: [Stage]
    private let byName: [String: Stage]

    init(_ db: Database) throws {
        all = try Row.fetchAll(db, sql: """
            SELECT name, position, probability, is_closed FROM opportunity_stages ORDER BY position
            """).map { Stage(name: $0["name"], position: $0["position"], probability: $0["probability"],
                             isClosed: $0["is_closed"]) }
        byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }

    /// The stage named `name` if it is an open one: a deal open at T in a closed stage (its history
    /// is missing) is in no stage.
    func open(_ name: String) -> Stage? {
        byName[name].flatMap { $0.isClosed ? nil : $0 }
    }
}
