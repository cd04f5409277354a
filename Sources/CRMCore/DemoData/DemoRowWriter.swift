import GRDB

/// Writes demo rows through one prepared statement per table, assigning ids itself (the CRM is
/// empty, so ids 1, 2, 3… are free) and counting what it wrote.
///
/// The hot loops write tens of thousands of rows a second: no record types, no SQL parsing per
/// row, only bound arguments. Rows of `crm.v2.complete`'s tables are written the same way, by the
/// methods in `DemoRowWriter+Complete.swift`.
struct DemoRowWriter {
    var summary = DemoDataSummary()
    let currency: String

    private let insertTeam: BulkStatement
    private let insertUser: BulkStatement
    private let insertAccount: BulkStatement
    private let markAccountCustomer: BulkStatement
    private let insertContact: BulkStatement
    private let insertLead: BulkStatement
    private let insertOpportunity: BulkStatement
    private let insertStageChange: BulkStatement
    private let insertActivity: BulkStatement
    private let insertTicket: BulkStatement
    private let insertLogin: BulkStatement
    let complete: DemoCompleteStatements

    init(_ db: Database, currency: String) throws {
        self.currency = currency
        complete = try DemoCompleteStatements(db)
        insertTeam = try BulkStatement(db, sql: """
            INSERT INTO teams (id, name, kind, region, territory_id) VALUES (?, ?, ?, ?, ?)
            """)
        insertUser = try BulkStatement(db, sql: """
            INSERT INTO users (id, name, email, team_id, job_role, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)
            """)
        insertAccount = try BulkStatement(db, sql: """
            INSERT INTO accounts (id, name, type, status, classification, industry, region, owner_id, created_at,
                                  territory_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        markAccountCustomer = try BulkStatement(db, sql: "UPDATE accounts SET type = 'customer' WHERE id = ?")
        insertContact = try BulkStatement(db, sql: """
            INSERT INTO contacts (id, account_id, name, title, email, phone, owner_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertLead = try BulkStatement(db, sql: """
            INSERT INTO leads (id, name, company, email, phone, source, status, owner_id, created_at,
                               converted_at, converted_account_id, disqualified_at, channel, score, campaign_id,
                               converted_contact_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertOpportunity = try BulkStatement(db, sql: """
            INSERT INTO opportunities (id, name, account_id, lead_id, stage, amount_minor, currency, owner_id,
                                       created_at, expected_close_on, closed_at, campaign_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertStageChange = try BulkStatement(db, sql: """
            INSERT INTO opportunity_stage_changes (id, opportunity_id, from_stage, to_stage, changed_at, changed_by)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        insertActivity = try BulkStatement(db, sql: """
            INSERT INTO activities (id, kind, subject, owner_id, account_id, contact_id, lead_id, opportunity_id,
                                    at, duration_minutes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertTicket = try BulkStatement(db, sql: """
            INSERT INTO tickets (id, subject, type, channel, priority, status, account_id, contact_id, assignee_id,
                                 created_at, first_response_at, resolved_at, first_response_due_at,
                                 first_response_warn_at, resolution_due_at, resolution_warn_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertLogin = try BulkStatement(db, sql: "INSERT INTO user_logins (id, user_id, at, channel) VALUES (?, ?, ?, ?)")
    }

    mutating func team(name: String, kind: Team.Kind, region: String, territoryID: Int64?) throws -> Int64 {
        summary.teams += 1
        let id = Int64(summary.teams)
        try insertTeam.execute(id, name, kind.rawValue, region, territoryID)
        return id
    }

    mutating func user(name: String, email: String, teamID: Int64, jobRole: String, createdAt: Int64) throws -> Int64 {
        summary.users += 1
        let id = Int64(summary.users)
        try insertUser.execute(id, name, email, teamID, jobRole, createdAt)
        return id
    }

    mutating func account(name: String, type: String, status: String, classification: String, industry: String,
                          region: String, ownerID: Int64, createdAt: Int64, territoryID: Int64?) throws -> Int64 {
        summary.accounts += 1
        let id = Int64(summary.accounts)
        try insertAccount.execute(id, name, type, status, classification, industry, region, ownerID, createdAt,
                                              territoryID)
        return id
    }

    /// A prospect whose deal was won becomes a customer (the type is the account's state at `end`).
    func markCustomer(accountID: Int64) throws {
        try markAccountCustomer.execute(accountID)
    }

    mutating func contact(accountID: Int64, name: String, title: String?, email: String?, phone: String?,
                          ownerID: Int64, createdAt: Int64) throws -> Int64 {
        summary.contacts += 1
        let id = Int64(summary.contacts)
        try insertContact.execute(id, accountID, name, title, email, phone, ownerID, createdAt)
        return id
    }

    mutating func lead(name: String, company: String, email: String?, phone: String?, source: String, status: Lead.Status,
                       ownerID: Int64, createdAt: Int64, convertedAt: Int64?, convertedAccountID: Int64?,
                       disqualifiedAt: Int64?, marketing: DemoLeadMarketing, convertedContactID: Int64?) throws -> Int64 {
        summary.leads += 1
        let id = Int64(summary.leads)
        try insertLead.execute(id, name, company, email, phone, source, status.rawValue, ownerID, createdAt,
                                           convertedAt, convertedAccountID, disqualifiedAt, marketing.channel,
                                           marketing.score, marketing.campaignID, convertedContactID)
        return id
    }

    mutating func opportunity(name: String, accountID: Int64, leadID: Int64?, stage: Opportunity.Stage, amountMinor: Int64,
                              ownerID: Int64, createdAt: Int64, expectedCloseOn: String, closedAt: Int64?,
                              campaignID: Int64?) throws -> Int64 {
        summary.opportunities += 1
        let id = Int64(summary.opportunities)
        try insertOpportunity.execute(id, name, accountID, leadID, stage.rawValue, amountMinor, currency, ownerID,
                                                  createdAt, expectedCloseOn, closedAt, campaignID)
        return id
    }

    mutating func stageChange(opportunityID: Int64, from: Opportunity.Stage?, to: Opportunity.Stage, at: Int64,
                              by userID: Int64) throws {
        summary.opportunityStageChanges += 1
        try insertStageChange.execute(Int64(summary.opportunityStageChanges), opportunityID, from?.rawValue,
                                                  to.rawValue, at, userID)
    }

    mutating func activity(kind: Activity.Kind, subject: String, ownerID: Int64, accountID: Int64? = nil,
                           contactID: Int64? = nil, leadID: Int64? = nil, opportunityID: Int64? = nil, at: Int64,
                           durationMinutes: Int?) throws {
        summary.activities += 1
        try insertActivity.execute(Int64(summary.activities), kind.rawValue, subject, ownerID, accountID,
                                               contactID, leadID, opportunityID, at, durationMinutes)
    }

    /// A ticket with its SLA due and warning instants (`DemoSLAPolicy.clocks`).
    mutating func ticket(subject: String, type: String, channel: String, priority: String, status: String,
                         accountID: Int64?, contactID: Int64?, assigneeID: Int64, createdAt: Int64,
                         firstResponseAt: Int64?, resolvedAt: Int64?, clocks: DemoSLAPolicy.Clocks?) throws -> Int64 {
        summary.tickets += 1
        let id = Int64(summary.tickets)
        try insertTicket.execute(id, subject, type, channel, priority, status, accountID,
                                             contactID, assigneeID, createdAt, firstResponseAt, resolvedAt,
                                             clocks?.firstResponseDue, clocks?.firstResponseWarn, clocks?.resolutionDue,
                                             clocks?.resolutionWarn)
        return id
    }

    mutating func login(userID: Int64, at: Int64, channel: String) throws {
        summary.userLogins += 1
        try insertLogin.execute(Int64(summary.userLogins), userID, at, channel)
    }
}
