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
        // Views hold no data: this migration (and any later one that changes a view) recreates
        // every view from `PublishedView.all`.
        migrator.registerMigration("metrics.v2.published-views") { db in
            try PublishedView.createAll(db)
        }
    }
}
