import GRDB

/// Writes demo rows through one prepared statement per table, assigning ids itself (the CRM is
/// empty, so ids 1, 2, 3… are free) and counting what it wrote.
///
/// The hot loops write tens of thousands of rows a second: no record types, no SQL parsing per
/// row, only bound arguments.
struct DemoRowWriter {
    private(set) var summary = DemoDataSummary()
    private let currency: String

    private let insertTeam: Statement
    private let insertUser: Statement
    private let insertAccount: Statement
    private let markAccountCustomer: Statement
    private let insertContact: Statement
    private let insertLead: Statement
    private let insertOpportunity: Statement
    private let insertStageChange: Statement
    private let insertActivity: Statement
    private let insertTicket: Statement
    private let insertLogin: Statement

    init(_ db: Database, currency: String) throws {
        self.currency = currency
        insertTeam = try db.makeStatement(sql: "INSERT INTO teams (id, name, kind, region) VALUES (?, ?, ?, ?)")
        insertUser = try db.makeStatement(sql: """
            INSERT INTO users (id, name, email, team_id, job_role, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)
            """)
        insertAccount = try db.makeStatement(sql: """
            INSERT INTO accounts (id, name, type, status, classification, industry, region, owner_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        markAccountCustomer = try db.makeStatement(sql: "UPDATE accounts SET type = 'customer' WHERE id = ?")
        insertContact = try db.makeStatement(sql: """
            INSERT INTO contacts (id, account_id, name, title, email, phone, owner_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertLead = try db.makeStatement(sql: """
            INSERT INTO leads (id, name, company, email, phone, source, status, owner_id, created_at,
                               converted_at, converted_account_id, disqualified_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertOpportunity = try db.makeStatement(sql: """
            INSERT INTO opportunities (id, name, account_id, lead_id, stage, amount_minor, currency, owner_id,
                                       created_at, expected_close_on, closed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertStageChange = try db.makeStatement(sql: """
            INSERT INTO opportunity_stage_changes (id, opportunity_id, from_stage, to_stage, changed_at, changed_by)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        insertActivity = try db.makeStatement(sql: """
            INSERT INTO activities (id, kind, subject, owner_id, account_id, contact_id, lead_id, opportunity_id,
                                    at, duration_minutes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertTicket = try db.makeStatement(sql: """
            INSERT INTO tickets (id, subject, type, channel, priority, status, account_id, contact_id, assignee_id,
                                 created_at, first_response_at, resolved_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertLogin = try db.makeStatement(sql: "INSERT INTO user_logins (id, user_id, at, channel) VALUES (?, ?, ?, ?)")
    }

    mutating func team(name: String, kind: Team.Kind, region: String) throws -> Int64 {
        summary.teams += 1
        let id = Int64(summary.teams)
        try insertTeam.execute(arguments: [id, name, kind.rawValue, region])
        return id
    }

    mutating func user(name: String, email: String, teamID: Int64, jobRole: String, createdAt: Int64) throws -> Int64 {
        summary.users += 1
        let id = Int64(summary.users)
        try insertUser.execute(arguments: [id, name, email, teamID, jobRole, createdAt])
        return id
    }

    mutating func account(name: String, type: String, status: String, classification: String, industry: String,
                          region: String, ownerID: Int64, createdAt: Int64) throws -> Int64 {
        summary.accounts += 1
        let id = Int64(summary.accounts)
        try insertAccount.execute(arguments: [id, name, type, status, classification, industry, region, ownerID, createdAt])
        return id
    }

    /// A prospect whose deal was won becomes a customer (the type is the account's state at `end`).
    func markCustomer(accountID: Int64) throws {
        try markAccountCustomer.execute(arguments: [accountID])
    }

    mutating func contact(accountID: Int64, name: String, title: String?, email: String?, phone: String?,
                          ownerID: Int64, createdAt: Int64) throws -> Int64 {
        summary.contacts += 1
        let id = Int64(summary.contacts)
        try insertContact.execute(arguments: [id, accountID, name, title, email, phone, ownerID, createdAt])
        return id
    }

    mutating func lead(name: String, company: String, email: String?, phone: String?, source: String, status: Lead.Status,
                       ownerID: Int64, createdAt: Int64, convertedAt: Int64?, convertedAccountID: Int64?,
                       disqualifiedAt: Int64?) throws -> Int64 {
        summary.leads += 1
        let id = Int64(summary.leads)
        try insertLead.execute(arguments: [id, name, company, email, phone, source, status.rawValue, ownerID, createdAt,
                                           convertedAt, convertedAccountID, disqualifiedAt])
        return id
    }

    mutating func opportunity(name: String, accountID: Int64, leadID: Int64?, stage: Opportunity.Stage, amountMinor: Int64,
                              ownerID: Int64, createdAt: Int64, expectedCloseOn: String, closedAt: Int64?) throws -> Int64 {
        summary.opportunities += 1
        let id = Int64(summary.opportunities)
        try insertOpportunity.execute(arguments: [id, name, accountID, leadID, stage.rawValue, amountMinor, currency, ownerID,
                                                  createdAt, expectedCloseOn, closedAt])
        return id
    }

    mutating func stageChange(opportunityID: Int64, from: Opportunity.Stage?, to: Opportunity.Stage, at: Int64,
                              by userID: Int64) throws {
        summary.opportunityStageChanges += 1
        try insertStageChange.execute(arguments: [Int64(summary.opportunityStageChanges), opportunityID, from?.rawValue,
                                                  to.rawValue, at, userID])
    }

    mutating func activity(kind: Activity.Kind, subject: String, ownerID: Int64, accountID: Int64? = nil,
                           contactID: Int64? = nil, leadID: Int64? = nil, opportunityID: Int64? = nil, at: Int64,
                           durationMinutes: Int?) throws {
        summary.activities += 1
        try insertActivity.execute(arguments: [Int64(summary.activities), kind.rawValue, subject, ownerID, accountID,
                                               contactID, leadID, opportunityID, at, durationMinutes])
    }

    mutating func ticket(subject: String, type: String, channel: String, priority: String, status: String,
                         accountID: Int64?, contactID: Int64?, assigneeID: Int64, createdAt: Int64,
                         firstResponseAt: Int64?, resolvedAt: Int64?) throws {
        summary.tickets += 1
        try insertTicket.execute(arguments: [Int64(summary.tickets), subject, type, channel, priority, status, accountID,
                                             contactID, assigneeID, createdAt, firstResponseAt, resolvedAt])
    }

    mutating func login(userID: Int64, at: Int64, channel: String) throws {
        summary.userLogins += 1
        try insertLogin.execute(arguments: [Int64(summary.userLogins), userID, at, channel])
    }
}
