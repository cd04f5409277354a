import Foundation
import RolloutTesting
import Testing

/// `rollout plan`, the dry run: timeline, checks, KPIs, costs; judged on a workspace it never writes to.
@Suite struct PlanCommandTests {
    static let standardPlaybook = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Playbooks/standard-nine-phase.yaml").path

    typealias JSON = [String: Any]

    func json(_ arguments: [String]) throws -> JSON {
        let result = try E2E.binary.run(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? JSON)
    }

    func phases(_ plan: JSON) -> [JSON] { (plan["timeline"] as? JSON)?["phases"] as? [JSON] ?? [] }

    @Test func theStandardPlaybooksPlanShowsEveryPhaseAndTaskInWeeksThatFollowDurationsAndDependencies() throws {
        let arguments = ["plan", Self.standardPlaybook, "--start", "2025-03-03"]
        let text = try E2E.binary.run(arguments)
        #expect(text.status == 0, "\(text.stderr)")
        let plan = try json(arguments)
        let phases = phases(plan)
        #expect(phases.count == 9)
        var day = 0
        for (index, phase) in phases.enumerated() {
            let span = try #require(phase["span"] as? JSON)
            let name = try #require(phase["name"] as? String)
            #expect(span["startDay"] as? Int == day, "\(name)")
            #expect(span["endDay"] as? Int == day + (phase["durationDays"] as? Int ?? -1))
            #expect(text.stdout.contains("\(index + 1) \(name)"), "phase row of \(name)")
            let tasks = try #require(phase["tasks"] as? [JSON])
            let ends = Dictionary(uniqueKeysWithValues: tasks.map { ($0["id"] as! String, ($0["span"] as! JSON)["endDay"] as! Int) })
            for task in tasks {
                let id = try #require(task["id"] as? String)
                let taskSpan = try #require(task["span"] as? JSON)
                let start = try #require(taskSpan["startDay"] as? Int)
                let after = (task["dependsOn"] as? [String] ?? []).compactMap { ends[$0] }.max() ?? day
                #expect(start == after, "\(id) starts when the tasks it depends on end")
                #expect(taskSpan["endDay"] as? Int == start + (task["durationDays"] as? Int ?? -1))
                let week = start / 7 + 1
                #expect(taskSpan["startWeek"] as? Int == week)
                let row = try #require(text.stdout.components(separatedBy: "\n").first { $0.hasPrefix("      \(id) ") },
                                       "a row for task \(id)")
                #expect(row.contains(" w\(week)"), "\(row)")
            }
            day = span["endDay"] as? Int ?? day
        }
        #expect((plan["timeline"] as? JSON)?["totalWeeks"] as? Int == (day + 6) / 7)
        #expect(text.stdout.contains("Dry run: nothing was written."))
    }

    @Test func theMonthlyCostsAddUpToTheFirstYearOfTheTCOAndTheYearsToItsTotal() throws {
        let plan = try json(["plan", Self.standardPlaybook, "--start", "2025-03-03"])
        let costs = try #require(plan["costs"] as? JSON)
        let months = try #require(costs["months"] as? [JSON])
        #expect(months.count == 12)
        let monthly = months.compactMap { ($0["costs"] as? JSON)?["total"] as? Double }.reduce(0, +)
        let tco = try #require(costs["tco"] as? JSON)
        let columns = try #require(tco["columns"] as? [JSON])
        let yearly = columns.compactMap { ($0["costs"] as? JSON)?["total"] as? Double }
        #expect(columns.map { $0["year"] as? Int } == [0, 1, 2, 3])
        #expect(abs(monthly - yearly[1]) < 0.005)
        #expect(abs(yearly.reduce(0, +) - ((tco["total"] as? JSON)?["total"] as? Double ?? -1)) < 0.005)
        let text = try E2E.binary.run(["plan", Self.standardPlaybook, "--start", "2025-03-03"]).stdout
        #expect(text.contains("Month 12"))
        #expect(text.contains("Total over 3 years"))
    }

    @Test func onADemoWorkspaceCriteriaWouldPassOrFailWithTheirValueBaselineOnesAreUnknownAndNothingIsWritten() throws {
        let dir = try TemporaryDirectory("plan-demo")
        let workspace = try E2E.seededWorkspace(in: dir)
        let db = workspace + "/rollout.sqlite"
        // A byte-identical copy to dump, because opening the original, even read-only, would create files beside it.
        let copy = try E2E.seededWorkspace(in: dir, name: "copy") + "/rollout.sqlite"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        let files = try FileManager.default.contentsOfDirectory(atPath: workspace).sorted()

        let arguments = ["plan", Self.standardPlaybook, "--db", db, "--as-of", "2025-03-03"]
        let result = try E2E.binary.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.components(separatedBy: "\n")
        let limit = try #require(lines.first { $0.contains("lead_response_hours (pilot:east-pilot) at most 12") })
        #expect(limit.contains("would pass: ") || limit.contains("would fail: "), "\(limit)")
        #expect(limit.contains("measured "))
        #expect(lines.contains { $0.contains("? unknown: win_rate (pilot:east-pilot) beats control: pilot, control or their baselines not measured") })
        #expect(lines.contains { $0.contains("? unknown: deliverable 'Pilot test report'") })
        #expect(result.stdout.contains("no project of this playbook has started there"))

        let plan = try json(arguments)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == bytes, "the workspace file changed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace).sorted() == files, "files appeared beside it")
        #expect(try E2E.dump(db) == (try E2E.dump(copy)), "a table's rows changed")

        // The JSON holds what the text shows: every criterion with its outcome.
        let checks = try #require(plan["checks"] as? [JSON])
        var judged = 0
        for phase in checks {
            for check in ((phase["gate"] as? JSON)?["criteria"] as? [JSON] ?? []) + (phase["entry"] as? [JSON] ?? []) {
                let outcome = try #require(check["outcome"] as? String).replacingOccurrences(of: "_", with: " ")
                let criterion = try #require(check["criterion"] as? String)
                #expect(result.stdout.contains("\(outcome): \(criterion)"), "\(outcome): \(criterion)")
                judged += 1
            }
        }
        #expect(judged > 5)
        let prototype = try #require(checks.first { $0["phaseID"] as? String == "prototype-test" })
        let first = try #require(((prototype["gate"] as? JSON)?["criteria"] as? [JSON])?.first)
        #expect(first["value"] is Double)
        #expect(limit.contains("measured \(PlanCommandTests.number(first["value"] as? Double ?? .nan))"))
        let groups = try #require((plan["dryRun"] as? JSON)?["groups"] as? [JSON])
        #expect(groups.map { $0["group"] as? String } == ["all", "pilot:east-pilot", "control:east-pilot"])
    }

    @Test func aPlaybookWithErrorsPrintsItsDiagnosticsLikeCheckAndExitsOne() throws {
        let dir = try TemporaryDirectory("plan-broken")
        let broken = try dir.write("broken.yaml", try E2E.fixture("two-phase.yaml")
            .replacingOccurrences(of: "owner: key-users", with: "owner: key-user"))
        let result = try E2E.binary.run(["plan", broken])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let check = try E2E.binary.run(["check", broken])
        let diagnostics = check.stdout.components(separatedBy: "\n").filter { $0.contains(": error") }
        #expect(!diagnostics.isEmpty)
        for line in diagnostics { #expect(result.stderr.contains(line)) }
    }

    @Test func aMissingWorkspaceIsRefusedWithoutCreatingIt() throws {
        let dir = try TemporaryDirectory("plan-missing")
        let result = try E2E.binary.run(["plan", Self.standardPlaybook, "--db", dir.file("none/rollout.sqlite")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no workspace database at"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("none")))
    }

    /// As the gate evaluator prints values: at most two decimals, no trailing zeros.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
