import Foundation
import Testing
@testable import CRMCore

/// Working time on a business calendar: due instants, working minutes, holidays, make-up days,
/// lunch breaks, daylight saving time, and the inverse relation of the two main functions.
@Suite struct BusinessCalendarTests {
    func at(_ text: String) -> Int64 { CalendarFixture.at(text) }

    /// Monday–Friday 09:00–18:00 in Shanghai (UTC+8 all year). 2025-03-07 is a Friday.
    func officeHours(holidays: [String] = [], extraWorkingDays: [String] = []) throws -> BusinessCalendar {
        try BusinessCalendar(timeZone: "Asia/Shanghai", hours: "mon-fri 09:00-18:00",
                             holidays: holidays, extraWorkingDays: extraWorkingDays)
    }

    @Test func fourWorkingHoursFromFriday1700AreDueMonday1200() throws {
        // Friday 17:00–18:00 is 60 minutes; the other 180 run Monday 09:00–12:00.
        let calendar = try officeHours()
        let due = calendar.addingWorkingMinutes(240, to: at("2025-03-07T17:00:00+08:00"))
        #expect(due == at("2025-03-10T12:00:00+08:00"))
        #expect(calendar.workingMinutes(from: at("2025-03-07T17:00:00+08:00"), to: due) == 240)
    }

    @Test func aHolidayOnThatMondayPushesTheDueInstantToTuesday() throws {
        // Friday 60 minutes, Monday 2025-03-10 off, Tuesday 09:00 + 180 minutes = 12:00.
        let calendar = try officeHours(holidays: ["2025-03-10"])
        #expect(calendar.addingWorkingMinutes(240, to: at("2025-03-07T17:00:00+08:00"))
                == at("2025-03-11T12:00:00+08:00"))
        #expect(!calendar.isWorking(at: at("2025-03-10T10:00:00+08:00")))
        #expect(calendar.nextOpening(after: at("2025-03-08T10:00:00+08:00")) == at("2025-03-11T09:00:00+08:00"))
    }

    @Test func aMakeUpSaturdayWorksMondaysHoursIncludingItsLunchBreak() throws {
        // 调休: Monday 2025-03-10 off, Saturday 2025-03-08 worked instead, with Monday's hours
        // 09:00–12:00 and 13:00–18:00. 300 minutes from Friday 17:00: Friday 17:00–18:00 is 60,
        // Saturday 09:00–12:00 is 180 (240 so far), the last 60 run 13:00–14:00.
        let calendar = try BusinessCalendar(
            timeZone: "Asia/Shanghai", hours: "mon-fri 09:00-12:00,13:00-18:00",
            holidays: ["2025-03-10"], extraWorkingDays: ["2025-03-08"])
        let start = at("2025-03-07T17:00:00+08:00")
        #expect(calendar.addingWorkingMinutes(300, to: start) == at("2025-03-08T14:00:00+08:00"))
        #expect(calendar.isWorking(at: at("2025-03-08T09:00:00+08:00")))
        #expect(!calendar.isWorking(at: at("2025-03-08T12:30:00+08:00")))
        #expect(!calendar.isWorking(at: at("2025-03-09T10:00:00+08:00")))   // Sunday stays off
        // Friday 60 + Saturday 480 (09–12 and 13–18) + Monday 0 = 540 up to Tuesday 09:00.
        #expect(calendar.workingMinutes(from: start, to: at("2025-03-11T09:00:00+08:00")) == 540)
    }

    @Test func extraWorkingDaysCanTakeTheHoursOfAnotherWeekday() throws {
        // Saturday 2025-03-08 takes Friday's short hours, 09:00–15:00: 6 hours.
        let calendar = try BusinessCalendar(
            timeZone: "Asia/Shanghai", hours: "mon-thu 09:00-18:00; fri 09:00-15:00",
            extraWorkingDays: ["2025-03-08"], extraWorkingDaysUseHoursOf: .friday)
        #expect(calendar.workingMinutes(from: at("2025-03-08T00:00:00+08:00"), to: at("2025-03-09T00:00:00+08:00")) == 360)
    }

    @Test func theLunchBreakStopsTheClockAndIntervalsAreHalfOpen() throws {
        let calendar = try BusinessCalendar(timeZone: "Asia/Shanghai", hours: "mon-fri 09:00-12:00,13:00-18:00")
        // 11:30–12:00 is 30 minutes, the other 30 run 13:00–13:30.
        #expect(calendar.addingWorkingMinutes(60, to: at("2025-03-03T11:30:00+08:00")) == at("2025-03-03T13:30:00+08:00"))
        #expect(calendar.workingMinutes(from: at("2025-03-03T11:30:00+08:00"), to: at("2025-03-03T13:30:00+08:00")) == 60)
        #expect(calendar.isWorking(at: at("2025-03-03T11:59:59+08:00")))
        #expect(!calendar.isWorking(at: at("2025-03-03T12:00:00+08:00")))   // an interval's end is not in it
        #expect(calendar.isWorking(at: at("2025-03-03T13:00:00+08:00")))    // its start is
        // Zero minutes: the start itself inside hours, the next opening outside them.
        #expect(calendar.addingWorkingMinutes(0, to: at("2025-03-03T10:00:00+08:00")) == at("2025-03-03T10:00:00+08:00"))
        #expect(calendar.addingWorkingMinutes(0, to: at("2025-03-03T12:30:00+08:00")) == at("2025-03-03T13:00:00+08:00"))
        #expect(calendar.nextOpening(after: at("2025-03-03T12:30:00+08:00")) == at("2025-03-03T13:00:00+08:00"))
        #expect(calendar.nextOpening(after: at("2025-03-03T10:00:00+08:00")) == at("2025-03-03T10:00:00+08:00"))
        // A target that ends exactly at closing time is due then, not at the next opening.
        #expect(calendar.addingWorkingMinutes(300, to: at("2025-03-03T13:00:00+08:00")) == at("2025-03-03T18:00:00+08:00"))
    }

    @Test func workingMinutesAreZeroWhenTheEndIsNotAfterTheStart() throws {
        let calendar = try officeHours()
        let t = at("2025-03-03T10:00:00+08:00")
        #expect(calendar.workingMinutes(from: t, to: t) == 0)
        #expect(calendar.workingMinutes(from: t, to: t - 3600) == 0)
        // Seconds are kept; whole minutes round down.
        #expect(calendar.workingSeconds(from: t, to: t + 119) == 119)
        #expect(calendar.workingMinutes(from: t, to: t + 119) == 1)
    }

    @Test func workingHoursFollowTheWallClockAcrossTheSpringForwardChange() throws {
        // Berlin moves from 02:00 CET (UTC+1) to 03:00 CEST (UTC+2) on Sunday 2025-03-30.
        let berlin = try BusinessCalendar(timeZone: "Europe/Berlin", hours: "mon-fri 09:00-18:00")
        let fridayFive = at("2025-03-28T17:00:00+01:00")
        // Friday 17:00–18:00 (60) + Monday 09:00–10:00 CEST (60). A clock fixed at UTC+1 would
        // put Monday 09:00 at 08:00Z = 10:00 CEST and find only 60.
        #expect(berlin.workingMinutes(from: fridayFive, to: at("2025-03-31T10:00:00+02:00")) == 120)
        #expect(berlin.addingWorkingMinutes(120, to: fridayFive) == at("2025-03-31T10:00:00+02:00"))
        #expect(berlin.nextOpening(after: fridayFive + 3600) == at("2025-03-31T09:00:00+02:00"))

        // Round the clock, the Sunday of the change has 23 hours: Saturday 12:00 CET to Monday
        // 12:00 CEST is 12 + 23 + 12 = 47 hours = 2 820 minutes.
        let allWeek = try BusinessCalendar(timeZone: "Europe/Berlin", hours: "mon-sun 00:00-24:00")
        #expect(allWeek.workingMinutes(from: at("2025-03-29T12:00:00+01:00"), to: at("2025-03-31T12:00:00+02:00")) == 2_820)
        #expect(allWeek.workingMinutes(from: at("2025-03-30T00:00:00+01:00"), to: at("2025-03-31T00:00:00+02:00")) == 23 * 60)
    }

    @Test func workingHoursFollowTheWallClockAcrossTheFallBackChange() throws {
        // Berlin moves from 03:00 CEST back to 02:00 CET on Sunday 2025-10-26: a 25-hour day.
        let allWeek = try BusinessCalendar(timeZone: "Europe/Berlin", hours: "mon-sun 00:00-24:00")
        #expect(allWeek.workingMinutes(from: at("2025-10-26T00:00:00+02:00"), to: at("2025-10-27T00:00:00+01:00")) == 25 * 60)
        // Office hours keep nine hours on the Friday before and the Monday after.
        let berlin = try BusinessCalendar(timeZone: "Europe/Berlin", hours: "mon-fri 09:00-18:00")
        // Friday 17:00 CEST + 120 minutes: Friday 60, Monday 09:00–10:00 CET.
        #expect(berlin.addingWorkingMinutes(120, to: at("2025-10-24T17:00:00+02:00")) == at("2025-10-27T10:00:00+01:00"))
    }

    @Test func intervalsInsideTheSkippedOrRepeatedHourFollowTheDocumentedRule() throws {
        // On 2025-03-30 the wall clock skips 02:00–03:00. 01:30–02:30 runs from 01:30 CET
        // (00:30Z) to the first instant reading 02:30 or later, 03:00 CEST (01:00Z): 30 minutes.
        let spring = try BusinessCalendar(timeZone: "Europe/Berlin", hours: "sun 01:30-02:30")
        let day = (at("2025-03-30T00:00:00+01:00"), at("2025-03-31T00:00:00+02:00"))
        #expect(spring.workingMinutes(from: day.0, to: day.1) == 30)
        // An interval wholly inside the gap has no working time that day.
        let gap = try BusinessCalendar(timeZone: "Europe/Berlin", hours: "sun 02:00-03:00")
        #expect(gap.workingMinutes(from: day.0, to: day.1) == 0)
        #expect(gap.nextOpening(after: day.0) == at("2025-04-06T02:00:00+02:00"))
        // On 2025-10-26 02:00–03:00 happens twice. 02:00–04:00 starts at the first 02:00 (CEST,
        // 00:00Z) and ends at 04:00 CET (03:00Z): 180 minutes.
        let autumn = try BusinessCalendar(timeZone: "Europe/Berlin", hours: "sun 02:00-04:00")
        #expect(autumn.workingMinutes(from: at("2025-10-26T00:00:00+02:00"), to: at("2025-10-27T00:00:00+01:00")) == 180)
    }

    @Test func alwaysIsElapsedTimeInUTC() {
        let start = at("2025-03-07T17:00:00Z")
        #expect(BusinessCalendar.always.addingWorkingMinutes(4 * 24 * 60, to: start) == start + 4 * 86_400)
        #expect(BusinessCalendar.always.workingMinutes(from: start, to: start + 90_000) == 1_500)
        #expect(BusinessCalendar.always.isWorking(at: start))
        #expect(BusinessCalendar.always.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)) == 0)
    }

    @Test func addingAndCountingWorkingMinutesAreInverse() throws {
        // 1 000 random starts in 2025 (to the second, so often outside hours) and targets of 0
        // to three working days, on a calendar with a lunch break, a half Saturday, holidays, a
        // make-up Saturday and both daylight-saving changes.
        let calendar = try BusinessCalendar(
            timeZone: "Europe/Berlin", hours: "mon-fri 08:00-12:00,13:00-17:30; sat 09:00-13:00",
            holidays: ["2025-04-18", "2025-04-21", "2025-12-25", "2025-12-26"], extraWorkingDays: ["2025-03-29"])
        var random = SeededRandom(seed: 20_250_330)
        let yearStart = at("2025-01-01T00:00:00+01:00")
        for _ in 0..<1_000 {
            let start = yearStart + Int64(random.int(below: 365 * 86_400))
            let minutes = random.int(below: 3 * 510 + 1)
            let due = calendar.addingWorkingMinutes(minutes, to: start)
            #expect(calendar.workingMinutes(from: start, to: due) == minutes, "start \(start), \(minutes) minutes")
            #expect(calendar.workingSeconds(from: start, to: due) == Int64(minutes) * 60)
            if minutes > 0 {
                // Nothing later would do: the second before the due instant is working time.
                #expect(calendar.isWorking(at: due - 1), "start \(start), \(minutes) minutes")
            } else {
                #expect(due == calendar.nextOpening(after: start))
            }
        }
    }

    @Test func workingTimeMatchesAMinuteByMinuteReference() throws {
        // The reference tests each 15-minute step with Foundation's calendar; starts and ends are
        // on 15-minute steps, as every interval edge is.
        let calendar = try BusinessCalendar(
            timeZone: "Europe/Berlin", hours: "mon-fri 08:00-12:00,13:00-17:30; sat 09:00-13:00",
            holidays: ["2025-04-18", "2025-04-21"], extraWorkingDays: ["2025-03-29"])
        let reference = CalendarFixture.Reference(
            timeZone: TimeZone(identifier: "Europe/Berlin")!,
            hours: [1: [(480, 720), (780, 1050)], 2: [(480, 720), (780, 1050)], 3: [(480, 720), (780, 1050)],
                    4: [(480, 720), (780, 1050)], 5: [(480, 720), (780, 1050)], 6: [(540, 780)]],
            holidays: ["2025-04-18", "2025-04-21"], extraWorkingDays: ["2025-03-29"])
        var random = SeededRandom(seed: 7)
        // Mid-March to mid-April: the make-up Saturday, the spring change and the Easter holidays.
        let first = at("2025-03-15T00:00:00+01:00")
        for _ in 0..<60 {
            let start = first + Int64(random.int(below: 30 * 96)) * 900
            let end = start + Int64(random.int(below: 4 * 96)) * 900
            #expect(calendar.workingMinutes(from: start, to: end) == reference.workingMinutes(from: start, to: end, step: 15),
                    "from \(start) to \(end)")
        }
        for _ in 0..<500 {
            let instant = first + Int64(random.int(below: 30 * 86_400))
            #expect(calendar.isWorking(at: instant) == reference.isWorking(at: instant), "at \(instant)")
        }
    }

    @Test(arguments: ["Europe/Berlin", "Europe/Moscow", "Pacific/Apia", "Australia/Lord_Howe",
                      "America/Sao_Paulo", "America/New_York", "Asia/Shanghai", "Asia/Kolkata"])
    func theOffsetTableAgreesWithFoundation(_ identifier: String) throws {
        // Moscow changed its standard offset in 2011 and 2014, Apia skipped 2011-12-30, Lord Howe
        // shifts by 30 minutes, São Paulo stopped daylight saving time in 2019.
        let zone = TimeZone(identifier: identifier)!
        let table = BusinessCalendar.ZoneOffsetTable(zone)
        var random = SeededRandom(seed: 11)
        for _ in 0..<2_000 {
            let instant = Int64(random.int(below: 130 * 365 * 86_400))   // 1970 to 2100
            #expect(table.offset(at: instant) == Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))),
                    "\(identifier) at \(instant)")
        }
    }

    @Test(arguments: ["Europe/Berlin", "America/Sao_Paulo", "America/Santiago", "Asia/Beirut", "Pacific/Apia",
                      "Australia/Lord_Howe"])
    func roundTheClockWorkingTimeIsElapsedTimeInAnyZone(_ identifier: String) throws {
        // The local days tile the timeline, so a calendar open all week counts every second,
        // even where clocks change at midnight (São Paulo, Santiago, Beirut) or a date is
        // skipped (Apia, 2011-12-30).
        let calendar = try BusinessCalendar(timeZone: identifier, hours: "mon-sun 00:00-24:00")
        var random = SeededRandom(seed: 5)
        for _ in 0..<500 {
            let start = Int64(random.int(below: 60 * 365 * 86_400)) + 631_152_000   // 1990 to 2050
            let seconds = Int64(random.int(below: 10 * 86_400))
            #expect(calendar.isWorking(at: start), "\(identifier) at \(start)")
            #expect(calendar.workingSeconds(from: start, to: start + seconds) == seconds, "\(identifier) from \(start)")
            #expect(calendar.addingWorkingSeconds(seconds, to: start) == start + seconds, "\(identifier) from \(start)")
        }
    }

    @Test func aCalendarRoundTripsThroughJSONInItsTextualForm() throws {
        let calendar = try BusinessCalendar(
            timeZone: "Asia/Shanghai", hours: "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00",
            holidays: ["2025-10-02", "2025-10-01"], extraWorkingDays: ["2025-09-28"])
        let json = try JSONEncoder().encode(calendar)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["hours"] as? String == "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00")
        #expect(object?["holidays"] as? [String] == ["2025-10-01", "2025-10-02"])
        #expect(try JSONDecoder().decode(BusinessCalendar.self, from: json) == calendar)

        let minimal = #"{"timeZone": "Europe/Berlin", "hours": "mon-fri 09:00-18:00"}"#
        let decoded = try JSONDecoder().decode(BusinessCalendar.self, from: Data(minimal.utf8))
        #expect(decoded.holidays.isEmpty && decoded.extraWorkingDaysUseHoursOf == .monday)
    }

    @Test func decodingRefusesABadSettingWithItsReason() {
        let bad = #"{"timeZone": "Europe/Berlin", "hours": "mon-fri 18:00-09:00"}"#
        do {
            _ = try JSONDecoder().decode(BusinessCalendar.self, from: Data(bad.utf8))
            Issue.record("decoded a calendar whose interval ends before it starts")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("'18:00-09:00'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func settingsThatCannotBeUsedAreRefusedWithTheirReason() {
        func refusal(_ make: () throws -> BusinessCalendar) -> BusinessCalendarError? {
            return #expect(throws: BusinessCalendarError.self) { _ = try make() }
        }
        let zone = refusal { try BusinessCalendar(timeZone: "Mars/Olympus_Mons", hours: "mon 09:00-17:00") }
        #expect(zone?.setting == "timeZone" && zone?.token == "Mars/Olympus_Mons")
        let date = refusal { try BusinessCalendar(timeZone: "UTC", hours: "mon 09:00-17:00", holidays: ["2025-02-30"]) }
        #expect(date?.description == "holidays: '2025-02-30': no such date in the Gregorian calendar")
        let clash = refusal {
            try BusinessCalendar(timeZone: "UTC", hours: "mon 09:00-17:00", holidays: ["2025-03-08"], extraWorkingDays: ["2025-03-08"])
        }
        #expect(clash?.setting == "extraWorkingDays" && clash?.token == "2025-03-08")
        let noHours = refusal {
            try BusinessCalendar(timeZone: "UTC", hours: "mon-fri 09:00-17:00", extraWorkingDays: ["2025-03-08"],
                                 extraWorkingDaysUseHoursOf: .sunday)
        }
        #expect(noHours?.setting == "extraWorkingDaysUseHoursOf")
    }
}
