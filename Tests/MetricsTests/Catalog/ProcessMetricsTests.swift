import CRMCore
import RolloutMetrics
import RolloutTesting
import Testing

/// The process metrics, read from the CRM's ticket status and opportunity stage histories, each
/// on a handful of records with the expected value worked out by hand, and the records it must
/// leave out.
@Suite struct ProcessMetricsTests {
    let harness = CatalogHarness()

    @Test func reopenRateIsReopenedOverTicketsOfTheWindowResolvedBeforeItsEnd() throws {
        let m = try harness.measure("ticket.reopen_rate") { crm, member, outsider in
            let reopened = try crm.ticket(assignee: member, createdAt: .day("2025-03-03"), firstResponseAfterMinutes: 30,
                                          resolvedAfterHours: 6 * 24)
            try crm.ticketStatusChange(ticket: reopened, from: nil, to: "open", at: .day("2025-03-03"))
            try crm.ticketStatusChange(ticket: reopened, from: "open", to: "resolved", at: .day("2025-03-05"))
            try crm.ticketStatusChange(ticket: reopened, from: "resolved", to: "open", at: .day("2025-03-07"))
            try crm.ticketStatusChange(ticket: reopened, from: "open", to: "resolved", at: .day("2025-03-09"))   // 100
            let kept = try crm.ticket(assignee: member, createdAt: .day("2025-03-04"), firstResponseAfterMinutes: 30,
                                      resolvedAfterHours: 48)
            try crm.ticketStatusChange(ticket: kept, from: "in_progress", to: "resolved", at: .day("2025-03-06")) // 0
            let reopenedLater = try crm.ticket(assignee: member, createdAt: .day("2025-03-05"), firstResponseAfterMinutes: 30)
            try crm.ticketStatusChange(ticket: reopenedLater, from: "in_progress", to: "closed", at: .day("2025-03-08"))
            try crm.ticketStatusChange(ticket: reopenedLater, from: "closed", to: "in_progress", at: .day("2025-04-03")) // 0
            try crm.ticket(assignee: member, createdAt: .day("2025-03-06"), firstResponseAfterMinutes: 30,
                           resolvedAfterHours: 5)                                          // resolved without history: 0
            try crm.ticket(assignee: member, createdAt: .day("2025-03-07"), firstResponseAfterMinutes: 30) // never resolved: out
            let resolvedLater = try crm.ticket(assignee: member, createdAt: .day("2025-03-08"), firstResponseAfterMinutes: 30,
                                               resolvedAfterHours: 25 * 24)
            try crm.ticketStatusChange(ticket: resolvedLater, from: "open", to: "resolved", at: .day("2025-04-02")) // after: out
            let theirs = try crm.ticket(assignee: outsider, createdAt: .day("2025-03-08"), firstResponseAfterMinutes: 30)
            try crm.ticketStatusChange(ticket: theirs, from: "open", to: "resolved", at: .day("2025-03-09"))
            try crm.ticketStatusChange(ticket: theirs, from: "resolved", to: "open", at: .day("2025-03-10"))  // other group
            let earlier = try crm.ticket(assignee: member, createdAt: .day("2025-02-20"), firstResponseAfterMinutes: 30)
            try crm.ticketStatusChange(ticket: earlier, from: "open", to: "resolved", at: .day("2025-02-21"))
            try crm.ticketStatusChange(ticket: earlier, from: "resolved", to: "open", at: .day("2025-03-10")) // created before
        }
        #expect(m.sampleSize == 4)
        #expect(m.value == 25)
    }

    @Test func stageSkipRateIsDealsThatJumpedAStageOverDealsClosedInTheWindow() throws {
        let m = try harness.measure("opportunity.stage_skip_rate") { crm, member, outsider in
            func deal(_ owner: Int64, closedOn: String?, won: Bool,
                      _ path: [(Opportunity.Stage?, Opportunity.Stage)]) throws {
                let created = Timestamp.day("2025-02-01")
                let closedAfterDays = closedOn.map { Int((Timestamp.day($0).secondsSinceEpoch - created.secondsSinceEpoch) / 86_400) }
                let id = try crm.opportunity(owner: owner, createdAt: created, closedAfterDays: closedAfterDays, won: won)
                for (step, (from, to)) in path.enumerated() {
                    try crm.stageChange(opportunity: id, from: from, to: to, at: created.adding(days: step))
                }
            }
            try deal(member, closedOn: "2025-03-10", won: true, [(nil, .prospecting), (.prospecting, .qualification),
                     (.qualification, .proposal), (.proposal, .negotiation), (.negotiation, .closedWon)])   // 0
            try deal(member, closedOn: "2025-03-11", won: true, [(.qualification, .proposal), (.proposal, .closedWon)]) // 100
            try deal(member, closedOn: "2025-03-12", won: false, [(nil, .prospecting), (.prospecting, .closedLost)]) // lost: 0
            try deal(member, closedOn: "2025-03-13", won: true, [(nil, .proposal), (.proposal, .negotiation),
                     (.negotiation, .closedWon)])                                   // created in proposal: 0
            try deal(member, closedOn: "2025-03-14", won: false, [(.prospecting, .proposal), (.proposal, .closedLost)]) // 100
            try deal(member, closedOn: nil, won: false, [(.prospecting, .negotiation)])                      // open: out
            try deal(member, closedOn: "2025-02-20", won: true, [(.prospecting, .closedWon)])               // before the window
            try deal(outsider, closedOn: "2025-03-10", won: true, [(.prospecting, .closedWon)])             // other group
        }
        #expect(m.sampleSize == 5)
        #expect(m.value == 40)
    }

    @Test func daysInAStageIsTheMedianTimeInTheOpenStagesLeftInTheWindow() throws {
        let m = try harness.measure("opportunity.stage_days") { crm, member, outsider in
            let steady = try crm.opportunity(owner: member, createdAt: .day("2025-02-20"), closedAfterDays: 33, won: true)
            try crm.stageChange(opportunity: steady, from: nil, to: .prospecting, at: .day("2025-02-20"))  // not leaving a stage
            try crm.stageChange(opportunity: steady, from: .prospecting, to: .qualification, at: .day("2025-03-05")) // 13
            try crm.stageChange(opportunity: steady, from: .qualification, to: .proposal, at: .day("2025-03-15"))    // 10
            try crm.stageChange(opportunity: steady, from: .proposal, to: .closedWon, at: .day("2025-03-25"))        // 10
            let imported = try crm.opportunity(owner: member, createdAt: .day("2025-03-10"), closedAfterDays: nil, won: false)
            try crm.stageChange(opportunity: imported, from: .prospecting, to: .qualification, at: .day("2025-03-14")) // 4, from creation
            let lost = try crm.opportunity(owner: member, createdAt: .day("2025-03-01"), closedAfterDays: nil, won: false)
            try crm.stageChange(opportunity: lost, from: nil, to: .qualification, at: .day("2025-03-01"))
            try crm.stageChange(opportunity: lost, from: .qualification, to: .closedLost, at: .day("2025-03-20"))    // 19
            try crm.stageChange(opportunity: lost, from: .closedLost, to: .proposal, at: .day("2025-03-22")) // leaves a closed stage: out
            try crm.stageChange(opportunity: lost, from: .proposal, to: .negotiation, at: .day("2025-04-02")) // after the window
            let earlier = try crm.opportunity(owner: member, createdAt: .day("2025-02-01"), closedAfterDays: nil, won: false)
            try crm.stageChange(opportunity: earlier, from: .prospecting, to: .qualification, at: .day("2025-02-25")) // before the window
            let theirs = try crm.opportunity(owner: outsider, createdAt: .day("2025-02-01"), closedAfterDays: nil, won: false)
            try crm.stageChange(opportunity: theirs, from: .prospecting, to: .qualification, at: .day("2025-03-25")) // other group
        }
        // 4, 10, 10, 13, 19
        #expect(m.sampleSize == 5)
        #expect(m.value == 10)
    }
}
