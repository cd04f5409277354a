import CRMCore
import GRDB

/// Inserts CRM records with the few fields a test cares about; everything else gets a
/// sensible default. Ids are returned so the test can refer to them.
///
/// ```swift
/// try db.write { db in
///     var crm = CRMBuilder(db)
///     let team = try crm.team("East Sales")
///     let rep = try crm.user("Wang Fang", team: team)
///     try crm.lead(owner: rep, createdAt: .day("2025-03-03"), firstResponseAfterHours: 4)
/// }
/// ```
public struct CRMBuilder {
    let db: Database
    private var counter = 0

    public init(_ db: Database) {
        self.db = db
    }

    private mutating func next() -> Int {
        counter += 1
        return counter
    }

    @discardableResult
    public mutating func team(_ name: String, kind: Team.Kind = .sales) throws -> Int64 {
        var team = Team(name: name, kind: kind)
        try team.insert(db)
        return team.id!
    }

    @discardableResult
    public mutating func user(_ name: String, team: Int64?, jobRole: String = "sales_rep",
                              createdAt: Timestamp = .day("2020-01-01")) throws -> Int64 {
        var user = User(name: name, email: "\(name.lowercased().replacingOccurrences(of: " ", with: "."))\(next())@example.com",
                        teamId: team, jobRole: jobRole, createdAt: createdAt)
        try user.insert(db)
        return user.id!
    }

    /// A lead, with its first response logged `firstResponseAfterHours` later when given.
    @discardableResult
    public mutating func lead(owner: Int64, createdAt: Timestamp, firstResponseAfterHours: Double? = nil,
                              convertedAfterDays: Int? = nil, disqualifiedAfterDays: Int? = nil) throws -> Int64 {
        var lead = Lead(name: "Lead \(next())", source: "web",
                        status: convertedAfterDays != nil ? .converted : disqualifiedAfterDays != nil ? .disqualified : .new,
                        ownerId: owner, createdAt: createdAt,
                        convertedAt: convertedAfterDays.map { createdAt.adding(days: $0) },
                        disqualifiedAt: disqualifiedAfterDays.map { createdAt.adding(days: $0) })
        try lead.insert(db)
        if let hours = firstResponseAfterHours {
            var activity = Activity(kind: .call, subject: "First call", ownerId: owner, leadId: lead.id,
                                    at: createdAt.adding(hours: hours))
            try activity.insert(db)
        }
        return lead.id!
    }

    @discardableResult
    public mutating func opportunity(owner: Int64, createdAt: Timestamp, closedAfterDays: Int?, won: Bool,
                                     amount: Money = Money(major: 80_000, currency: "CNY")) throws -> Int64 {
        var opportunity = Opportunity(name: "Deal \(next())", accountId: nil,
                                      stage: closedAfterDays == nil ? .proposal : (won ? .closedWon : .closedLost),
                                      amount: amount, ownerId: owner, createdAt: createdAt,
                                      closedAt: closedAfterDays.map { createdAt.adding(days: $0) })
        try opportunity.insert(db)
        return opportunity.id!
    }

    @discardableResult
    public mutating func ticket(assignee: Int64, createdAt: Timestamp, priority: Ticket.Priority = .normal,
                                firstResponseAfterMinutes: Int?, resolvedAfterHours: Double? = nil) throws -> Int64 {
        var ticket = Ticket(subject: "Ticket \(next())", type: "request", channel: "phone", priority: priority,
                            status: resolvedAfterHours == nil ? "open" : "resolved", assigneeId: assignee,
                            createdAt: createdAt,
                            firstResponseAt: firstResponseAfterMinutes.map { createdAt.adding(seconds: Int64($0) * 60) },
                            resolvedAt: resolvedAfterHours.map { createdAt.adding(hours: $0) })
        try ticket.insert(db)
        return ticket.id!
    }

    public func login(user: Int64, at: Timestamp) throws {
        try db.execute(sql: "INSERT INTO user_logins (user_id, at) VALUES (?, ?)", arguments: [user, at])
    }

    @discardableResult
    public mutating func contact(owner: Int64, createdAt: Timestamp, account: Int64? = nil, title: String? = nil,
                                 email: String? = nil, phone: String? = nil) throws -> Int64 {
        var contact = Contact(accountId: account, name: "Contact \(next())", title: title, email: email, phone: phone,
                              ownerId: owner, createdAt: createdAt)
        try contact.insert(db)
        return contact.id!
    }

    @discardableResult
    public mutating func account(owner: Int64, createdAt: Timestamp = .day("2020-01-01")) throws -> Int64 {
        var account = Account(name: "Account \(next())", ownerId: owner, createdAt: createdAt)
        try account.insert(db)
        return account.id!
    }
}

/// The records the wider KPI catalog reads: histories, campaigns, quotations and orders, the
/// knowledge base, sign-in channels. Each helper writes one row (or one small set) directly,
/// as the CRM would have left it.
extension CRMBuilder {
    /// A user no longer active (left the company): adoption metrics leave them out.
    public func deactivate(user: Int64) throws {
        try db.execute(sql: "UPDATE users SET active = 0 WHERE id = ?", arguments: [user])
    }

    public func login(user: Int64, at: Timestamp, channel: String) throws {
        try db.execute(sql: "INSERT INTO user_logins (user_id, at, channel) VALUES (?, ?, ?)",
                       arguments: [user, at, channel])
    }

    @discardableResult
    public mutating func activity(owner: Int64, at: Timestamp, kind: Activity.Kind = .call) throws -> Int64 {
        var activity = Activity(kind: kind, subject: "Activity \(next())", ownerId: owner, at: at)
        try activity.insert(db)
        return activity.id!
    }

    /// A lead with an e-mail address (for duplicate checks).
    @discardableResult
    public mutating func lead(owner: Int64, createdAt: Timestamp, email: String) throws -> Int64 {
        var lead = Lead(name: "Lead \(next())", email: email, source: "web", ownerId: owner, createdAt: createdAt)
        try lead.insert(db)
        return lead.id!
    }

    /// A lead a campaign brought.
    @discardableResult
    public mutating func lead(owner: Int64, createdAt: Timestamp, campaign: Int64) throws -> Int64 {
        var lead = Lead(name: "Lead \(next())", source: "campaign", ownerId: owner, createdAt: createdAt)
        try lead.insert(db)
        try db.execute(sql: "UPDATE leads SET campaign_id = ? WHERE id = ?", arguments: [campaign, lead.id])
        return lead.id!
    }

    @discardableResult
    public mutating func account(owner: Int64, createdAt: Timestamp, name: String, type: String = "customer",
                                 classification: String? = nil, industry: String? = nil,
                                 region: String? = nil) throws -> Int64 {
        var account = Account(name: name, type: type, classification: classification, industry: industry,
                              region: region, ownerId: owner, createdAt: createdAt)
        try account.insert(db)
        return account.id!
    }

    /// An opportunity's expected close date (`YYYY-MM-DD`), or none.
    public func expectClose(opportunity: Int64, on date: String?) throws {
        try db.execute(sql: "UPDATE opportunities SET expected_close_on = ? WHERE id = ?", arguments: [date, opportunity])
    }

    /// One step of an opportunity's stage history (`from` nil: the stage it was created in).
    public func stageChange(opportunity: Int64, from: Opportunity.Stage?, to: Opportunity.Stage, at: Timestamp) throws {
        try db.execute(sql: """
            INSERT INTO opportunity_stage_changes (opportunity_id, from_stage, to_stage, changed_at) VALUES (?, ?, ?, ?)
            """, arguments: [opportunity, from?.rawValue, to.rawValue, at])
    }

    /// A ticket of a given type, resolved `resolvedAfterHours` after creation when given, with its
    /// resolution due `resolutionDueAfterHours` after creation when given (as the SLA's business
    /// calendar would set it; without it the metrics fall back to the policy's calendar minutes).
    @discardableResult
    public mutating func ticket(assignee: Int64, createdAt: Timestamp, type: String, priority: Ticket.Priority = .normal,
                                resolvedAfterHours: Double? = nil, resolutionDueAfterHours: Double? = nil) throws -> Int64 {
        var ticket = Ticket(subject: "Ticket \(next())", type: type, channel: "phone", priority: priority,
                            status: resolvedAfterHours == nil ? "open" : "resolved", assigneeId: assignee,
                            createdAt: createdAt, firstResponseAt: createdAt.adding(seconds: 60),
                            resolvedAt: resolvedAfterHours.map { createdAt.adding(hours: $0) })
        try ticket.insert(db)
        if let due = resolutionDueAfterHours {
            try db.execute(sql: "UPDATE tickets SET resolution_due_at = ? WHERE id = ?",
                           arguments: [createdAt.adding(hours: due), ticket.id])
        }
        return ticket.id!
    }

    /// One step of a ticket's status history (`from` nil: the status it was created in).
    public func ticketStatusChange(ticket: Int64, from: String?, to: String, at: Timestamp) throws {
        try db.execute(sql: """
            INSERT INTO ticket_status_changes (ticket_id, from_status, to_status, changed_at) VALUES (?, ?, ?, ?)
            """, arguments: [ticket, from, to, at])
    }

    /// A new knowledge-base article linked to `ticket` at `at`.
    public mutating func linkArticle(ticket: Int64, at: Timestamp) throws {
        let title = "Article \(next())"
        try db.execute(sql: """
            INSERT INTO kb_articles (title, body, status, created_at, updated_at) VALUES (?, 'How to fix it.', 'published', ?, ?)
            """, arguments: [title, at, at])
        try db.execute(sql: "INSERT INTO ticket_articles (ticket_id, article_id, linked_at) VALUES (?, ?, ?)",
                       arguments: [ticket, db.lastInsertedRowID, at])
    }

    /// A campaign that ran until `endsOn` (`YYYY-MM-DD`, its last day) and cost `actualCost`.
    @discardableResult
    public mutating func campaign(owner: Int64, endsOn: String, actualCost: Money = Money(major: 0, currency: "CNY"),
                                  startsOn: String = "2025-01-01") throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO campaigns (name, channel, status, actual_cost_minor, currency, starts_on, ends_on, owner_id, created_at)
            VALUES (?, 'email', 'completed', ?, ?, ?, ?, ?, ?)
            """, arguments: ["Campaign \(next())", actualCost.minorUnits, actualCost.currency, startsOn, endsOn, owner,
                             Timestamp.day(startsOn)])
        return db.lastInsertedRowID
    }

    /// A lead the campaign reached, with its status and, when given, its response and when it came.
    public mutating func campaignMember(campaign: Int64, owner: Int64, status: String, response: String? = nil,
                                        respondedAt: Timestamp? = nil) throws {
        let member = try lead(owner: owner, createdAt: .day("2024-12-01"))
        try db.execute(sql: """
            INSERT INTO campaign_members (campaign_id, lead_id, status, response, responded_at) VALUES (?, ?, ?, ?, ?)
            """, arguments: [campaign, member, status, response, respondedAt])
    }

    /// A quotation on a new account, with lines of (quantity, unit price in minor units, line
    /// discount %).
    @discardableResult
    public mutating func quotation(owner: Int64, createdAt: Timestamp, status: String = "sent", discountPercent: Double = 0,
                                   validUntilOn: String? = nil,
                                   lines: [(quantity: Int, unitPriceMinor: Int64, discountPercent: Double)] = []) throws -> Int64 {
        let customer = try account(owner: owner)
        try db.execute(sql: """
            INSERT INTO quotations (number, account_id, owner_id, status, currency, discount_percent, valid_until_on, created_at)
            VALUES (?, ?, ?, ?, 'CNY', ?, ?, ?)
            """, arguments: ["Q-\(next())", customer, owner, status, discountPercent, validUntilOn, createdAt])
        let quotation = db.lastInsertedRowID
        for (position, line) in lines.enumerated() {
            try db.execute(sql: """
                INSERT INTO quotation_lines (quotation_id, position, description, quantity, unit_price_minor, discount_percent)
                VALUES (?, ?, 'Item', ?, ?, ?)
                """, arguments: [quotation, position + 1, line.quantity, line.unitPriceMinor, line.discountPercent])
        }
        return quotation
    }

    /// An order placed from a quotation.
    @discardableResult
    public mutating func order(owner: Int64, quotation: Int64, orderedAt: Timestamp, status: String = "open") throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO orders (number, account_id, quotation_id, owner_id, status, ordered_at, total_minor, currency)
            SELECT ?, account_id, id, ?, ?, ?, 100000, 'CNY' FROM quotations WHERE id = ?
            """, arguments: ["O-\(next())", owner, status, orderedAt, quotation])
        return db.lastInsertedRowID
    }
}
