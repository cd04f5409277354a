import Evaluation
import Foundation
import RolloutKit
import RolloutTesting
import Testing

/// `rollout process stats` on the seeded demo CRM, with the bundled iterative-improvement
/// playbook (its lead-handling process has an as-is and a to-be model; no activation yet).
@Suite struct ProcessStatsCommandTests {
    @Test func processStatsMeasuresTheCRMsHistoryOnTheAsIsModelAndSaysTheProcessHasNotBeenActivated() throws {
        let dir = try TemporaryDirectory("process-stats")
        let db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
        let playbook = try ResourceLocator.playbooks().path(of: "iterative-improvement.yaml")
        #expect(try E2E.binary.run(["run", playbook, "--db", db, "--as-of", "2025-09-01"]).status == 0)

        let json = try E2E.binary.run(["process", "stats", "--db", db, "--as-of", "2025-09-01", "--process", "lead-handling",
                                       "--json"])
        #expect(json.status == 0)
        let stats = try JSONDecoder().decode([ProcessStatistics].self, from: Data(json.stdout.utf8))
        let lead = try #require(stats.first)
        #expect(stats.count == 1)
        #expect(lead.conformance.map(\.variant) == [.toBe, .asIs])
        // Nothing ran on the to-be model: every lead is CRM history, measured on the as-is.
        #expect(lead.conformance[0].recordsMeasured == 0)
        #expect(lead.conformance[1].recordsMeasured == lead.records)
        #expect(lead.records > 0)
        #expect(lead.cycleTimes.changeAt == nil)
        #expect(lead.cycleTimes.groups.allSatisfy { $0.after == nil })
        #expect(lead.businessCalendar == "China office")

        let text = try E2E.binary.run(["process", "stats", "--db", db, "--as-of", "2025-09-01"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Lead handling (lead-handling): \(lead.records) lead records with a history"))
        #expect(text.stdout.contains("change: not activated yet; pilot group \(lead.cycleTimes.pilotGroup ?? "?")"))
        #expect(text.stdout.contains("- The process has not been activated yet: every record counts as before the change"))

        let refused = try E2E.binary.run(["process", "stats", "--db", db, "--process", "lead-handlin"])
        #expect(refused.status == 1)
        #expect(refused.stderr == "error: the playbook has no process 'lead-handlin'; its processes: lead-handling\n")
        #expect(refused.stdout.isEmpty)
    }
}
