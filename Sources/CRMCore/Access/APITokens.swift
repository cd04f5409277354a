import Crypto
import Foundation
import GRDB

/// API tokens for the REST API (`rollout token create --user EMAIL`): a random secret shown
/// once, stored only as its SHA-256, standing for one user with that user's roles and scope.
///
/// ```swift
/// let (token, secret) = try database.write { try APITokens.create(user: "luo.min@huaxin-demo.example", name: "laptop", at: now, $0) }
/// let actor = try database.read { try APITokens.authenticate(secret, $0) }   // nil: unknown or revoked
/// ```
public enum APITokens {
    /// A token as listed: never its secret.
    public struct Token: Sendable, Hashable, Codable {
        public var id: Int64
        public var userID: Int64
        public var user: String
        public var name: String
        public var createdAt: Timestamp
        public var revokedAt: Timestamp?
    }

    /// The prefix every secret starts with, so a leaked one is recognisable (`rlt_…`).
    public static let prefix = "rlt_"

    /// Creates a token for the user with this e-mail or id; returns it with its secret, which is
    /// not stored and cannot be shown again.
    public static func create(user: String, name: String, at: Timestamp, _ db: Database) throws -> (Token, String) {
        let actor = try CRMActor.user(user, db)
        guard let userID = actor.userID else { throw CRMError.forbidden("a token stands for a user, not for the operator") }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let secret = prefix + bytes.map { String(format: "%02x", $0) }.joined()
        try db.execute(sql: """
            INSERT INTO api_tokens (user_id, name, secret_sha256, created_at) VALUES (?, ?, ?, ?)
            """, arguments: [userID, name, hash(secret), at.secondsSinceEpoch])
        let token = Token(id: db.lastInsertedRowID, userID: userID, user: actor.label, name: name, createdAt: at,
                          revokedAt: nil)
        return (token, secret)
    }

    /// The actor a secret stands for, or nil when no live token has it.
    public static func authenticate(_ secret: String, _ db: Database) throws -> CRMActor? {
        guard secret.hasPrefix(prefix),
              let userID = try Int64.fetchOne(db, sql: """
                  SELECT user_id FROM api_tokens WHERE secret_sha256 = ? AND revoked_at IS NULL
                  """, arguments: [hash(secret)])
        else { return nil }
        return try CRMActor.user(String(userID), db)
    }

    public static func list(_ db: Database) throws -> [Token] {
        try Row.fetchAll(db, sql: """
            SELECT t.id, t.user_id, u.email, t.name, t.created_at, t.revoked_at FROM api_tokens t
            JOIN users u ON u.id = t.user_id ORDER BY t.id
            """).map { row in
                Token(id: row[0], userID: row[1], user: "user:\(row[2] as String)", name: row[3],
                      createdAt: Timestamp(secondsSinceEpoch: row[4]),
                      revokedAt: (row[5] as Int64?).map(Timestamp.init(secondsSinceEpoch:)))
            }
    }

    /// Revokes a token; false when it was revoked already or does not exist.
    @discardableResult
    public static func revoke(id: Int64, at: Timestamp, _ db: Database) throws -> Bool {
        try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                       arguments: [at.secondsSinceEpoch, id])
        return db.changesCount > 0
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// `crm.v5.api-tokens`.
    static func registerMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("crm.v5.api-tokens") { db in
            try db.execute(sql: """
                -- A token's secret is never stored: only its SHA-256, which authentication looks up.
                CREATE TABLE api_tokens (
                    id             INTEGER PRIMARY KEY,
                    user_id        INTEGER NOT NULL REFERENCES users(id),
                    name           TEXT NOT NULL,
                    secret_sha256  TEXT NOT NULL UNIQUE,
                    created_at     INTEGER NOT NULL,
                    revoked_at     INTEGER
                );
                """)
        }
    }
}
