import GRDB

/// Converts a qualified lead into an account, a contact and (optionally) an opportunity, in
/// one step: the lead keeps links to all three and becomes `converted`.
///
/// The account is an existing one when `accountID` is given (or exactly one account already has
/// the lead's company name); otherwise a new one named after the company (or the person).
public struct LeadConversion: Sendable {
    public struct Result: Sendable, Hashable, Codable {
        public var leadID: Int64
        public var accountID: Int64
        public var createdAccount: Bool
        public var contactID: Int64
        public var opportunityID: Int64?
    }

    public let store: CRMStore

    public init(store: CRMStore) {
        self.store = store
    }

    private static func uniqueAccount(named name: String, _ db: Database) throws -> Int64? {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM accounts WHERE name = ? COLLATE NOCASE LIMIT 2", arguments: [name])
        return ids.count == 1 ? ids[0] : nil
    }

    /// - Parameters:
    ///   - opportunityAmount: the deal's amount in major units ("50000"); no deal when nil.
    public func convert(leadID: Int64, accountID: Int64? = nil, opportunityName: String? = nil,
                        opportunityAmount: String? = nil, currency: String = "CNY",
                        as actor: CRMActor, _ db: Database) throws -> Result {
        let lead = try store.get(EntityCatalog.lead, id: leadID, as: actor, db)
        let status: String = lead["status"]
        guard status != "converted" && status != "disqualified" else {
            throw CRMError.conflict("lead \(leadID) is \(status) and cannot be converted")
        }
        let name: String = lead["name"]
        let company: String? = lead["company"]
        let owner = (lead["owner_id"] as Int64?).map(String.init) ?? actor.userID.map(String.init)
        var fields: [String: String] = [:]
        var created = false
        let account: Int64
        if let accountID {
            account = try store.get(EntityCatalog.account, id: accountID, as: actor, db)["id"]
        } else if let company, let existing = try Self.uniqueAccount(named: company, db) {
            account = existing
        } else {
            fields = ["name": company ?? name, "type": "customer"]
            if let owner { fields["owner_id"] = owner }
            account = try store.create(EntityCatalog.account, fields: fields, as: actor, db)
            created = true
        }
        var contact = ["name": name, "account_id": String(account)]
        contact["email"] = lead["email"]
        contact["phone"] = lead["phone"]
        if let owner { contact["owner_id"] = owner }
        let contactID = try store.create(EntityCatalog.contact, fields: contact, as: actor, db)
        var opportunityID: Int64?
        if let opportunityAmount {
            var deal = ["name": opportunityName ?? "\(company ?? name) — new business", "account_id": String(account),
                        "lead_id": String(leadID), "stage": "qualification", "amount_minor": opportunityAmount,
                        "currency": currency]
            if let owner { deal["owner_id"] = owner }
            if let campaign = lead["campaign_id"] as Int64? { deal["campaign_id"] = String(campaign) }
            opportunityID = try store.create(EntityCatalog.opportunity, fields: deal, as: actor, db)
        }
        let before = try store.json(EntityCatalog.lead, id: leadID, db)
        try db.execute(sql: """
            UPDATE leads SET status = 'converted', converted_at = ?, converted_account_id = ?, converted_contact_id = ?,
                             converted_opportunity_id = ?
            WHERE id = ?
            """, arguments: [store.clock.now, account, contactID, opportunityID, leadID])
        try AuditTrail.record(db, at: store.clock.now, actor: actor, entity: "lead", recordID: leadID, action: "update",
                              before: before, after: store.json(EntityCatalog.lead, id: leadID, db))
        return Result(leadID: leadID, accountID: account, createdAccount: created, contactID: contactID, opportunityID: opportunityID)
    }
}
