import GRDB

/// Grants and revokes roles, with an audit entry. Only the workspace operator does this (from
/// the command line on the database file); the server (#8) will add an admin route.
public enum RoleAssignment {
    public static func set(user: String, role: String, granted: Bool, at now: Timestamp,
                           by actor: CRMActor = .operatorActor(), _ db: Database) throws {
        let target = try CRMActor.user(user, db)
        guard let userID = target.userID else { return }
        let roles = try String.fetchAll(db, sql: "SELECT name FROM roles ORDER BY name")
        guard roles.contains(role) else {
            let hint = TextSimilarity.suggestion(for: role, among: roles).map { " (did you mean '\($0)'?)" } ?? ""
            throw CRMError.conflict("no role '\(role)'\(hint); roles: \(roles.joined(separator: ", "))")
        }
        if granted {
            try db.execute(sql: "INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?, ?)", arguments: [userID, role])
        } else {
            try db.execute(sql: "DELETE FROM user_roles WHERE user_id = ? AND role = ?", arguments: [userID, role])
        }
        try AuditTrail.record(db, at: now, actor: actor, entity: "user", recordID: userID, action: "update",
                              before: "{\"roles\":\(jsonArray(target.roles))}",
                              after: "{\"roles\":\(jsonArray(try CRMActor.user(user, db).roles))}")
    }

    private static func jsonArray(_ items: [String]) -> String {
        "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}
