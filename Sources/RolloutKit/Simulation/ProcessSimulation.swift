import CRMCore
import Engine
import Evaluation
import Foundation
import GRDB
import RolloutMetrics
import Playbook

/// `rollout simulate`: how a playbook's processes would behave on last year's volumes, before
/// the pilot (A6, issue #5 "Simulation").
///
/// The simulation copies the workspace to a scratch database, starts the processes there, and
/// replays the CRM history of a window (`months` ending at the newest record) through the CRM
/// store on the virtual clock: each record of the process's entity is created again at its own
/// time, its activities logged at theirs, its status changes made at theirs. The process
/// runtime runs between the events exactly as `rollout worker` would, so assignments, SLA
/// timers on the business calendar and escalations happen as they would have. What comes out
/// is the load per agent and the SLA breaches to expect. The workspace itself is only read.
///
/// What history cannot show, the simulation does not invent: a user's `action:` is nowhere in
/// the CRM, so transitions on actions do not fire (the report says so), and a record's
/// history is replayed as it happened, not as the new process would make people act.
public struct ProcessSimulation: Sendable {
    public enum Scope: Sendable, Hashable {
        /// Every record (the cut-over).
        case everyone
        /// The records of the pilot group's members.
        case pilot(String)
    }

    public struct Options: Sendable {
        /// How many months of history to replay.
        public var months = 3
        /// The processes to run (all of the playbook's when empty).
        public var processIDs: [String] = []
        public var variant: ProcessVariant.Kind = .toBe
        public var scope: Scope = .everyone
        /// Volume multiplier: 1.2 replays 20 % more records (every fifth record twice, the copy
        /// 15 minutes later), to try next year's growth.
        public var scale = 1.0
        /// The end of the window (exclusive); nil: just after the newest record of the entity.
        public var ending: Timestamp?
        /// Keep the scratch database here (for `rollout process stats --db PATH`); nil: delete it.
        public var keepPath: String?

        public init() {}
    }

    public let workspace: Workspace
    public let playbook: Playbook
    public let options: Options

    public init(workspace: Workspace, playbook: Playbook, options: Options) {
        self.workspace = workspace
        self.playbook = playbook
        self.options = options
    }

    static let projectID = "simulation"

    /// Runs the simulation. `progress` is called with the share of the events replayed (0…1).
    public func run(progress: ((Double) -> Void)? = nil) throws -> SimulationReport {
        let started = Date()
        let processes = try selectedProcesses()
        guard options.months >= 1 else { throw SimulationError("--months must be at least 1") }
        guard options.scale > 0, options.scale <= 10 else { throw SimulationError("--scale must be above 0 and at most 10") }
        let entities = Array(Set(processes.map(\.process.entity.id))).sorted()
        let window = try self.window(entities: entities)

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rollout-simulation-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scratchPath = options.keepPath ?? directory.appendingPathComponent("simulation.sqlite").path
        let scratch = try copyWorkspace(to: scratchPath)
        try prepare(scratch, processes: processes, window: window)

        var replay = ReplayPlan(window: window, scale: options.scale)
        try scratch.database.read { db in
            for entity in entities { try replay.collect(entity: entity, db) }
        }
        guard !replay.events.isEmpty else {
            throw SimulationError("""
                the workspace has no \(entities.joined(separator: " or ")) records created between \
                \(window.start.dateString) and \(window.end.dateString): there is nothing to replay. \
                Import last year's records (`rollout crm import`), or choose the window with --ending DATE
                """)
        }
        var worker = ProcessWorker(database: scratch.database, playbook: playbook, projectID: Self.projectID,
                                   holder: "simulate")
        worker.batchSize = 1000
        var replayed = try replay.run(on: scratch.database, worker: worker, progress: progress)
        let final = try worker.run(until: window.end)
        replayed.worker.add(final)

        let results = try scratch.database.read { db in
            try processes.map { try measure($0.process, $0.variant, window: window, db) }
        }
        var notes = replay.notes
        for (process, variant) in processes where variant.transitions.contains(where: {
            if case .action = $0.trigger { true } else { false }
        }) {
            notes.append("\(process.id): transitions on a user's action (`action:`) do not fire in a simulation, "
                         + "since history holds no users' actions; records wait in those states for a timer or an event.")
        }
        return SimulationReport(
            window: window, scale: options.scale, scope: scopeLabel, replayed: replayed.counts, worker: replayed.worker,
            processes: results, notes: notes, keptDatabase: options.keepPath,
            seconds: Date().timeIntervalSince(started))
    }

    // MARK: Set-up

    private func selectedProcesses() throws -> [(process: ProcessModel, variant: ProcessVariant)] {
        guard !playbook.processes.isEmpty else {
            throw SimulationError("the playbook models no processes (no `processes:` section): there is nothing to simulate")
        }
        let ids = options.processIDs.isEmpty ? playbook.processes.map(\.id) : options.processIDs
        return try ids.map { id in
            guard let process = playbook.process(id) else {
                throw SimulationError("the playbook has no process '\(id)'; its processes: "
                                      + playbook.processes.map(\.id).joined(separator: ", "))
            }
            guard let variant = options.variant == .toBe ? process.toBe : process.asIs else {
                throw SimulationError("process '\(id)' has no \(options.variant.label) variant to simulate")
            }
            guard variant.initialState != nil else {
                throw SimulationError("the \(options.variant.label) variant of process '\(id)' has no initial state")
            }
            return (process, variant)
        }
    }

    private var scopeLabel: String {
        switch options.scope {
        case .everyone: "everyone"
        case .pilot(let group): "pilot group \(group)"
        }
    }

    /// The window: `months` ending at `ending`, else just after the newest record of the entities.
    private func window(entities: [String]) throws -> SimulationReport.Window {
        let end: Timestamp
        if let ending = options.ending {
            end = ending
        } else {
            let newest = try workspace.database.read { db in
                try entities.compactMap { name -> Int64? in
                    guard let entity = EntityCatalog.entity(named: name), entity.field("created_at") != nil else { return nil }
                    return try Int64.fetchOne(db, sql: "SELECT max(created_at) FROM \(entity.table)")
                }.max()
            }
            guard let newest else {
                throw SimulationError("the workspace has no \(entities.joined(separator: " or ")) records to replay")
            }
            end = Timestamp(secondsSinceEpoch: newest + 1)
        }
        return .init(start: end.adding(months: -options.months), end: end, months: options.months)
    }

    /// A consistent copy of the workspace (SQLite's online backup), opened as a workspace.
    private func copyWorkspace(to path: String) throws -> Workspace {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            if suffix.isEmpty && options.keepPath != nil {
                throw SimulationError("\(path) exists; --keep writes a new database, so give a path that does not exist")
            }
            try FileManager.default.removeItem(atPath: path + suffix)
        }
        let destination = try DatabaseQueue(path: path)
        try workspace.database.writer.backup(to: destination)
        try destination.close()
        let scratch = try Workspace.open(databasePath: path)
        // A scratch copy: a power cut loses nothing worth keeping, so commits need not wait for the disk.
        try scratch.database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        return scratch
    }

    /// The scratch copy starts clean: no process state of the real project, a simulation
    /// project, and the simulated processes running from the window's start.
    private func prepare(_ scratch: Workspace, processes: [(process: ProcessModel, variant: ProcessVariant)],
                         window: SimulationReport.Window) throws {
        try scratch.database.write { db in
            try db.execute(sql: """
                DELETE FROM process_timers; DELETE FROM process_incidents; DELETE FROM process_history;
                DELETE FROM process_round_robin; DELETE FROM process_instances; DELETE FROM process_activations;
                DELETE FROM process_inbox; DELETE FROM process_watch; DELETE FROM process_leases;
                DELETE FROM engine_outbox WHERE idempotency_key LIKE 'process:%';
                """)
            let start = window.start.secondsSinceEpoch
            // The copy's project is the simulation (commands take the earliest project), so that
            // `rollout process status|stats --db COPY` show it when the copy is kept.
            let earliest = try Int64.fetchOne(db, sql: "SELECT min(started_at) FROM projects") ?? start
            let projectStart = min(start, earliest - 1)
            try db.execute(sql: """
                INSERT INTO projects (id, title, playbook_id, playbook_version, playbook_path, playbook_sha256, playbook_text,
                                      status, started_at, last_event_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)
                """, arguments: [Self.projectID, "Simulation of \(playbook.title)", playbook.id, playbook.version,
                                 playbook.source.path, playbook.source.sha256, playbook.source.text, projectStart, projectStart])
            var pilotGroup: String?
            if case .pilot(let group) = options.scope {
                guard playbook.pilotGroup(group) != nil else {
                    throw SimulationError("the playbook has no pilot group '\(group)'; its pilot groups: "
                                          + playbook.pilotGroups.map(\.id).joined(separator: ", "))
                }
                try MeasuredGroups().freeze(projectID: Self.projectID, playbook: playbook, db)
                pilotGroup = group
            }
            for (process, variant) in processes {
                try db.execute(sql: """
                    INSERT INTO process_activations (project_id, process_id, variant, entity, scope, pilot_group_id,
                                                     started_at, idempotency_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [Self.projectID, process.id, variant.kind.rawValue, process.entity.id,
                                     pilotGroup == nil ? "everyone" : "pilot", pilotGroup, start, "simulation:\(process.id)"])
                try db.execute(sql: "INSERT OR IGNORE INTO process_watch (entity) VALUES (?), ('activity')",
                               arguments: [process.entity.id])
            }
        }
    }

    // MARK: Measuring

    private func measure(_ process: ProcessModel, _ variant: ProcessVariant, window: SimulationReport.Window,
                         _ db: Database) throws -> SimulatedProcess {
        let end = window.end.secondsSinceEpoch
        let instances = try Row.fetchAll(db, sql: """
            SELECT i.id, i.state, i.assignee_id, i.started_at, i.ended_at FROM process_instances i
            JOIN process_activations a ON a.id = i.activation_id
            WHERE a.project_id = ? AND i.process_id = ?
            """, arguments: [Self.projectID, process.id])
        let incidents = try Row.fetchAll(db, sql: """
            SELECT n.kind, n.at, n.instance_id, i.assignee_id FROM process_incidents n
            JOIN process_instances i ON i.id = n.instance_id
            JOIN process_activations a ON a.id = i.activation_id
            WHERE a.project_id = ? AND i.process_id = ?
            """, arguments: [Self.projectID, process.id])
        let transitions = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM process_history h JOIN process_instances i ON i.id = h.instance_id
            WHERE i.process_id = ? AND h.from_state IS NOT NULL
            """, arguments: [process.id]) ?? 0

        var result = SimulatedProcess(processID: process.id, name: process.name, entity: process.entity.id,
                                      variant: variant.kind.rawValue)
        result.records = instances.count
        result.finished = instances.filter { ($0["ended_at"] as Int64?) != nil }.count
        result.transitions = transitions
        var byState: [String: (records: Int, open: Int)] = [:]
        for row in instances {
            let state: String = row["state"]
            byState[state, default: (0, 0)].records += 1
            if (row["ended_at"] as Int64?) == nil { byState[state, default: (0, 0)].open += 1 }
        }
        result.states = variant.states.compactMap { state in
            byState[state.id].map { .init(state: state.id, records: $0.records, open: $0.open) }
        }
        let breaches = incidents.filter { ($0["kind"] as String) == "sla-breached" }
        result.slaBreaches = breaches.count
        result.recordsBreached = Set(breaches.map { $0["instance_id"] as Int64 }).count
        result.recordsBreachedPercent = instances.isEmpty ? nil : 100 * Double(result.recordsBreached) / Double(instances.count)
        result.escalations = incidents.count - breaches.count

        var months: [String: SimulatedProcess.Month] = [:]
        func month(_ at: Int64) -> String { String(Timestamp(secondsSinceEpoch: at).dateString.prefix(7)) }
        for row in instances {
            let key = month(row["started_at"])
            months[key, default: .init(month: key)].records += 1
        }
        for row in incidents {
            let key = month(row["at"])
            if (row["kind"] as String) == "sla-breached" {
                months[key, default: .init(month: key)].slaBreaches += 1
            } else {
                months[key, default: .init(month: key)].escalations += 1
            }
        }
        result.months = months.values.sorted { $0.month < $1.month }

        result.agents = try agentLoad(process, instances: instances, incidents: incidents, window: window, end: end, db)
        let traces = try ProcessTraces(process: process, asOf: nil).read(db).filter {
            $0.source == .runtime && $0.variant == variant.kind
        }
        let calendar = try BusinessCalendarStore.workspaceCalendar(db)?.calendar
        let conformance = ProcessConformance.measure(traces, on: variant, calendar: calendar)
        result.transitionTimes = conformance.transitions.filter { $0.count > 0 || $0.slaHours != nil }
        return result
    }

    /// Per assignee: records given to them (assignments and escalations), the most they held open
    /// at once, what they still hold at the end, and the SLA breaches on records they hold.
    private func agentLoad(_ process: ProcessModel, instances: [Row], incidents: [Row], window: SimulationReport.Window,
                           end: Int64, _ db: Database) throws -> [SimulatedProcess.Agent] {
        let messages = try Row.fetchAll(db, sql: """
            SELECT o.recipient_user_id AS user, o.idempotency_key AS key FROM engine_outbox o
            WHERE o.project_id = ? AND o.recipient_user_id IS NOT NULL AND o.idempotency_key LIKE 'process:%'
              AND EXISTS (SELECT 1 FROM process_instances i
                          WHERE i.id = CAST(substr(o.idempotency_key, 9, instr(substr(o.idempotency_key, 9), ':') - 1) AS INTEGER)
                            AND i.process_id = ?)
            """, arguments: [Self.projectID, process.id])
        var agents: [Int64: SimulatedProcess.Agent] = [:]
        func agent(_ id: Int64) -> SimulatedProcess.Agent { agents[id] ?? .init(userID: id) }
        for row in messages {
            let user: Int64 = row["user"]
            let key: String = row["key"]
            var a = agent(user)
            if key.hasSuffix(":assigned") { a.assigned += 1 } else if key.contains(":escalation:") { a.escalatedTo += 1 } else { continue }
            agents[user] = a
        }
        var spans: [Int64: [(Int64, Int64)]] = [:]
        for row in instances {
            guard let user: Int64 = row["assignee_id"] else { continue }
            let until: Int64 = row["ended_at"] ?? end
            spans[user, default: []].append((row["started_at"], until))
            if (row["ended_at"] as Int64?) == nil {
                var a = agent(user)
                a.openAtEnd += 1
                agents[user] = a
            }
        }
        for (user, list) in spans {
            var a = agent(user)
            a.peakOpen = Self.peakOverlap(list)
            agents[user] = a
        }
        for row in incidents where (row["kind"] as String) == "sla-breached" {
            guard let user: Int64 = row["assignee_id"] else { continue }
            var a = agent(user)
            a.slaBreaches += 1
            agents[user] = a
        }
        let weeks = max(1.0, Double(window.start.seconds(until: window.end)) / (7 * 86_400))
        let names = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, name FROM users")
            .map { ($0["id"] as Int64, $0["name"] as String) })
        return agents.values.map { a in
            var a = a
            a.name = names[a.userID] ?? "user \(a.userID)"
            a.assignedPerWeek = (Double(a.assigned + a.escalatedTo) / weeks * 10).rounded() / 10
            return a
        }.sorted { ($1.assigned + $1.escalatedTo, $0.userID) < ($0.assigned + $0.escalatedTo, $1.userID) }
    }

    /// The most intervals `[start, end)` open at one moment.
    static func peakOverlap(_ spans: [(Int64, Int64)]) -> Int {
        let points = spans.flatMap { [($0.0, 1), ($0.1, -1)] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var open = 0, peak = 0
        for (_, delta) in points {
            open += delta
            peak = max(peak, open)
        }
        return peak
    }
}

/// A simulation that cannot run as asked.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What `rollout simulate` prints.
public struct SimulationReport: Sendable, Codable {
    public struct Window: Sendable, Codable, Hashable {
        public var start: Timestamp
        public var end: Timestamp
        public var months: Int
    }

    public struct Replayed: Sendable, Codable, Hashable {
        public var records = 0
        public var activities = 0
        public var changes = 0
        /// Events the CRM refused in the copy (a rule of today's CRM the old data breaks).
        public var skipped = 0
    }

    public var window: Window
    public var scale: Double
    public var scope: String
    public var replayed: Replayed
    public var worker: ProcessWorker.Report
    public var processes: [SimulatedProcess]
    public var notes: [String]
    /// Where the scratch database was kept (`--keep`), if it was.
    public var keptDatabase: String?
    public var seconds: Double
}

/// One process as the simulation ran it.
public struct SimulatedProcess: Sendable, Codable, Hashable {
    public struct StateCount: Sendable, Codable, Hashable {
        public var state: String
        /// Records that are in this state at the end, or ended there.
        public var records: Int
        public var open: Int
    }

    public struct Month: Sendable, Codable, Hashable {
        public var month: String
        public var records = 0
        public var slaBreaches = 0
        public var escalations = 0
    }

    public struct Agent: Sendable, Codable, Hashable {
        public var userID: Int64
        public var name = ""
        /// Records the process assigned to them.
        public var assigned = 0
        /// Records escalated to them.
        public var escalatedTo = 0
        public var assignedPerWeek = 0.0
        /// The most records they held open at one moment.
        public var peakOpen = 0
        public var openAtEnd = 0
        /// SLA breaches on the records they hold.
        public var slaBreaches = 0
    }

    public var processID: String
    public var name: String
    public var entity: String
    public var variant: String
    public var records = 0
    public var finished = 0
    public var transitions = 0
    public var states: [StateCount] = []
    public var slaBreaches = 0
    public var recordsBreached = 0
    public var recordsBreachedPercent: Double?
    public var escalations = 0
    public var months: [Month] = []
    public var agents: [Agent] = []
    /// Median time per transition against its SLA, on the simulated records.
    public var transitionTimes: [TransitionTimes] = []

    public var openAtEnd: Int { records - finished }
}

extension Workspace {
    /// A session for a compiled playbook that need not be the running project's (`simulate FILE`).
    public func session(playbook: Playbook) throws -> ProjectSession {
        try ProjectSession(workspace: self, playbook: playbook)
    }
}

extension ProjectSession {
    /// `rollout simulate`: the session's processes on a replay of the workspace's history.
    public func simulate(_ options: ProcessSimulation.Options, progress: ((Double) -> Void)? = nil) throws -> SimulationReport {
        try ProcessSimulation(workspace: workspace, playbook: playbook, options: options).run(progress: progress)
    }
}
