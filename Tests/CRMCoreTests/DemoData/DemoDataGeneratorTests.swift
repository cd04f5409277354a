@testable import CRMCore
import Foundation
import GRDB
import Testing

/// What the generator writes, and what it refuses: determinism, scale, the empty-CRM guard,
/// time bounds, and the internal consistency of every generated record.
@Suite struct DemoDataGeneratorTests {
    static let generatedTables = ["teams", "users", "accounts", "contacts", "leads", "opportunities",
                                  "opportunity_stage_changes", "activities", "tickets", "user_logins", "demo_seed_runs"]
        + DemoDataCompleteTests.newTables

    func contents(_ database: WorkspaceDatabase) throws -> [String: [Row]] {
        try database.read { db throws in
            var tables: [String: [Row]] = [:]
            for table in Self.generatedTables {
                // Tables WITHOUT ROWID are ordered by their primary key.
                let order = ["user_roles": "user_id, role", "calendar_days": "calendar_id, day",
                             "ticket_articles": "ticket_id, article_id"][table] ?? "rowid"
                tables[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)")
            }
            return tables
        }
    }

    func count(_ sql: String, _ db: Database, _ arguments: StatementArguments = []) throws -> Int {
        try Int.fetchOne(db, sql: sql, arguments: arguments) ?? -1
    }

    // MARK: - Determinism

    @Test func theSamePlanGivesIdenticalTablesAndAnIdenticalDatabaseFile() throws {
        let plan = DemoDataFixture.shortPlan()
        let (first, firstSummary) = try DemoDataFixture.generate(plan)
        let (second, secondSummary) = try DemoDataFixture.generate(plan)
        #expect(firstSummary == secondSummary)
        #expect(try contents(first) == contents(second))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [Data] = []
        for (index, database) in [first, second].enumerated() {
            let path = directory.appendingPathComponent("\(index).sqlite").path
            try database.writer.writeWithoutTransaction { try $0.execute(sql: "VACUUM INTO ?", arguments: [path]) }
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        #expect(files[0] == files[1])
    }

    @Test func anotherSeedGivesAnotherHistory() throws {
        let (first, _) = try DemoDataFixture.generate(DemoDataFixture.shortPlan(seed: 42))
        let (second, _) = try DemoDataFixture.generate(DemoDataFixture.shortPlan(seed: 43))
        let a = try contents(first), b = try contents(second)
        #expect(a["leads"] != b["leads"])
        #expect(a["tickets"] != b["tickets"])
        #expect(a["users"] != b["users"])
    }

    // MARK: - Refusals

    @Test func aCRMThatAlreadyHasATeamIsRefusedAndLeftUntouched() throws {
        let database = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self])
        try database.write { db in
            var team = Team(name: "Head Office", kind: .management)
            try team.insert(db)
        }
        let plan = DemoDataFixture.shortPlan()
        let error = #expect(throws: DemoDataError.self) {
            try database.write { db in try DemoDataGenerator(plan: plan).generate(into: db, createdAt: plan.historyStart) }
        }
        #expect(error?.crmWasNotEmpty == true)
        #expect(error?.description.contains("teams: 1") == true)
        try database.read { db throws in
            #expect(try count("SELECT COUNT(*) FROM teams", db) == 1)
            #expect(try count("SELECT COUNT(*) FROM users", db) == 0)
            #expect(try count("SELECT COUNT(*) FROM demo_seed_runs", db) == 0)
        }
    }

    @Test func aSecondRunIntoTheSameCRMIsRefused() throws {
        let plan = DemoDataFixture.shortPlan()
        let (database, summary) = try DemoDataFixture.generate(plan)
        #expect(throws: DemoDataError.self) {
            try database.write { db in try DemoDataGenerator(plan: plan).generate(into: db, createdAt: plan.historyStart) }
        }
        try database.read { db throws in
            #expect(try count("SELECT COUNT(*) FROM demo_seed_runs", db) == 1)
            #expect(try count("SELECT COUNT(*) FROM leads", db) == summary.leads)
        }
    }

    @Test func aPlanThatEndsBeforeItStartsIsRefusedBeforeAnythingIsWritten() throws {
        var plan = DemoDataFixture.shortPlan()
        plan.end = plan.historyStart.adding(days: -1)
        let database = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self])
        let error = #expect(throws: DemoDataError.self) {
            try database.write { db in try DemoDataGenerator(plan: plan).generate(into: db, createdAt: plan.historyStart) }
        }
        #expect(error?.description.contains("end") == true)
        try database.read { db throws in #expect(try count("SELECT COUNT(*) FROM teams", db) == 0) }
    }

    @Test func aPlanWithAPilotAfterTheCutoverOrALowercaseCurrencyIsRefused() throws {
        var plan = DemoDataFixture.shortPlan()
        plan.pilotStart = plan.cutover.adding(days: 1)
        #expect(throws: DemoDataError.self) { try plan.validate() }
        plan = DemoDataFixture.shortPlan()
        plan.currency = "cny"
        #expect(throws: DemoDataError.self) { try plan.validate() }
    }

    // MARK: - Scale and summary

    @Test func mediumHasThreeTimesThePeopleAndAboutThreeTimesTheWork() throws {
        let (small, smallSummary) = try DemoDataFixture.generate(DemoDataFixture.shortPlan(scale: .small))
        let (_, mediumSummary) = try DemoDataFixture.generate(DemoDataFixture.shortPlan(scale: .medium))
        #expect(smallSummary.teams == 4 && mediumSummary.teams == 4)
        #expect(smallSummary.users == 2 * 9 + 2 * 7)
        #expect(mediumSummary.users == 3 * smallSummary.users)
        for (name, ratio) in [("leads", Double(mediumSummary.leads) / Double(smallSummary.leads)),
                              ("tickets", Double(mediumSummary.tickets) / Double(smallSummary.tickets)),
                              ("total", Double(mediumSummary.totalRows) / Double(smallSummary.totalRows))] {
            #expect((2.6...3.4).contains(ratio), "\(name): medium/small = \(ratio)")
        }
        try small.read { db throws in
            let perTeam = try Row.fetchAll(db, sql: """
                SELECT t.name, t.kind, t.region, COUNT(u.id) AS people FROM teams t JOIN users u ON u.team_id = t.id
                GROUP BY t.id ORDER BY t.id
                """).map { "\($0["name"] as String)/\($0["kind"] as String)/\($0["region"] as String)/\($0["people"] as Int)" }
            #expect(perTeam == ["East Sales/sales/East/9", "West Sales/sales/West/9",
                                "East Service/service/East/7", "West Service/service/West/7"])
        }
    }

    @Test func theSummaryCountsEveryRowAndTheSeedRunRecordsThePlan() throws {
        let database = try DemoDataFixture.standard()
        let summary = try DemoDataFixture.standardSummary()
        let plan = DemoDataFixture.plan()
        #expect((150_000...300_000).contains(summary.totalRows))
        try database.read { db throws in
            for (table, rows) in summary.rowsByTable {
                #expect(try count("SELECT COUNT(*) FROM \(table)", db) == rows, "\(table)")
            }
            let run = try #require(try Row.fetchOne(db, sql: "SELECT * FROM demo_seed_runs"))
            #expect(run["seed"] as Int64 == 42)
            #expect(run["scale"] as String == "small")
            #expect(run["history_start"] as Timestamp == plan.historyStart)
            #expect(run["end_at"] as Timestamp == plan.end)
            #expect(run["pilot_start"] as Timestamp == plan.pilotStart)
            #expect(run["cutover"] as Timestamp == plan.cutover)
            #expect(run["rows_written"] as Int == summary.totalRows)
        }
    }

    // MARK: - Time bounds

    @Test func everyTimestampLiesWithinTheHistory() throws {
        let plan = DemoDataFixture.plan()
        let columns = [("users", "created_at"), ("accounts", "created_at"), ("contacts", "created_at"),
                       ("leads", "created_at"), ("leads", "converted_at"), ("leads", "disqualified_at"),
                       ("opportunities", "created_at"), ("opportunities", "closed_at"),
                       ("opportunity_stage_changes", "changed_at"), ("activities", "at"), ("tickets", "created_at"),
                       ("tickets", "first_response_at"), ("tickets", "resolved_at"), ("user_logins", "at")]
        try DemoDataFixture.standard().read { db throws in
            for (table, column) in columns {
                let outside = try count("SELECT COUNT(*) FROM \(table) WHERE \(column) < ? OR \(column) >= ?", db,
                                        [plan.historyStart, plan.end])
                #expect(outside == 0, "\(table).\(column)")
            }
            // The history is really used: records from the first and the last month.
            #expect(try count("SELECT COUNT(*) FROM leads WHERE created_at < ?", db, [plan.historyStart.adding(days: 30)]) > 0)
            #expect(try count("SELECT COUNT(*) FROM tickets WHERE created_at >= ?", db, [plan.end.adding(days: -30)]) > 0)
        }
    }

    @Test func leadsAndTicketsArriveOnWorkingDaysInOfficeHours() throws {
        try DemoDataFixture.standard().read { db throws in
            for table in ["leads", "tickets"] {
                let outside = try count("""
                    SELECT COUNT(*) FROM \(table)
                    WHERE (created_at / 86400 + 3) % 7 >= 5 OR created_at % 86400 < 8 * 3600 OR created_at % 86400 >= 18 * 3600
                    """, db)
                #expect(outside == 0, "\(table)")
            }
            #expect(try count("SELECT COUNT(*) FROM user_logins WHERE (at / 86400 + 3) % 7 >= 5", db) == 0)
        }
    }

    // MARK: - Consistency

    @Test func everyRowSatisfiesTheSchemaAndEveryForeignKeyResolves() throws {
        try DemoDataFixture.standard().read { db throws in
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
        }
    }

    @Test func causesComeBeforeTheirEffects() throws {
        let violations = [
            "activity before its lead": """
                SELECT COUNT(*) FROM activities a JOIN leads l ON l.id = a.lead_id WHERE a.at < l.created_at
                """,
            "activity before its account": """
                SELECT COUNT(*) FROM activities a JOIN accounts c ON c.id = a.account_id WHERE a.at < c.created_at
                """,
            "activity before its contact": """
                SELECT COUNT(*) FROM activities a JOIN contacts c ON c.id = a.contact_id WHERE a.at < c.created_at
                """,
            "activity with a contact of another account": """
                SELECT COUNT(*) FROM activities a JOIN contacts c ON c.id = a.contact_id WHERE c.account_id <> a.account_id
                """,
            "contact before its account": """
                SELECT COUNT(*) FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.created_at < a.created_at
                """,
            "lead decided before it arrived": """
                SELECT COUNT(*) FROM leads WHERE converted_at < created_at OR disqualified_at < created_at
                """,
            "opportunity before its account": """
                SELECT COUNT(*) FROM opportunities o JOIN accounts a ON a.id = o.account_id WHERE o.created_at < a.created_at
                """,
            "opportunity closed before it was created": "SELECT COUNT(*) FROM opportunities WHERE closed_at < created_at",
            "stage change outside the deal's life": """
                SELECT COUNT(*) FROM opportunity_stage_changes s JOIN opportunities o ON o.id = s.opportunity_id
                WHERE s.changed_at < o.created_at OR s.changed_at > COALESCE(o.closed_at, s.changed_at)
                """,
            "ticket answered before it arrived": "SELECT COUNT(*) FROM tickets WHERE first_response_at < created_at",
            "ticket resolved before its first response": """
                SELECT COUNT(*) FROM tickets WHERE resolved_at < first_response_at
                   OR (resolved_at IS NOT NULL AND first_response_at IS NULL)
                """,
            "ticket for an account that did not exist yet": """
                SELECT COUNT(*) FROM tickets t JOIN accounts a ON a.id = t.account_id WHERE t.created_at < a.created_at
                """,
            "ticket with a contact of another account": """
                SELECT COUNT(*) FROM tickets t JOIN contacts c ON c.id = t.contact_id WHERE c.account_id <> t.account_id
                """,
        ]
        try DemoDataFixture.standard().read { db throws in
            for (violation, sql) in violations {
                #expect(try count(sql, db) == 0, "\(violation)")
            }
        }
    }

    @Test func leadStatusesAgreeWithTheirDatesAndEveryConvertedLeadHasAnAccountContactAndDeal() throws {
        try DemoDataFixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM leads WHERE (status = 'converted') <> (converted_at IS NOT NULL)
                   OR (status = 'converted') <> (converted_account_id IS NOT NULL)
                   OR (status = 'disqualified') <> (disqualified_at IS NOT NULL)
                """, db) == 0)
            #expect(try count("""
                SELECT COUNT(*) FROM leads l
                WHERE l.status = 'converted' AND NOT (
                    EXISTS (SELECT 1 FROM accounts a WHERE a.id = l.converted_account_id AND a.created_at = l.converted_at)
                    AND EXISTS (SELECT 1 FROM contacts c WHERE c.account_id = l.converted_account_id)
                    AND EXISTS (SELECT 1 FROM opportunities o WHERE o.lead_id = l.id AND o.account_id = l.converted_account_id))
                """, db) == 0)
            // A lead that was never answered is still 'new'; one answered but undecided is worked on.
            #expect(try count("""
                SELECT COUNT(*) FROM leads l WHERE l.status IN ('contacted', 'qualified', 'converted')
                  AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.lead_id = l.id)
                """, db) == 0)
            #expect(try count("""
                SELECT COUNT(*) FROM leads l WHERE l.status = 'new'
                  AND EXISTS (SELECT 1 FROM activities a WHERE a.lead_id = l.id)
                """, db) == 0)
            for status in ["new", "contacted", "qualified", "converted", "disqualified"] {
                #expect(try count("SELECT COUNT(*) FROM leads WHERE status = ?", db, [status]) > 0, "\(status)")
            }
        }
    }

    @Test func dealStagesAgreeWithTheirHistoryAndOpenDealsHaveNoCloseDate() throws {
        try DemoDataFixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM opportunities WHERE (stage IN ('closed_won', 'closed_lost')) <> (closed_at IS NOT NULL)
                """, db) == 0)
            // Each deal's stage is the last stage it moved to, and its history starts at creation.
            #expect(try count("""
                SELECT COUNT(*) FROM opportunities o
                WHERE o.stage <> (SELECT s.to_stage FROM opportunity_stage_changes s WHERE s.opportunity_id = o.id
                                  ORDER BY s.changed_at DESC, s.id DESC LIMIT 1)
                   OR NOT EXISTS (SELECT 1 FROM opportunity_stage_changes s WHERE s.opportunity_id = o.id
                                  AND s.from_stage IS NULL AND s.to_stage = 'prospecting' AND s.changed_at = o.created_at)
                """, db) == 0)
            #expect(try count("SELECT COUNT(*) FROM opportunities WHERE stage = 'closed_won' AND closed_at < created_at", db) == 0)
            #expect(try count("SELECT COUNT(*) FROM opportunities WHERE closed_at IS NULL", db) > 0)
            #expect(try count("SELECT COUNT(*) FROM opportunities WHERE amount_minor <= 0 OR currency <> 'CNY'", db) == 0)
            // An account is a customer exactly when one of its deals was won (book accounts always are).
            #expect(try count("""
                SELECT COUNT(*) FROM accounts a WHERE a.type = 'prospect'
                  AND EXISTS (SELECT 1 FROM opportunities o WHERE o.account_id = a.id AND o.stage = 'closed_won')
                """, db) == 0)
        }
    }

    @Test func ticketStatusesAgreeWithTheirDatesAndWorkInHandAtTheEndStaysOpen() throws {
        // The short plan ends on a Wednesday at 11:00, while that morning's tickets are unanswered.
        let (short, _) = try DemoDataFixture.generate(DemoDataFixture.shortPlan())
        for database in [try DemoDataFixture.standard(), short] {
            try database.read { db throws in
                #expect(try count("""
                    SELECT COUNT(*) FROM tickets
                    WHERE (status = 'open') <> (first_response_at IS NULL)
                       OR (status = 'in_progress') <> (first_response_at IS NOT NULL AND resolved_at IS NULL)
                       OR (status IN ('resolved', 'closed')) <> (resolved_at IS NOT NULL)
                    """, db) == 0)
                for status in ["in_progress", "resolved", "closed"] {
                    #expect(try count("SELECT COUNT(*) FROM tickets WHERE status = ?", db, [status]) > 0, "\(status)")
                }
            }
        }
        try short.read { db throws in
            #expect(try count("SELECT COUNT(*) FROM tickets WHERE status = 'open'", db) > 0)
        }
    }

    @Test func peopleHaveChineseNamesAndUniqueAddressesOnAReservedDomain() throws {
        try DemoDataFixture.standard().read { db throws in
            let users = try Row.fetchAll(db, sql: "SELECT name, email FROM users")
            #expect(Set(users.map { $0["email"] as String }).count == users.count)
            for user in users {
                let name: String = user["name"], email: String = user["email"]
                let parts = name.split(separator: " ")
                #expect(parts.count == 2 && DemoNames.surnames.contains(String(parts[0])), "\(name)")
                #expect(email.hasSuffix("@huaxin-demo.example"), "\(email)")
            }
            #expect(try count("SELECT COUNT(*) FROM contacts WHERE email IS NOT NULL AND email NOT LIKE '%.example'", db) == 0)
        }
    }
}
