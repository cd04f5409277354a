import Foundation
import RolloutTesting
import Testing

/// `rollout check` compiles each custom SQL metric in the sandbox, so a query that would be
/// refused or does not compile is an error at its location before the project runs.
@Suite struct SQLMetricCheckTests {
    func playbook(with sql: String, in dir: TemporaryDirectory) throws -> String {
        let kpi = """
              - id: leads_with_email
                name: Leads with an e-mail address
                sql: \(sql)
                aggregate: mean
                window: 30d
                direction: higher_is_better

            """
        let text = try E2E.fixture("two-phase.yaml").replacingOccurrences(of: "kpis:\n", with: "kpis:\n" + kpi)
        return try dir.write("sql.yaml", text)
    }

    @Test func aQueryOnPublishedViewsPasses() throws {
        let dir = try TemporaryDirectory("sql-check")
        let path = try playbook(with: "\"SELECT owner_id AS user_id, created_at AS at, 100.0 * has_email AS value FROM v_leads\"",
                                in: dir)
        let result = try E2E.binary.run(["check", path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("error["))
    }

    @Test func aTableThatIsNotPublishedIsAnErrorAtTheSQLsLocation() throws {
        let dir = try TemporaryDirectory("sql-check")
        let path = try playbook(with: "\"SELECT owner_id AS user_id, created_at AS at, 1 AS value FROM leads\"", in: dir)
        let result = try E2E.binary.run(["check", path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(path):20:11: error[sql-refused]: the SQL of KPI 'leads_with_email' would be "
                                       + "refused: it reads leads, which is not a published view"), "\(result.stdout)")
        #expect(result.stdout.contains("(use v_leads)"))
    }

    @Test func aMisspeltColumnOrAMissingValueColumnIsAnError() throws {
        let dir = try TemporaryDirectory("sql-check")
        let misspelt = try playbook(with: "\"SELECT owner_id AS user_id, created AS at, 1 AS value FROM v_leads\"", in: dir)
        let result = try E2E.binary.run(["check", misspelt, "--format", "json"])
        #expect(result.status == 1)
        let files = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let diagnostic = (files?.first?["diagnostics"] as? [[String: Any]])?.first { $0["code"] as? String == "sql-invalid" }
        #expect((diagnostic?["message"] as? String)?.contains("no such column: created") == true)
        let noValue = try playbook(with: "\"SELECT owner_id AS user_id, created_at AS at FROM v_leads\"", in: dir)
        let second = try E2E.binary.run(["check", noValue])
        #expect(second.stdout.contains("error[sql-invalid]"))
        #expect(second.stdout.contains("no such column: metric.value"))
    }
}
