import CRMCore
import Foundation
import GRDB
import RolloutKit
import RolloutTesting
import Testing

/// `rollout simulate` on a small CRM whose March history is known lead by lead, so that every
/// figure of the simulation can be worked out by hand (no business calendar: elapsed hours).
@Suite struct SimulateCommandTests {
    /// Three reps (users 1–3) and a manager (user 4); leads owned by user 1:
    ///
    /// | lead | created        | first call     | disqualified | what the to-be process does                                   |
    /// |------|----------------|----------------|--------------|----------------------------------------------------------------|
    /// | L1   | 03-03 09:00    | 10:00 (1 h)    | 03-05        | to rep 1; contacted in SLA; disqualified                       |
    /// | L2   | 03-04 09:00    | 14:00 (5 h)    | 03-06        | to rep 2; 4 h SLA breached at 13:00; contacted; disqualified   |
    /// | L3   | 03-05 09:00    | none           | –            | to rep 3; breach at 13:00; escalated to the manager at 17:00   |
    /// | L4   | 03-06 09:00    | 09:30 (0.5 h)  | –            | to rep 1; contacted; 3 d breach; disqualified after 2 weeks    |
    /// | L5   | 02-20 09:00    | 10:00          | –            | before the window: not replayed                                |
    /// | L6   | 03-10 09:00    | 10:00 (1 h)    | 04-05        | to rep 2; 3 d breach; disqualified by the timer on 03-24       |
    static func workspace(in dir: TemporaryDirectory) throws -> String {
        let path = dir.file("rollout.sqlite")
        let workspace = try Workspace.openOrCreate(databasePath: path)
        try workspace.database.write { db in
            try db.execute(sql: "INSERT INTO teams (id, name, kind) VALUES (1, 'Sales', 'sales')")
            for (id, name, role) in [(1, "Rep One", "sales_rep"), (2, "Rep Two", "sales_rep"), (3, "Rep Three", "sales_rep"),
                                     (4, "Manager", "sales_manager")] {
                try db.execute(sql: """
                    INSERT INTO users (id, name, email, team_id, job_role, created_at) VALUES (?, ?, ?, 1, ?, 0)
                    """, arguments: [id, name, "user\(id)@example.com", role])
            }
            let actor = CRMActor.operatorActor(named: "history")
            func at(_ text: String) -> CRMStore { CRMStore(clock: .fixed(try! Timestamp(parsing: text))) }
            let leads: [(String, String?, String?)] = [
                ("2025-03-03T09:00:00Z", "2025-03-03T10:00:00Z", "2025-03-05T12:00:00Z"),
                ("2025-03-04T09:00:00Z", "2025-03-04T14:00:00Z", "2025-03-06T12:00:00Z"),
                ("2025-03-05T09:00:00Z", nil, nil),
                ("2025-03-06T09:00:00Z", "2025-03-06T09:30:00Z", nil),
                ("2025-02-20T09:00:00Z", "2025-02-20T10:00:00Z", nil),
                ("2025-03-10T09:00:00Z", "2025-03-10T10:00:00Z", "2025-04-05T12:00:00Z"),
            ]
            for (index, (created, called, disqualified)) in leads.enumerated() {
                let id = try at(created).create(EntityCatalog.lead, fields: [
                    "name": "L\(index + 1)", "source": "web", "owner_id": "1", "created_at": created,
                ], as: actor, db)
                if let called {
                    try at(called).create(EntityCatalog.activity, fields: [
                        "kind": "call", "subject": "First call", "owner_id": "1", "lead_id": String(id), "at": called,
                    ], as: actor, db)
                }
                if let disqualified {
                    try at(disqualified).update(EntityCatalog.lead, id: id, fields: [
                        "status": "disqualified", "disqualified_at": disqualified,
                    ], as: actor, db)
                }
            }
        }
        return path
    }

    static func simulate(_ db: String, _ extra: [String] = []) throws -> (SimulationReport, String) {
        let result = try E2E.binary.run(["simulate", E2E.fixturePath("lead-process.yaml"), "--db", db,
                                         "--ending", "2025-04-01", "--months", "1", "--json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return (try JSONDecoder().decode(SimulationReport.self, from: Data(result.stdout.utf8)), result.stderr)
    }

    @Test func aMonthOfHistoryGivesTheLoadPerAgentAndTheBreachesWorkedOutByHand() throws {
        let dir = try TemporaryDirectory("simulate")
        let db = try Self.workspace(in: dir)
        let before = try DatabaseDump.dump(path: db)
        let (report, _) = try Self.simulate(db)

        #expect(report.window.start.dateString == "2025-03-01")
        #expect(report.window.end.dateString == "2025-04-01")
        let replayed = report.replayed
        let counts: [Int] = [replayed.records, replayed.activities, replayed.changes, replayed.skipped]
        #expect(counts == [5, 4, 2, 0])
        let lead = try #require(report.processes.first)
        #expect(report.processes.count == 1)
        #expect(lead.records == 5)
        #expect(lead.finished == 4)
        #expect(lead.states.map { "\($0.state):\($0.records)/\($0.open)" } == ["new:1/1", "disqualified:4/0"])
        // L2 and L3 miss the 4 h SLA of new → contacted; L4 and L6 the 3 d SLA of contacted.
        #expect(lead.slaBreaches == 4)
        #expect(lead.recordsBreached == 4)
        #expect(lead.recordsBreachedPercent == 80)
        #expect(lead.escalations == 1)
        #expect(lead.months.map { "\($0.month):\($0.records)/\($0.slaBreaches)/\($0.escalations)" } == ["2025-03:5/4/1"])

        // Round robin over the three reps in creation order; L3 escalated to the manager.
        let load = Dictionary(uniqueKeysWithValues: lead.agents.map { ($0.userID, $0) })
        #expect(load[1]?.assigned == 2)
        #expect(load[2]?.assigned == 2)
        #expect(load[3]?.assigned == 1)
        #expect(load[4]?.assigned == 0)
        #expect(load[4]?.escalatedTo == 1)
        #expect(load[4]?.openAtEnd == 1)  // L3 is still new, now the manager's
        #expect(load[4]?.slaBreaches == 1)
        #expect(load[1]?.slaBreaches == 1)  // L4
        #expect(load[2]?.slaBreaches == 2)  // L2, L6
        #expect(load[1]?.peakOpen == 1)  // L1 ended on 03-05, before L4 arrived
        #expect(load[4]?.name == "Manager")

        // new → contacted took 1, 5, 0.5 and 1 hours: median 1 h, three of four within 4 h.
        let first = try #require(lead.transitionTimes.first { $0.from == "new" && $0.to == "contacted" })
        #expect(first.count == 4)
        #expect(first.medianHours == 1)
        #expect(first.withinSLA == 3)
        #expect(report.notes.contains { $0.contains("`action:`") })

        // The workspace was only read.
        #expect(try DatabaseDump.dump(path: db) == before)
    }

    @Test func scaleReplaysMoreRecordsAndKeepWritesTheScratchDatabase() throws {
        let dir = try TemporaryDirectory("simulate-scale")
        let db = try Self.workspace(in: dir)
        let kept = dir.file("kept.sqlite")
        let (report, _) = try Self.simulate(db, ["--scale", "2", "--keep", kept])
        #expect(report.replayed.records == 10)
        #expect(report.replayed.activities == 8)
        #expect(report.keptDatabase == kept)
        let instances = try DatabaseQueue(path: kept).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM process_instances")
        }
        #expect(instances == 10)
        // The kept copy is the simulation's workspace: the process commands show it.
        let status = try E2E.binary.run(["process", "status", "--db", kept])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("lead-handling (to-be, lead records of everyone, since 2025-03-01)"))
        let stats = try E2E.binary.run(["process", "stats", "--db", kept, "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")

        let again = try E2E.binary.run(["simulate", E2E.fixturePath("lead-process.yaml"), "--db", db, "--keep", kept])
        #expect(again.status == 1)
        #expect(again.stderr.contains("\(kept) exists; --keep writes a new database"))
    }

    @Test func whatCannotBeSimulatedIsSaidClearly() throws {
        let dir = try TemporaryDirectory("simulate-errors")
        let db = try Self.workspace(in: dir)
        let playbook = E2E.fixturePath("lead-process.yaml")

        let unknown = try E2E.binary.run(["simulate", playbook, "--db", db, "--process", "lead-handlin"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: the playbook has no process 'lead-handlin'; its processes: lead-handling\n")

        let empty = try E2E.binary.run(["simulate", playbook, "--db", db, "--ending", "2025-01-01"])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("no lead records created between 2024-10-01 and 2025-01-01"))

        let scope = try E2E.binary.run(["simulate", playbook, "--db", db, "--scope", "pilots"])
        #expect(scope.status != 0)
        #expect(scope.stderr.contains("--scope is everyone or pilot:GROUP"))

        let noProject = try E2E.binary.run(["simulate", "--db", db])
        #expect(noProject.status == 1)
        #expect(noProject.stderr.contains("no project has started in this workspace"))
    }
}
