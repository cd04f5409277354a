import CRMCore
import GRDB
import Playbook

/// What the command line and the server ask of the process runtime besides the worker: users'
/// actions on records, and where every process stands.
public struct ProcessDesk: Sendable {
    public let database: WorkspaceDatabase
    public let playbook: Playbook
    public let projectID: String
    /// The playbook's plugins, for process transitions that run their actions.
    public var plugins: (any PluginBridge)?

    public init(database: WorkspaceDatabase, playbook: Playbook, projectID: String) {
        self.database = database
        self.playbook = playbook
        self.projectID = projectID
    }

    /// A user takes `action` on a record (`lead`, 42, `qualify`): the move happens in one
    /// transaction with its effects, or not at all. Returns the moves made ("lead-handling: contacted → qualified").
    public func act(entity: String, recordID: Int64, action: String, user: String?, at: Timestamp) throws -> [String] {
        try database.write { db in
            let actor = try user.map { try CRMActor.user($0, db) }
            var runtime = try ProcessRuntime(playbook: playbook, projectID: projectID, db)
            runtime.plugins = plugins
            let moves = try runtime.act(entity: entity, recordID: recordID, action: action, userID: actor?.userID,
                                        actorLabel: actor?.label ?? "operator", at: at.secondsSinceEpoch, db)
            try runtime.flush(db)
            return moves
        }
    }

    /// Every activation with its records by state, open timers and incidents, and the queue.
    public func overview() throws -> ProcessOverview {
        try database.read { db in
            let activations = try Row.fetchAll(db, sql: """
                SELECT id, process_id, variant, entity, scope, pilot_group_id, started_at, ended_at FROM process_activations
                WHERE project_id = ? ORDER BY id
                """, arguments: [projectID]).map { row in
                let id: Int64 = row["id"]
                let states = try Row.fetchAll(db, sql: """
                    SELECT state, count(*) AS n, sum(ended_at IS NULL) AS open FROM process_instances
                    WHERE activation_id = ? GROUP BY state ORDER BY min(id)
                    """, arguments: [id]).map { ProcessOverview.StateCount(state: $0["state"], records: $0["n"], open: $0["open"]) }
                let incidents = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                    SELECT c.kind, count(*) FROM process_incidents c JOIN process_instances i ON i.id = c.instance_id
                    WHERE i.activation_id = ? GROUP BY c.kind
                    """, arguments: [id]).map { ($0[0] as String, $0[1] as Int) })
                let timers = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM process_timers t JOIN process_instances i ON i.id = t.instance_id WHERE i.activation_id = ?
                    """, arguments: [id]) ?? 0
                return ProcessOverview.Activation(
                    processID: row["process_id"], variant: row["variant"], entity: row["entity"], scope: row["scope"],
                    pilotGroupID: row["pilot_group_id"], startedAt: Timestamp(secondsSinceEpoch: row["started_at"]),
                    endedAt: (row["ended_at"] as Int64?).map(Timestamp.init(secondsSinceEpoch:)), states: states,
                    openTimers: timers, slaBreaches: incidents["sla-breached"] ?? 0, escalations: incidents["escalated"] ?? 0)
            }
            let queued = try Int.fetchOne(db, sql: "SELECT count(*) FROM process_inbox WHERE processed_at IS NULL") ?? 0
            let next = try Int64.fetchOne(db, sql: "SELECT min(due_at) FROM process_timers")
            let lease = try Row.fetchOne(db, sql: "SELECT holder, expires_at FROM process_leases WHERE name = ?",
                                         arguments: [ProcessWorker.leaseName])
            return ProcessOverview(activations: activations, queuedChanges: queued,
                                   nextTimerAt: next.map(Timestamp.init(secondsSinceEpoch:)),
                                   worker: lease?["holder"], workerLeaseExpiresAt: lease?["expires_at"])
        }
    }
}

/// `rollout process status`: where every process stands.
public struct ProcessOverview: Sendable, Codable {
    public struct StateCount: Sendable, Codable {
        public var state: String
        /// Records that reached the state and are still in it (open), or ended there (final).
        public var records: Int
        public var open: Int
    }

    public struct Activation: Sendable, Codable {
        public var processID: String
        public var variant: String
        public var entity: String
        public var scope: String
        public var pilotGroupID: String?
        public var startedAt: Timestamp
        public var endedAt: Timestamp?
        public var states: [StateCount]
        public var openTimers: Int
        public var slaBreaches: Int
        public var escalations: Int
    }

    public var activations: [Activation]
    /// CRM changes captured and not yet processed by a worker.
    public var queuedChanges: Int
    public var nextTimerAt: Timestamp?
    /// The worker holding the lease, if any, and until when (Unix seconds).
    public var worker: String?
    public var workerLeaseExpiresAt: Double?
}
