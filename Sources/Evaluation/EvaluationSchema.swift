import CRMCore
import GRDB

/// The Evaluation module's tables: lessons learned and recorded judgements.
public enum EvaluationSchema: SchemaModule {
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("evaluation.v1.lessons") { db in
            try db.execute(sql: """
                CREATE TABLE lessons (
                    id               INTEGER PRIMARY KEY,
                    project_id       TEXT NOT NULL REFERENCES projects(id),
                    phase_id         TEXT NOT NULL,
                    category         TEXT NOT NULL
                                     CHECK (category = 'training' OR category = 'foreknowledge' OR category = 'challenge' OR category = 'delay' OR category = 'shortfall'),
                    what_happened    TEXT NOT NULL,
                    delay_days       INTEGER NOT NULL DEFAULT 0 CHECK (delay_days >= 0),
                    caused_by        TEXT,
                    cost_minor       INTEGER,
                    currency         TEXT,
                    remedy           TEXT,
                    recorded_by      TEXT,
                    recorded_at      INTEGER NOT NULL,
                    -- set by scripted callers (the demo) so a rerun records a lesson once
                    idempotency_key  TEXT UNIQUE
                );
                -- lessons of a phase, in the report
                CREATE INDEX lessons_by_phase ON lessons(project_id, phase_id, recorded_at);
                """)
        }
        migrator.registerMigration("evaluation.v2.judgements") { db in
            try db.execute(sql: """
                CREATE TABLE judgements (
                    id               INTEGER PRIMARY KEY,
                    project_id       TEXT NOT NULL REFERENCES projects(id),
                    phase_id         TEXT,
                    topic            TEXT NOT NULL,
                    verdict          TEXT CHECK (verdict IS NULL OR verdict = 'achieved' OR verdict = 'partly'
                                                 OR verdict = 'not-achieved'),
                    text             TEXT NOT NULL,
                    recorded_by      TEXT NOT NULL,
                    recorded_at      INTEGER NOT NULL,
                    -- an outcome evaluation's KPI snapshot and its content hash
                    snapshot_label   TEXT,
                    snapshot_sha256  TEXT,
                    idempotency_key  TEXT UNIQUE
                );
                CREATE INDEX judgements_by_project ON judgements(project_id, recorded_at);
                """)
        }
    }
}
