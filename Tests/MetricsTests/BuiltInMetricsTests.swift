import CRMCore
import GRDB
import RolloutMetrics
import Playbook
import RolloutTesting
import Testing

/// Each built-in metric on a handful of records whose expected value is worked out by hand in
/// the test, including the records a metric must leave out (wrong group, outside the window,
/// not yet decided at the end of the window).
@Suite struct BuiltInMetricsTests {
    let measurer = KPIMeasurer(catalog: .builtIn)
    let windowEnd = Timestamp.day("2025-04-01")   // a Tuesday; the 30-day window starts 2025-03-02

    func kpi(_ metric: String, aggregate: KPIDefinition.Aggregate? = nil, window: Int = 30) -> KPIDefinition {
        let here = SourceLocation(file: "test", line: 1, column: 1)
        return KPIDefinition(id: "k", name: "k", metric: Reference(metric, at: here), aggregate: aggregate,
                             windowDays: window, direction: .higherIsBetter, location: here)
    }

    func measure(_ metric: String, users: [Int64], aggregate: KPIDefinition.Aggregate? = nil,
                 _ arrange: (inout CRMBuilder, Int64, Int64) throws -> Void) throws -> KPIMeasurement {
        let workspace = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self, MetricsSchema.self])
        return try workspace.write { db in
            var crm = CRMBuilder(db)
            let team = try crm.team("East")
            let member = try crm.user("Member", team: team)
            let outsider = try crm.user("Outsider", team: nil)
            try arrange(&crm, member, outsider)
            return try measurer.measure(kpi(metric, aggregate: aggregate), users: users.isEmpty ? [member] : users,
                                        group: .all, at: windowEnd, db)
        }
    }

    @Test func leadFirstResponseIsTheMedianHoursToTheFirstActivityOfAnsweredLeadsInTheWindow() throws {
        let m = try measure("lead.first_response_hours", users: []) { crm, member, outsider in
            try crm.lead(owner: member, createdAt: .day("2025-03-10"), firstResponseAfterHours: 2)
            try crm.lead(owner: member, createdAt: .day("2025-03-11"), firstResponseAfterHours: 10)
            try crm.lead(owner: member, createdAt: .day("2025-03-12"), firstResponseAfterHours: 30)
            try crm.lead(owner: member, createdAt: .day("2025-02-01"), firstResponseAfterHours: 1)     // before the window
            try crm.lead(owner: outsider, createdAt: .day("2025-03-10"), firstResponseAfterHours: 99) // other group
            try crm.lead(owner: member, createdAt: .day("2025-03-20"))                                 // never answered
            try crm.lead(owner: member, createdAt: .day("2025-03-31"), firstResponseAfterHours: 48)   // answered after :to
        }
        #expect(m.sampleSize == 3)
        #expect(m.value == 10)
    }

    @Test func leadFirstResponseCountsOnlyTheFirstActivity() throws {
        let workspace = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self, MetricsSchema.self])
        let m = try workspace.write { db in
            var crm = CRMBuilder(db)
            let rep = try crm.user("Rep", team: try crm.team("T"))
            let lead = try crm.lead(owner: rep, createdAt: .day("2025-03-10"), firstResponseAfterHours: 5)
            var later = Activity(kind: .email, subject: "follow-up", ownerId: rep, leadId: lead,
                                 at: Timestamp.day("2025-03-10").adding(hours: 50))
            try later.insert(db)
            return try measurer.measure(kpi("lead.first_response_hours"), users: [rep], group: .all, at: windowEnd, db)
        }
        #expect(m.value == 5)
    }

    @Test func conversionRateIsConvertedOverDecidedInTheWindow() throws {
        let m = try measure("lead.conversion_rate", users: []) { crm, member, _ in
            try crm.lead(owner: member, createdAt: .day("2025-03-01"), convertedAfterDays: 5)
            try crm.lead(owner: member, createdAt: .day("2025-03-01"), disqualifiedAfterDays: 5)
            try crm.lead(owner: member, createdAt: .day("2025-03-02"), disqualifiedAfterDays: 6)
            try crm.lead(owner: member, createdAt: .day("2025-03-03"), disqualifiedAfterDays: 7)
            try crm.lead(owner: member, createdAt: .day("2025-03-05"))                        // still open: left out
            try crm.lead(owner: member, createdAt: .day("2025-01-05"), convertedAfterDays: 10) // decided before the window
        }
        #expect(m.sampleSize == 4)
        #expect(m.value == 25)
    }

    @Test func winRateIsWonOverClosedInTheWindow() throws {
        let m = try measure("opportunity.win_rate", users: []) { crm, member, _ in
            try crm.opportunity(owner: member, createdAt: .day("2025-02-01"), closedAfterDays: 40, won: true)
            try crm.opportunity(owner: member, createdAt: .day("2025-02-10"), closedAfterDays: 30, won: true)
            try crm.opportunity(owner: member, createdAt: .day("2025-02-10"), closedAfterDays: 35, won: false)
            try crm.opportunity(owner: member, createdAt: .day("2025-03-10"), closedAfterDays: nil, won: false) // open
        }
        #expect(m.sampleSize == 3)
        #expect(abs(m.value! - 200.0 / 3) < 1e-9)
    }

    @Test func salesCycleIsTheMedianDaysOfDealsWonInTheWindow() throws {
        let m = try measure("opportunity.sales_cycle_days", users: []) { crm, member, _ in
            try crm.opportunity(owner: member, createdAt: .day("2025-03-01"), closedAfterDays: 10, won: true)
            try crm.opportunity(owner: member, createdAt: .day("2025-02-25"), closedAfterDays: 20, won: true)
            try crm.opportunity(owner: member, createdAt: .day("2025-02-01"), closedAfterDays: 40, won: true)
            try crm.opportunity(owner: member, createdAt: .day("2025-03-01"), closedAfterDays: 3, won: false) // lost
        }
        #expect(m.sampleSize == 3)
        #expect(m.value == 20)
    }

    @Test func slaComplianceCountsTicketsWhoseOutcomeIsKnownAtTheEndOfTheWindow() throws {
        // normal priority: first response within 480 minutes.
        let m = try measure("ticket.first_response_sla_compliance", users: []) { crm, member, _ in
            try crm.ticket(assignee: member, createdAt: .day("2025-03-10"), firstResponseAfterMinutes: 100)   // met
            try crm.ticket(assignee: member, createdAt: .day("2025-03-11"), firstResponseAfterMinutes: 600)   // breached
            try crm.ticket(assignee: member, createdAt: .day("2025-03-12"), firstResponseAfterMinutes: nil)   // breached, unanswered
            try crm.ticket(assignee: member, createdAt: Timestamp.day("2025-04-01").adding(hours: -1),
                           firstResponseAfterMinutes: nil)                                                     // not yet due: left out
            try crm.ticket(assignee: member, createdAt: .day("2025-03-13"), priority: .urgent,
                           firstResponseAfterMinutes: 30)                                                      // urgent, 60 min: met
        }
        #expect(m.sampleSize == 4)
        #expect(m.value == 50)
    }

    @Test func resolutionTimeIsTheMedianHoursOfTicketsResolvedInTheWindow() throws {
        let m = try measure("ticket.resolution_hours", users: []) { crm, member, _ in
            try crm.ticket(assignee: member, createdAt: .day("2025-03-10"), firstResponseAfterMinutes: 5, resolvedAfterHours: 10)
            try crm.ticket(assignee: member, createdAt: .day("2025-03-11"), firstResponseAfterMinutes: 5, resolvedAfterHours: 20)
            try crm.ticket(assignee: member, createdAt: .day("2025-03-12"), firstResponseAfterMinutes: 5)   // open
        }
        #expect(m.sampleSize == 2)
        #expect(m.value == 15)
    }

    @Test func adoptionIsTheMeanShareOfWorkingDaysWithASignInOverEveryMember() throws {
        let workspace = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self, MetricsSchema.self])
        let m = try workspace.write { db in
            var crm = CRMBuilder(db)
            let team = try crm.team("T")
            let busy = try crm.user("Busy", team: team)
            let idle = try crm.user("Idle", team: team)
            // Window 2025-03-02 … 2025-03-31 has 21 working days. Busy signs in on 7 of them, twice on one.
            for day in ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07", "2025-03-10", "2025-03-11"] {
                try crm.login(user: busy, at: Timestamp.day(day).adding(hours: 9))
            }
            try crm.login(user: busy, at: Timestamp.day("2025-03-11").adding(hours: 15))
            try crm.login(user: idle, at: .day("2025-02-10"))   // before the window
            return try measurer.measure(kpi("user.active_adoption"), users: [busy, idle], group: .all, at: windowEnd, db)
        }
        #expect(KPIMeasurer.workingDays(from: .day("2025-03-02"), to: .day("2025-04-01")) == 21)
        #expect(m.sampleSize == 2)
        #expect(abs(m.value! - (100.0 * 7 / 21 + 0) / 2) < 1e-9)
    }

    @Test func completenessIsTheMeanShareOfTheFourRequiredContactFields() throws {
        let m = try measure("contact.record_completeness", users: []) { crm, member, _ in
            let account = try crm.account(owner: member)
            try crm.contact(owner: member, createdAt: .day("2025-03-10"), account: account, title: "Buyer",
                            email: "a@b.c", phone: "123")                                           // 4 of 4
            try crm.contact(owner: member, createdAt: .day("2025-03-11"), account: account, email: "d@e.f") // 2 of 4
            try crm.contact(owner: member, createdAt: .day("2025-03-12"), title: "")                  // 0 of 4
        }
        #expect(m.sampleSize == 3)
        #expect(m.value == 50)
    }

    @Test func aGroupWithNothingToMeasureHasNoValue() throws {
        let m = try measure("lead.first_response_hours", users: []) { _, _, _ in }
        #expect(m.sampleSize == 0)
        #expect(m.value == nil)
    }

    @Test func everyBuiltInMetricRunsOnAnEmptyWorkspace() throws {
        let workspace = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self, MetricsSchema.self])
        try workspace.read { db in
            for metric in MetricCatalog.builtIn.metrics {
                _ = try measurer.measure(kpi(metric.id), users: [1, 2], group: .all, at: windowEnd, db)
            }
        }
        #expect(MetricCatalog.builtIn.metrics.count >= 8)
    }
}

@Suite struct AggregationTests {
    @Test func percentilesInterpolateBetweenClosestRanksLikeNumPy() {
        // numpy.percentile(range(1, 11), 90) == 9.1 ; numpy.median([1, 2, 3, 4]) == 2.5
        #expect(abs(KPIDefinition.Aggregate.p90.apply(to: (1...10).map(Double.init))! - 9.1) < 1e-12)
        #expect(KPIDefinition.Aggregate.median.apply(to: [4, 1, 3, 2]) == 2.5)
        #expect(KPIDefinition.Aggregate.median.apply(to: [7]) == 7)
        #expect(KPIDefinition.Aggregate.mean.apply(to: []) == nil)
        #expect(KPIDefinition.Aggregate.count.apply(to: []) == 0)
        #expect(KPIDefinition.Aggregate.sum.apply(to: [1, 2, 3.5]) == 6.5)
    }
}
