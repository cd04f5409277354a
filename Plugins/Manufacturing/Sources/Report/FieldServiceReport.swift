import Foundation
import PluginKit

/// The report section `field-service`: first-time fix and repair time by service team and visits
/// by outcome over the 90 days before the report's moment; the warranties ending in the next 90 days
/// and the next 12 months, how many were followed up, the next ones still without a follow-up,
/// and what became of the warranty-extension opportunities.
struct FieldServiceReport {
    static let section = PluginReportSection(
        id: "field-service", title: "Field service",
        markdownTemplate: "templates/field-service.md.mustache", htmlTemplate: "templates/field-service.html.mustache")

    /// The days the section looks back (visits, repairs) and ahead (urgent warranties).
    static let days = 90
    /// How many warranties not yet followed up the section lists, soonest first.
    static let listedUnits = 10

    func context(_ request: PluginReportRequest, host: PluginHostServices) throws -> JSONValue {
        let until = UTCTime(request.at)
        let from = until.adding(days: -Self.days)
        let window: [String: JSONValue] = ["from": .int(from.seconds), "until": .int(until.seconds)]

        let teams = try host.rows("""
            SELECT COALESCE(tm.name, 'No team') AS team, COUNT(*) AS tickets,
                   SUM(v.visits = 1 AND v.first_outcome = 'fixed') AS fixed_first_time,
                   SUM(t.resolved_at - t.created_at) / 3600.0 AS repair_hours
            FROM v_tickets t
            JOIN (SELECT ticket_id, COUNT(*) AS visits, MAX(CASE WHEN visit_no = 1 THEN outcome END) AS first_outcome
                  FROM v_manufacturing_visits GROUP BY ticket_id) v ON v.ticket_id = t.id
            LEFT JOIN v_users u ON u.id = t.assignee_id
            LEFT JOIN v_teams tm ON tm.id = u.team_id
            WHERE t.resolved_at >= :from AND t.resolved_at < :until
            GROUP BY team
            ORDER BY team
            """, window).map { try RepairFigures($0) }
        let total = teams.reduce(RepairFigures(tickets: 0, fixedFirstTime: 0, repairHours: 0), +)

        let visits = try host.rows("""
            SELECT outcome, SUM(source = 'backfill') AS derived, COUNT(*) AS visits
            FROM v_manufacturing_visits
            WHERE visited_at >= :from AND visited_at < :until
            GROUP BY outcome
            """, window)
        let visitCount = visits.reduce(0) { $0 + ($1.int("visits") ?? 0) }
        let derivedCount = visits.reduce(0) { $0 + ($1.int("derived") ?? 0) }
        let outcomes: [JSONValue] = VisitOutcome.allCases.map { outcome in
            let count = visits.first { $0.text("outcome") == outcome.rawValue }?.int("visits") ?? 0
            return .object(["outcome": .string(outcome.words), "visits": .int(count),
                            "share": .string(Self.percent(Double(count), of: Double(visitCount)))])
        }

        // The year ahead, of which the next 90 days are the urgent part.
        let expiring = try ExpiringWarranties(at: request.at, days: 365, owners: nil, host: host)
        let soon = until.adding(days: Self.days).date
        let warranties: [JSONValue] = [
            Self.coverage("next \(Self.days) days", expiring.units.filter { $0.warrantyEndsOn < soon }),
            Self.coverage("next 12 months", expiring.units),
        ]
        let notFollowed = expiring.units.filter { !$0.followedUp }
        let extensions = try host.rows("""
            SELECT COUNT(*) AS opened, COALESCE(SUM(s.is_won), 0) AS won,
                   COALESCE(SUM(s.is_closed AND NOT s.is_won), 0) AS lost
            FROM v_manufacturing_warranty_followups f
            LEFT JOIN v_opportunities o ON o.account_id = f.account_id AND o.name = f.opportunity_name
            LEFT JOIN v_opportunity_stages s ON s.name = o.stage
            WHERE f.followed_up_at < :until
            """, ["until": .int(until.seconds)]).first
        let opened = extensions?.int("opened") ?? 0, won = extensions?.int("won") ?? 0, lost = extensions?.int("lost") ?? 0

        return .object([
            "title": .string(Self.section.title),
            "from": .string(from.date),
            "until": .string(until.adding(days: -1).date),
            "days": .int(Int64(Self.days)),
            "hasRepairs": .bool(total.tickets > 0),
            "tickets": .int(total.tickets),
            "firstTimeFix": .string(total.firstTimeFix),
            "meanTimeToRepair": .string(total.meanTimeToRepair),
            "teams": .array(teams.map(\.json)),
            "visits": .int(visitCount),
            "hasVisits": .bool(visitCount > 0),
            "derivedVisits": .int(derivedCount),
            "hasDerivedVisits": .bool(derivedCount > 0),
            "outcomes": .array(outcomes),
            "warranties": .array(warranties),
            "hasUnitsToFollowUp": .bool(!notFollowed.isEmpty),
            "unitsToFollowUp": .array(notFollowed.prefix(Self.listedUnits).map { unit in
                .object(["unit": .string(unit.label), "product": .string(unit.product ?? "–"),
                         "account": .string(unit.accountName ?? "account \(unit.accountID)"),
                         "endsOn": .string(unit.warrantyEndsOn)])
            }),
            "moreUnitsToFollowUp": .int(Int64(max(0, notFollowed.count - Self.listedUnits))),
            "hasMoreUnitsToFollowUp": .bool(notFollowed.count > Self.listedUnits),
            "extensionsOpened": .int(opened),
            "extensionsWon": .int(won),
            "extensionsLost": .int(lost),
            "extensionsOpen": .int(opened - won - lost),
        ])
    }

    /// One row of the warranty table: the warranties ending within a horizon, and how many have a follow-up.
    private static func coverage(_ horizon: String, _ units: [ExpiringWarranties.Unit]) -> JSONValue {
        let followed = units.filter(\.followedUp).count
        return .object(["horizon": .string(horizon), "ending": .int(Int64(units.count)),
                        "followedUp": .int(Int64(followed)),
                        "coverage": .string(percent(Double(followed), of: Double(units.count)))])
    }

    /// "82.4 %", or "n/a" when there is nothing to divide.
    static func percent(_ part: Double, of whole: Double) -> String {
        whole > 0 ? String(format: "%.1f %%", 100 * part / whole) : "n/a"
    }
}

/// First-time fix and repair time of a set of resolved tickets with visits: a team's, or all.
private struct RepairFigures {
    var team: String?
    var tickets: Int64
    var fixedFirstTime: Int64
    var repairHours: Double

    init(team: String? = nil, tickets: Int64, fixedFirstTime: Int64, repairHours: Double) {
        self.team = team
        self.tickets = tickets
        self.fixedFirstTime = fixedFirstTime
        self.repairHours = repairHours
    }

    init(_ row: QueryRow) throws {
        self.init(team: row.text("team"), tickets: try row.requiredInt("tickets"),
                  fixedFirstTime: row.int("fixed_first_time") ?? 0, repairHours: row.number("repair_hours") ?? 0)
    }

    static func + (lhs: RepairFigures, rhs: RepairFigures) -> RepairFigures {
        RepairFigures(tickets: lhs.tickets + rhs.tickets, fixedFirstTime: lhs.fixedFirstTime + rhs.fixedFirstTime,
                      repairHours: lhs.repairHours + rhs.repairHours)
    }

    var firstTimeFix: String { FieldServiceReport.percent(Double(fixedFirstTime), of: Double(tickets)) }
    var meanTimeToRepair: String { tickets > 0 ? String(format: "%.1f h", repairHours / Double(tickets)) : "n/a" }

    var json: JSONValue {
        .object(["team": .string(team ?? "All"), "tickets": .int(tickets), "firstTimeFix": .string(firstTimeFix),
                 "meanTimeToRepair": .string(meanTimeToRepair)])
    }
}
