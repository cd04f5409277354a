import GRDB

/// Service-level monitoring at one instant: how well first-response and resolution targets were
/// met for the tickets created in a window, and which open tickets are at risk or already in
/// breach now, per team and assignee, with the at-risk tickets listed.
///
/// ```swift
/// let sla = try SLAReport.compute(window: ReportWindow(from: "2025-06-01", to: "2025-06-30"),
///                                 asOf: .day("2025-07-01"), as: actor, db)
/// sla.total.firstResponse.complianceRate   // 0.93
/// sla.atRisk.first                          // ticket 4711, resolution due in 42 working minutes
/// ```
///
/// The targets are the instants stored on each ticket when it was created (`first_response_due_at`,
/// `first_response_warn_at`, `resolution_due_at`, `resolution_warn_at`, from its priority's
/// policy and business calendar). A response is done at `first_response_at`, a resolution at
/// `resolved_at`; a done-instant after `asOf` is not known yet at `asOf`, so the clock still runs.
///
/// - Compliance, over the tickets created in the window (and not after `asOf`): met = done at or
///   before due; missed = done after due, or not done and `asOf` ≥ due; pending = not done and
///   `asOf` < due. Compliance rate = met / (met + missed): pending tickets are not decided yet.
///   Tickets without stored targets are counted in `withoutTarget` and nowhere else.
/// - Current state, over every ticket open at `asOf` (created by then, not done by then),
///   whenever created: at risk = warn ≤ `asOf` < due; breached = due ≤ `asOf`.
/// - `atRisk` lists the at-risk clocks, soonest due first, with the working minutes left on the
///   policy's calendar (rounded up, as `SLAStatus.remainingMinutes`).
public struct SLAReport: Codable, Sendable, Hashable {
    /// Which clock: the first response or the resolution.
    public enum Target: String, Codable, Sendable, CaseIterable {
        case firstResponse = "first_response"
        case resolution
    }

    /// How one target fared over the tickets created in the window.
    public struct Compliance: Codable, Sendable, Hashable {
        public let met: Int
        public let missed: Int
        public let pending: Int
        /// met / (met + missed); nil when nothing is decided.
        public let complianceRate: Double?

        init(met: Int, missed: Int, pending: Int) {
            self.met = met
            self.missed = missed
            self.pending = pending
            complianceRate = rate(met, of: met + missed)
        }

        static func + (lhs: Compliance, rhs: Compliance) -> Compliance {
            Compliance(met: lhs.met + rhs.met, missed: lhs.missed + rhs.missed, pending: lhs.pending + rhs.pending)
        }
    }

    /// The figures of an assignee, a team or everyone.
    public struct Figures: Codable, Sendable, Hashable {
        /// Tickets created in the window (and by `asOf`).
        public var created = 0
        /// Of those, tickets without stored SLA instants.
        public var withoutTarget = 0
        public var firstResponse = Compliance(met: 0, missed: 0, pending: 0)
        public var resolution = Compliance(met: 0, missed: 0, pending: 0)
        /// Open tickets whose first response is at risk now.
        public var firstResponseAtRisk = 0
        public var firstResponseBreached = 0
        public var resolutionAtRisk = 0
        public var resolutionBreached = 0

        static func + (lhs: Figures, rhs: Figures) -> Figures {
            Figures(created: lhs.created + rhs.created, withoutTarget: lhs.withoutTarget + rhs.withoutTarget,
                    firstResponse: lhs.firstResponse + rhs.firstResponse, resolution: lhs.resolution + rhs.resolution,
                    firstResponseAtRisk: lhs.firstResponseAtRisk + rhs.firstResponseAtRisk,
                    firstResponseBreached: lhs.firstResponseBreached + rhs.firstResponseBreached,
                    resolutionAtRisk: lhs.resolutionAtRisk + rhs.resolutionAtRisk,
                    resolutionBreached: lhs.resolutionBreached + rhs.resolutionBreached)
        }
    }

    /// One assignee's figures, or (with `assignee` nil) a team's subtotal.
    public struct Line: Codable, Sendable, Hashable {
        public let team: String
        public let teamID: Int64?
        public let assignee: String?
        public let assigneeID: Int64?
        public let figures: Figures
    }

    /// An open clock at risk at `asOf`.
    public struct TicketAtRisk: Codable, Sendable, Hashable {
        public let ticketID: Int64
        public let subject: String
        public let priority: String
        public let target: Target
        public let assignee: String
        public let team: String
        public let warnAt: Timestamp
        public let dueAt: Timestamp
        /// Working minutes left until `dueAt` on the policy's calendar, rounded up.
        public let remainingMinutes: Int
    }

    public let asOf: Timestamp
    public let window: ReportWindow
    /// Assignees grouped by team: each team's subtotal line (assignee nil) first, then its
    /// assignees by name. Teams by name.
    public let lines: [Line]
    public let total: Figures
    /// At-risk clocks, soonest due first, at most `limit` of them.
    public let atRisk: [TicketAtRisk]

    public static func compute(window: ReportWindow, asOf: Timestamp, atRiskLimit limit: Int = 50,
                               as actor: CRMActor, _ db: Database) throws -> SLAReport {
        let scope = try ReportScope(actor, report: "SLA")
        let visible = scope.tickets("t")
        let arguments: StatementArguments = ["asOf": asOf, "start": window.start, "end": window.end]
        var byAssignee: [Int64?: Figures] = [:]

        func clock(_ done: String, _ due: String) -> String {
            let isDone = "(t.\(done) IS NOT NULL AND t.\(done) <= :asOf)"
            return """
                sum(t.\(due) IS NOT NULL AND \(isDone) AND t.\(done) <= t.\(due)) AS \(done)_met,
                sum(t.\(due) IS NOT NULL AND ((\(isDone) AND t.\(done) > t.\(due)) OR (NOT \(isDone) AND :asOf >= t.\(due)))) AS \(done)_missed,
                sum(t.\(due) IS NOT NULL AND NOT \(isDone) AND :asOf < t.\(due)) AS \(done)_pending
                """
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT t.assignee_id, count(*) AS created,
                   sum(t.first_response_due_at IS NULL OR t.resolution_due_at IS NULL) AS without_target,
                   \(clock("first_response_at", "first_response_due_at")),
                   \(clock("resolved_at", "resolution_due_at"))
            FROM tickets t
            WHERE t.created_at >= :start AND t.created_at < :end AND t.created_at <= :asOf AND \(visible)
            GROUP BY t.assignee_id
            """, arguments: arguments) {
            var figures = Figures()
            figures.created = row["created"]
            figures.withoutTarget = row["without_target"]
            figures.firstResponse = Compliance(met: row["first_response_at_met"], missed: row["first_response_at_missed"],
                                               pending: row["first_response_at_pending"])
            figures.resolution = Compliance(met: row["resolved_at_met"], missed: row["resolved_at_missed"],
                                            pending: row["resolved_at_pending"])
            byAssignee[row["assignee_id"]] = figures
        }

        // Open clocks past their warning: still undone (partial indexes on the warn instants), or
        // done only after asOf.
        func openPastWarning(_ done: String, _ warn: String, columns: String) -> String {
            """
            SELECT \(columns) FROM tickets t
            WHERE t.\(done) IS NULL AND t.\(warn) <= :asOf AND t.created_at <= :asOf AND \(visible)
            UNION ALL
            SELECT \(columns) FROM tickets t
            WHERE t.\(done) > :asOf AND t.\(warn) <= :asOf AND t.created_at <= :asOf AND \(visible)
            """
        }
        let targets: [(Target, done: String, warn: String, due: String)] = [
            (.firstResponse, "first_response_at", "first_response_warn_at", "first_response_due_at"),
            (.resolution, "resolved_at", "resolution_warn_at", "resolution_due_at"),
        ]
        var atRiskRows: [(Target, Row)] = []
        for (target, done, warn, due) in targets {
            let counts = openPastWarning(done, warn, columns: "t.assignee_id, (t.\(due) IS NOT NULL AND t.\(due) <= :asOf) AS breached")
            for row in try Row.fetchAll(db, sql: """
                SELECT assignee_id, sum(breached) AS breached, sum(NOT breached) AS at_risk
                FROM (\(counts)) GROUP BY assignee_id
                """, arguments: arguments) {
                var figures = byAssignee[row["assignee_id"]] ?? Figures()
                switch target {
                case .firstResponse:
                    figures.firstResponseAtRisk = row["at_risk"]
                    figures.firstResponseBreached = row["breached"]
                case .resolution:
                    figures.resolutionAtRisk = row["at_risk"]
                    figures.resolutionBreached = row["breached"]
                }
                byAssignee[row["assignee_id"]] = figures
            }
            let list = openPastWarning(done, warn, columns: """
                t.id, t.subject, t.priority, t.assignee_id, t.\(warn) AS warn_at, t.\(due) AS due_at
                """)
            atRiskRows += try Row.fetchAll(db, sql: """
                SELECT * FROM (\(list)) WHERE due_at > :asOf ORDER BY due_at, id LIMIT :limit
                """, arguments: arguments + ["limit": limit]).map { (target, $0) }
        }

        let names = try ReportNames.load(db)
        func team(of assignee: Int64?) -> Int64? { assignee.flatMap { names.userTeams[$0] } }
        func teamName(_ id: Int64?) -> String { id.flatMap { names.teams[$0] } ?? ReportNames.noTeam }
        func assigneeName(_ id: Int64?) -> String { id.flatMap { names.users[$0] } ?? ReportNames.unassigned }

        var lines: [Line] = []
        let teams = Dictionary(grouping: byAssignee.keys, by: team(of:))
        for teamID in teams.keys.sorted(by: { (teamName($0), $0 ?? -1) < (teamName($1), $1 ?? -1) }) {
            let members = teams[teamID]!.sorted { (assigneeName($0), $0 ?? -1) < (assigneeName($1), $1 ?? -1) }
            lines.append(Line(team: teamName(teamID), teamID: teamID, assignee: nil, assigneeID: nil,
                              figures: members.reduce(Figures()) { $0 + byAssignee[$1]! }))
            lines += members.map { Line(team: teamName(teamID), teamID: teamID, assignee: assigneeName($0), assigneeID: $0,
                                        figures: byAssignee[$0]!) }
        }

        let calendars = try SLACalendars(db)
        let atRisk = atRiskRows.map { target, row -> TicketAtRisk in
            let dueAt: Int64 = row["due_at"]
            let assignee: Int64? = row["assignee_id"]
            let calendar = calendars.calendar(forPriority: row["priority"])
            return TicketAtRisk(
                ticketID: row["id"], subject: row["subject"], priority: row["priority"], target: target,
                assignee: assigneeName(assignee), team: teamName(team(of: assignee)),
                warnAt: Timestamp(secondsSinceEpoch: row["warn_at"]), dueAt: Timestamp(secondsSinceEpoch: dueAt),
                remainingMinutes: Int((calendar.workingSeconds(from: asOf.secondsSinceEpoch, to: dueAt) + 59) / 60))
        }.sorted { ($0.dueAt, $0.ticketID, $0.target.rawValue) < ($1.dueAt, $1.ticketID, $1.target.rawValue) }

        return SLAReport(asOf: asOf, window: window, lines: lines,
                         total: byAssignee.values.reduce(Figures()) { $0 + $1 }, atRisk: Array(atRisk.prefix(limit)))
    }
}

/// The business calendar of each priority's SLA policy, loaded once per report.
struct SLACalendars {
    private var byPriority: [String: BusinessCalendar] = [:]

    init(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT priority, calendar_id FROM sla_policies") {
            let calendarID: Int64? = row["calendar_id"]
            byPriority[row["priority"]] = try calendarID.map { try BusinessCalendarStore.calendar(id: $0, db) } ?? .always
        }
    }

    func calendar(forPriority priority: String) -> BusinessCalendar {
        byPriority[priority] ?? .always
    }
}
