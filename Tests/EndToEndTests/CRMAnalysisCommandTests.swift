import Foundation
import RolloutTesting
import Testing

/// `rollout crm report …` and `rollout crm segment …` as a user runs them, on the seeded demo CRM.
@Suite struct CRMAnalysisCommandTests {
    @Test func aReportPrintsAlignedTextOrItsFullResultAsJSON() throws {
        let dir = try TemporaryDirectory("crm-report")
        let db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
        let text = try E2E.binary.run(["crm", "report", "pipeline", "--db", db, "--as-of", "2025-06-30"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("Pipeline at 2025-06-30T00:00:00Z, amounts in CNY"))
        #expect(text.stdout.contains("negotiation") && text.stdout.contains("Total"))

        let json = try E2E.binary.run(["crm", "report", "pipeline", "--db", db, "--as-of", "2025-06-30", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["stages"] as? [[String: Any]])?.map { $0["stage"] as? String }
            == ["prospecting", "qualification", "proposal", "negotiation"])
        #expect(object?["asOf"] as? String == "2025-06-30T00:00:00Z")
    }

    @Test func anUnknownUserOrAnInvertedWindowIsRefusedWithNothingPrinted() throws {
        let dir = try TemporaryDirectory("crm-report-refused")
        let db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
        let unknown = try E2E.binary.run(["crm", "report", "forecast", "--db", db, "--as", "nobody@example.com"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: no user 'nobody@example.com'\n")
        #expect(unknown.stdout.isEmpty)
        let inverted = try E2E.binary.run(["crm", "report", "sla", "--db", db, "--from", "2025-02-01", "--to", "2025-01-01"])
        #expect(inverted.status == 64)
        #expect(inverted.stderr.contains("the window ends (2025-01-01) before it starts (2025-02-01)"))
    }

    @Test func segmentationsRunOnTheDemoWorkspace() throws {
        let dir = try TemporaryDirectory("crm-segment")
        let db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
        let rfm = try E2E.binary.run(["crm", "segment", "rfm", "--db", db, "--as-of", "2025-06-30"])
        #expect(rfm.status == 0, "\(rfm.stderr)")
        // The demo's customers order (docs/demo-data.md): every one with an order before the instant is scored.
        #expect(rfm.stdout.hasPrefix("RFM of "))
        let scored = Int(rfm.stdout.dropFirst("RFM of ".count).prefix { $0.isNumber }) ?? 0
        #expect(scored > 100)
        let cluster = try E2E.binary.run(["crm", "segment", "cluster", "--db", db, "--attributes", "tickets,bogus"])
        #expect(cluster.status == 64)
        #expect(cluster.stderr.contains("unknown attribute 'bogus'"))
    }
}
