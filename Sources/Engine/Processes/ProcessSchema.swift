import CRMCore
import GRDB

/// The process runtime's tables (migration `engine.v3.processes`).
///
/// - `process_activations`: a process variant running on a population (the pilot group, or
///   everyone after the cut-over), started by the engine action `process.start`.
/// - `process_instances`: one CRM record in one process: its state and since when.
/// - `process_history`: every transition a record made, in order (`seq`).
/// - `process_timers`: SLA, escalation and `after:` timers as rows, never sleeps.
/// - `process_incidents`: SLA breaches and escalations, one per state visit and kind.
/// - `process_inbox`: the transactional outbox of CRM changes. A trigger on `audit_log` copies
///   every change to a watched entity into it, in the transaction of the change itself (the
///   runtime's own changes excepted: they are audited, not fed back).
/// - `process_watch`: the entities the inbox captures (those of running activations).
/// - `process_leases`: which worker may process (holder, fencing token, expiry).
/// - `process_round_robin`: where round-robin assignment stands, per activation and role.
enum ProcessSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("engine.v3.processes") { db in
            try db.execute(sql: """
                CREATE TABLE process_activations (
                    id               INTEGER PRIMARY KEY,
                    project_id       TEXT NOT NULL REFERENCES projects(id),
                    process_id       TEXT NOT NULL,
                    variant          TEXT NOT NULL CHECK (variant = 'as_is' OR variant = 'to_be'),
                    entity           TEXT NOT NULL,
                    scope            TEXT NOT NULL CHECK (scope = 'pilot' OR scope = 'everyone'),
                    pilot_group_id   TEXT,
                    started_at       INTEGER NOT NULL,
                    ended_at         INTEGER,
                    idempotency_key  TEXT NOT NULL UNIQUE
                );

                CREATE TABLE process_instances (
                    id                INTEGER PRIMARY KEY,
                    activation_id     INTEGER NOT NULL REFERENCES process_activations(id),
                    process_id        TEXT NOT NULL,
                    variant           TEXT NOT NULL,
                    entity            TEXT NOT NULL,
                    record_id         INTEGER NOT NULL,
                    state             TEXT NOT NULL,
                    state_entered_at  INTEGER NOT NULL,
                    -- the number of the current state visit; timers and incidents carry it
                    seq               INTEGER NOT NULL DEFAULT 1,
                    assignee_id       INTEGER REFERENCES users(id),
                    started_at        INTEGER NOT NULL,
                    ended_at          INTEGER,
                    UNIQUE (entity, record_id, process_id)
                );
                -- assignment by load: open records per assignee
                CREATE INDEX process_instances_open_by_assignee ON process_instances(assignee_id) WHERE ended_at IS NULL;

                CREATE TABLE process_history (
                    instance_id  INTEGER NOT NULL REFERENCES process_instances(id),
                    seq          INTEGER NOT NULL,
                    from_state   TEXT,
                    to_state     TEXT NOT NULL,
                    at           INTEGER NOT NULL,
                    -- 'start', 'event:activity_logged', 'timer:after', 'action:qualify'
                    trigger      TEXT NOT NULL,
                    actor        TEXT NOT NULL,
                    PRIMARY KEY (instance_id, seq)
                ) WITHOUT ROWID;

                CREATE TABLE process_timers (
                    id                INTEGER PRIMARY KEY,
                    instance_id       INTEGER NOT NULL REFERENCES process_instances(id),
                    seq               INTEGER NOT NULL,
                    kind              TEXT NOT NULL CHECK (kind = 'transition' OR kind = 'sla' OR kind = 'escalation'),
                    -- the transition (index in the variant's list) a 'transition' or 'escalation' timer belongs to; -1 for a state's SLA
                    transition_index  INTEGER NOT NULL,
                    due_at            INTEGER NOT NULL,
                    UNIQUE (instance_id, seq, kind, transition_index)
                );
                -- the worker's next due timer
                CREATE INDEX process_timers_by_due ON process_timers(due_at, id);

                CREATE TABLE process_incidents (
                    instance_id       INTEGER NOT NULL REFERENCES process_instances(id),
                    seq               INTEGER NOT NULL,
                    kind              TEXT NOT NULL CHECK (kind = 'sla-breached' OR kind = 'escalated'),
                    transition_index  INTEGER NOT NULL,
                    at                INTEGER NOT NULL,
                    detail            TEXT NOT NULL,
                    PRIMARY KEY (instance_id, seq, kind, transition_index)
                ) WITHOUT ROWID;

                CREATE TABLE process_watch (
                    entity  TEXT PRIMARY KEY
                ) WITHOUT ROWID;

                CREATE TABLE process_inbox (
                    id            INTEGER PRIMARY KEY,
                    audit_id      INTEGER NOT NULL UNIQUE,
                    at            INTEGER NOT NULL,
                    entity        TEXT NOT NULL,
                    record_id     INTEGER,
                    action        TEXT NOT NULL,
                    processed_at  INTEGER
                );
                -- the worker's next queued change
                CREATE INDEX process_inbox_pending ON process_inbox(at, id) WHERE processed_at IS NULL;

                CREATE TRIGGER process_inbox_capture AFTER INSERT ON audit_log
                -- the runtime's own changes (actor 'process:…') are audited but not fed back
                WHEN NEW.actor NOT LIKE 'process:%' AND EXISTS (SELECT 1 FROM process_watch WHERE entity = NEW.entity)
                BEGIN
                    INSERT INTO process_inbox (audit_id, at, entity, record_id, action)
                    VALUES (NEW.id, NEW.at, NEW.entity, NEW.record_id, NEW.action);
                END;

                CREATE TABLE process_leases (
                    name        TEXT PRIMARY KEY,
                    holder      TEXT NOT NULL,
                    token       INTEGER NOT NULL,
                    expires_at  REAL NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE process_round_robin (
                    activation_id  INTEGER NOT NULL REFERENCES process_activations(id),
                    role           TEXT NOT NULL,
                    position       INTEGER NOT NULL,
                    PRIMARY KEY (activation_id, role)
                ) WITHOUT ROWID;

                -- Messages to a user (an assignment, an escalation) besides the engine's to roles.
                ALTER TABLE engine_outbox ADD COLUMN recipient_user_id INTEGER REFERENCES users(id);
                """)
        }
    }
}
