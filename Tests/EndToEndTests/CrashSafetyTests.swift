import Foundation
import RolloutTesting
import Testing

/// SIGKILL at any moment, then a rerun, ends exactly where an uninterrupted run ends: no event
/// lost, no action done twice. The comparison is the whole database, row by row.
@Suite(.serialized) struct CrashSafetyTests {
    /// The demo run uninterrupted from the seeded template: the state every interrupted run must reach.
    static let reference: (dump: String, report: Data?) = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rollout-e2e-reference-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.removeItem(atPath: dir)
        try! FileManager.default.copyItem(atPath: E2E.seededTemplate, toPath: dir)
        let result = try! E2E.binary.run(["demo", "--out", dir])
        precondition(result.status == 0, result.stderr)
        return (try! E2E.dump(dir + "/rollout.sqlite"), FileManager.default.contents(atPath: dir + "/evaluation.json"))
    }()

    @Test(arguments: ["before-commit", "after-commit"], [1, 2, 3, 9, 27, 55, 80])
    func aDemoKilledAtACommitAndRerunEndsInTheSameState(point: String, commit: Int) throws {
        let dir = try TemporaryDirectory("crash-point")
        let out = try E2E.seededWorkspace(in: dir)
        let crashed = try E2E.binary.run(["demo", "--out", out], environment: ["ROLLOUT_CRASH_POINT": "\(point):\(commit)"])
        #expect(crashed.killed, "the crash point \(point):\(commit) was not reached")
        let resumed = try E2E.binary.run(["demo", "--out", out])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("Resuming the unfinished demo"))
        #expect(try E2E.dump("\(out)/rollout.sqlite") == Self.reference.dump)
        #expect(FileManager.default.contents(atPath: "\(out)/evaluation.json") == Self.reference.report)
    }

    @Test func aDemoKilledAtRandomMomentsResumesAndFinishesExactlyOnce() throws {
        let dir = try TemporaryDirectory("random-kill")
        let out = try E2E.seededWorkspace(in: dir)
        var random = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<6 {
            let process = try E2E.binary.start(["demo", "--out", out])
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.6, using: &random))
            process.kill()
            if process.wait().killed { kills += 1 }
        }
        let finished = try E2E.binary.run(["demo", "--out", out])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(kills > 0, "no run was killed before it finished; the test proved nothing")
        #expect(try E2E.dump("\(out)/rollout.sqlite") == Self.reference.dump)
    }

    @Test(arguments: ["before-commit", "after-commit"], [1, 2, 3])
    func rolloutRunKilledInTheMiddleOfAPhaseAndRerunEndsInTheSameState(point: String, commit: Int) throws {
        let dir = try TemporaryDirectory("run-crash")
        let playbook = try dir.write("two-phase.yaml", try E2E.fixture("two-phase.yaml"))
        let clean = try E2E.seededWorkspace(in: dir, name: "clean")
        let crashed = try E2E.seededWorkspace(in: dir, name: "crashed")
        // The run starts the project, starts the first phase and runs its kpi.baseline action: three commits.
        let reference = try E2E.binary.run(["run", playbook, "--db", "\(clean)/rollout.sqlite", "--as-of", "2025-03-03"])
        #expect(reference.status == 0, "\(reference.stderr)")
        let killed = try E2E.binary.run(["run", playbook, "--db", "\(crashed)/rollout.sqlite", "--as-of", "2025-03-03"],
                                        environment: ["ROLLOUT_CRASH_POINT": "\(point):\(commit)"])
        #expect(killed.killed)
        let rerun = try E2E.binary.run(["run", playbook, "--db", "\(crashed)/rollout.sqlite", "--as-of", "2025-03-03"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let dump = try E2E.dump("\(crashed)/rollout.sqlite")
        #expect(dump == (try E2E.dump("\(clean)/rollout.sqlite")))
        // Once more changes nothing.
        let again = try E2E.binary.run(["run", "--db", "\(crashed)/rollout.sqlite", "--as-of", "2025-03-03"])
        #expect(again.stdout.hasPrefix("nothing to do"))
        #expect(try E2E.dump("\(crashed)/rollout.sqlite") == dump)
    }
}
