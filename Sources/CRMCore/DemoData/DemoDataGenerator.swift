import GRDB

/// Generates a deterministic, realistic CRM history for the demo and the tests: two sales and
/// two service teams over a year and more, whose way of working changes when the pilot starts
/// (East) and at cut-over (everyone), so that KPIs measured on it move as a real pilot's would.
///
/// ```swift
/// let summary = try workspace.write { db in
///     try DemoDataGenerator(plan: plan).generate(into: db, createdAt: plan.historyStart)
/// }
/// print("\(summary.totalRows) rows")
/// ```
///
/// docs/demo-data.md describes what is generated, its distributions and effect sizes.
public struct DemoDataGenerator: Sendable {
    public let plan: DemoDataPlan
    /// The small customers added to the book: none at `small` and `medium`.
    let customerBase: DemoCustomerBase

    public init(plan: DemoDataPlan) {
        self.init(plan: plan, customerBase: DemoCustomerBase(scale: plan.scale))
    }

    /// A generator with another customer base than the plan's scale has, so that tests can try
    /// `large`'s per-person volumes on `small`'s head count.
    init(plan: DemoDataPlan, customerBase: DemoCustomerBase) {
        self.plan = plan
        self.customerBase = customerBase
    }

    /// The tables the generator fills; all must be empty. (`roles` and `sla_policies` hold the
    /// schema's own rows and are only read; `kb_search` is the application's index, left empty.)
    static let tables = ["teams", "users", "accounts", "contacts", "leads", "opportunities",
                         "opportunity_stage_changes", "activities", "tickets", "user_logins", "demo_seed_runs",
                         "territories", "user_roles", "follow_ups", "contracts", "products", "quotations",
                         "quotation_lines", "orders", "order_lines", "commission_rules", "campaigns", "campaign_members",
                         "business_calendars", "calendar_days", "install_base", "ticket_status_changes", "kb_articles",
                         "ticket_articles", "appointments"]

    /// Writes the whole data set into an empty CRM, plus one `demo_seed_runs` row recording the
    /// plan, inside the caller's transaction (in a savepoint, so a failure leaves nothing behind).
    ///
    /// - Parameter createdAt: when the run happened, recorded on the `demo_seed_runs` row.
    /// - Throws: `DemoDataError` when the plan is invalid or the CRM already holds data; then
    ///   nothing is written.
    public func generate(into db: Database, createdAt: Timestamp) throws -> DemoDataSummary {
        try plan.validate()
        try Self.requireEmptyCRM(db)
        var summary = DemoDataSummary()
        try db.inSavepoint {
            let history = try Self.withBulkWriteSettings(db) {
                var history = try DemoHistory(plan: plan, customerBase: customerBase, db: db)
                try history.run()
                return history
            }
            summary = history.summary
            // The knowledge base's search index is the application's (Chinese bigrams): build it.
            _ = try KnowledgeBase.reindexAll(db)
            try db.execute(sql: """
                INSERT INTO demo_seed_runs (seed, scale, history_start, end_at, pilot_start, cutover,
                                            rows_written, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Int64(bitPattern: plan.seed), plan.scale.rawValue, plan.historyStart, plan.end,
                                 plan.pilotStart, plan.cutover, summary.totalRows, createdAt])
            return .commit
        }
        return summary
    }

    static func requireEmptyCRM(_ db: Database) throws {
        var occupied: [DemoDataError.TableCount] = []
        for table in tables {
            // Table names come from the constant list above, never from input.
            let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            if rows > 0 { occupied.append(.init(table: table, rows: rows)) }
        }
        if !occupied.isEmpty {
            throw DemoDataError(.crmNotEmpty(occupied))
        }
    }

    /// Runs `body` with a page cache of 64 MiB, so that a medium or large data set is not spilled
    /// to the write-ahead log page by page before the commit, then restores the connection's setting.
    static func withBulkWriteSettings<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        func restore() throws {
            try db.execute(sql: "PRAGMA cache_size = \(cacheSize)")
        }
        try db.execute(sql: "PRAGMA cache_size = -65536")   // negative: KiB
        let result: T
        do {
            result = try body()
        } catch {
            try restore()
            throw error
        }
        try restore()
        return result
    }
}
