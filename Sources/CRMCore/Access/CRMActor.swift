import GRDB

/// What a role may do. Roles (table `roles`) grant a set of these; see docs/crm.md.
public enum Permission: String, Sendable, CaseIterable {
    case read = "crm.read"
    case write = "crm.write"
    case delete = "crm.delete"
    case importData = "crm.import"
    case export = "crm.export"
    case auditRead = "audit.read"
    case approveGate = "gate.approve"
    case editPlaybook = "playbook.edit"
    case completeTask = "task.complete"
}

/// Who is acting on the CRM: a user with roles, or the workspace operator (the person running
/// `rollout` on the database file without `--as`, who can read the file anyway and so is not
/// restricted). Every write names the actor in the audit trail.
public struct CRMActor: Sendable, Hashable {
    /// The user, or nil for the operator.
    public let userID: Int64?
    /// How the audit trail names the actor: `user:wang.fang@example.com`, `operator`.
    public let label: String
    public let roles: [String]
    public let permissions: Set<String>
    public let scope: AccessScope

    /// The workspace operator: every permission, every account.
    public static func operatorActor(named name: String = "operator") -> CRMActor {
        CRMActor(userID: nil, label: name, roles: ["admin"],
                 permissions: Set(Permission.allCases.map(\.rawValue)), scope: .everything)
    }

    /// The user with this e-mail address (or id), with the permissions and account scope of
    /// their roles. A user without roles may do nothing.
    public static func user(_ emailOrID: String, _ db: Database) throws -> CRMActor {
        let row = try Row.fetchOne(db, sql: """
            SELECT id, email, team_id, territory_id FROM users WHERE email = ? COLLATE NOCASE OR CAST(id AS TEXT) = ?
            """, arguments: [emailOrID, emailOrID])
        guard let row else {
            throw CRMError.notFound(entity: "user", key: emailOrID)
        }
        let id: Int64 = row["id"]
        let email: String = row["email"]
        let grants = try Row.fetchAll(db, sql: """
            SELECT r.name, r.account_scope, r.permissions FROM user_roles ur JOIN roles r ON r.name = ur.role
            WHERE ur.user_id = ? ORDER BY r.name
            """, arguments: [id])
        var permissions: Set<String> = []
        var scope = AccessScope.nothing
        for grant in grants {
            permissions.formUnion((grant["permissions"] as String).split(separator: " ").map(String.init))
            scope = scope.union(try AccessScope.resolve(grant["account_scope"], userID: id,
                                                        teamID: row["team_id"], territoryID: row["territory_id"], db))
        }
        return CRMActor(userID: id, label: "user:\(email)", roles: grants.map { $0["name"] },
                        permissions: permissions, scope: scope)
    }

    public func may(_ permission: Permission) -> Bool { permissions.contains(permission.rawValue) }

    /// Throws `CRMError.forbidden` unless the actor holds `permission`.
    public func require(_ permission: Permission, to action: String) throws {
        guard may(permission) else {
            let roleList = roles.isEmpty ? "it has no role" : "its role \(roles.joined(separator: ", ")) does not grant it"
            throw CRMError.forbidden("\(label) may not \(action): it needs the permission \(permission.rawValue), and \(roleList)")
        }
    }
}

/// Which accounts (and so which contacts, deals, tickets, …) an actor sees.
///
/// - everything: every account;
/// - otherwise the accounts in `territoryIDs` (a role with territory scope sees its territory and
///   every territory below it) or owned by a user in `ownerIDs` (its team, or itself).
///
/// Records without an account (a lead, a ticket from an unknown caller) are seen when their
/// owner or assignee is in `ownerIDs`.
public struct AccessScope: Sendable, Hashable {
    public var everything: Bool
    public var territoryIDs: Set<Int64>
    public var ownerIDs: Set<Int64>

    public static let everything = AccessScope(everything: true, territoryIDs: [], ownerIDs: [])
    public static let nothing = AccessScope(everything: false, territoryIDs: [], ownerIDs: [])

    public func union(_ other: AccessScope) -> AccessScope {
        AccessScope(everything: everything || other.everything,
                    territoryIDs: territoryIDs.union(other.territoryIDs), ownerIDs: ownerIDs.union(other.ownerIDs))
    }

    static func resolve(_ kind: String, userID: Int64, teamID: Int64?, territoryID: Int64?, _ db: Database) throws -> AccessScope {
        switch kind {
        case "all":
            return .everything
        case "territory":
            let home = try territoryID
                ?? teamID.flatMap { try Int64.fetchOne(db, sql: "SELECT territory_id FROM teams WHERE id = ?", arguments: [$0]) }
            guard let home else {
                // A territory role without a territory sees what the user owns.
                return AccessScope(everything: false, territoryIDs: [], ownerIDs: [userID])
            }
            let subtree = try Int64.fetchAll(db, sql: """
                WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT t.id FROM territories t JOIN below b ON t.parent_id = b.id)
                SELECT id FROM below
                """, arguments: [home])
            let list = subtree.map(String.init).joined(separator: ",")
            let owners = try Int64.fetchAll(db, sql: """
                SELECT u.id FROM users u LEFT JOIN teams t ON t.id = u.team_id
                WHERE COALESCE(u.territory_id, t.territory_id) IN (\(list))
                """)
            return AccessScope(everything: false, territoryIDs: Set(subtree), ownerIDs: Set(owners + [userID]))
        case "team":
            guard let teamID else { return AccessScope(everything: false, territoryIDs: [], ownerIDs: [userID]) }
            let members = try Int64.fetchAll(db, sql: "SELECT id FROM users WHERE team_id = ?", arguments: [teamID])
            return AccessScope(everything: false, territoryIDs: [], ownerIDs: Set(members + [userID]))
        default:
            return AccessScope(everything: false, territoryIDs: [], ownerIDs: [userID])
        }
    }

    /// An SQL condition true for the visible accounts, on the `accounts` row aliased `alias`.
    public func accountCondition(alias: String) -> String {
        if everything { return "1" }
        var parts: [String] = []
        if !territoryIDs.isEmpty { parts.append("\(alias).territory_id IN (\(Self.list(territoryIDs)))") }
        if !ownerIDs.isEmpty { parts.append("\(alias).owner_id IN (\(Self.list(ownerIDs)))") }
        return parts.isEmpty ? "0" : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// An SQL condition true for the records of `entity` the actor sees, on the row aliased `r`.
    public func recordCondition(for entity: EntityDescriptor, alias r: String = "r") -> String {
        if everything { return "1" }
        // Correlated: one primary-key lookup per record the query reaches, rather than building
        // the set of every visible account (half the CRM for a regional manager) per query.
        func visible(_ accountID: String) -> String {
            "EXISTS (SELECT 1 FROM accounts a WHERE a.id = \(accountID) AND \(accountCondition(alias: "a")))"
        }
        let owners = ownerIDs.isEmpty ? "0" : "\(r).%@ IN (\(Self.list(ownerIDs)))"
        switch entity.accountPath {
        case .shared:
            return "1"
        case .isAccount:
            return accountCondition(alias: r)
        case .owner(let column):
            return String(format: owners, column)
        case .account(let accountColumn, let ownerColumn):
            let byAccount = visible("\(r).\(accountColumn)")
            guard let ownerColumn else { return byAccount }
            return "(\(byAccount) OR (\(r).\(accountColumn) IS NULL AND \(String(format: owners, ownerColumn))))"
        case .derived(let accountSQL):
            return visible(accountSQL.replacingOccurrences(of: "r.", with: "\(r)."))
        }
    }

    private static func list(_ ids: Set<Int64>) -> String {
        ids.sorted().map(String.init).joined(separator: ",")
    }
}
