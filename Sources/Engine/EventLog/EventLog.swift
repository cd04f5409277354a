import CRMCore
import GRDB

/// Appends events and keeps the projections in step, in the caller's transaction.
public struct EventLog: Sendable {
    public init() {}

    /// Appends `event` unless an event with `key` is already logged; returns whether it was new.
    /// The projections are updated in the same transaction, so they never disagree with the log.
    @discardableResult
    public func append(_ event: EngineEvent, projectID: String, at: Timestamp, actor: String?, key: String,
                       _ db: Database) throws -> Bool {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM engine_events WHERE idempotency_key = ?", arguments: [key]) == true {
            return false
        }
        try db.execute(sql: """
            INSERT INTO engine_events (project_id, at, kind, phase_id, actor, idempotency_key, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [projectID, at, event.kind, event.phaseID, actor, key, try event.payloadJSON()])
        try Projector().apply(event, projectID: projectID, at: at, actor: actor, db)
        return true
    }

    /// Whether an event with this idempotency key is logged.
    public func contains(key: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM engine_events WHERE idempotency_key = ?", arguments: [key]) == true
    }

    /// A project's events, oldest first.
    public func events(projectID: String, _ db: Database) throws -> [LoggedEvent] {
        try Row.fetchAll(db, sql: "SELECT * FROM engine_events WHERE project_id = ? ORDER BY seq",
                         arguments: [projectID]).map { row in
            LoggedEvent(seq: row["seq"], projectID: row["project_id"], at: row["at"], actor: row["actor"],
                        idempotencyKey: row["idempotency_key"],
                        event: try EngineEvent.decode(kind: row["kind"], payload: row["payload"]))
        }
    }

    /// The time of the project's latest event: the engine refuses to act earlier than this.
    public func lastEventTime(projectID: String, _ db: Database) throws -> Timestamp? {
        try Timestamp.fetchOne(db, sql: "SELECT MAX(at) FROM engine_events WHERE project_id = ?", arguments: [projectID])
    }
}
