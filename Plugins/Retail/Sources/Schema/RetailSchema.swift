import PluginKit

/// The retail plugin's own tables and the views that publish them to metrics.
///
/// The tables hold ids, tiers, counts, money in minor units and Unix seconds: nothing personal
/// (the CRM keeps names and addresses), so the views publish every column. A migration is
/// permanent once released: change the schema with a new one.
enum RetailSchema {
    static let migrations = [
        PluginMigration(id: "retail.v1.loyalty", statements: [
            // One row per loyalty member: the tier and the figures it was assessed on, from the
            // last `retail.enroll-loyalty` that changed them.
            """
            CREATE TABLE retail_loyalty_members (
                account_id       INTEGER PRIMARY KEY,
                tier             TEXT NOT NULL CHECK (tier = 'bronze' OR tier = 'silver' OR tier = 'gold'),
                orders_12m       INTEGER NOT NULL CHECK (orders_12m >= 0),
                spend_minor_12m  INTEGER NOT NULL,
                currency         TEXT NOT NULL,
                enrolled_at      INTEGER NOT NULL,
                tier_changed_at  INTEGER NOT NULL,
                assessed_at      INTEGER NOT NULL
            )
            """,
            // One row per customer a win-back campaign targeted, with the RFM figures and scores
            // that chose them. The key is the engine step's idempotency key: a rerun of the step
            // finds its targets and writes nothing.
            """
            CREATE TABLE retail_reactivation_targets (
                project_id             TEXT NOT NULL,
                campaign_key           TEXT NOT NULL,
                campaign_name          TEXT NOT NULL,
                account_id             INTEGER NOT NULL,
                contact_id             INTEGER NOT NULL,
                last_ordered_at        INTEGER NOT NULL,
                recency_days           INTEGER NOT NULL CHECK (recency_days >= 0),
                frequency              INTEGER NOT NULL CHECK (frequency >= 1),
                monetary_minor         INTEGER NOT NULL,
                currency               TEXT NOT NULL,
                recency_score          INTEGER NOT NULL CHECK (recency_score BETWEEN 1 AND 5),
                frequency_score        INTEGER NOT NULL CHECK (frequency_score BETWEEN 1 AND 5),
                monetary_score         INTEGER NOT NULL CHECK (monetary_score BETWEEN 1 AND 5),
                targeted_at            INTEGER NOT NULL,
                campaign_ends_at       INTEGER NOT NULL CHECK (campaign_ends_at >= targeted_at)
            )
            """,
            // One row per customer and campaign.
            """
            CREATE UNIQUE INDEX retail_reactivation_targets_by_campaign
            ON retail_reactivation_targets(project_id, campaign_key, account_id)
            """,
            // retail.reactivate's cool-down looks up when a customer was last targeted.
            """
            CREATE INDEX retail_reactivation_targets_by_account
            ON retail_reactivation_targets(account_id, targeted_at)
            """,
            """
            CREATE VIEW v_retail_loyalty_members AS
            SELECT account_id, tier, orders_12m, spend_minor_12m, currency, enrolled_at, tier_changed_at, assessed_at
            FROM retail_loyalty_members
            """,
            """
            CREATE VIEW v_retail_reactivation_targets AS
            SELECT project_id, campaign_key, campaign_name, account_id, contact_id, last_ordered_at, recency_days,
                   frequency, monetary_minor, currency, recency_score, frequency_score, monetary_score, targeted_at,
                   campaign_ends_at
            FROM retail_reactivation_targets
            """,
        ]),
    ]
}
