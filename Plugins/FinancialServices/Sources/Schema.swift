import PluginKit

/// The plugin's tables and views. A released migration never changes: a later change is a new
/// migration after these.
enum Schema {
    /// One row per account whose KYC (know your customer) file the plugin keeps.
    static let kycTable = "financial_services_kyc"
    /// Every status change of a KYC file, for the audit of who was verified when and why.
    static let eventsTable = "financial_services_kyc_events"

    static let migrations = [
        PluginMigration(id: "1-kyc", statements: [
            """
            CREATE TABLE financial_services_kyc (
                account_id INTEGER PRIMARY KEY,
                status TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'expired', 'rejected')),
                risk TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
                enrolled_at INTEGER NOT NULL,
                verified_at INTEGER,
                expires_at INTEGER,
                reviewed_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE financial_services_kyc_events (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL,
                account_id INTEGER NOT NULL,
                at INTEGER NOT NULL,
                from_status TEXT,
                to_status TEXT NOT NULL,
                reason TEXT NOT NULL
            )
            """,
            // Serves the event inserts' `on_conflict: ignore`, so a step applied again adds no
            // event twice. A named unique index rather than UNIQUE on the column: the host lets a
            // migration create only objects in the plugin's namespace, and SQLite names the index
            // of a UNIQUE constraint sqlite_autoindex_….
            "CREATE UNIQUE INDEX financial_services_kyc_events_key ON financial_services_kyc_events (key)",
            // Who is a customer, and since when: the first order that was not cancelled or the
            // first deal won, whichever came first. Accounts the CRM marks lost have ended the
            // relationship, so their files are no longer kept current (the status is read as it
            // is now: the CRM keeps no history of it).
            """
            CREATE VIEW v_financial_services_customers AS
            SELECT a.id AS account_id, a.owner_id, a.industry, a.classification, s.customer_since
            FROM v_accounts a
            JOIN (SELECT account_id, min(at) AS customer_since
                  FROM (SELECT account_id, ordered_at AS at FROM v_orders
                        WHERE status <> 'cancelled' AND account_id IS NOT NULL
                        UNION ALL
                        SELECT account_id, closed_at FROM v_opportunities
                        WHERE stage = 'closed_won' AND account_id IS NOT NULL AND closed_at IS NOT NULL)
                  GROUP BY account_id) s ON s.account_id = a.id
            WHERE a.status IS NOT 'lost'
            """,
            """
            CREATE VIEW v_financial_services_kyc AS
            SELECT k.account_id, a.owner_id, k.status, k.risk, k.enrolled_at, k.verified_at, k.expires_at,
                   k.reviewed_at, k.updated_at
            FROM financial_services_kyc k LEFT JOIN v_accounts a ON a.id = k.account_id
            """,
            """
            CREATE VIEW v_financial_services_kyc_events AS
            SELECT e.id, e.account_id, a.owner_id, e.at, e.from_status, e.to_status, e.reason
            FROM financial_services_kyc_events e LEFT JOIN v_accounts a ON a.id = e.account_id
            """,
        ]),
    ]
}
