import CRMCore
import Foundation
import GRDB
import Playbook

/// Processes queued CRM changes and due timers for the running project's processes, in time
/// order, in batches of one transaction each (group commit).
///
/// Durability: a batch's effects and the marks that its changes and timers are done commit
/// together, so a worker killed at any point loses at most the batch in flight, and the next
/// run does that batch again, in the same order, with the same result.
///
/// Several workers: only the holder of the lease `processes` works; the others wait for it to
/// be released or to expire. Every batch checks, inside its transaction, that its worker still
/// holds the lease with the same fencing token, so a worker that was paused past its lease
/// (and replaced) cannot commit stale work.
public struct ProcessWorker: Sendable {
    public struct Report: Sendable, Codable, Equatable {
        public var changes = 0
        public var timers = 0
        public var transitions = 0
        public var batches = 0
        /// Seconds spent waiting for another worker's lease.
        public var waitedSeconds = 0.0

        public init() {}

        public mutating func add(_ other: Report) {
            changes += other.changes
            timers += other.timers
            transitions += other.transitions
            batches += other.batches
            waitedSeconds += other.waitedSeconds
        }
    }

    public let database: WorkspaceDatabase
    public let playbook: Playbook
    public let projectID: String
    /// The playbook's plugins, for process transitions that run their actions.
    public var plugins: (any PluginBridge)?
    /// Who this worker is in the lease table: host, process id and a random suffix.
    public let holder: String
    public var batchSize = 500
    public var leaseSeconds = 30.0

    public init(database: WorkspaceDatabase, playbook: Playbook, projectID: String, holder: String? = nil) {
        self.database = database
        self.playbook = playbook
        self.projectID = projectID
        self.holder = holder ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
    }

    static let leaseName = "processes"

    /// Works until nothing is due at `horizon` (a virtual time: `--until`), or, with `horizon`
    /// nil, until nothing is due now by the machine's clock. `progress` is called after each batch.
    public func run(until horizon: Timestamp?, progress: ((Report) -> Void)? = nil) throws -> Report {
        var report = Report()
        let token = try waitForLease(&report)
        defer { try? release(token: token) }
        while true {
            let limit = horizon?.secondsSinceEpoch ?? Int64(Date().timeIntervalSince1970)
            let batch = try database.write { db in try runBatch(token: token, horizon: limit, db) }
            guard batch.batches > 0 else { break }
            report.add(batch)
            progress?(report)
        }
        return report
    }

    /// Works forever (`--follow`): what is due now, then a pause of `poll` seconds.
    public func follow(poll: Double = 0.5, progress: ((Report) -> Void)? = nil) throws -> Never {
        var report = Report()
        var token = try waitForLease(&report)
        while true {
            let batch = try database.write { db in
                try runBatch(token: token, horizon: Int64(Date().timeIntervalSince1970), db)
            }
            report.add(batch)
            if batch.batches > 0 {
                progress?(report)
            } else {
                Thread.sleep(forTimeInterval: poll)
                token = try waitForLease(&report)
            }
        }
    }

    // MARK: Lease

    private func waitForLease(_ report: inout Report) throws -> Int64 {
        let start = Date()
        while true {
            if let token = try database.write({ db in try acquire(db) }) {
                report.waitedSeconds += Date().timeIntervalSince(start)
                return token
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// The lease's fencing token when this worker holds it now (taking it if free or expired).
    func acquire(_ db: Database) throws -> Int64? {
        let now = Date().timeIntervalSince1970
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT holder, token, expires_at FROM process_leases WHERE name = ?"),
                                   arguments: [Self.leaseName])
        guard let row else {
            try db.cachedStatement(sql: "INSERT INTO process_leases (name, holder, token, expires_at) VALUES (?, ?, 1, ?)")
                .execute(arguments: [Self.leaseName, holder, now + leaseSeconds])
            return 1
        }
        let token: Int64 = row["token"]
        if row["holder"] == holder {
            try renew(token: token, db)
            return token
        }
        guard (row["expires_at"] as Double) < now else { return nil }
        try db.cachedStatement(sql: "UPDATE process_leases SET holder = ?, token = ?, expires_at = ? WHERE name = ?")
            .execute(arguments: [holder, token + 1, now + leaseSeconds, Self.leaseName])
        return token + 1
    }

    private func renew(token: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE process_leases SET expires_at = ? WHERE name = ? AND holder = ? AND token = ?")
            .execute(arguments: [Date().timeIntervalSince1970 + leaseSeconds, Self.leaseName, holder, token])
    }

    private func release(token: Int64) throws {
        try database.write { db in
            try db.cachedStatement(sql: "DELETE FROM process_leases WHERE name = ? AND holder = ? AND token = ?")
                .execute(arguments: [Self.leaseName, holder, token])
        }
    }

    // MARK: One batch

    /// One transaction: up to `batchSize` changes and timers due by `horizon`, in time order
    /// (at equal times, changes before timers: a response logged in the second an SLA runs
    /// out is on time). A timer scheduled in the batch for earlier than the next item ends
    /// the batch, so that it runs in its turn.
    func runBatch(token: Int64, horizon: Int64, _ db: Database) throws -> Report {
        let held = try Row.fetchOne(db.cachedStatement(sql: "SELECT holder, token, expires_at FROM process_leases WHERE name = ?"),
                                    arguments: [Self.leaseName])
        // The fencing token decides, not the clock: a lease that ran out while nobody took it
        // over is still this worker's; one another worker took over (a new token) is not.
        guard let held, held["holder"] == holder, held["token"] == token else {
            throw EngineError("this worker lost its lease on the process runtime to \(held?["holder"] as String? ?? "nobody"); "
                              + "nothing of its last batch was committed")
        }
        try renew(token: token, db)
        var runtime = try ProcessRuntime(playbook: playbook, projectID: projectID, db)
            runtime.plugins = plugins
        let changes = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, audit_id, at, entity, record_id, action FROM process_inbox
            WHERE processed_at IS NULL AND at <= ? ORDER BY at, id LIMIT ?
            """), arguments: [horizon, batchSize])
        let timers = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, instance_id, seq, kind, transition_index, due_at FROM process_timers
            WHERE due_at <= ? ORDER BY due_at, id LIMIT ?
            """), arguments: [horizon, batchSize])
        try runtime.prefetch(changes: changes, timers: timers, db)
        var report = Report()
        var processed: [Int64] = []
        var c = 0, t = 0
        while report.changes + report.timers < batchSize && (c < changes.count || t < timers.count) {
            let changeAt: Int64? = c < changes.count ? changes[c]["at"] : nil
            let timerAt: Int64? = t < timers.count ? timers[t]["due_at"] : nil
            let takeChange = timerAt.map { due in changeAt.map { $0 <= due } ?? false } ?? true
            let at = (takeChange ? changeAt : timerAt) ?? horizon
            if let scheduled = runtime.earliestScheduled, at > scheduled { break }
            if takeChange {
                report.transitions += try runtime.apply(change: changes[c], db)
                processed.append(changes[c]["id"])
                report.changes += 1
                c += 1
            } else {
                if let moved = try runtime.fire(timer: timers[t], db) {
                    report.transitions += moved
                    report.timers += 1
                }
                t += 1
            }
        }
        report.batches = report.changes + report.timers > 0 ? 1 : 0
        try runtime.flush(db)
        // The changes done, marked in one statement: each is processed at its own time.
        if !processed.isEmpty {
            try db.cachedStatement(sql: """
                UPDATE process_inbox SET processed_at = at WHERE id IN (SELECT value FROM json_each(?))
                """).execute(arguments: ["[" + processed.map(String.init).joined(separator: ",") + "]"])
        }
        return report
    }
}
