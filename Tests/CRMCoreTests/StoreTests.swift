import CRMCore
import Foundation
import GRDB
import RolloutTesting
import Testing

@Suite struct TimestampTests {
    @Test func datesRoundTripThroughTheDocumentedISOForm() throws {
        let t = try Timestamp(parsing: "2025-03-03T09:30:15Z")
        #expect(t.iso8601 == "2025-03-03T09:30:15Z")
        #expect(t.dateString == "2025-03-03")
        #expect(try Timestamp(parsing: "2025-03-03").iso8601 == "2025-03-03T00:00:00Z")
        #expect(try Timestamp(parsing: "2025-03-03T10:00+08:00").iso8601 == "2025-03-03T02:00:00Z")
        // Cross-checked with Foundation's own calendar arithmetic.
        #expect(try Timestamp(parsing: "2024-02-29T12:00:00Z").date == ISO8601DateFormatter().date(from: "2024-02-29T12:00:00Z"))
    }

    @Test(arguments: ["2025-02-30", "2025-13-01", "03/03/2025", "2025-03-03T25:00Z", "2025-03-03T10:00:00", ""])
    func malformedDatesAreRefusedWithTheAcceptedForms(_ text: String) {
        let error = #expect(throws: Timestamp.ParseError.self) { try Timestamp(parsing: text) }
        #expect(error?.description.contains("YYYY-MM-DD") == true)
    }

    @Test func calendarArithmeticMatchesTheCivilCalendar() {
        let leap = Timestamp(year: 2024, month: 1, day: 31)
        #expect(leap.adding(months: 1).dateString == "2024-02-29")
        #expect(leap.adding(months: -12).dateString == "2023-01-31")
        #expect(Timestamp(year: 2025, month: 3, day: 3).isoWeekday == 1)   // a Monday
        #expect(Timestamp(year: 1969, month: 12, day: 31).dateString == "1969-12-31")
        #expect(Timestamp(year: 2025, month: 3, day: 3).days(until: Timestamp(year: 2025, month: 12, day: 22)) == 294)
    }
}

@Suite struct MoneyTests {
    @Test func moneyIsIntegerMinorUnitsAndFormatsWithItsCurrency() {
        #expect(Money(major: 350_000, currency: "CNY").minorUnits == 35_000_000)
        #expect(Money(major: 0.1 + 0.2, currency: "EUR").minorUnits == 30)
        #expect(Money(minorUnits: -123_456_789, currency: "CNY").formatted == "-CNY 1,234,567.89")
        #expect(Money(major: 1500, currency: "JPY").formatted == "JPY 1,500")
        #expect(Money(minorUnits: 5, currency: "KWD").formatted == "KWD 0.005")
    }
}

@Suite struct WorkspaceDatabaseTests {
    @Test func aWorkspaceIsOneSQLiteFileInWALModeWithNamedMigrations() throws {
        let dir = try TemporaryDirectory("store")
        let db = try WorkspaceDatabase.open(at: dir.file("w/rollout.sqlite"), modules: [CRMSchema.self], create: true)
        let mode = try db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(try db.appliedMigrations(modules: [CRMSchema.self]) == ["crm.v1.core", "crm.v2.complete", "crm.v3.analysis-indexes", "crm.v4.account-name-key",
                                                                         "crm.v5.api-tokens"])
        #expect(try db.read { try Bool.fetchOne($0, sql: "PRAGMA foreign_keys") } == true)
    }

    @Test func openingAMissingWorkspaceWithoutCreateNamesTheWayOut() throws {
        let dir = try TemporaryDirectory("store-missing")
        let error = #expect(throws: WorkspaceError.self) {
            try WorkspaceDatabase.open(at: dir.file("none.sqlite"), modules: [CRMSchema.self], create: false)
        }
        #expect(error?.description.contains("rollout init") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.file("none.sqlite")))
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let dir = try TemporaryDirectory("store-newer")
        let path = dir.file("rollout.sqlite")
        _ = try WorkspaceDatabase.open(at: path, modules: [CRMSchema.self], create: true)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('crm.v99.future')") }
        let error = #expect(throws: WorkspaceError.self) {
            try WorkspaceDatabase.open(at: path, modules: [CRMSchema.self], create: false)
        }
        #expect(error?.description.contains("newer version of rollout") == true)
    }

    @Test func aFileThatIsNotADatabaseIsRefusedClearly() throws {
        let dir = try TemporaryDirectory("store-garbage")
        let path = try dir.write("rollout.sqlite", "this is not a database, just text that happens to be long enough")
        let error = #expect(throws: (any Error).self) {
            try WorkspaceDatabase.open(at: path, modules: [CRMSchema.self], create: false)
        }
        #expect("\(error!)".contains("not a database") || "\(error!)".contains("cannot open"))
    }

    @Test func moneyAndTimestampsAreStoredAsIntegers() throws {
        let db = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self])
        try db.write { db in
            var crm = CRMBuilder(db)
            let rep = try crm.user("Rep", team: try crm.team("T"))
            try crm.opportunity(owner: rep, createdAt: .day("2025-03-03"), closedAfterDays: nil, won: false,
                                amount: Money(major: 80_000.5, currency: "CNY"))
        }
        let row = try db.read { try Row.fetchOne($0, sql: "SELECT typeof(amount_minor) t, amount_minor, typeof(created_at) c, created_at FROM opportunities")! }
        #expect(row["t"] as String == "integer")
        #expect(row["amount_minor"] as Int64 == 8_000_050)
        #expect(row["c"] as String == "integer")
        #expect(row["created_at"] as Int64 == 1_740_960_000)
    }
}
