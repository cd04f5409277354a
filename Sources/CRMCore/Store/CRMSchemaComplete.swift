import GRDB

extension CRMSchema {
    /// `crm.v2.complete`: the rest of the operational CRM (REQUIREMENTS.md part B) on top of
    /// `crm.v1.core` — territories and roles, follow-ups and contracts, products, quotations,
    /// orders and commissions, campaigns, business calendars and SLA due times, install base,
    /// the knowledge base with its full-text index, appointments, the audit trail and import batches.
    ///
    /// Migrations are append-only: a workspace created before this one gains the new tables and
    /// columns, and its rows keep their meaning (an SLA policy without a calendar runs around the
    /// clock, as before).
    static func registerCompleteMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("crm.v2.complete") { db in
            try db.execute(sql: territoriesAndRoles)
            try db.execute(sql: customers)
            try db.execute(sql: sales)
            try db.execute(sql: marketing)
            try db.execute(sql: service)
            try db.execute(sql: appointments)
            try db.execute(sql: auditAndImport)
        }
    }

    private static let territoriesAndRoles = """
        -- Sales territories as a tree: a manager of 'China' sees 'East' and 'Shanghai' below it.
        CREATE TABLE territories (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            parent_id  INTEGER REFERENCES territories(id)
        );
        -- the subtree of a territory (recursive walk down the tree)
        CREATE INDEX territories_by_parent ON territories(parent_id);

        ALTER TABLE teams ADD COLUMN territory_id INTEGER REFERENCES territories(id);
        -- a user's own territory; when NULL, the territory of the user's team
        ALTER TABLE users ADD COLUMN territory_id INTEGER REFERENCES territories(id);
        ALTER TABLE accounts ADD COLUMN territory_id INTEGER REFERENCES territories(id);
        -- access rules: the accounts of a territory subtree
        CREATE INDEX accounts_by_territory ON accounts(territory_id);

        -- What a role may do (permissions, space-separated) and which accounts it sees:
        -- all of them, its territory's subtree, its team's, or its own.
        CREATE TABLE roles (
            name           TEXT PRIMARY KEY,
            description    TEXT NOT NULL,
            account_scope  TEXT NOT NULL
                           CHECK (account_scope = 'all' OR account_scope = 'territory' OR account_scope = 'team' OR account_scope = 'own'),
            permissions    TEXT NOT NULL
        );
        INSERT INTO roles VALUES
            ('admin', 'Administers the workspace: every record, every action', 'all',
             'crm.read crm.write crm.delete crm.import crm.export audit.read gate.approve playbook.edit task.complete'),
            ('executive', 'Steering committee member: reads everything, approves gates', 'all',
             'crm.read crm.export audit.read gate.approve'),
            ('project_manager', 'Runs the rollout project: tasks, playbook, reports', 'all',
             'crm.read crm.export audit.read playbook.edit task.complete'),
            ('sales_manager', 'Leads a sales team: the accounts of the territory', 'territory',
             'crm.read crm.write crm.export crm.import gate.approve task.complete'),
            ('sales_rep', 'Sells: the accounts the rep owns', 'own',
             'crm.read crm.write'),
            ('marketing', 'Plans campaigns and works leads across territories', 'all',
             'crm.read crm.write crm.export crm.import'),
            ('service_lead', 'Leads a service team: the accounts of the territory', 'territory',
             'crm.read crm.write crm.export task.complete'),
            ('service_agent', 'Answers tickets: the accounts the team owns', 'team',
             'crm.read crm.write');

        CREATE TABLE user_roles (
            user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role     TEXT NOT NULL REFERENCES roles(name),
            PRIMARY KEY (user_id, role)
        ) WITHOUT ROWID;
        """

    private static let customers = """
        -- A salesperson's record of keeping in touch with a customer (S3: follow-up records).
        CREATE TABLE follow_ups (
            id          INTEGER PRIMARY KEY,
            account_id  INTEGER NOT NULL REFERENCES accounts(id),
            contact_id  INTEGER REFERENCES contacts(id),
            user_id     INTEGER NOT NULL REFERENCES users(id),
            at          INTEGER NOT NULL,
            channel     TEXT NOT NULL CHECK (channel = 'phone' OR channel = 'email' OR channel = 'visit' OR channel = 'meeting' OR channel = 'message' OR channel = 'other'),
            summary     TEXT NOT NULL,
            next_step   TEXT,
            next_on     TEXT
        );
        -- an account's history, in order
        CREATE INDEX follow_ups_by_account ON follow_ups(account_id, at);

        CREATE TABLE contracts (
            id           INTEGER PRIMARY KEY,
            number       TEXT NOT NULL UNIQUE,
            account_id   INTEGER NOT NULL REFERENCES accounts(id),
            title        TEXT NOT NULL,
            status       TEXT NOT NULL DEFAULT 'draft'
                         CHECK (status = 'draft' OR status = 'active' OR status = 'expired' OR status = 'terminated'),
            value_minor  INTEGER NOT NULL DEFAULT 0 CHECK (value_minor >= 0),
            currency     TEXT NOT NULL,
            starts_on    TEXT,
            ends_on      TEXT,
            signed_at    INTEGER,
            owner_id     INTEGER REFERENCES users(id),
            created_at   INTEGER NOT NULL,
            CHECK (starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on)
        );
        CREATE INDEX contracts_by_account ON contracts(account_id);

        -- De-duplication keys, computed by SQLite so every writer agrees: a lower-cased e-mail and
        -- a phone number reduced to its digits, without China's country code.
        ALTER TABLE contacts ADD COLUMN email_key TEXT
            GENERATED ALWAYS AS (lower(trim(email))) VIRTUAL;
        ALTER TABLE contacts ADD COLUMN phone_key TEXT
            GENERATED ALWAYS AS (\(phoneKey("phone"))) VIRTUAL;
        -- import de-duplication: a contact by e-mail, by phone
        CREATE INDEX contacts_by_email_key ON contacts(email_key) WHERE email_key IS NOT NULL;
        CREATE INDEX contacts_by_phone_key ON contacts(phone_key) WHERE phone_key IS NOT NULL;
        -- an account's contacts
        CREATE INDEX contacts_by_account ON contacts(account_id);
        -- import de-duplication: an account by name
        CREATE INDEX accounts_by_name ON accounts(name COLLATE NOCASE);
        """

    private static let sales = """
        ALTER TABLE leads ADD COLUMN channel TEXT
            CHECK (channel IS NULL OR channel = 'traditional' OR channel = 'phone' OR channel = 'online' OR channel = 'email' OR channel = 'social' OR channel = 'event');
        ALTER TABLE leads ADD COLUMN score INTEGER CHECK (score IS NULL OR (score >= 0 AND score <= 100));
        ALTER TABLE leads ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
        ALTER TABLE leads ADD COLUMN converted_contact_id INTEGER REFERENCES contacts(id);
        ALTER TABLE leads ADD COLUMN converted_opportunity_id INTEGER REFERENCES opportunities(id);
        ALTER TABLE leads ADD COLUMN email_key TEXT GENERATED ALWAYS AS (lower(trim(email))) VIRTUAL;
        -- import de-duplication: a lead by e-mail
        CREATE INDEX leads_by_email_key ON leads(email_key) WHERE email_key IS NOT NULL;
        -- campaign effect: the leads a campaign brought
        CREATE INDEX leads_by_campaign ON leads(campaign_id) WHERE campaign_id IS NOT NULL;

        -- NULL: the category follows the stage (see v_opportunities)
        ALTER TABLE opportunities ADD COLUMN forecast_category TEXT
            CHECK (forecast_category IS NULL OR forecast_category = 'pipeline' OR forecast_category = 'best_case' OR forecast_category = 'commit' OR forecast_category = 'omitted');
        ALTER TABLE opportunities ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
        -- campaign effect: the deals a campaign brought
        CREATE INDEX opportunities_by_campaign ON opportunities(campaign_id) WHERE campaign_id IS NOT NULL;
        -- pipeline and forecast: open deals by expected close
        CREATE INDEX opportunities_open_by_close ON opportunities(expected_close_on) WHERE closed_at IS NULL;
        -- an account's deals
        CREATE INDEX opportunities_by_account ON opportunities(account_id);
        -- activities on an account
        CREATE INDEX activities_by_account ON activities(account_id, at) WHERE account_id IS NOT NULL;

        CREATE TABLE products (
            id                INTEGER PRIMARY KEY,
            sku               TEXT NOT NULL UNIQUE,
            name              TEXT NOT NULL,
            family            TEXT,
            unit_price_minor  INTEGER NOT NULL CHECK (unit_price_minor >= 0),
            unit_cost_minor   INTEGER CHECK (unit_cost_minor IS NULL OR unit_cost_minor >= 0),
            currency          TEXT NOT NULL,
            active            INTEGER NOT NULL DEFAULT 1
        );

        CREATE TABLE quotations (
            id                INTEGER PRIMARY KEY,
            number            TEXT NOT NULL UNIQUE,
            account_id        INTEGER NOT NULL REFERENCES accounts(id),
            opportunity_id    INTEGER REFERENCES opportunities(id),
            owner_id          INTEGER REFERENCES users(id),
            status            TEXT NOT NULL DEFAULT 'draft'
                              CHECK (status = 'draft' OR status = 'sent' OR status = 'accepted' OR status = 'rejected' OR status = 'expired'),
            currency          TEXT NOT NULL,
            discount_percent  REAL NOT NULL DEFAULT 0 CHECK (discount_percent >= 0 AND discount_percent <= 100),
            tax_percent       REAL NOT NULL DEFAULT 0 CHECK (tax_percent >= 0 AND tax_percent <= 100),
            valid_until_on    TEXT,
            created_at        INTEGER NOT NULL
        );
        CREATE INDEX quotations_by_account ON quotations(account_id);

        CREATE TABLE quotation_lines (
            id                INTEGER PRIMARY KEY,
            quotation_id      INTEGER NOT NULL REFERENCES quotations(id) ON DELETE CASCADE,
            position          INTEGER NOT NULL,
            product_id        INTEGER REFERENCES products(id),
            description       TEXT NOT NULL,
            quantity          INTEGER NOT NULL CHECK (quantity > 0),
            unit_price_minor  INTEGER NOT NULL CHECK (unit_price_minor >= 0),
            discount_percent  REAL NOT NULL DEFAULT 0 CHECK (discount_percent >= 0 AND discount_percent <= 100),
            UNIQUE (quotation_id, position)
        );

        CREATE TABLE orders (
            id              INTEGER PRIMARY KEY,
            number          TEXT NOT NULL UNIQUE,
            account_id      INTEGER NOT NULL REFERENCES accounts(id),
            quotation_id    INTEGER REFERENCES quotations(id),
            opportunity_id  INTEGER REFERENCES opportunities(id),
            owner_id        INTEGER REFERENCES users(id),
            status          TEXT NOT NULL DEFAULT 'open'
                            CHECK (status = 'open' OR status = 'fulfilled' OR status = 'cancelled'),
            ordered_at      INTEGER NOT NULL,
            total_minor     INTEGER NOT NULL CHECK (total_minor >= 0),
            cost_minor      INTEGER NOT NULL DEFAULT 0 CHECK (cost_minor >= 0),
            currency        TEXT NOT NULL
        );
        -- RFM and profit concentration: an account's orders
        CREATE INDEX orders_by_account ON orders(account_id, ordered_at);
        -- performance roll-ups and commission: a salesperson's orders in a period
        CREATE INDEX orders_by_owner ON orders(owner_id, ordered_at);

        CREATE TABLE order_lines (
            id                INTEGER PRIMARY KEY,
            order_id          INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
            product_id        INTEGER REFERENCES products(id),
            quantity          INTEGER NOT NULL CHECK (quantity > 0),
            unit_price_minor  INTEGER NOT NULL CHECK (unit_price_minor >= 0),
            unit_cost_minor   INTEGER NOT NULL DEFAULT 0 CHECK (unit_cost_minor >= 0)
        );
        CREATE INDEX order_lines_by_order ON order_lines(order_id);

        -- Simple commission: a rate on the revenue (or margin) of fulfilled orders, for one user,
        -- one job role, or everyone; the most specific rule valid on the order date wins.
        CREATE TABLE commission_rules (
            id             INTEGER PRIMARY KEY,
            name           TEXT NOT NULL,
            user_id        INTEGER REFERENCES users(id),
            job_role       TEXT,
            basis          TEXT NOT NULL DEFAULT 'revenue' CHECK (basis = 'revenue' OR basis = 'margin'),
            rate_percent   REAL NOT NULL CHECK (rate_percent >= 0 AND rate_percent <= 100),
            valid_from_on  TEXT,
            valid_to_on    TEXT
        );
        """

    private static let marketing = """
        CREATE TABLE campaigns (
            id                 INTEGER PRIMARY KEY,
            name               TEXT NOT NULL UNIQUE,
            channel            TEXT NOT NULL
                               CHECK (channel = 'traditional' OR channel = 'phone' OR channel = 'online' OR channel = 'email' OR channel = 'social' OR channel = 'event'),
            status             TEXT NOT NULL DEFAULT 'planned'
                               CHECK (status = 'planned' OR status = 'active' OR status = 'completed' OR status = 'cancelled'),
            budget_minor       INTEGER NOT NULL DEFAULT 0 CHECK (budget_minor >= 0),
            actual_cost_minor  INTEGER NOT NULL DEFAULT 0 CHECK (actual_cost_minor >= 0),
            currency           TEXT NOT NULL,
            starts_on          TEXT NOT NULL,
            ends_on            TEXT NOT NULL,
            owner_id           INTEGER REFERENCES users(id),
            created_at         INTEGER NOT NULL,
            CHECK (ends_on >= starts_on)
        );

        -- Who a campaign reached (a contact or a lead) and how they responded.
        CREATE TABLE campaign_members (
            id            INTEGER PRIMARY KEY,
            campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
            contact_id    INTEGER REFERENCES contacts(id),
            lead_id       INTEGER REFERENCES leads(id),
            status        TEXT NOT NULL DEFAULT 'targeted'
                          CHECK (status = 'targeted' OR status = 'sent' OR status = 'responded' OR status = 'bounced' OR status = 'unsubscribed'),
            response      TEXT CHECK (response IS NULL OR response = 'interested' OR response = 'request_info' OR response = 'purchase_intent' OR response = 'not_interested' OR response = 'complaint' OR response = 'unsubscribe'),
            responded_at  INTEGER,
            CHECK (contact_id IS NOT NULL OR lead_id IS NOT NULL),
            CHECK ((response IS NULL) = (responded_at IS NULL))
        );
        -- campaign effect: a campaign's members and responses
        CREATE INDEX campaign_members_by_campaign ON campaign_members(campaign_id, status);
        """

    private static let service = """
        -- Working hours for SLA clocks: `hours` in the form 'mon-fri 09:00-12:00,13:00-18:00',
        -- `time_zone` an IANA name; calendar_days lists holidays and make-up working days.
        CREATE TABLE business_calendars (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            time_zone  TEXT NOT NULL,
            hours      TEXT NOT NULL
        );
        CREATE TABLE calendar_days (
            calendar_id  INTEGER NOT NULL REFERENCES business_calendars(id) ON DELETE CASCADE,
            day          TEXT NOT NULL,
            kind         TEXT NOT NULL CHECK (kind = 'holiday' OR kind = 'working'),
            name         TEXT,
            PRIMARY KEY (calendar_id, day)
        ) WITHOUT ROWID;

        -- A policy without a calendar runs around the clock (the v1 behaviour).
        ALTER TABLE sla_policies ADD COLUMN calendar_id INTEGER REFERENCES business_calendars(id);
        -- Warn when at most this share of the target's working time is left.
        ALTER TABLE sla_policies ADD COLUMN warn_remaining_percent INTEGER NOT NULL DEFAULT 25
            CHECK (warn_remaining_percent >= 0 AND warn_remaining_percent < 100);

        CREATE TABLE install_base (
            id                INTEGER PRIMARY KEY,
            account_id        INTEGER NOT NULL REFERENCES accounts(id),
            product_id        INTEGER NOT NULL REFERENCES products(id),
            serial_number     TEXT,
            installed_on      TEXT,
            warranty_ends_on  TEXT,
            location          TEXT,
            status            TEXT NOT NULL DEFAULT 'active' CHECK (status = 'active' OR status = 'in_repair' OR status = 'retired'),
            UNIQUE (product_id, serial_number)
        );
        CREATE INDEX install_base_by_account ON install_base(account_id);

        -- Due and warning instants, computed on the policy's calendar when a ticket is created, so
        -- 'at risk' and 'breached' are comparisons an index can serve.
        ALTER TABLE tickets ADD COLUMN install_base_id INTEGER REFERENCES install_base(id);
        ALTER TABLE tickets ADD COLUMN first_response_due_at INTEGER;
        ALTER TABLE tickets ADD COLUMN first_response_warn_at INTEGER;
        ALTER TABLE tickets ADD COLUMN resolution_due_at INTEGER;
        ALTER TABLE tickets ADD COLUMN resolution_warn_at INTEGER;
        UPDATE tickets SET
            first_response_due_at = created_at + (SELECT first_response_minutes FROM sla_policies p WHERE p.priority = tickets.priority) * 60,
            resolution_due_at = created_at + (SELECT resolution_minutes FROM sla_policies p WHERE p.priority = tickets.priority) * 60;
        UPDATE tickets SET
            first_response_warn_at = first_response_due_at - (SELECT first_response_minutes * warn_remaining_percent * 60 / 100 FROM sla_policies p WHERE p.priority = tickets.priority),
            resolution_warn_at = resolution_due_at - (SELECT resolution_minutes * warn_remaining_percent * 60 / 100 FROM sla_policies p WHERE p.priority = tickets.priority);
        -- SLA monitoring: open tickets by the instant they turn at risk
        CREATE INDEX tickets_open_by_resolution_warn ON tickets(resolution_warn_at) WHERE resolved_at IS NULL;
        CREATE INDEX tickets_unanswered_by_response_warn ON tickets(first_response_warn_at) WHERE first_response_at IS NULL;
        -- an account's tickets
        CREATE INDEX tickets_by_account ON tickets(account_id);

        CREATE TABLE ticket_status_changes (
            id           INTEGER PRIMARY KEY,
            ticket_id    INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            from_status  TEXT,
            to_status    TEXT NOT NULL,
            changed_at   INTEGER NOT NULL,
            changed_by   INTEGER REFERENCES users(id)
        );
        -- a ticket's history, in order
        CREATE INDEX ticket_status_changes_by_ticket ON ticket_status_changes(ticket_id, changed_at);

        CREATE TABLE kb_articles (
            id          INTEGER PRIMARY KEY,
            title       TEXT NOT NULL,
            body        TEXT NOT NULL,
            tags        TEXT NOT NULL DEFAULT '',
            status      TEXT NOT NULL DEFAULT 'draft' CHECK (status = 'draft' OR status = 'published' OR status = 'archived'),
            author_id   INTEGER REFERENCES users(id),
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        );
        -- The full-text index of the knowledge base. Its rowid is the article's id; its text is
        -- the article's, with Chinese runs split into overlapping pairs of characters (bigrams),
        -- which FTS5's unicode61 tokenizer would otherwise index as one long word.
        CREATE VIRTUAL TABLE kb_search USING fts5(title, body, tags, tokenize = 'unicode61 remove_diacritics 2');

        CREATE TABLE ticket_articles (
            ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            article_id  INTEGER NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
            linked_by   INTEGER REFERENCES users(id),
            linked_at   INTEGER NOT NULL,
            PRIMARY KEY (ticket_id, article_id)
        ) WITHOUT ROWID;
        """

    private static let appointments = """
        -- An employee's calendar: visits, deliveries, installations (B6).
        CREATE TABLE appointments (
            id          INTEGER PRIMARY KEY,
            uid         TEXT NOT NULL UNIQUE,
            user_id     INTEGER NOT NULL REFERENCES users(id),
            kind        TEXT NOT NULL CHECK (kind = 'visit' OR kind = 'delivery' OR kind = 'installation' OR kind = 'meeting' OR kind = 'call'),
            title       TEXT NOT NULL,
            account_id  INTEGER REFERENCES accounts(id),
            contact_id  INTEGER REFERENCES contacts(id),
            location    TEXT,
            starts_at   INTEGER NOT NULL,
            ends_at     INTEGER NOT NULL,
            status      TEXT NOT NULL DEFAULT 'planned' CHECK (status = 'planned' OR status = 'confirmed' OR status = 'done' OR status = 'cancelled'),
            notes       TEXT,
            created_at  INTEGER NOT NULL,
            CHECK (ends_at > starts_at)
        );
        -- a user's calendar, and double-booking checks
        CREATE INDEX appointments_by_user ON appointments(user_id, starts_at);
        """

    private static let auditAndImport = """
        -- One row per import: what it created (a range of ids: an import assigns consecutive ids
        -- in its one transaction), counts, and whether it was undone.
        CREATE TABLE import_batches (
            id                 INTEGER PRIMARY KEY,
            entity             TEXT NOT NULL,
            source             TEXT NOT NULL,
            source_sha256      TEXT NOT NULL,
            actor              TEXT NOT NULL,
            started_at         INTEGER NOT NULL,
            finished_at        INTEGER NOT NULL,
            rows_read          INTEGER NOT NULL,
            created            INTEGER NOT NULL,
            updated            INTEGER NOT NULL,
            merged             INTEGER NOT NULL,
            rejected           INTEGER NOT NULL,
            first_created_id   INTEGER,
            last_created_id    INTEGER,
            status             TEXT NOT NULL DEFAULT 'applied' CHECK (status = 'applied' OR status = 'undone'),
            undone_at          INTEGER,
            undone_by          TEXT
        );

        -- Every change to CRM data: who, when, what, the record before and after (JSON objects).
        -- An import's creations are one 'import' row naming the batch and its id range; its
        -- updates are one 'update' row each, so that undo can restore them.
        CREATE TABLE audit_log (
            id         INTEGER PRIMARY KEY,
            at         INTEGER NOT NULL,
            actor      TEXT NOT NULL,
            entity     TEXT NOT NULL,
            record_id  INTEGER,
            action     TEXT NOT NULL CHECK (action = 'create' OR action = 'update' OR action = 'delete' OR action = 'import' OR action = 'undo'),
            before     TEXT,
            after      TEXT,
            batch_id   INTEGER REFERENCES import_batches(id)
        );
        -- a record's history
        CREATE INDEX audit_by_record ON audit_log(entity, record_id);
        -- an import batch's changes, for undo
        CREATE INDEX audit_by_batch ON audit_log(batch_id) WHERE batch_id IS NOT NULL;
        CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        """

    /// SQL that reduces a phone number column to its digits, without a leading China country
    /// code (`+86`, `0086`): `+86 138-0013-8000` and `13800138000` give the same key.
    static func phoneKey(_ column: String) -> String {
        var digits = column
        for character in [" ", "-", "(", ")", "+", ".", "/"] {
            digits = "replace(\(digits), '\(character)', '')"
        }
        return """
            CASE WHEN \(column) IS NULL OR \(digits) = '' THEN NULL \
            WHEN length(\(digits)) = 15 AND substr(\(digits), 1, 4) = '0086' THEN substr(\(digits), 5) \
            WHEN length(\(digits)) = 13 AND substr(\(digits), 1, 2) = '86' THEN substr(\(digits), 3) \
            ELSE \(digits) END
            """
    }
}
