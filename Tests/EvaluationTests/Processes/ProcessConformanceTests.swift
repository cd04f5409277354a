import CRMCore
import Evaluation
import GRDB
import Playbook
import RolloutTesting
import Testing

/// Replaying traces on a model: which conform, how they deviate, how long each modelled
/// transition took against its SLA, on elapsed time or on the business calendar.
@Suite struct ProcessConformanceTests {
    /// Six leads, all created on 2025-02-03 by the pilot user, read from their timestamps:
    ///
    /// | lead | first activity | outcome           | trace                          |
    /// |------|----------------|-------------------|--------------------------------|
    /// | 1    | +1 h           | converted +48 h   | new → contacted → converted    |
    /// | 2    | +3 h           | disqualified +24 h| new → contacted → disqualified |
    /// | 3    | +5 h           | open              | new → contacted                |
    /// | 4    | none           | converted +24 h   | new → converted (skips)        |
    /// | 5    | +72 h (after)  | converted +48 h   | new → converted (skips)        |
    /// | 6    | none           | open              | new                            |
    static func sixLeads() throws -> ProcessFixture {
        let fixture = try ProcessFixture(processes: ProcessTracesTests.processes)
        let t0 = Timestamp.day("2025-02-03"), owner = fixture.pilotUser
        try fixture.write { db in
            var crm = CRMBuilder(db)
            try crm.lead(owner: owner, createdAt: t0, firstResponseAfterHours: 1, convertedAfterDays: 2)
            try crm.lead(owner: owner, createdAt: t0, firstResponseAfterHours: 3, disqualifiedAfterDays: 1)
            try crm.lead(owner: owner, createdAt: t0, firstResponseAfterHours: 5)
            try crm.lead(owner: owner, createdAt: t0, convertedAfterDays: 1)
            try crm.lead(owner: owner, createdAt: t0, firstResponseAfterHours: 72, convertedAfterDays: 2)
            try crm.lead(owner: owner, createdAt: t0)
        }
        return fixture
    }

    @Test func aTraceConformsWhenItStartsInTheInitialStateAndMovesOnlyAlongModelledTransitions() throws {
        let stats = try Self.sixLeads().stats("lead-handling")
        #expect(stats.conformance.map(\.variant) == [.toBe])
        let c = try #require(stats.conformance.first)
        #expect(c.recordsMeasured == 6)
        #expect(c.recordsConforming == 4)
        #expect(c.conformingPercent == 100.0 * 4 / 6)
        #expect(c.deviations.map(\.summary) == ["new → converted: 2 records (skips a modelled step)"])
        #expect(c.deviations.map(\.kind) == [.skipsStep])
        #expect(stats.notes.isEmpty)
    }

    @Test func aTransitionsTimeIsTheMedianTimeInItsSourceStateAgainstItsOwnSLAElseTheStates() throws {
        let stats = try Self.sixLeads().stats("lead-handling")
        #expect(stats.businessCalendar == nil)
        #expect(stats.clock == "elapsed hours; the workspace has no business calendar, so SLAs are held against elapsed time")
        let t = try #require(stats.conformance.first).transitions
        #expect(t.map { "\($0.from) → \($0.to)" } == ["new → contacted", "contacted → converted", "contacted → disqualified"])
        #expect(t.map(\.triggers) == [["event activity_logged"], ["action convert"], ["action disqualify"]])
        // new → contacted: 1, 3 and 5 hours; the transition's SLA is 2 h (the state's 4 h does not apply).
        #expect(t[0].count == 3)
        #expect(t[0].medianHours == 3)
        #expect(t[0].medianBusinessHours == nil)
        #expect(t[0].slaHours == 2)
        #expect(t[0].slaSource == .transition)
        #expect(t[0].withinSLA == 1)
        #expect(t[0].withinSLAPercent == 100.0 / 3)
        // contacted → converted: lead 1 only (47 h); no SLA on the transition, the state's 48 h.
        #expect(t[1].count == 1)
        #expect(t[1].medianHours == 47)
        #expect(t[1].slaHours == 48)
        #expect(t[1].slaSource == .state)
        #expect(t[1].withinSLAPercent == 100)
        // contacted → disqualified: lead 2, 24 − 3 = 21 h.
        #expect(t[2].medianHours == 21)
        #expect(t[2].withinSLA == 1)
    }

    /// Four tickets created on consecutive days at midnight, with their status changes:
    /// 1: open, in_progress +2 h, resolved +10 h, closed +34 h (conforms)
    /// 2: open (not recorded), in_progress +1 h, resolved +5 h (conforms, still open)
    /// 3: open, resolved +6 h (skips in_progress), in_progress +8 h (goes back)
    /// 4: no status history.
    @Test func skippedStepsAndStepsBackAreDeviationsAndOnlyModelledMovesAreTimed() throws {
        let fixture = try ProcessFixture(processes: ProcessTracesTests.processes)
        try fixture.write { db in
            var crm = CRMBuilder(db)
            func ticket(_ day: String, _ changes: [(String?, String, Double)]) throws {
                let created = Timestamp.day(day)
                let id = try crm.ticket(assignee: fixture.controlUser, createdAt: created, firstResponseAfterMinutes: nil)
                for (from, to, hours) in changes { try db.ticketStatusChange(id, from: from, to: to, at: created.adding(hours: hours)) }
            }
            try ticket("2025-02-03", [(nil, "open", 0), ("open", "in_progress", 2), ("in_progress", "resolved", 10),
                                      ("resolved", "closed", 34)])
            try ticket("2025-02-04", [("open", "in_progress", 1), ("in_progress", "resolved", 5)])
            try ticket("2025-02-05", [(nil, "open", 0), ("open", "resolved", 6), ("resolved", "in_progress", 8)])
            try ticket("2025-02-06", [])
        }
        let stats = try fixture.stats("ticket-handling")
        let c = try #require(stats.conformance.first)
        #expect(c.recordsMeasured == 3)
        #expect(c.recordsConforming == 2)
        #expect(c.deviations.map(\.summary) == ["open → resolved: 1 record (skips a modelled step)",
                                                "resolved → in_progress: 1 record (goes back to an earlier state)"])
        #expect(c.deviations.map(\.kind) == [.skipsStep, .goesBack])
        #expect(c.transitions.map(\.count) == [2, 2, 1])
        #expect(c.transitions.map(\.medianHours) == [1.5, 6, 24])
        #expect(c.transitions.map(\.slaHours) == [4, nil, nil])
        #expect(c.transitions.map(\.withinSLAPercent) == [100, nil, nil])
        // Cycle: ticket 1 closed after 34 h; ticket 2 is open; ticket 3 never reached 'closed'.
        let everyone = try #require(stats.cycleTimes.groups.last)
        #expect(everyone.label == "everyone")
        #expect(everyone.before.records == 3)
        #expect(everyone.before.reachedFinal == 1)
        #expect(everyone.before.medianHours == 34)
        #expect(stats.notes == ["1 ticket record has no status history and is not measured."])
    }

    @Test func withABusinessCalendarTimesAreAlsoInWorkingHoursAndTheSLAIsHeldAgainstThem() throws {
        let fixture = try ProcessFixture(processes: ProcessTracesTests.processes)
        // Friday 16:00 UTC to Monday 10:00 UTC: 66 hours elapsed, 2 working hours (Fri 16–17, Mon 9–10).
        let friday = Timestamp(year: 2025, month: 2, day: 7, hour: 16), monday = Timestamp(year: 2025, month: 2, day: 10, hour: 10)
        try fixture.write { db in
            try db.execute(sql: "INSERT INTO business_calendars (name, time_zone, hours) VALUES ('Office', 'UTC', 'mon-fri 09:00-17:00')")
            var crm = CRMBuilder(db)
            let id = try crm.ticket(assignee: fixture.controlUser, createdAt: friday, firstResponseAfterMinutes: nil)
            try db.ticketStatusChange(id, from: nil, to: "open", at: friday)
            try db.ticketStatusChange(id, from: "open", to: "in_progress", at: monday)
        }
        let stats = try fixture.stats("ticket-handling")
        #expect(stats.businessCalendar == "Office")
        #expect(stats.clock == "working hours on the business calendar 'Office' (UTC); SLAs are held against working hours")
        let t = try #require(stats.conformance.first?.transitions.first)
        #expect(t.medianHours == 66)
        #expect(t.medianBusinessHours == 2)
        // 2 working hours is within the 4-hour SLA, though 66 elapsed hours would not be.
        #expect(t.withinSLA == 1)
        #expect(t.withinSLAPercent == 100)
    }
}
