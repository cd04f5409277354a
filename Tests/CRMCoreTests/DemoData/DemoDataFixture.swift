@testable import CRMCore
import Foundation
import GRDB

/// Demo data sets shared by the demo-data tests, and plain-SQL readings of them.
///
/// The standard data set (small scale, 22 months) is generated once per test process and only
/// read afterwards, so the suites that look at it can run in parallel.
enum DemoDataFixture {
    /// A Monday; the pilot starts 14 months later, the cut-over 4 months after that.
    static let historyStart = Timestamp(year: 2024, month: 3, day: 4)
    static let pilotStart = Timestamp(year: 2025, month: 5, day: 5)
    static let cutover = Timestamp(year: 2025, month: 9, day: 1)
    static let end = Timestamp(year: 2026, month: 1, day: 5)

    static func plan(scale: DemoScale = .small, seed: UInt64 = 42) -> DemoDataPlan {
        DemoDataPlan(scale: scale, seed: seed, historyStart: historyStart, end: end, pilotStart: pilotStart,
                     cutover: cutover, currency: "CNY")
    }

    /// Ten weeks around the pilot start and the cut-over, ending on a Wednesday morning: enough
    /// to compare, quick to generate.
    static func shortPlan(scale: DemoScale = .small, seed: UInt64 = 42) -> DemoDataPlan {
        DemoDataPlan(scale: scale, seed: seed, historyStart: Timestamp(year: 2025, month: 4, day: 7),
                     end: Timestamp(year: 2025, month: 6, day: 18, hour: 11), pilotStart: Timestamp(year: 2025, month: 4, day: 28),
                     cutover: Timestamp(year: 2025, month: 5, day: 26), currency: "CNY")
    }

    /// A fresh in-memory CRM with `plan` generated into it.
    static func generate(_ plan: DemoDataPlan) throws -> (WorkspaceDatabase, DemoDataSummary) {
        let database = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self])
        let summary = try database.write { db in
            try DemoDataGenerator(plan: plan).generate(into: db, createdAt: plan.historyStart)
        }
        return (database, summary)
    }

    private static let standardResult = Result { try generate(plan()) }

    /// The standard data set; tests must only read it.
    static func standard() throws -> WorkspaceDatabase {
        try standardResult.get().0
    }

    static func standardSummary() throws -> DemoDataSummary {
        try standardResult.get().1
    }

    // MARK: - Readings

    enum Group {
        case pilot, control

        var teams: [String] { self == .pilot ? DemoDataPlan.pilotTeams : DemoDataPlan.controlTeams }
    }

    /// The ids of a group's users, as a JSON array for `json_each`.
    static func users(of group: Group, _ db: Database) throws -> String {
        let ids = try Int64.fetchAll(db, sql: """
            SELECT u.id FROM users u JOIN teams t ON t.id = u.team_id
            WHERE t.name IN (SELECT value FROM json_each(?)) ORDER BY u.id
            """, arguments: [json(group.teams)])
        return "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    static func json(_ strings: [String]) -> String {
        "[" + strings.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    /// Hours from creation to first activity of the group's leads created in [from, to).
    static func leadResponseHours(_ group: Group, from: Timestamp, to: Timestamp, _ db: Database) throws -> [Double] {
        try Double.fetchAll(db, sql: """
            SELECT (MIN(a.at) - l.created_at) / 3600.0
            FROM leads l JOIN activities a ON a.lead_id = l.id
            WHERE l.created_at >= ? AND l.created_at < ? AND l.owner_id IN (SELECT value FROM json_each(?))
            GROUP BY l.id
            """, arguments: [from, to, try users(of: group, db)])
    }

    /// Share of the group's tickets created in [from, to) first answered within their SLA target.
    static func slaCompliance(_ group: Group, from: Timestamp, to: Timestamp, _ db: Database) throws -> Double {
        try Double.fetchOne(db, sql: """
            SELECT AVG(t.first_response_at IS NOT NULL AND t.first_response_at <= t.created_at + p.first_response_minutes * 60)
            FROM tickets t JOIN sla_policies p ON p.priority = t.priority
            WHERE t.created_at >= ? AND t.created_at < ? AND t.assignee_id IN (SELECT value FROM json_each(?))
            """, arguments: [from, to, try users(of: group, db)]) ?? .nan
    }

    /// Share of (user, working day) pairs in [from, to) with at least one sign-in.
    static func signInRate(_ group: Group, from: Timestamp, to: Timestamp, _ db: Database) throws -> Double {
        let users = try users(of: group, db)
        let userCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM json_each(?)", arguments: [users]) ?? 0
        var workingDays = 0
        var day = from.startOfDay
        while day < to {
            if day.isoWeekday <= 5 { workingDays += 1 }
            day = day.adding(days: 1)
        }
        let userDays = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM (SELECT DISTINCT user_id, at / 86400 FROM user_logins
                                  WHERE at >= ? AND at < ? AND user_id IN (SELECT value FROM json_each(?)))
            """, arguments: [from, to, users]) ?? 0
        return Double(userDays) / Double(workingDays * userCount)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }
}
