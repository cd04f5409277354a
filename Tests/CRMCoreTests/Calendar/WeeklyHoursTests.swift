import Testing
@testable import CRMCore

/// The textual form of working hours: what it accepts, how it prints, and what it refuses.
@Suite struct WeeklyHoursTests {
    typealias WeeklyHours = BusinessCalendar.WeeklyHours

    @Test func daysRangesAndIntervalsAreRead() throws {
        let hours = try WeeklyHours(parsing: "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00")
        #expect(hours[.monday].map(\.description) == ["09:00-12:00", "13:00-18:00"])
        #expect(hours[.friday] == hours[.monday])
        #expect(hours[.saturday].map { [$0.startMinute, $0.endMinute] } == [[600, 840]])
        #expect(hours[.sunday].isEmpty)
        // 5 days × 8 hours + 4 hours = 44 hours.
        #expect(hours.minutesPerWeek == 44 * 60)
        #expect(hours.description == "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00")
    }

    @Test func theFormIsForgivingAboutSpacingCaseAndFullNames() throws {
        let loose = try WeeklyHours(parsing: "  Monday - FRI  9:00 - 12:00 , 13:00-18:00 ;")
        #expect(loose == (try WeeklyHours(parsing: "mon-fri 09:00-12:00,13:00-18:00")))
    }

    @Test func rangesWrapOverTheWeekendAndPrintCanonically() throws {
        // A Sunday-to-Thursday week: sun, mon, tue, wed, thu.
        let hours = try WeeklyHours(parsing: "sun-thu 08:00-17:00")
        #expect(hours[.sunday].count == 1 && hours[.thursday].count == 1 && hours[.friday].isEmpty)
        #expect(hours.description == "mon-thu,sun 08:00-17:00")
        #expect(try WeeklyHours(parsing: hours.description) == hours)
    }

    @Test func touchingIntervalsMergeAndRepeatedDaysCombine() throws {
        #expect(try WeeklyHours(parsing: "mon 09:00-12:00,12:00-13:00").description == "mon 09:00-13:00")
        #expect(try WeeklyHours(parsing: "mon-fri 09:00-12:00; mon-fri 13:00-18:00")
                == (try WeeklyHours(parsing: "mon-fri 09:00-12:00,13:00-18:00")))
        #expect(try WeeklyHours(parsing: "mon 00:00-24:00").minutesPerWeek == 1440)
    }

    @Test(arguments: [
        ("mon-fry 09:00-18:00", "hours: 'fry': unknown day; use mon, tue, wed, thu, fri, sat or sun"),
        ("mon-fri 18:00-09:00", "hours: '18:00-09:00': the interval must end after it starts; an overnight shift is two intervals, as in 'mon 22:00-24:00; tue 00:00-06:00'"),
        ("mon-fri 09:00-25:00", "hours: '09:00-25:00': not an interval of times of day (00:00 to 24:00); write HH:MM-HH:MM"),
        ("mon-fri 09:00", "hours: '09:00': not an interval; write HH:MM-HH:MM"),
        ("mon 09:00-13:00,12:00-18:00", "hours: 'mon': 09:00-13:00 overlaps 12:00-18:00; a day's intervals must not overlap"),
        ("mon-fri", "hours: 'mon-fri': no working intervals after the days; write, for example, 'mon-fri 09:00-18:00'"),
        ("09:00-18:00", "hours: '09:00-18:00': no days before the intervals; write, for example, 'mon-fri 09:00-18:00'"),
        ("mon-wed-fri 09:00-18:00", "hours: 'mon-wed-fri': not a day or a range of days; write, for example, 'mon-fri' or 'sat'"),
        ("", "hours: no working hours; write, for example, 'mon-fri 09:00-12:00,13:00-18:00'"),
    ])
    func badHoursAreRefusedNamingTheTokenAndTheReason(_ text: String, _ message: String) {
        let error = #expect(throws: BusinessCalendarError.self) { try WeeklyHours(parsing: text) }
        #expect(error?.description == message)
    }

    @Test func aWeekWithoutWorkingTimeIsRefused() {
        let error = #expect(throws: BusinessCalendarError.self) { try WeeklyHours([.monday: []]) }
        #expect(error?.reason == "a calendar needs at least one working interval in the week")
        #expect(throws: BusinessCalendarError.self) { try BusinessCalendar.WorkingInterval(startMinute: 600, endMinute: 600) }
        #expect(throws: BusinessCalendarError.self) { try BusinessCalendar.WorkingInterval(startMinute: -1, endMinute: 600) }
    }
}
