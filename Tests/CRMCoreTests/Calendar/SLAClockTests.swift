import Testing
@testable import CRMCore

/// Service-level clocks: due instants, the at-risk warning and its threshold, breach and the
/// boundaries of met and missed.
@Suite struct SLAClockTests {
    func at(_ text: String) -> Int64 { CalendarFixture.at(text) }

    /// Monday–Friday 09:00–18:00 UTC. 2025-03-03 is a Monday, 2025-03-07 a Friday.
    func officeHours() throws -> BusinessCalendar {
        try BusinessCalendar(timeZone: "UTC", hours: "mon-fri 09:00-18:00")
    }

    /// First response within 240 working minutes, at risk with 60 left.
    func firstResponse() throws -> SLAClock {
        try SLAClock(calendar: officeHours(), targetMinutes: 240, warning: .remainingAtMost(minutes: 60))
    }

    @Test func aTicketFromFridayAfternoonIsDueMondayNoon() throws {
        // Friday 17:00–18:00 uses 60 minutes, Monday 09:00–12:00 the other 180.
        let clock = try SLAClock(calendar: officeHours(), targetMinutes: 240)
        #expect(clock.dueAt(startedAt: at("2025-03-07T17:00:00Z")) == at("2025-03-10T12:00:00Z"))
    }

    @Test func theWarningStartsExactlyAtItsThreshold() throws {
        // Created Monday 09:00, due 13:00; 60 minutes left from 12:00 on.
        let clock = try firstResponse()
        let start = at("2025-03-03T09:00:00Z")
        let justBefore = clock.status(startedAt: start, completedAt: nil, now: at("2025-03-03T11:59:59Z"))
        #expect(justBefore.state == .onTrack)
        #expect(justBefore.remainingSeconds == 3_601)          // 12:00 to 13:00 plus one second
        #expect(justBefore.remainingMinutes == 61)             // rounded up
        #expect(justBefore.elapsedMinutes == 179)              // 2:59:59 rounded down; 179 + 61 = 240
        let atThreshold = clock.status(startedAt: start, completedAt: nil, now: at("2025-03-03T12:00:00Z"))
        #expect(atThreshold.state == .atRisk)
        #expect(atThreshold.remainingMinutes == 60 && atThreshold.elapsedMinutes == 180)
        #expect(atThreshold.atRiskFrom == at("2025-03-03T12:00:00Z"))
        #expect(atThreshold.dueAt == at("2025-03-03T13:00:00Z"))
    }

    @Test func aFractionOfTheTargetWarnsAsTheSameNumberOfMinutesWould() throws {
        // 0.25 × 240 = 60 minutes.
        let byFraction = try SLAClock(calendar: officeHours(), targetMinutes: 240, warning: .fractionOfTarget(0.25))
        let byMinutes = try firstResponse()
        let start = at("2025-03-03T09:00:00Z")
        for now in [at("2025-03-03T11:59:59Z"), at("2025-03-03T12:00:00Z"), at("2025-03-03T13:00:00Z")] {
            #expect(byFraction.status(startedAt: start, completedAt: nil, now: now)
                    == byMinutes.status(startedAt: start, completedAt: nil, now: now))
        }
    }

    @Test func anOpenTicketIsBreachedFromTheDueInstantOn() throws {
        let clock = try firstResponse()
        let start = at("2025-03-03T09:00:00Z")
        let beforeDue = clock.status(startedAt: start, completedAt: nil, now: at("2025-03-03T12:59:59Z"))
        #expect(beforeDue.state == .atRisk && beforeDue.remainingSeconds == 1 && beforeDue.remainingMinutes == 1)
        let atDue = clock.status(startedAt: start, completedAt: nil, now: at("2025-03-03T13:00:00Z"))
        #expect(atDue.state == .breached)
        #expect(atDue.remainingSeconds == 0 && atDue.overdueSeconds == 0 && atDue.elapsedMinutes == 240)
        // Monday 13:00 to Tuesday 10:00: 5 hours Monday, 1 hour Tuesday.
        let nextDay = clock.status(startedAt: start, completedAt: nil, now: at("2025-03-04T10:00:00Z"))
        #expect(nextDay.state == .breached && nextDay.overdueMinutes == 360)
    }

    @Test func aResponseAtTheDueInstantMeetsTheTargetAndOneSecondLaterMissesIt() throws {
        let clock = try firstResponse()
        let start = at("2025-03-03T09:00:00Z"), now = at("2025-03-05T00:00:00Z")
        let onTheSecond = clock.status(startedAt: start, completedAt: at("2025-03-03T13:00:00Z"), now: now)
        #expect(onTheSecond.state == .met && onTheSecond.remainingSeconds == 0 && onTheSecond.elapsedMinutes == 240)
        let late = clock.status(startedAt: start, completedAt: at("2025-03-03T13:00:01Z"), now: now)
        #expect(late.state == .missed && late.overdueSeconds == 1 && late.overdueMinutes == 1)
        // Answered at 10:30: 90 minutes used, 150 to spare.
        let early = clock.status(startedAt: start, completedAt: at("2025-03-03T10:30:00Z"), now: now)
        #expect(early.state == .met && early.elapsedMinutes == 90 && early.remainingMinutes == 150)
        #expect(!early.state.isOpen && SLAState.breached.isOpen)
    }

    @Test func aCompletionAfterNowIsNotKnownYet() throws {
        // Looking back at Monday 12:30, a response stamped 12:45 has not happened.
        let clock = try firstResponse()
        let status = clock.status(startedAt: at("2025-03-03T09:00:00Z"), completedAt: at("2025-03-03T12:45:00Z"),
                                  now: at("2025-03-03T12:30:00Z"))
        #expect(status.state == .atRisk && status.completedAt == nil)
    }

    @Test func theWarningCanStartAtClosingTimeAndHoldOverTheWeekend() throws {
        // Created Friday 16:00, 240 minutes: Friday 16:00–18:00 is 120, due Monday 11:00. With
        // 120 minutes' warning the clock is at risk from Friday 18:00: the weekend adds no
        // working time, so 120 minutes remain all weekend.
        let clock = try SLAClock(calendar: officeHours(), targetMinutes: 240, warning: .remainingAtMost(minutes: 120))
        let start = at("2025-03-07T16:00:00Z")
        #expect(clock.status(startedAt: start, completedAt: nil, now: at("2025-03-07T17:59:59Z")).state == .onTrack)
        let closing = clock.status(startedAt: start, completedAt: nil, now: at("2025-03-07T18:00:00Z"))
        #expect(closing.state == .atRisk && closing.atRiskFrom == at("2025-03-07T18:00:00Z"))
        let sunday = clock.status(startedAt: start, completedAt: nil, now: at("2025-03-09T12:00:00Z"))
        #expect(sunday.state == .atRisk && sunday.remainingMinutes == 120 && sunday.dueAt == at("2025-03-10T11:00:00Z"))
    }

    @Test func aTicketCreatedAtNightStartsCountingAtTheOpening() throws {
        // Created Monday 02:00: due 13:00, and nothing has elapsed by 08:59.
        let clock = try firstResponse()
        let status = clock.status(startedAt: at("2025-03-03T02:00:00Z"), completedAt: nil, now: at("2025-03-03T08:59:00Z"))
        #expect(status.dueAt == at("2025-03-03T13:00:00Z") && status.elapsedSeconds == 0 && status.state == .onTrack)
    }

    @Test func settingsThatCannotBeUsedAreRefused() throws {
        let calendar = try officeHours()
        let negative = #expect(throws: BusinessCalendarError.self) { try SLAClock(calendar: calendar, targetMinutes: -5) }
        #expect(negative?.setting == "targetMinutes")
        #expect(throws: BusinessCalendarError.self) {
            try SLAClock(calendar: calendar, targetMinutes: SLAClock.maximumTargetMinutes + 1)
        }
        let fraction = #expect(throws: BusinessCalendarError.self) {
            try SLAClock(calendar: calendar, targetMinutes: 60, warning: .fractionOfTarget(1.5))
        }
        #expect(fraction?.setting == "warning")
        #expect(throws: BusinessCalendarError.self) {
            try SLAClock(calendar: calendar, targetMinutes: 60, warning: .fractionOfTarget(.nan))
        }
        #expect(throws: BusinessCalendarError.self) {
            try SLAClock(calendar: calendar, targetMinutes: 60, warning: .remainingAtMost(minutes: -1))
        }
    }
}
