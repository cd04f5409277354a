import GRDB

/// The SQL conditions that keep a report to the records its actor may see, entity by entity:
/// the rules of `AccessScope` (a sales rep sees the accounts they own, a manager the accounts of
/// their territory's subtree), so that a total never includes an account the user cannot open.
struct ReportScope {
    let scope: AccessScope

    init(_ actor: CRMActor, report: String) throws {
        try actor.require(.read, to: "read the \(report) report")
        scope = actor.scope
    }

    var isEverything: Bool { scope.everything }

    func accounts(_ alias: String) -> String { scope.accountCondition(alias: alias) }

    /// A filter true when the account id in `column` is one the actor sees: for queries that
    /// group records by account and need no other column of it (segmentations), cheaper than a
    /// join to `accounts` for every record.
    func accountIDs(_ column: String) -> String {
        scope.everything ? "\(column) IS NOT NULL" : "+(\(column) IN (SELECT a.id FROM accounts a WHERE \(accounts("a"))))"
    }

    func opportunities(_ alias: String) -> String { filter(scope.recordCondition(for: EntityCatalog.opportunity, alias: alias)) }
    func orders(_ alias: String) -> String { filter(scope.recordCondition(for: EntityCatalog.order, alias: alias)) }
    func tickets(_ alias: String) -> String { filter(scope.recordCondition(for: EntityCatalog.ticket, alias: alias)) }
    func activities(_ alias: String) -> String { filter(scope.recordCondition(for: EntityCatalog.activity, alias: alias)) }
    func leads(_ alias: String) -> String { filter(scope.recordCondition(for: EntityCatalog.lead, alias: alias)) }

    /// The condition as a filter only: the unary `+` keeps SQLite from driving a report through
    /// the scope (an index walk to every visible account's records, open or closed, with a table
    /// visit each) instead of the report's own index, which was 20 times slower for a manager's
    /// forecast on the large workspace. The visible accounts are still read once, as a list.
    private func filter(_ condition: String) -> String {
        scope.everything ? condition : "+(\(condition))"
    }

    /// A campaign member is seen through the contact's account, or the lead's owner: a member
    /// who is a lead has no account yet.
    func campaignMembers(_ alias: String) -> String {
        if scope.everything { return "1" }
        return """
            ((\(alias).contact_id IS NOT NULL AND \(alias).contact_id IN \
            (SELECT r.id FROM contacts r WHERE \(scope.recordCondition(for: EntityCatalog.contact, alias: "r")))) \
            OR (\(alias).lead_id IS NOT NULL AND \(alias).lead_id IN \
            (SELECT r.id FROM leads r WHERE \(scope.recordCondition(for: EntityCatalog.lead, alias: "r")))))
            """
    }
}

/// Names of the people and territories reports group by, loaded once per report.
struct ReportNames {
    let users: [Int64: String]
    let userTeams: [Int64: Int64]
    let teams: [Int64: String]
    let territories: [Int64: String]

    static func load(_ db: Database) throws -> ReportNames {
        var users: [Int64: String] = [:], userTeams: [Int64: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name, team_id FROM users") {
            users[row["id"]] = row["name"]
            if let team: Int64 = row["team_id"] { userTeams[row["id"]] = team }
        }
        return ReportNames(
            users: users, userTeams: userTeams,
            teams: Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, name FROM teams").map { ($0["id"], $0["name"]) }),
            territories: Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, name FROM territories").map { ($0["id"], $0["name"]) }))
    }

    static let noOwner = "(no owner)"
    static let noTerritory = "(no territory)"
    static let noTeam = "(no team)"
    static let unassigned = "(unassigned)"

    func user(_ id: Int64?) -> String { id.flatMap { users[$0] } ?? Self.noOwner }
    func territory(_ id: Int64?) -> String { id.flatMap { territories[$0] } ?? Self.noTerritory }
}
