import CRMCore
import Engine
import Foundation
import GRDB
import RolloutKit
import RolloutTesting
import Testing

/// The process runtime on a small CRM, checked move by move: assignment, events, guards read
/// from the change, SLA and escalation timers, `after:` timers, users' actions and refusals.
@Suite struct ProcessRuntimeTests {
    static let playbook = """
        playbook: leads
        version: 1
        title: Leads
        organisation:
          roles:
            - { id: steering, name: Steering, side: customer }
            - { id: sales-manager, name: Sales manager, side: customer, members: [Manager] }
            - { id: sales-rep, name: Sales rep, side: customer }
        processes:
          - id: lead-handling
            name: Lead handling
            entity: lead
            to_be:
              states:
                - { id: new, name: New, initial: true }
                - { id: contacted, name: Contacted }
                - { id: qualified, name: Qualified }
                - { id: converted, name: Converted, final: true }
                - { id: disqualified, name: Disqualified, final: true }
              transitions:
                - { from: new, to: contacted, event: activity_logged, sla: 30h, escalate: { after: 48h, to: sales-manager },
                    assign: { strategy: round_robin, role: sales-rep }, do: [ { set: { status: contacted } } ] }
                - { from: contacted, to: qualified, event: field_changed, field: email, guard: "record.email != null" }
                - { from: contacted, to: disqualified, after: 3d }
                - { from: qualified, to: converted, action: convert, by: sales-manager }
        phases:
          - id: cut-over
            name: Cut-over
            duration: 4w
            actions: [ { process.start: { process: lead-handling, scope: everyone } } ]
            gate: { approvers: [steering] }
        """

    struct Fixture {
        let directory: TemporaryDirectory
        let workspace: Workspace
        let session: ProjectSession
        var reps: [Int64] = []
        var manager: Int64 = 0

        init(playbook: String = ProcessRuntimeTests.playbook) throws {
            directory = try TemporaryDirectory("process-runtime")
            workspace = try Workspace.openOrCreate(databasePath: directory.file("rollout.sqlite"))
            var reps: [Int64] = [], manager: Int64 = 0
            try workspace.database.write { db in
                var crm = CRMBuilder(db)
                let team = try crm.team("Sales")
                reps = try (1...3).map { try crm.user("Rep \($0)", team: team) }
                manager = try crm.user("Manager", team: team, jobRole: "sales_manager")
            }
            self.reps = reps
            self.manager = manager
            session = try workspace.session(playbookText: playbook, displayPath: "leads.yaml")
            _ = try session.run(clock: .on("2025-03-03"))
        }

        func createLead(at: String, owner: Int64) throws -> Int64 {
            try workspace.database.write { db in
                try CRMStore(clock: .fixed(try Timestamp(parsing: at))).create(
                    EntityCatalog.lead, fields: ["name": "L", "source": "web", "owner_id": String(owner)],
                    as: .operatorActor(), db)
            }
        }

        func call(_ lead: Int64, at: String, by owner: Int64) throws {
            try workspace.database.write { db in
                _ = try CRMStore(clock: .fixed(try Timestamp(parsing: at))).create(
                    EntityCatalog.activity, fields: ["kind": "call", "subject": "Call", "owner_id": String(owner),
                                                     "lead_id": String(lead), "at": at], as: .operatorActor(), db)
            }
        }

        func work(until: String) throws -> ProcessWorker.Report {
            try session.processWorker().run(until: try Timestamp(parsing: until))
        }

        func rows(_ sql: String) throws -> [String] {
            try workspace.database.read { db in
                try Row.fetchAll(db, sql: sql).map { row in
                    row.databaseValues.map { value -> String in
                        switch value.storage {
                        case .null: "NULL"
                        case .int64(let n): String(n)
                        case .double(let d): String(d)
                        case .string(let s): s
                        case .blob: "blob"
                        }
                    }.joined(separator: "|")
                }
            }
        }
    }

    @Test func aNewLeadIsAssignedRoundRobinAndMovesOnItsFirstCall() throws {
        let f = try Fixture()
        let a = try f.createLead(at: "2025-03-04T09:00:00Z", owner: f.reps[0])
        let b = try f.createLead(at: "2025-03-04T10:00:00Z", owner: f.reps[0])
        try f.call(a, at: "2025-03-04T12:00:00Z", by: f.reps[0])
        let report = try f.work(until: "2025-03-05")
        #expect(report.changes == 3)
        // Entering `new` assigns for new → contacted: reps 1, 2 in turn; the owner follows.
        #expect(try f.rows("SELECT record_id, state, assignee_id FROM process_instances ORDER BY record_id")
                == ["\(a)|contacted|\(f.reps[0])", "\(b)|new|\(f.reps[1])"])
        #expect(try f.rows("SELECT id, owner_id, status FROM leads ORDER BY id") == ["\(a)|\(f.reps[0])|contacted", "\(b)|\(f.reps[1])|new"])
        #expect(try f.rows("SELECT from_state, to_state, trigger FROM process_history WHERE instance_id = 1 ORDER BY seq")
                == ["NULL|new|start", "new|contacted|event:activity_logged"])
        // The runtime's own changes are audited but not queued again.
        // (b's owner changed to rep 2, a's status set by the effect; a already belonged to rep 1.)
        #expect(try f.rows("SELECT count(*) FROM audit_log WHERE actor = 'process:lead-handling'") == ["2"])
        #expect(try f.rows("SELECT count(*) FROM process_inbox") == ["3"])
    }

    /// The batch's rows reach SQLite as JSON text: a message's quotes, backslashes, control
    /// characters and Chinese come back as they were written.
    @Test func aMessageWithQuotesControlCharactersAndChineseIsStoredAsWritten() throws {
        let playbook = Self.playbook.replacingOccurrences(
            of: "do: [ { set: { status: contacted } } ] }",
            with: #"do: [ { notify: { to: sales-manager, subject: "Lead \"A\\B\" 新客户\tnow\u0001/end" } } ] }"#)
        #expect(playbook != Self.playbook)
        let f = try Fixture(playbook: playbook)
        let lead = try f.createLead(at: "2025-03-04T09:00:00Z", owner: f.reps[0])
        try f.call(lead, at: "2025-03-04T10:00:00Z", by: f.reps[0])
        _ = try f.work(until: "2025-03-05")
        let subjects = try f.workspace.database.read { db in
            try String.fetchAll(db, sql: "SELECT subject FROM engine_outbox WHERE recipient_role = 'sales-manager'")
        }
        #expect(subjects == ["Lead \"A\\B\" 新客户\tnow\u{01}/end"])
    }

    @Test func slaBreachThenEscalationToTheManagerThenTheAfterTimer() throws {
        let f = try Fixture()
        let lead = try f.createLead(at: "2025-03-04T09:00:00Z", owner: f.reps[0])
        _ = try f.work(until: "2025-03-06T08:00:00Z")  // 47 h: the 30 h SLA has run out, the 48 h escalation not yet
        #expect(try f.rows("SELECT kind, at FROM process_incidents") == ["sla-breached|\(Int64(1_741_078_800 + 30 * 3600))"])
        _ = try f.work(until: "2025-03-06T09:00:00Z")
        #expect(try f.rows("SELECT kind FROM process_incidents ORDER BY at") == ["sla-breached", "escalated"])
        #expect(try f.rows("SELECT assignee_id FROM process_instances") == ["\(f.manager)"])
        #expect(try f.rows("SELECT recipient_user_id FROM engine_outbox WHERE subject LIKE 'Escalated%'") == ["\(f.manager)"])
        // Contacted on the 7th; nothing for three days: the `after: 3d` timer disqualifies it.
        try f.call(lead, at: "2025-03-07T09:00:00Z", by: f.manager)
        _ = try f.work(until: "2025-03-10T09:00:00Z")
        #expect(try f.rows("SELECT state, ended_at FROM process_instances") == ["disqualified|\(1_741_597_200)"])
        #expect(try f.rows("SELECT count(*) FROM process_timers") == ["0"])
    }

    @Test func aGuardReadsTheRecordAsTheChangeLeftItAndActionsCheckTheRole() throws {
        let f = try Fixture()
        let lead = try f.createLead(at: "2025-03-04T09:00:00Z", owner: f.reps[0])
        try f.call(lead, at: "2025-03-04T10:00:00Z", by: f.reps[0])
        try f.workspace.database.write { db in
            let store = CRMStore(clock: .fixed(try Timestamp(parsing: "2025-03-04T11:00:00Z")))
            try store.update(EntityCatalog.lead, id: lead, fields: ["email": "a@example.com"], as: .operatorActor(), db)
            // Cleared again later: the guard still sees the e-mail the first change set.
            let later = CRMStore(clock: .fixed(try Timestamp(parsing: "2025-03-04T12:00:00Z")))
            try later.update(EntityCatalog.lead, id: lead, fields: ["email": ""], as: .operatorActor(), db)
        }
        _ = try f.work(until: "2025-03-05")
        #expect(try f.rows("SELECT state FROM process_instances") == ["qualified"])
        let desk = try f.session.processDesk()
        let rep = try f.rows("SELECT email FROM users WHERE id = \(f.reps[0])")[0]
        #expect(throws: EngineError.self) {
            try desk.act(entity: "lead", recordID: lead, action: "convert", user: rep, at: .day("2025-03-05"))
        }
        let manager = try f.rows("SELECT email FROM users WHERE id = \(f.manager)")[0]
        #expect(try desk.act(entity: "lead", recordID: lead, action: "convert", user: manager, at: .day("2025-03-05"))
                == ["lead-handling: qualified → converted"])
        #expect(try f.rows("SELECT state, ended_at IS NOT NULL FROM process_instances") == ["converted|1"])
    }
}
