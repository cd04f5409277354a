import CRMCore
import GRDB

/// The engine's tables: the append-only event log and the projections derived from it.
///
/// The log is the truth; every projection row is written by `Projector` in the transaction
/// that appends the event it derives from, and `Projector.rebuild` can recompute them all.
public enum EngineSchema: SchemaModule {
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("engine.v1.event-log") { db in
            try db.execute(sql: """
                CREATE TABLE engine_events (
                    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id       TEXT NOT NULL,
                    at               INTEGER NOT NULL,
                    kind             TEXT NOT NULL,
                    phase_id         TEXT,
                    actor            TEXT,
                    -- every event has one: appending an event whose key exists is a no-op, which is
                    -- what makes a retried step (after a crash, or a command run twice) harmless
                    idempotency_key  TEXT NOT NULL UNIQUE,
                    payload          TEXT NOT NULL
                );
                -- a project's history in order
                CREATE INDEX engine_events_by_project ON engine_events(project_id, seq);
                CREATE TRIGGER engine_events_are_append_only_update BEFORE UPDATE ON engine_events
                BEGIN SELECT RAISE(ABORT, 'engine_events is append-only'); END;
                CREATE TRIGGER engine_events_are_append_only_delete BEFORE DELETE ON engine_events
                BEGIN SELECT RAISE(ABORT, 'engine_events is append-only'); END;

                -- Projections ----------------------------------------------------------------

                CREATE TABLE projects (
                    id                TEXT PRIMARY KEY,
                    title             TEXT NOT NULL,
                    playbook_id       TEXT NOT NULL,
                    playbook_version  INTEGER NOT NULL,
                    playbook_path     TEXT NOT NULL,
                    playbook_sha256   TEXT NOT NULL,
                    -- the playbook text the project runs: the hand-over pack's first document
                    playbook_text     TEXT NOT NULL,
                    status            TEXT NOT NULL CHECK (status = 'active' OR status = 'completed' OR status = 'stopped'),
                    started_at        INTEGER NOT NULL,
                    go_live_at        INTEGER,
                    ended_at          INTEGER,
                    stop_reason       TEXT,
                    last_event_at     INTEGER NOT NULL
                );

                CREATE TABLE engine_phases (
                    project_id      TEXT NOT NULL REFERENCES projects(id),
                    phase_id        TEXT NOT NULL,
                    position        INTEGER NOT NULL,
                    status          TEXT NOT NULL
                                    CHECK (status = 'pending' OR status = 'active' OR status = 'awaiting_decision' OR status = 'completed' OR status = 'stopped'),
                    attempt         INTEGER NOT NULL DEFAULT 1,
                    started_at      INTEGER,
                    planned_end_at  INTEGER,
                    ended_at        INTEGER,
                    decision        TEXT CHECK (decision = 'go' OR decision = 'no-go' OR decision = 'rework'),
                    PRIMARY KEY (project_id, phase_id)
                ) WITHOUT ROWID;

                CREATE TABLE engine_tasks (
                    project_id      TEXT NOT NULL REFERENCES projects(id),
                    task_id         TEXT NOT NULL,
                    phase_id        TEXT NOT NULL,
                    position        INTEGER NOT NULL,   -- order within the phase
                    name            TEXT NOT NULL,
                    owner_role      TEXT NOT NULL,
                    deliverable_id  TEXT,
                    status          TEXT NOT NULL CHECK (status = 'open' OR status = 'done'),
                    opened_at       INTEGER NOT NULL,
                    due_at          INTEGER,
                    done_at         INTEGER,
                    done_by         TEXT,
                    note            TEXT,
                    PRIMARY KEY (project_id, task_id)
                ) WITHOUT ROWID;

                CREATE TABLE engine_actions (
                    project_id  TEXT NOT NULL REFERENCES projects(id),
                    phase_id    TEXT NOT NULL,
                    position    INTEGER NOT NULL,
                    action      TEXT NOT NULL,
                    done_at     INTEGER NOT NULL,
                    summary     TEXT NOT NULL,
                    PRIMARY KEY (project_id, phase_id, position)
                ) WITHOUT ROWID;

                CREATE TABLE engine_gate_evaluations (
                    project_id       TEXT NOT NULL REFERENCES projects(id),
                    phase_id         TEXT NOT NULL,
                    attempt          INTEGER NOT NULL,
                    evaluated_at     INTEGER NOT NULL,
                    passed           INTEGER NOT NULL,
                    snapshot_id      INTEGER REFERENCES kpi_snapshots(id),
                    snapshot_sha256  TEXT,
                    criteria         TEXT NOT NULL,   -- JSON array of CriterionResult
                    PRIMARY KEY (project_id, phase_id, attempt)
                ) WITHOUT ROWID;

                CREATE TABLE engine_votes (
                    project_id  TEXT NOT NULL REFERENCES projects(id),
                    phase_id    TEXT NOT NULL,
                    attempt     INTEGER NOT NULL,
                    role        TEXT NOT NULL,
                    voter       TEXT NOT NULL,
                    decision    TEXT NOT NULL CHECK (decision = 'go' OR decision = 'no-go' OR decision = 'rework'),
                    note        TEXT,
                    at          INTEGER NOT NULL,
                    PRIMARY KEY (project_id, phase_id, attempt, role)
                ) WITHOUT ROWID;

                CREATE TABLE engine_pilots (
                    project_id      TEXT NOT NULL REFERENCES projects(id),
                    pilot_group_id  TEXT NOT NULL,
                    phase_id        TEXT NOT NULL,
                    started_at      INTEGER NOT NULL,
                    ended_at        INTEGER,
                    PRIMARY KEY (project_id, pilot_group_id)
                ) WITHOUT ROWID;

                -- Messages the engine asks to be delivered (a later delivery step reads them).
                CREATE TABLE engine_outbox (
                    id               INTEGER PRIMARY KEY,
                    project_id       TEXT NOT NULL REFERENCES projects(id),
                    created_at       INTEGER NOT NULL,
                    recipient_role   TEXT NOT NULL,
                    subject          TEXT NOT NULL,
                    body             TEXT NOT NULL,
                    idempotency_key  TEXT NOT NULL UNIQUE,
                    delivered_at     INTEGER
                );
                """)
        }
        migrator.registerMigration("engine.v2.cycles") { db in
            try db.execute(sql: """
                -- A cycle's phases run again: each phase and task row says which round it is in.
                ALTER TABLE engine_phases ADD COLUMN iteration INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE engine_tasks ADD COLUMN iteration INTEGER NOT NULL DEFAULT 1;

                -- A phase's actions run once per round.
                CREATE TABLE engine_actions_v2 (
                    project_id  TEXT NOT NULL REFERENCES projects(id),
                    phase_id    TEXT NOT NULL,
                    iteration   INTEGER NOT NULL DEFAULT 1,
                    position    INTEGER NOT NULL,
                    action      TEXT NOT NULL,
                    done_at     INTEGER NOT NULL,
                    summary     TEXT NOT NULL,
                    PRIMARY KEY (project_id, phase_id, iteration, position)
                ) WITHOUT ROWID;
                INSERT INTO engine_actions_v2 (project_id, phase_id, iteration, position, action, done_at, summary)
                    SELECT project_id, phase_id, 1, position, action, done_at, summary FROM engine_actions;
                DROP TABLE engine_actions;
                ALTER TABLE engine_actions_v2 RENAME TO engine_actions;

                -- How each round of a cycle ended: the cycle repeats, its condition was met, or it
                -- ran its maximum number of rounds.
                CREATE TABLE engine_cycle_iterations (
                    project_id  TEXT NOT NULL REFERENCES projects(id),
                    cycle_id    TEXT NOT NULL,
                    iteration   INTEGER NOT NULL,
                    ended_at    INTEGER NOT NULL,
                    outcome     TEXT NOT NULL CHECK (outcome = 'repeat' OR outcome = 'met' OR outcome = 'exhausted'),
                    detail      TEXT NOT NULL,
                    PRIMARY KEY (project_id, cycle_id, iteration)
                ) WITHOUT ROWID;
                """)
        }
        ProcessSchema.register(in: &migrator)
        migrator.registerMigration("engine.v4.waivers-and-conditions") { db in
            // JSON arrays of text: the criteria a go vote waived, the conditions it set.
            try db.execute(sql: """
                ALTER TABLE engine_votes ADD COLUMN waived TEXT NOT NULL DEFAULT '[]';
                ALTER TABLE engine_votes ADD COLUMN conditions TEXT NOT NULL DEFAULT '[]';
                """)
        }
        // A process transition's plugin action that failed: the record moved on without it.
        migrator.registerMigration("engine.v5.process-effect-failures") { db in
            try db.execute(sql: """
                CREATE TABLE process_effect_failures (
                    id               INTEGER PRIMARY KEY,
                    project_id       TEXT NOT NULL,
                    instance_id      INTEGER NOT NULL,
                    process_id       TEXT NOT NULL,
                    entity           TEXT NOT NULL,
                    record_id        INTEGER NOT NULL,
                    effect           TEXT NOT NULL,
                    message          TEXT NOT NULL,
                    at               INTEGER NOT NULL,
                    idempotency_key  TEXT NOT NULL UNIQUE
                );
                """)
        }
    }
}
