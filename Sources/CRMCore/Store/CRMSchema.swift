import Foundation
import GRDB

/// The operational CRM's tables: people, customers, sales and service.
///
/// CHECK constraints list allowed values as `x = 'a' OR x = 'b'`, not `x IN ('a', 'b')`: SQLite
/// evaluates an IN list of three or more values through a temporary index built for every row,
/// which doubled the cost of bulk inserts (measured: 1M rows, 2.0 s against 1.05 s).
///
/// Conventions (see docs/decisions.md): timestamps are `INTEGER` Unix seconds UTC, columns end
/// in `_at`; calendar dates are `TEXT` `YYYY-MM-DD`, columns end in `_on`; money is
/// `<name>_minor INTEGER` plus `currency TEXT`. Every index names the query it serves.
public enum CRMSchema: SchemaModule {
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("crm.v1.core") { db in
            try db.execute(sql: """
                CREATE TABLE teams (
                    id      INTEGER PRIMARY KEY,
                    name    TEXT NOT NULL UNIQUE,
                    kind    TEXT NOT NULL CHECK (kind = 'sales' OR kind = 'service' OR kind = 'marketing' OR kind = 'management'),
                    region  TEXT
                );

                CREATE TABLE users (
                    id          INTEGER PRIMARY KEY,
                    name        TEXT NOT NULL,
                    email       TEXT NOT NULL UNIQUE,
                    team_id     INTEGER REFERENCES teams(id),
                    job_role    TEXT NOT NULL,
                    active      INTEGER NOT NULL DEFAULT 1,
                    created_at  INTEGER NOT NULL
                );
                -- pilot and control groups resolve a team to its members
                CREATE INDEX users_by_team ON users(team_id);

                CREATE TABLE accounts (
                    id              INTEGER PRIMARY KEY,
                    name            TEXT NOT NULL,
                    type            TEXT NOT NULL DEFAULT 'customer'
                                    CHECK (type = 'prospect' OR type = 'customer' OR type = 'partner' OR type = 'competitor'),
                    status          TEXT NOT NULL DEFAULT 'active' CHECK (status = 'active' OR status = 'dormant' OR status = 'lost'),
                    classification  TEXT CHECK (classification = 'A' OR classification = 'B' OR classification = 'C'),
                    industry        TEXT,
                    region          TEXT,
                    owner_id        INTEGER REFERENCES users(id),
                    created_at      INTEGER NOT NULL
                );
                CREATE INDEX accounts_by_owner ON accounts(owner_id);

                CREATE TABLE contacts (
                    id          INTEGER PRIMARY KEY,
                    account_id  INTEGER REFERENCES accounts(id),
                    name        TEXT NOT NULL,
                    title       TEXT,
                    email       TEXT,
                    phone       TEXT,
                    owner_id    INTEGER REFERENCES users(id),
                    created_at  INTEGER NOT NULL
                );
                -- contact.record_completeness: contacts a group created in a window
                CREATE INDEX contacts_by_owner_created ON contacts(owner_id, created_at);

                CREATE TABLE leads (
                    id                        INTEGER PRIMARY KEY,
                    name                      TEXT NOT NULL,
                    company                   TEXT,
                    email                     TEXT,
                    phone                     TEXT,
                    source                    TEXT NOT NULL
                                              CHECK (source = 'web' OR source = 'phone' OR source = 'email' OR source = 'event' OR source = 'referral' OR source = 'partner' OR source = 'campaign'),
                    status                    TEXT NOT NULL DEFAULT 'new'
                                              CHECK (status = 'new' OR status = 'contacted' OR status = 'qualified' OR status = 'converted' OR status = 'disqualified'),
                    owner_id                  INTEGER REFERENCES users(id),
                    created_at                INTEGER NOT NULL,
                    converted_at              INTEGER,
                    converted_account_id      INTEGER REFERENCES accounts(id),
                    disqualified_at           INTEGER
                );
                -- lead.first_response_hours, lead.conversion_rate: leads a group received in a window
                CREATE INDEX leads_by_owner_created ON leads(owner_id, created_at);

                CREATE TABLE opportunity_stages (
                    name         TEXT PRIMARY KEY,
                    position     INTEGER NOT NULL UNIQUE,
                    probability  REAL NOT NULL CHECK (probability BETWEEN 0 AND 1),
                    is_closed    INTEGER NOT NULL,
                    is_won       INTEGER NOT NULL
                );
                INSERT INTO opportunity_stages VALUES
                    ('prospecting', 1, 0.10, 0, 0),
                    ('qualification', 2, 0.25, 0, 0),
                    ('proposal', 3, 0.50, 0, 0),
                    ('negotiation', 4, 0.75, 0, 0),
                    ('closed_won', 5, 1.00, 1, 1),
                    ('closed_lost', 6, 0.00, 1, 0);

                CREATE TABLE opportunities (
                    id                 INTEGER PRIMARY KEY,
                    name               TEXT NOT NULL,
                    account_id         INTEGER REFERENCES accounts(id),
                    lead_id            INTEGER REFERENCES leads(id),
                    stage              TEXT NOT NULL REFERENCES opportunity_stages(name),
                    amount_minor       INTEGER NOT NULL,
                    currency           TEXT NOT NULL,
                    owner_id           INTEGER REFERENCES users(id),
                    created_at         INTEGER NOT NULL,
                    expected_close_on  TEXT,
                    closed_at          INTEGER
                );
                -- opportunity.win_rate, opportunity.sales_cycle_days: deals a group closed in a window
                CREATE INDEX opportunities_by_owner_closed ON opportunities(owner_id, closed_at);

                CREATE TABLE opportunity_stage_changes (
                    id              INTEGER PRIMARY KEY,
                    opportunity_id  INTEGER NOT NULL REFERENCES opportunities(id),
                    from_stage      TEXT REFERENCES opportunity_stages(name),
                    to_stage        TEXT NOT NULL REFERENCES opportunity_stages(name),
                    changed_at      INTEGER NOT NULL,
                    changed_by      INTEGER REFERENCES users(id)
                );
                -- an opportunity's history, in order
                CREATE INDEX stage_changes_by_opportunity ON opportunity_stage_changes(opportunity_id, changed_at);

                CREATE TABLE activities (
                    id                INTEGER PRIMARY KEY,
                    kind              TEXT NOT NULL CHECK (kind = 'call' OR kind = 'meeting' OR kind = 'email' OR kind = 'visit' OR kind = 'note'),
                    subject           TEXT NOT NULL,
                    owner_id          INTEGER NOT NULL REFERENCES users(id),
                    account_id        INTEGER REFERENCES accounts(id),
                    contact_id        INTEGER REFERENCES contacts(id),
                    lead_id           INTEGER REFERENCES leads(id),
                    opportunity_id    INTEGER REFERENCES opportunities(id),
                    at                INTEGER NOT NULL,
                    duration_minutes  INTEGER
                );
                -- lead.first_response_hours: the first activity on a lead
                CREATE INDEX activities_by_lead ON activities(lead_id, at) WHERE lead_id IS NOT NULL;
                -- user.active_adoption: the days on which a user logged activities
                CREATE INDEX activities_by_owner ON activities(owner_id, at);

                CREATE TABLE sla_policies (
                    priority                  TEXT PRIMARY KEY CHECK (priority = 'urgent' OR priority = 'high' OR priority = 'normal' OR priority = 'low'),
                    first_response_minutes    INTEGER NOT NULL CHECK (first_response_minutes > 0),
                    resolution_minutes        INTEGER NOT NULL CHECK (resolution_minutes > 0)
                );
                INSERT INTO sla_policies VALUES
                    ('urgent', 60, 480),
                    ('high', 240, 1440),
                    ('normal', 480, 4320),
                    ('low', 1440, 10080);

                CREATE TABLE tickets (
                    id                  INTEGER PRIMARY KEY,
                    subject             TEXT NOT NULL,
                    type                TEXT NOT NULL CHECK (type = 'request' OR type = 'incident' OR type = 'question' OR type = 'complaint'),
                    channel             TEXT NOT NULL
                                        CHECK (channel = 'phone' OR channel = 'email' OR channel = 'letter' OR channel = 'web' OR channel = 'in_person' OR channel = 'social'),
                    priority            TEXT NOT NULL REFERENCES sla_policies(priority),
                    status              TEXT NOT NULL DEFAULT 'open'
                                        CHECK (status = 'open' OR status = 'in_progress' OR status = 'resolved' OR status = 'closed'),
                    account_id          INTEGER REFERENCES accounts(id),
                    contact_id          INTEGER REFERENCES contacts(id),
                    assignee_id         INTEGER REFERENCES users(id),
                    created_at          INTEGER NOT NULL,
                    first_response_at   INTEGER,
                    resolved_at         INTEGER
                );
                -- ticket.first_response_sla_compliance, ticket.resolution_hours: a group's tickets in a window
                CREATE INDEX tickets_by_assignee_created ON tickets(assignee_id, created_at);
                CREATE INDEX tickets_by_assignee_resolved ON tickets(assignee_id, resolved_at);

                -- One row per sign-in to the CRM (web, mobile, API), migrated ones included.
                CREATE TABLE user_logins (
                    id       INTEGER PRIMARY KEY,
                    user_id  INTEGER NOT NULL REFERENCES users(id),
                    at       INTEGER NOT NULL,
                    channel  TEXT NOT NULL DEFAULT 'web' CHECK (channel = 'web' OR channel = 'mobile' OR channel = 'api')
                );
                -- user.active_adoption: the days on which a group's users signed in
                CREATE INDEX user_logins_by_user ON user_logins(user_id, at);

                -- Demo data sets generated into this workspace (rollout demo seed): one row per run,
                -- written in the same transaction as the data, so a rerun knows the data is there.
                CREATE TABLE demo_seed_runs (
                    id              INTEGER PRIMARY KEY,
                    seed            INTEGER NOT NULL,
                    scale           TEXT NOT NULL,
                    history_start   INTEGER NOT NULL,
                    end_at          INTEGER NOT NULL,
                    pilot_start     INTEGER NOT NULL,
                    cutover         INTEGER NOT NULL,
                    rows_written    INTEGER NOT NULL,
                    created_at      INTEGER NOT NULL
                );
                """)
        }
        registerCompleteMigration(in: &migrator)
        registerAnalysisMigration(in: &migrator)
        registerAccountKeyMigration(in: &migrator)
        APITokens.registerMigration(in: &migrator)
    }
}
