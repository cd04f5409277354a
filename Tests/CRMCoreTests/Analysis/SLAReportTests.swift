import CRMCore
import GRDB
import RolloutTesting
import Testing

@Suite struct SLAReportTests {
    let world: AnalysisWorld
    init() throws { world = try AnalysisWorld() }
    let noon = Timestamp.day("2025-06-30T12:00:00Z")

    func report(as actor: CRMActor = .operatorActor()) throws -> SLAReport {
        try world.read {
            try SLAReport.compute(window: ReportWindow(from: "2025-06-01", to: "2025-06-30"), asOf: noon, as: actor, $0)
        }
    }

    @Test func complianceCountsMetMissedAndPendingClocksOfTheTicketsCreatedInTheWindow() throws {
        let sla = try report()
        // Created in June, by 12:00 on the 30th: T1–T5, T7–T10 (T6 is from May). Targets: response 8 h, resolution 72 h.
        // Chen: T1 (answered +2 h, resolved +24 h: met, met), T2 (+10 h, +80 h: missed, missed),
        //       T7 (answered at 13:00, after noon, due 08:00: missed; resolution due 3 July: pending), T8 (no targets)
        //   → created 4, without target 1; response 1 met, 2 missed → 1/3; resolution 1 met, 1 missed, 1 pending → 1/2
        // Sun: T3 (created 06:00, unanswered, due 14:00: pending; pending), T4 (+1 h: met; due 2 July: pending),
        //      T5 (+3 h: met; due 28 June, unresolved: missed), T9 (+7 h: met; resolved 10:00 ≤ due 12:00: met),
        //      T10 (+1 h: met; due 1 July: pending)
        //   → created 5; response 4 met, 1 pending → 100 %; resolution 1 met, 1 missed, 3 pending → 1/2
        let chen = try #require(sla.lines.first { $0.assigneeID == AnalysisWorld.chen }).figures
        #expect(chen.created == 4 && chen.withoutTarget == 1)
        #expect([chen.firstResponse.met, chen.firstResponse.missed, chen.firstResponse.pending] == [1, 2, 0])
        #expect(chen.firstResponse.complianceRate == 1.0 / 3.0)
        #expect([chen.resolution.met, chen.resolution.missed, chen.resolution.pending] == [1, 1, 1])
        #expect(chen.resolution.complianceRate == 0.5)
        let sun = try #require(sla.lines.first { $0.assigneeID == AnalysisWorld.sun }).figures
        #expect([sun.firstResponse.met, sun.firstResponse.missed, sun.firstResponse.pending] == [4, 0, 1])
        #expect(sun.firstResponse.complianceRate == 1)
        #expect([sun.resolution.met, sun.resolution.missed, sun.resolution.pending] == [1, 1, 3])
        // Everyone: response 5 met, 2 missed → 5/7; resolution 2 met, 2 missed → 1/2
        #expect(sla.total.created == 9 && sla.total.withoutTarget == 1)
        #expect(sla.total.firstResponse.complianceRate == 5.0 / 7.0)
        #expect(sla.total.resolution.complianceRate == 0.5)
    }

    @Test func openTicketsAreAtRiskFromTheWarningAndBreachedFromTheDueInstantWhenCreatedAnytime() throws {
        let sla = try report()
        // Response open at noon: T3 (warn 12:00 ≤ noon < due 14:00: at risk), T6 (due 20 May: breached),
        //   T7 (answered only at 13:00; due 08:00: breached). T8 has no targets.
        // Resolution open at noon: T5 (due 28 June: breached), T6 (breached), T10 (warn 30 June 06:00, due 1 July: at risk);
        //   T3, T4, T7 are not yet at their warning.
        #expect(sla.total.firstResponseAtRisk == 1 && sla.total.firstResponseBreached == 2)
        #expect(sla.total.resolutionAtRisk == 1 && sla.total.resolutionBreached == 2)
        // Lines: teams by name, "(no team)" first, each subtotal before its assignees.
        #expect(sla.lines.map { $0.assignee ?? "[\($0.team)]" } == ["[(no team)]", "(unassigned)", "[Service Desk]", "Chen Jie", "Sun Yu"])
        let unassigned = sla.lines[1].figures
        #expect(unassigned.created == 0 && unassigned.firstResponseBreached == 1 && unassigned.resolutionBreached == 1)
        let desk = sla.lines[2].figures
        #expect(desk.created == 9 && desk.firstResponseAtRisk == 1 && desk.firstResponseBreached == 1)
        // The list: T3's response due at 14:00 (120 minutes left), then T10's resolution due at midnight (720 minutes).
        #expect(sla.atRisk.map(\.ticketID) == [3, 10])
        #expect(sla.atRisk.map(\.target) == [.firstResponse, .resolution])
        #expect(sla.atRisk.map(\.remainingMinutes) == [120, 720])
        #expect(sla.atRisk[0].assignee == "Sun Yu" && sla.atRisk[0].team == "Service Desk")
    }

    @Test func remainingMinutesAreWorkingMinutesOnThePolicysCalendar() throws {
        try world.database.write { db in
            try db.execute(sql: "INSERT INTO business_calendars (id, name, time_zone, hours) VALUES (1, 'Office', 'UTC', 'mon-fri 09:00-18:00')")
            try db.execute(sql: "UPDATE sla_policies SET calendar_id = 1 WHERE priority = 'normal'")
        }
        let sla = try report()
        // Monday 30 June 12:00 → 14:00: 120 working minutes; → Tuesday 1 July 00:00: 12:00–18:00 = 360 minutes.
        #expect(sla.atRisk.map(\.remainingMinutes) == [120, 360])
    }
}
