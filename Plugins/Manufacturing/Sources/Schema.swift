import PluginKit

/// The plugin's own tables and the views it publishes to metrics and queries.
///
/// The install base itself is the CRM's (`install_base`, published as `v_install_base`); these
/// tables only add what the CRM does not keep: the visits a technician made on a ticket, and
/// which expiring warranties were followed up.
enum Schema {
    static let migrations = [
        PluginMigration(id: "manufacturing.v1.field-service", statements: [
            // One row per technician visit on a ticket. `visit_no` is not stored: the view numbers
            // the visits of a ticket in time order, so two visits recorded in the same engine step
            // (which cannot see each other's rows) are still numbered 1 and 2.
            """
            CREATE TABLE manufacturing_visits (
                id               INTEGER PRIMARY KEY,
                ticket_id        INTEGER NOT NULL,
                install_base_id  INTEGER,
                technician_id    INTEGER,
                visited_at       INTEGER NOT NULL,
                outcome          TEXT NOT NULL CHECK (outcome IN ('fixed', 'follow_up', 'parts_ordered')),
                source           TEXT NOT NULL CHECK (source IN ('process', 'backfill')),
                idempotency_key  TEXT NOT NULL UNIQUE
            )
            """,
            // v_manufacturing_visits numbers a ticket's visits; the metrics group by ticket
            "CREATE INDEX manufacturing_visits_by_ticket ON manufacturing_visits(ticket_id, visited_at)",
            // One row per warranty followed up: a unit can be followed up again once its warranty
            // has been extended (a new end date), never twice for the same end date.
            """
            CREATE TABLE manufacturing_warranty_followups (
                install_base_id   INTEGER NOT NULL,
                warranty_ends_on  TEXT NOT NULL,
                account_id        INTEGER NOT NULL,
                owner_id          INTEGER NOT NULL,
                opportunity_name  TEXT NOT NULL,
                followed_up_at    INTEGER NOT NULL,
                idempotency_key   TEXT NOT NULL,
                PRIMARY KEY (install_base_id, warranty_ends_on)
            ) WITHOUT ROWID
            """,
            """
            CREATE VIEW v_manufacturing_visits AS
            SELECT v.id, v.ticket_id, v.install_base_id, v.technician_id, v.visited_at, v.outcome, v.source,
                   ROW_NUMBER() OVER (PARTITION BY v.ticket_id ORDER BY v.visited_at, v.id) AS visit_no
            FROM manufacturing_visits v
            """,
            """
            CREATE VIEW v_manufacturing_warranty_followups AS
            SELECT f.install_base_id, f.warranty_ends_on, f.account_id, f.owner_id, f.opportunity_name, f.followed_up_at
            FROM manufacturing_warranty_followups f
            """,
        ]),
    ]
}
