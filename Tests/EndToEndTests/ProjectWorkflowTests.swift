import Foundation
import RolloutTesting
import Testing

/// A project manager's day with the CLI: run, tasks, status, approvals, lessons, ROI, report.
@Suite struct ProjectWorkflowTests {
    struct Project {
        let dir: TemporaryDirectory
        let db: String
        let playbook: String

        init() throws {
            dir = try TemporaryDirectory("workflow")
            db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
            playbook = try dir.write("two-phase.yaml", try E2E.fixture("two-phase.yaml"))
        }

        @discardableResult
        func rollout(_ arguments: String..., asOf: String) throws -> RolloutBinary.Result {
            try E2E.binary.run(arguments + ["--db", db, "--as-of", asOf])
        }

        /// Runs the preparation phase to its gate.
        func reachFirstGate() throws {
            #expect(try rollout("run", playbook, asOf: "2025-03-03").status == 0)
            #expect(try rollout("task", "done", "write-charter", "--by", "Zhou Min", asOf: "2025-03-07").status == 0)
            #expect(try rollout("task", "done", "approve-scope", "--by", "Chen Jing", asOf: "2025-03-12").status == 0)
            let run = try rollout("run", asOf: "2025-03-17")
            #expect(run.stdout.contains("stopped at the gate of 'preparation'"))
        }
    }

    @Test func anApprovalByARoleTheGateDoesNotNameIsRefusedWithAClearMessageAndChangesNothing() throws {
        let p = try Project()
        try p.reachFirstGate()
        let before = try E2E.dump(p.db)
        let refused = try p.rollout("approve", "preparation", "--by", "Zhou Min", "--role", "pm", "--decision", "go", asOf: "2025-03-17")
        #expect(refused.status == 1)
        #expect(refused.stderr == "error: role 'pm' (Project manager) may not decide the gate of 'preparation': its approvers are steering (Steering committee)\n")
        #expect(try E2E.dump(p.db) == before)
    }

    @Test func statusShowsTheTimelineTheGateAndTheNextStep() throws {
        let p = try Project()
        try p.reachFirstGate()
        let status = try p.rollout("status", asOf: "2025-03-17")
        #expect(status.status == 0)
        #expect(status.stdout.contains("awaiting decision"))
        #expect(status.stdout.contains("✔ deliverable 'Project charter': delivered"))
        #expect(status.stdout.contains("Next: the gate of Preparation awaits steering"))
        let approve = try p.rollout("approve", "preparation", "--by", "Chen Jing", "--role", "steering", "--decision", "go",
                                    "--note", "Charter agreed", asOf: "2025-03-17")
        #expect(approve.stdout.contains("decided: go"))
        let run = try p.rollout("run", asOf: "2025-03-17")
        #expect(run.stdout.contains("Pilot: pilot.start: pilot 'east' started with 9 users"))
        let json = try p.rollout("status", "--json", asOf: "2025-03-18")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let phases = parsed?["phases"] as? [[String: Any]]
        #expect(phases?.map { $0["status"] as? String } == ["completed", "active"])
    }

    @Test func lessonsAreRecordedAndSummarised() throws {
        let p = try Project()
        try p.reachFirstGate()
        let added = try p.rollout("lesson", "add", "--phase", "preparation", "--category", "delay", "--what", "Scope sign-off slipped",
                                  "--delay-days", "4", "--caused-by", "Legal review", "--cost", "8000", "--remedy", "Legal in the steering committee",
                                  asOf: "2025-03-17")
        #expect(added.status == 0, "\(added.stderr)")
        let list = try p.rollout("lesson", "list", asOf: "2025-03-17")
        #expect(list.stdout.contains("[preparation, delay, 4 days late, caused by Legal review, cost CNY 8,000.00] Scope sign-off slipped"))
        #expect(list.stdout.contains("Total delay 4 days, cost CNY 8,000.00"))
        #expect(try p.rollout("lesson", "add", "--phase", "preparation", "--category", "delay", "--what", "Data export late",
                              "--delay-days", "2", "--caused-by", "IT", "--cost", "12000", asOf: "2025-03-17").status == 0)
        #expect(try p.rollout("lesson", "add", "--phase", "preparation", "--category", "training", "--what", "Reps unsure",
                              "--caused-by", "legal review", "--cost", "500", asOf: "2025-03-17").status == 0)
        // Costliest first, and the cost of delay summed by cause (any case).
        let byCost = try p.rollout("lesson", "list", "--sort", "cost", asOf: "2025-03-17")
        let whats = byCost.stdout.split(separator: "\n").filter { $0.hasPrefix("#") }.map { $0.split(separator: "]").last ?? "" }
        #expect(whats == [" Data export late", " Scope sign-off slipped", " Reps unsure"])
        let json = try p.rollout("lesson", "list", "--json", asOf: "2025-03-17")
        let summary = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["summary"] as? [String: Any]
        let causes = (summary?["byCause"] as? [[String: Any]])?.map { [$0["key"] as? String ?? "", "\($0["costMinor"] ?? "")"] }
        #expect(causes == [["IT", "1200000"], ["Legal review", "850000"]])
        let onlyIT = try p.rollout("lesson", "list", "--caused-by", "it", asOf: "2025-03-17")
        #expect(onlyIT.stdout.contains("Data export late") && !onlyIT.stdout.contains("Scope sign-off slipped"))
        let bad = try p.rollout("lesson", "add", "--phase", "nowhere", "--category", "delay", "--what", "x", asOf: "2025-03-17")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("unknown phase 'nowhere'"))
    }

    @Test func aPlaybookWithErrorsIsNotRunAndNothingIsWritten() throws {
        let p = try Project()
        let broken = try p.dir.write("broken.yaml", try E2E.fixture("two-phase.yaml")
            .replacingOccurrences(of: "owner: key-users", with: "owner: key-user"))
        let before = try E2E.dump(p.db)
        let result = try p.rollout("run", broken, asOf: "2025-03-03")
        #expect(result.status == 1)
        let (line, column) = E2E.position(of: "owner: key-user", in: try String(contentsOfFile: broken, encoding: .utf8))
        #expect(result.stderr.hasPrefix("\(broken):\(line):\(column + 7): error[unknown-role]: task 'run-pilot' of phase 'pilot' is owned by "
            + "unknown role 'key-user' (did you mean 'key-users'?)"))
        #expect(result.stderr.hasSuffix("1 error; nothing was written\n"))
        #expect(try E2E.dump(p.db) == before)
    }

    @Test func commandsOnAMissingWorkspaceSayHowToCreateOne() throws {
        let dir = try TemporaryDirectory("missing")
        let result = try E2E.binary.run(["status", "--db", dir.file("nope.sqlite")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no workspace database at"))
        #expect(result.stderr.contains("rollout init"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("nope.sqlite")))
    }

    @Test func initCreatesAMigratedWorkspaceAndROLLOUT_DBSelectsIt() throws {
        let dir = try TemporaryDirectory("init")
        let created = try E2E.binary.run(["init", dir.file("acme")])
        #expect(created.status == 0)
        #expect(created.stdout.contains("crm.v1.core"))
        let status = try E2E.binary.run(["status"], environment: ["ROLLOUT_DB": dir.file("acme/rollout.sqlite")])
        #expect(status.stderr.contains("no project has started in this workspace"))
        let mode = try DatabaseDump.dump(path: dir.file("acme/rollout.sqlite")).contains("engine.v1.event-log")
        #expect(mode)
    }
}
