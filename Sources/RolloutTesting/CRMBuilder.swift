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
