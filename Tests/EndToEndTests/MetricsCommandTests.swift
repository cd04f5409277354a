import Foundation
import RolloutTesting
import Testing

/// `rollout metrics` as a consultant choosing a KPI's metric meets it: the catalog grouped by
/// category, the SQL on request, and JSON with each metric's category.
@Suite struct MetricsCommandTests {
    @Test func theListIsGroupedByCategoryInTheCatalogsOrder() throws {
        let result = try E2E.binary.run(["metrics"])
        #expect(result.status == 0)
        let headings = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") && $0 == $0.uppercased() }
        #expect(headings == ["SALES", "MARKETING", "SERVICE", "ADOPTION", "DATA QUALITY", "PROCESS"])
        #expect(result.stdout.contains("campaign.response_rate  (Campaign response rate; %; mean per campaign member)"))
        #expect(!result.stdout.contains("SELECT"))
    }

    @Test func sqlAddsEachMetricsQuery() throws {
        let result = try E2E.binary.run(["metrics", "--sql"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("ticket.reopen_rate  (Ticket reopen rate; %; mean per resolved ticket)"))
        #expect(result.stdout.contains("\n    SELECT CASE WHEN EXISTS (SELECT 1 FROM ticket_status_changes s\n"))
    }

    @Test func jsonGivesEveryMetricWithItsCategory() throws {
        let result = try E2E.binary.run(["metrics", "--json"])
        #expect(result.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count >= 25)
        let categories = Set(entries.compactMap { $0["category"] as? String })
        #expect(categories == ["sales", "marketing", "service", "adoption", "data_quality", "process"])
        let reopen = try #require(entries.first { $0["id"] as? String == "ticket.reopen_rate" })
        #expect(reopen["category"] as? String == "process")
        #expect((reopen["sql"] as? String)?.contains("ticket_status_changes") == true)
    }
}
