import GRDB

extension CRMSchema {
    /// `crm.v3.analysis-indexes`: the indexes the analysis reports (`Analysis/`) need to answer on
    /// a large workspace (100k accounts, 500k orders, 200k tickets) in well under 200 ms. Indexes
    /// only: no table changes, so the migration is safe on any v2 workspace.
    static func registerAnalysisMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("crm.v3.analysis-indexes") { db in
            try db.execute(sql: """
                -- pipeline and forecast: has any deal changed stage after the as-of instant? (if not,
                -- every deal's stage then is its current stage and the history is not read)
                CREATE INDEX stage_changes_by_time ON opportunity_stage_changes(changed_at);
                -- pipeline and forecast: deals open at an earlier as-of instant, closed after it;
                -- forecast and performance: deals won in a window
                CREATE INDEX opportunities_by_closed ON opportunities(closed_at) WHERE closed_at IS NOT NULL;
                -- SLA compliance: the tickets created in a window
                CREATE INDEX tickets_by_created ON tickets(created_at);
                -- SLA at an earlier instant: tickets answered, or resolved, only after it
                CREATE INDEX tickets_by_first_response ON tickets(first_response_at) WHERE first_response_at IS NOT NULL;
                CREATE INDEX tickets_by_resolved ON tickets(resolved_at) WHERE resolved_at IS NOT NULL;
                """)
        }
    }
}
