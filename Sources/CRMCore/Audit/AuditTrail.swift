import GRDB

/// One change to CRM data: who, when, what, the record before and after.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var id: Int64
    public var at: Timestamp
    public var actor: String
    public var entity: String
    public var recordID: Int64?
    /// `create`, `update`, `delete`, `import` (a batch's creations), `undo` (a batch undone).
    public var action: String
    /// The record as a JSON object before the change (nil for a create).
    public var before: String?
    /// The record as a JSON object after the change (nil for a delete).
    public var after: String?
    public var batchID: Int64?
}

/// The append-only record of every change to CRM data (table `audit_log`; triggers refuse
/// UPDATE and DELETE). Writes go through `CRMStore`, imports and their undo, which call
/// `record` in the same transaction as the change.
public enum AuditTrail {
    static func record(_ db: Database, at: Timestamp, actor: CRMActor, entity: String, recordID: Int64?,
                       action: String, before: String?, after: String?, batchID: Int64? = nil) throws {
        // Cached: every CRM write passes here (and the process inbox's trigger with it).
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (at, actor, entity, record_id, action, before, after, batch_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [at.secondsSinceEpoch, actor.label, entity, recordID, action, before, after, batchID])
    }

    /// A change made outside the CRM's own tables on the CRM's behalf, such as a plugin's write
    /// to its tables (`actor` `plugin:retail`, `entity` the table, `action` insert/update/delete,
    /// `after` the values as JSON).
    public static func recordChange(_ db: Database, at: Timestamp, actor: String, entity: String, recordID: Int64?,
                                    action: String, before: String? = nil, after: String?) throws {
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (at, actor, entity, record_id, action, before, after, batch_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
            """).execute(arguments: [at.secondsSinceEpoch, actor, entity, recordID, action, before, after])
    }

    /// Entries, newest first, optionally for one entity and one record. A record created by an
    /// import is found through its batch's id range.
    public static func entries(_ db: Database, entity: String? = nil, recordID: Int64? = nil, limit: Int = 100) throws -> [AuditEntry] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let entity {
            conditions.append("l.entity = ?")
            arguments += [entity]
        }
        if let recordID {
            conditions.append("""
                (l.record_id = ? OR EXISTS (SELECT 1 FROM import_batches b WHERE b.id = l.batch_id AND l.action = 'import'
                                            AND ? BETWEEN b.first_created_id AND b.last_created_id))
                """)
            arguments += [recordID, recordID]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [limit]
        return try Row.fetchAll(db, sql: """
            SELECT l.* FROM audit_log l \(filter) ORDER BY l.id DESC LIMIT ?
            """, arguments: arguments).map { row in
            AuditEntry(id: row["id"], at: Timestamp(secondsSinceEpoch: row["at"]), actor: row["actor"], entity: row["entity"],
                       recordID: row["record_id"], action: row["action"], before: row["before"], after: row["after"],
                       batchID: row["batch_id"])
        }
    }
}
