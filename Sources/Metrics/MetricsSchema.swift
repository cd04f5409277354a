import CRMCore
import GRDB

/// The tables of the Metrics module: frozen group membership, KPI snapshots, and the published
/// `v_*` views that custom metrics read.
public enum MetricsSchema: SchemaModule {
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("metrics.v1.snapshots") { db in
            try db.execute(sql: """
                CREATE TABLE measured_group_members (
                    project_id  TEXT NOT NULL,
                    group_key   TEXT NOT NULL,
                    user_id     INTEGER NOT NULL REFERENCES users(id),
                    PRIMARY KEY (project_id, group_key, user_id)
                ) WITHOUT ROWID;

                CREATE TABLE kpi_snapshots (
                    id              INTEGER PRIMARY KEY,
                    project_id      TEXT NOT NULL,
                    -- 'baseline', 'phase-start:<phase>', 'gate:<phase>:<attempt>', 'on-demand'
                    label           TEXT NOT NULL,
                    phase_id        TEXT,
                    taken_at        INTEGER NOT NULL,
                    -- SHA-256 of the canonical JSON of the measurements: proves what a decision saw
                    content_sha256  TEXT NOT NULL,
                    UNIQUE (project_id, label)
                );

                CREATE TABLE kpi_measurements (
                    snapshot_id   INTEGER NOT NULL REFERENCES kpi_snapshots(id),
                    kpi_id        TEXT NOT NULL,
                    group_key     TEXT NOT NULL,
                    value         REAL,
                    sample_size   INTEGER NOT NULL,
                    window_from   INTEGER NOT NULL,
                    window_to     INTEGER NOT NULL,
                    PRIMARY KEY (snapshot_id, kpi_id, group_key)
                ) WITHOUT ROWID;
                """)
        }
        registerCatalogIndexes(in: &migrator)
        // Views hold no data: this migration (and any later one that changes a view) recreates
        // every view from `PublishedView.all`.
        migrator.registerMigration("metrics.v3.published-views") { db in
            try PublishedView.createAll(db)
        }
        // Plugins' own migrations, applied once per workspace, and the views they publish to
        // metrics and plugin queries (the sandbox reads this list).
        migrator.registerMigration("metrics.v4.plugin-migrations") { db in
            try db.execute(sql: """
                CREATE TABLE plugin_migrations (
                    plugin_id     TEXT NOT NULL,
                    migration_id  TEXT NOT NULL,
                    sha256        TEXT NOT NULL,
                    applied_at    INTEGER NOT NULL,
                    PRIMARY KEY (plugin_id, migration_id)
                );
                CREATE TABLE plugin_views (
                    name       TEXT PRIMARY KEY,
                    plugin_id  TEXT NOT NULL,
                    namespace  TEXT NOT NULL
                );
                """)
        }
        // A ticket's installed unit and a unit's serial number, for the manufacturing vertical's
        // field-service visits (serial numbers identify equipment, not people).
        migrator.registerMigration("metrics.v5.published-views-install-base") { db in
            try PublishedView.createAll(db)
        }
    }

    /// `metrics.v2.catalog-indexes`: indexes on CRM tables that the catalog's metrics need to
    /// measure a large workspace (100k accounts, 200k tickets) quickly. Indexes only, so the
    /// migration is safe on any workspace; each names the metric it serves.
    static func registerCatalogIndexes(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("metrics.v2.catalog-indexes") { db in
            try db.execute(sql: """
                -- quotation.order_conversion_rate, quotation.effective_discount: a group's quotations in a window
                CREATE INDEX quotations_by_owner_created ON quotations(owner_id, created_at);
                -- quotation.order_conversion_rate: the orders placed from a quotation
                CREATE INDEX orders_by_quotation ON orders(quotation_id) WHERE quotation_id IS NOT NULL;
                -- account.record_completeness, account.duplicate_rate: the accounts a group created in a window
                CREATE INDEX accounts_by_owner_created ON accounts(owner_id, created_at);
                -- lead.conversion_rate: a group's leads decided (converted or disqualified) in a window; the
                -- expression is the metric's own, so SQLite matches it
                CREATE INDEX leads_by_owner_decided ON leads(owner_id, COALESCE(converted_at, disqualified_at));
                -- ticket.reopen_rate: a ticket's reopenings (few), without reading its whole history
                CREATE INDEX ticket_reopenings ON ticket_status_changes(ticket_id, changed_at)
                    WHERE (from_status = 'resolved' OR from_status = 'closed') AND (to_status = 'open' OR to_status = 'in_progress');
                """)
        }
    }
}
