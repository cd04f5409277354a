import GRDB

extension CRMSchema {
    /// `crm.v3.analysis-indexes`: the indexes the analysis reports (`Analysis/`) need to answer on
    /// a large workspace (100k accounts, 500k orders, 200k tickets) in well under 200 ms. Indexes
    /// only: no table changes, so the migration is safe on any v2 workspace.
    static func registerAnalysisMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("crm.v3.analysis-indexes") { db in
            try db.execute(sql: """
                -- The deals open now, holding every column the reports read, so that neither visits the
                -- table; closed_at is listed so that SQLite sees them as covering.
                -- pipeline: open deals by stage and currency, in GROUP BY order (no sorting)
                CREATE INDEX opportunities_open_by_stage ON opportunities(
                    stage, currency, created_at, amount_minor, account_id, owner_id, closed_at) WHERE closed_at IS NULL;
                -- forecast: open deals by expected close date, one range per period of the window
                CREATE INDEX opportunities_open_covering ON opportunities(
                    expected_close_on, created_at, stage, currency, amount_minor, forecast_category, owner_id,
                    account_id, closed_at) WHERE closed_at IS NULL;
                -- pipeline and forecast at an earlier instant: the deals closed after it
                CREATE INDEX opportunities_by_closed ON opportunities(closed_at) WHERE closed_at IS NOT NULL;
                -- forecast and performance: the deals won in each period of a window, one range per won
                -- stage (covering)
                CREATE INDEX opportunities_won ON opportunities(
                    stage, closed_at, currency, amount_minor, owner_id, account_id) WHERE closed_at IS NOT NULL;
                -- pipeline and forecast: which deals changed stage after the as-of instant (none,
                -- when it is now: then the current stages are the stages at that instant)
                CREATE INDEX stage_changes_by_time ON opportunity_stage_changes(changed_at, opportunity_id);
                -- SLA compliance: the tickets created in a window, with what decides met and missed
                -- (covering: a half-year window is 40k tickets on the large workspace)
                CREATE INDEX tickets_by_created ON tickets(
                    created_at, assignee_id, account_id, first_response_at, first_response_due_at, resolved_at,
                    resolution_due_at);
                -- SLA at an earlier instant: tickets answered, or resolved, only after it
                CREATE INDEX tickets_by_first_response ON tickets(first_response_at) WHERE first_response_at IS NOT NULL;
                CREATE INDEX tickets_by_resolved ON tickets(resolved_at) WHERE resolved_at IS NOT NULL;
                """)
        }
    }
}
