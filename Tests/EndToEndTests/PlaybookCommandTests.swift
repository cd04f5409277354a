import Foundation
import RolloutTesting
import Testing

/// `rollout playbook diff`: two versions of a playbook compared by id; a broken file prints its diagnostics.
@Suite struct PlaybookCommandTests {
    @Test func diffListsTheChangesInWordsAndSaysNoChangesForTheSamePlaybook() throws {
        let dir = try TemporaryDirectory("playbook-diff")
        let text = try E2E.fixture("two-phase.yaml")
        let v1 = try dir.write("v1.yaml", text)
        let v2 = try dir.write("v2.yaml", "# reformatted and edited\n" + text
            .replacingOccurrences(of: "version: 1", with: "version: 2")
            .replacingOccurrences(of: "    duration: 4w", with: "    duration: 6w"))
        let diff = try E2E.binary.run(["playbook", "diff", v1, v2])
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout == """
            \(v1) (two-phase version 1) → \(v2) (two-phase version 2): 2 changes
              • playbook: version 1 → 2
              • phase 'pilot': duration 28 days → 42 days

            """)
        let json = try E2E.binary.run(["playbook", "diff", v1, v2, "--json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((parsed?["changes"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == ["version", "duration"])

        let same = try E2E.binary.run(["playbook", "diff", v1, v1])
        #expect(same.status == 0)
        #expect(same.stdout == "\(v1) (two-phase version 1) → \(v1) (two-phase version 1): no changes\n")
    }

    @Test func aPlaybookWithErrorsPrintsItsDiagnosticsAndExitsOne() throws {
        let dir = try TemporaryDirectory("playbook-diff-bad")
        let v1 = try dir.write("v1.yaml", try E2E.fixture("two-phase.yaml"))
        let bad = try dir.write("bad.yaml", try E2E.fixture("two-phase.yaml").replacingOccurrences(of: "owner: pm\n    duration: 2w", with: "owner: nobody\n    duration: 2w"))
        let result = try E2E.binary.run(["playbook", "diff", v1, bad])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(bad):"))
        #expect(result.stderr.contains("error[unknown-role]: phase 'preparation' is owned by unknown role 'nobody'"))
        #expect(result.stdout.isEmpty)
    }
}
