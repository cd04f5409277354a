import PluginKit

/// The installed units whose warranty ends within a horizon: what the follow-up action works
/// through, what the coverage check counts and what the report lists.
struct ExpiringWarranties {
    /// An installed unit whose warranty ends within the horizon.
    struct Unit {
        var id: Int64
        var serialNumber: String?
        var product: String?
        var warrantyEndsOn: String
        var accountID: Int64
        var accountName: String?
        /// The account's owner, who gets the follow-up; nil when the account has none.
        var ownerID: Int64?
        var followedUp: Bool

        /// How people name the unit: its serial number, else its install-base id.
        var label: String { serialNumber ?? "installed unit \(id)" }
    }

    /// The first day of the horizon (the day of `at`) and the first day after it.
    let from: UTCTime
    let until: UTCTime
    let units: [Unit]

    /// Units not retired whose warranty ends on a day in `[day of at, day of at + days)`, of the
    /// accounts owned by `owners` (every account when nil), by end date.
    init(at: Int64, days: Int, owners: [Int64]?, host: PluginHostServices) throws {
        from = UTCTime(at)
        until = from.adding(days: days)
        units = try host.rows("""
            SELECT ib.id, ib.serial_number, ib.warranty_ends_on, ib.account_id, a.name AS account_name, a.owner_id,
                   p.name AS product,
                   EXISTS (SELECT 1 FROM manufacturing_warranty_followups f
                           WHERE f.install_base_id = ib.id AND f.warranty_ends_on = ib.warranty_ends_on) AS followed_up
            FROM v_install_base ib
            JOIN v_accounts a ON a.id = ib.account_id
            LEFT JOIN v_products p ON p.id = ib.product_id
            WHERE ib.status <> 'retired' AND ib.warranty_ends_on >= :from AND ib.warranty_ends_on < :until
              AND (:everyone OR a.owner_id IN (SELECT value FROM json_each(:owners)))
            ORDER BY ib.warranty_ends_on, ib.id
            """, ["from": .string(from.date), "until": .string(until.date),
                  "everyone": .int(owners == nil ? 1 : 0), "owners": .idList(owners ?? [])]
        ).map { row in
            Unit(id: try row.requiredInt("id"), serialNumber: row.text("serial_number"), product: row.text("product"),
                 warrantyEndsOn: try row.requiredText("warranty_ends_on"), accountID: try row.requiredInt("account_id"),
                 accountName: row.text("account_name"), ownerID: row.int("owner_id"),
                 followedUp: row.int("followed_up") == 1)
        }
    }

    /// "ending 2025-05-19 – 2026-05-18", the horizon in words.
    var horizon: String { "ending \(from.date) – \(until.adding(days: -1).date)" }
}
