import CRMCore
import Engine
import Foundation
import GRDB

extension Benchmark {
    /// The lead process of `Tests/EndToEndTests/Fixtures/lead-process.yaml`, for the benchmark.
    static let processPlaybook = """
        playbook: bench-processes
        version: 1
        title: Process runtime benchmark
        organisation:
          roles:
            - { id: steering, name: Steering committee, side: customer }
            - { id: sales-manager, name: Sales manager, side: customer }
            - { id: sales-rep, name: Sales representative, side: customer }
        processes:
          - id: lead-handling
            name: Lead handling
            entity: lead
            to_be:
              states:
                - { id: new, name: New, initial: true }
                - { id: contacted, name: Contacted, sla: 3d }
                - { id: qualified, name: Qualified, final: true }
                - { id: disqualified, name: Disqualified, final: true }
              transitions:
                - { from: new, to: contacted, event: activity_logged, sla: 4h, escalate: { after: 8h, to: sales-manager },
                    assign: { strategy: round_robin, role: sales-rep } }
                - { from: contacted, to: qualified, event: field_changed, field: status, guard: "record.status == 'qualified'" }
                - { from: contacted, to: disqualified, event: field_changed, field: status, guard: "record.status == 'disqualified'" }
                - { from: contacted, to: disqualified, after: 2w }
        phases:
          - id: cut-over
            name: Cut-over
            duration: 8w
            actions: [ { process.start: { process: lead-handling, scope: everyone } } ]
            gate: { approvers: [steering] }
        """

    /// Plain transitions: records moved by field changes and a timer, with no assignment, SLA or
    /// message. What the runtime's own bookkeeping costs, without the CRM writes of assignment.
    static let plainPlaybook = """
        playbook: bench-transitions
        version: 1
        title: Process transitions benchmark
        organisation:
          roles:
            - { id: steering, name: Steering committee, side: customer }
        processes:
          - id: lead-steps
            name: Lead steps
            entity: lead
            to_be:
              states:
                - { id: new, name: New, initial: true }
                - { id: contacted, name: Contacted }
                - { id: qualified, name: Qualified }
                - { id: closed, name: Closed, final: true }
              transitions:
                - { from: new, to: contacted, event: field_changed, field: status, guard: "record.status == 'contacted'" }
                - { from: contacted, to: qualified, event: field_changed, field: status, guard: "record.status == 'qualified'" }
                - { from: qualified, to: closed, after: 1d }
        phases:
          - id: cut-over
            name: Cut-over
            duration: 8w
            actions: [ { process.start: { process: lead-steps, scope: everyone } } ]
            gate: { approvers: [steering] }
        """

    /// What `rollout bench processes` runs.
    public enum ProcessModelKind: String, Sendable, CaseIterable {
        /// The lead process: round-robin assignment (an audited owner change and a message per
        /// lead), SLA and escalation timers, an `after:` timer.
        case lead
        /// `plainPlaybook`: each lead makes four transitions (start, two status changes, a timer).
        case plain
    }

    /// Runs the worker over `days` of generated lead work (`leadsPerDay` leads a day) in a new
    /// workspace at `databasePath`, with `openTimers` extra timers due far in the future (the
    /// worker must not slow down with them). Times the worker alone.
    public func processes(databasePath: String, days: Int, leadsPerDay: Int, openTimers: Int,
                          batch: Int, model: ProcessModelKind = .lead) throws -> Figure {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
        let workspace = try Workspace.openOrCreate(databasePath: databasePath)
        let start = try Timestamp(parsing: "2025-03-03")
        try workspace.database.write { db in
            try db.execute(sql: "INSERT INTO teams (id, name, kind) VALUES (1, 'Bench Sales', 'sales')")
            for id in 1...21 {
                try db.execute(sql: """
                    INSERT INTO users (id, name, email, team_id, job_role, created_at) VALUES (?, ?, ?, 1, ?, 0)
                    """, arguments: [id, "Bench user \(id)", "bench\(id)@example.com", id == 21 ? "sales_manager" : "sales_rep"])
            }
        }
        let session = try workspace.session(playbookText: model == .lead ? Self.processPlaybook : Self.plainPlaybook,
                                            displayPath: "bench-processes.yaml")
        _ = try session.run(clock: .fixed(start))
        let owners = Array(Int64(1)...20)
        switch model {
        case .lead:
            let traffic = DemoLeadTraffic(start: start, days: days, leadsPerDay: leadsPerDay, seed: 11)
            for day in 0..<days {
                _ = try workspace.database.write { db in try traffic.write(day: day, owners: owners, db) }
            }
        case .plain:
            try writePlainTraffic(workspace, start: start, days: days, leadsPerDay: leadsPerDay, owners: owners)
        }
        if openTimers > 0 {
            try workspace.database.write { db in
                try db.execute(sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO process_instances (activation_id, process_id, variant, entity, record_id, state, state_entered_at,
                                                   seq, started_at)
                    SELECT (SELECT min(id) FROM process_activations), (SELECT min(process_id) FROM process_activations), 'to_be',
                           'parked', i, 'contacted', 0, 1, 0 FROM n;
                    INSERT INTO process_timers (instance_id, seq, kind, transition_index, due_at)
                    SELECT id, 1, 'transition', 3, 4102444800 + id FROM process_instances WHERE entity = 'parked';
                    """, arguments: [openTimers])
            }
        }
        var worker = try session.processWorker()
        worker.batchSize = batch
        let until = start.adding(days: days + 30)
        let (report, seconds) = try Self.time { try worker.run(until: until) }
        return Figure(name: "process worker" + (model == .plain ? ", plain transitions" : ", lead process")
                          + (openTimers > 0 ? " (+\(openTimers) open timers)" : ""), seconds: seconds,
                      iterations: 1, work: Double(report.transitions), unit: "transitions",
                      note: "\(report.changes) CRM changes, \(report.timers) timers, batches of \(batch), one transaction each "
                          + "(WAL, synchronous=FULL)")
    }

    /// Leads through the CRM store (audited, so queued for the runtime): each created in working
    /// hours, set `contacted` an hour later and `qualified` two hours after that.
    private func writePlainTraffic(_ workspace: Workspace, start: Timestamp, days: Int, leadsPerDay: Int,
                                   owners: [Int64]) throws {
        let actor = CRMActor.operatorActor(named: "traffic")
        for day in 0..<days {
            try workspace.database.write { db in
                let morning = start.startOfDay.adding(days: day).adding(hours: 9)
                for index in 0..<leadsPerDay {
                    let created = morning.adding(seconds: Int64(index * 8 * 3600 / max(leadsPerDay, 1)))
                    let lead = try CRMStore(clock: .fixed(created)).create(EntityCatalog.lead, fields: [
                        "name": "Lead \(day + 1)-\(index + 1)", "source": "web",
                        "owner_id": String(owners[index % owners.count]), "created_at": created.description,
                    ], as: actor, db)
                    try CRMStore(clock: .fixed(created.adding(hours: 1)))
                        .update(EntityCatalog.lead, id: lead, fields: ["status": "contacted"], as: actor, db)
                    try CRMStore(clock: .fixed(created.adding(hours: 3)))
                        .update(EntityCatalog.lead, id: lead, fields: ["status": "qualified"], as: actor, db)
                }
            }
        }
    }
}
