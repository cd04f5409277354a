import GRDB

/// Reads teams and their members: what pilot and control groups are made of.
public struct Directory: Sendable {
    public init() {}

    public func teams(_ db: Database) throws -> [Team] {
        try Team.order(Column("name")).fetchAll(db)
    }

    public func team(named name: String, _ db: Database) throws -> Team? {
        try Team.filter(Column("name") == name).fetchOne(db)
    }

    /// The ids of the users of the named teams, sorted; unknown names are returned in `missing`.
    public func members(ofTeams names: [String], _ db: Database) throws -> (userIDs: [Int64], missing: [String]) {
        var ids: [Int64] = []
        var missing: [String] = []
        for name in names {
            guard let team = try team(named: name, db), let teamID = team.id else {
                missing.append(name)
                continue
            }
            ids += try Int64.fetchAll(db, sql: "SELECT id FROM users WHERE team_id = ? ORDER BY id", arguments: [teamID])
        }
        return (Array(Set(ids)).sorted(), missing)
    }

    /// The ids of the users of the named territories and of every territory below them (a
    /// user's own territory, else the territory of the user's team), sorted; unknown names in `missing`.
    public func members(ofTerritories names: [String], _ db: Database) throws -> (userIDs: [Int64], missing: [String]) {
        var ids: [Int64] = []
        var missing: [String] = []
        for name in names {
            guard let territory = try Int64.fetchOne(db, sql: "SELECT id FROM territories WHERE name = ?",
                                                     arguments: [name]) else {
                missing.append(name)
                continue
            }
            ids += try Int64.fetchAll(db, sql: """
                WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT t.id FROM territories t JOIN below b ON t.parent_id = b.id)
                SELECT u.id FROM users u LEFT JOIN teams t ON t.id = u.team_id
                WHERE COALESCE(u.territory_id, t.territory_id) IN (SELECT id FROM below)
                """, arguments: [territory])
        }
        return (Array(Set(ids)).sorted(), missing)
    }

    /// The ids of the owners of the named accounts, sorted; names no account has in `missing`.
    public func owners(ofAccounts names: [String], _ db: Database) throws -> (userIDs: [Int64], missing: [String]) {
        var ids: [Int64] = []
        var missing: [String] = []
        for name in names {
            let found = try Row.fetchAll(db, sql: "SELECT owner_id FROM accounts WHERE name = ?", arguments: [name])
            if found.isEmpty { missing.append(name) }
            ids += found.compactMap { $0["owner_id"] as Int64? }
        }
        return (Array(Set(ids)).sorted(), missing)
    }

    /// The ids of the named users (by name or e-mail), sorted; unknown ones in `missing`.
    public func users(named names: [String], _ db: Database) throws -> (userIDs: [Int64], missing: [String]) {
        var ids: [Int64] = []
        var missing: [String] = []
        for name in names {
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE name = ? OR email = ?",
                                           arguments: [name, name]) {
                ids.append(id)
            } else {
                missing.append(name)
            }
        }
        return (Array(Set(ids)).sorted(), missing)
    }

    /// Every user id, sorted.
    public func allUserIDs(_ db: Database) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT id FROM users ORDER BY id")
    }
}
