import CRMCore
import Foundation
import GRDB
import RolloutMetrics
import Playbook
import RolloutTesting
import Testing

/// Custom SQL metrics run where they can only read: a read-only connection whose authorizer
/// allows `SELECT` on the published `v_*` views, with a time limit. Each refusal must say why.
@Suite struct SQLSandboxTests {
    /// A workspace file with two users' leads, committed (the sandbox reads committed data).
    final class Fixture {
        let directory: TemporaryDirectory
        let workspace: WorkspaceDatabase
        let member: Int64
        let outsider: Int64

        init() throws {
            directory = try TemporaryDirectory("sandbox")
            workspace = try WorkspaceDatabase.open(at: directory.file("rollout.sqlite"),
                                                   modules: [CRMSchema.self, MetricsSchema.self], create: true)
            (member, outsider) = try workspace.write { db in
                var crm = CRMBuilder(db)
                let team = try crm.team("East")
                let member = try crm.user("Member", team: team)
                let outsider = try crm.user("Outsider", team: nil)
                try crm.lead(owner: member, createdAt: .day("2025-03-10"), firstResponseAfterHours: 2)
                try crm.lead(owner: member, createdAt: .day("2025-03-12"))
                try crm.lead(owner: member, createdAt: .day("2025-01-12"))          // before the window
                try crm.lead(owner: outsider, createdAt: .day("2025-03-11"))        // other group
                return (member, outsider)
            }
        }

        var path: String { directory.file("rollout.sqlite") }

        func sandbox(timeLimit: TimeInterval = 5) throws -> SQLSandbox {
            try SQLSandbox(path: path, timeLimit: timeLimit)
        }
    }

    func refusal(_ sql: String, _ fixture: Fixture) throws -> SQLSandboxError {
        do {
            _ = try fixture.sandbox().doubles(sql, arguments: [:])
        } catch let error as SQLSandboxError {
            return error
        }
        Issue.record("the sandbox ran: \(sql)")
        return SQLSandboxError(kind: .invalid, message: "")
    }

    @Test func readsPublishedViewsWithCountsJoinsAndCommonTableExpressions() throws {
        let fixture = try Fixture()
        let sandbox = try fixture.sandbox()
        #expect(try sandbox.doubles("SELECT COUNT(*) FROM v_leads", arguments: [:]) == [4])
        let perOwner = try sandbox.doubles("""
            WITH mine AS (SELECT owner_id, id FROM v_leads)
            SELECT COUNT(*) FROM mine JOIN v_users u ON u.id = mine.owner_id
            WHERE u.id IN (SELECT value FROM json_each(:users))
            """, arguments: ["users": .text("[\(fixture.member)]")])
        #expect(perOwner == [3])
        let recursive = try sandbox.doubles("""
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3) SELECT SUM(x) FROM n
            """, arguments: [:])
        #expect(recursive == [6])
    }

    @Test func refusesTablesThatAreNotPublishedViewsAndNamesTheView() throws {
        let fixture = try Fixture()
        let error = try refusal("SELECT COUNT(*) FROM leads", fixture)
        #expect(error.kind == .refused)
        #expect(error.message.contains("it reads leads, which is not a published view"))
        #expect(error.message.contains("use v_leads"))
        let audit = try refusal("SELECT id FROM audit_log", fixture)
        #expect(audit.message.contains("audit_log"))
        let schema = try refusal("SELECT name FROM sqlite_master", fixture)
        #expect(schema.kind == .refused)
        // A common table expression does not launder a table.
        let laundered = try refusal("WITH l AS (SELECT email FROM leads) SELECT COUNT(*) FROM l", fixture)
        #expect(laundered.message.contains("leads"))
    }

    @Test func refusesWritesAttachPragmasAndSecondStatements() throws {
        let fixture = try Fixture()
        let writes = [
            "INSERT INTO leads (name, owner_id, created_at) VALUES ('x', 1, 0)",
            "UPDATE leads SET status = 'x'",
            "DELETE FROM leads",
            "CREATE TABLE t (x)",
            "DROP VIEW v_leads",
        ]
        for sql in writes {
            let error = try refusal(sql, fixture)
            #expect(error.kind == .refused, "\(sql): \(error)")
        }
        #expect(try refusal("UPDATE leads SET status = 'x'", fixture).message.contains("read-only"))
        let attach = try refusal("ATTACH DATABASE '\(fixture.directory.file("other.sqlite"))' AS other", fixture)
        #expect(attach.message.contains("attaches"))
        let pragma = try refusal("PRAGMA table_info(leads)", fixture)
        #expect(pragma.message.contains("PRAGMA"))
        let pragmaFunction = try refusal("SELECT COUNT(*) FROM pragma_table_info('leads')", fixture)
        #expect(pragmaFunction.message.contains("PRAGMA"))
        let second = try refusal("SELECT 1 FROM v_leads; DELETE FROM leads", fixture)
        #expect(second.message.contains("more than one statement"))
        // Nothing was written.
        let count = try fixture.workspace.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads") }
        #expect(count == 4)
    }

    @Test func stopsAQueryAtTheTimeLimit() throws {
        let fixture = try Fixture()
        let started = Date()
        do {
            _ = try fixture.sandbox(timeLimit: 0.2).doubles("""
                WITH RECURSIVE forever(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM forever) SELECT MAX(x) FROM forever
                """, arguments: [:])
            Issue.record("an endless query returned")
        } catch let error as SQLSandboxError {
            #expect(error.kind == .timeLimit)
            #expect(error.message.contains("time limit of 0.20 s"))
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func everyPublishedViewReadsItsColumnsOnAFreshWorkspace() throws {
        let fixture = try Fixture()
        let sandbox = try fixture.sandbox()
        for view in PublishedView.all {
            let sql = "SELECT COUNT(*) FROM (SELECT \(view.columns.joined(separator: ", ")) FROM \(view.name))"
            #expect(throws: Never.self, "\(view.name)") { try sandbox.doubles(sql, arguments: [:]) }
        }
        // No personal data: the contacts' and leads' e-mail addresses are flags, not values.
        #expect(!PublishedView.named("v_contacts")!.columns.contains("email"))
        #expect(PublishedView.named("v_leads")!.columns.contains("has_email"))
    }

    // MARK: A playbook's SQL KPI

    func sqlKPI(_ query: String) -> KPIDefinition {
        let here = SourceLocation(file: "playbook.yaml", line: 12, column: 10)
        return KPIDefinition(id: "custom", name: "custom", metric: nil,
                             sql: KPIDefinition.SQLMetric(query: query, location: here), aggregate: .sum,
                             windowDays: 30, direction: .higherIsBetter, location: here)
    }

    @Test func aSQLKPICountsTheGroupsRowsInTheWindow() throws {
        let fixture = try Fixture()
        let kpi = sqlKPI("""
            SELECT owner_id AS user_id, created_at AS at, 1 AS value FROM v_leads;
            """)
        let measurer = KPIMeasurer(catalog: .builtIn)
        let m = try fixture.workspace.read { db in
            try measurer.measure(kpi, users: [fixture.member], group: .all, at: .day("2025-04-01"), db)
        }
        #expect(m.value == 2)
        #expect(m.sampleSize == 2)
    }

    @Test func aRefusedSQLKPISaysWhereInThePlaybook() throws {
        let fixture = try Fixture()
        let kpi = sqlKPI("SELECT owner_id AS user_id, created_at AS at, 1 AS value FROM leads")
        let measurer = KPIMeasurer(catalog: .builtIn)
        do {
            _ = try fixture.workspace.read { db in
                try measurer.measure(kpi, users: [fixture.member], group: .all, at: .day("2025-04-01"), db)
            }
            Issue.record("a KPI on a table was measured")
        } catch let error as MetricsError {
            #expect(error.description.hasPrefix("playbook.yaml:12:10: the SQL of KPI 'custom' was refused"))
            #expect(error.description.contains("use v_leads"))
        }
    }
}

/// The playbook reference lists the published views a custom metric may read, column by column.
@Suite struct PublishedViewsDocumentationTests {
    @Test func thePlaybookReferenceListsEveryPublishedViewWithItsColumns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/playbook-reference.md"), encoding: .utf8)
        for view in PublishedView.all {
            let columns = view.columns.map { "`\($0)`" }.joined(separator: ", ")
            #expect(doc.contains("| `\(view.name)` | \(view.summary) | \(columns) |"),
                    "docs/playbook-reference.md has no up-to-date row for \(view.name)")
        }
    }
}
