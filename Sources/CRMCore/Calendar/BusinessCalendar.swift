import Foundation

/// When a business works (a time zone, working hours per weekday, holidays and make-up working
/// days), so that service-level clocks run only while someone is there to answer.
///
/// ```swift
/// let calendar = try BusinessCalendar(
///     timeZone: "Asia/Shanghai",
///     hours: "mon-fri 09:00-12:00,13:00-18:00",
///     holidays: ["2025-10-01", "2025-10-02", "2025-10-03"],
///     extraWorkingDays: ["2025-09-28"])                  // a Sunday worked in exchange (调休)
/// let due = calendar.addingWorkingMinutes(240, to: createdAt)
/// calendar.workingMinutes(from: createdAt, to: answeredAt)
/// ```
///
/// Instants are Unix seconds (UTC). Working hours are wall-clock times in the calendar's zone,
/// so 09:00–18:00 is nine hours on the days daylight saving time starts or ends, while a
/// round-the-clock day then lasts 23 or 25 hours. Precisely: a working interval starts at the
/// first instant the wall clock reads its start time or later, and ends at the first instant
/// it reads its end time or later. So a time skipped by a spring-forward gap counts as the end
/// of the gap, and a time that happens twice in an autumn fall-back counts at its first
/// occurrence. Intervals are half-open: at 18:00 sharp a 09:00–18:00 day is over.
///
/// A holiday takes the whole local date off. An extra working day (a weekend day worked in
/// exchange for a bridge holiday, as China's 调休 make-up days are) works the hours of
/// `extraWorkingDaysUseHoursOf`, Monday unless set otherwise, instead of its own.
///
/// The queries walk working intervals day by day, never minute by minute: adding three working
/// days looks at about five calendar days.
public struct BusinessCalendar: Sendable {
    /// The zone whose wall clock the hours, holidays and extra working days are written in.
    public let timeZone: TimeZone
    public let weeklyHours: WeeklyHours
    /// Local dates with no working time at all.
    public let holidays: Set<LocalDate>
    /// Local dates that work the hours of `extraWorkingDaysUseHoursOf` instead of their own.
    public let extraWorkingDays: Set<LocalDate>
    public let extraWorkingDaysUseHoursOf: Weekday

    private let zone: ZoneOffsetTable
    /// The working intervals of each weekday (index 0 = Monday) in seconds after local midnight.
    private let secondsByWeekday: [[SecondsInterval]]
    /// `holidays` and `extraWorkingDays` as sorted day numbers (days since 1970-01-01): a
    /// binary search over a few dozen integers is cheaper than hashing, on every day walked.
    private let holidayDays: [Int64]
    private let extraWorkingDayNumbers: [Int64]

    /// Round the clock, every day, in UTC: working time is elapsed time.
    public static let always = BusinessCalendar(
        checkedTimeZone: TimeZone(identifier: "UTC")!,   // UTC is in every time-zone database
        hours: .always, holidays: [], extraWorkingDays: [], extraWorkingDaysUseHoursOf: .monday)

    /// A calendar in the zone with IANA identifier `timeZone` (`Asia/Shanghai`, `Europe/Berlin`).
    ///
    /// Throws a `BusinessCalendarError` for an unknown zone, a date that is both a holiday and an
    /// extra working day, or extra working days when `extraWorkingDaysUseHoursOf` has no hours.
    public init(timeZone: String, hours: WeeklyHours, holidays: Set<LocalDate> = [],
                extraWorkingDays: Set<LocalDate> = [], extraWorkingDaysUseHoursOf: Weekday = .monday) throws {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw BusinessCalendarError(
                setting: "timeZone", token: timeZone,
                reason: "unknown time zone; use an IANA identifier such as Asia/Shanghai or Europe/Berlin")
        }
        if let clash = holidays.intersection(extraWorkingDays).min() {
            throw BusinessCalendarError(
                setting: "extraWorkingDays", token: clash.description,
                reason: "the date is also a holiday; a date is either off or worked")
        }
        if !extraWorkingDays.isEmpty && hours[extraWorkingDaysUseHoursOf].isEmpty {
            throw BusinessCalendarError(
                setting: "extraWorkingDaysUseHoursOf", token: extraWorkingDaysUseHoursOf.abbreviation,
                reason: "extra working days take this weekday's hours, but it has none")
        }
        self.init(checkedTimeZone: zone, hours: hours, holidays: holidays, extraWorkingDays: extraWorkingDays,
                  extraWorkingDaysUseHoursOf: extraWorkingDaysUseHoursOf)
    }

    /// A calendar from its textual settings, as a workspace stores them:
    ///
    /// ```swift
    /// try BusinessCalendar(timeZone: "Europe/Berlin", hours: "mon-fri 09:00-18:00", holidays: ["2025-12-25"])
    /// ```
    ///
    /// `hours` is the form `WeeklyHours(parsing:)` reads; dates are `YYYY-MM-DD`.
    public init(timeZone: String, hours: String, holidays: [String] = [], extraWorkingDays: [String] = [],
                extraWorkingDaysUseHoursOf: Weekday = .monday) throws {
        func dates(_ texts: [String], setting: String) throws -> Set<LocalDate> {
            do {
                return Set(try texts.map(LocalDate.init(parsing:)))
            } catch let error as BusinessCalendarError {
                throw error.attributed(to: setting)
            }
        }
        try self.init(timeZone: timeZone, hours: WeeklyHours(parsing: hours),
                      holidays: dates(holidays, setting: "holidays"),
                      extraWorkingDays: dates(extraWorkingDays, setting: "extraWorkingDays"),
                      extraWorkingDaysUseHoursOf: extraWorkingDaysUseHoursOf)
    }

    private init(checkedTimeZone: TimeZone, hours: WeeklyHours, holidays: Set<LocalDate>,
                 extraWorkingDays: Set<LocalDate>, extraWorkingDaysUseHoursOf: Weekday) {
        self.timeZone = checkedTimeZone
        self.weeklyHours = hours
        self.holidays = holidays
        self.extraWorkingDays = extraWorkingDays
        self.extraWorkingDaysUseHoursOf = extraWorkingDaysUseHoursOf
        zone = ZoneOffsetTable(checkedTimeZone)
        secondsByWeekday = Weekday.allCases.map { weekday in
            hours[weekday].map { SecondsInterval(start: Int64($0.startMinute) * 60, end: Int64($0.endMinute) * 60) }
        }
        holidayDays = holidays.map(\.dayNumber).sorted()
        extraWorkingDayNumbers = extraWorkingDays.map(\.dayNumber).sorted()
    }

    // MARK: Queries

    /// Whether `instant` falls within working hours (an interval's start counts, its end does not).
    public func isWorking(at instant: Int64) -> Bool {
        var working = false
        walkWorkingIntervals(from: instant) { start, _ in
            working = start <= instant
            return false
        }
        return working
    }

    /// The first working instant at or after `instant`: `instant` itself during working hours,
    /// otherwise the start of the next working interval.
    public func nextOpening(after instant: Int64) -> Int64 {
        addingWorkingSeconds(0, to: instant)
    }

    /// The instant at which `minutes` working minutes have elapsed since `start`.
    ///
    /// Outside working hours the count starts at the next opening. The result can be the end of
    /// a working interval (four hours from 14:00 on a 09:00–18:00 day is 18:00 that day, not
    /// 09:00 the next), and zero minutes from inside working hours is `start` itself. The
    /// inverse of `workingMinutes(from:to:)`: `workingMinutes(from: s, to: addingWorkingMinutes(m, to: s)) == m`.
    public func addingWorkingMinutes(_ minutes: Int, to start: Int64) -> Int64 {
        precondition(minutes >= 0, "addingWorkingMinutes needs a count of minutes of at least 0, not \(minutes)")
        return addingWorkingSeconds(Int64(minutes) * 60, to: start)
    }

    /// Whole working minutes between two instants, rounded down; 0 when `end` is not after `start`.
    public func workingMinutes(from start: Int64, to end: Int64) -> Int {
        Int(workingSeconds(from: start, to: end) / 60)
    }

    /// Working seconds between two instants; 0 when `end` is not after `start`.
    public func workingSeconds(from start: Int64, to end: Int64) -> Int64 {
        guard end > start else { return 0 }
        var total: Int64 = 0
        walkWorkingIntervals(from: start) { intervalStart, intervalEnd in
            guard intervalStart < end else { return false }
            total += min(intervalEnd, end) - max(intervalStart, start)
            return true
        }
        return total
    }

    /// The instant at which `seconds` working seconds (at least 0) have elapsed since `start`.
    public func addingWorkingSeconds(_ seconds: Int64, to start: Int64) -> Int64 {
        var remaining = seconds
        var result = start
        walkWorkingIntervals(from: start) { intervalStart, intervalEnd in
            let from = max(intervalStart, start)
            if from + remaining <= intervalEnd {
                result = from + remaining
                return false
            }
            remaining -= intervalEnd - from
            return true
        }
        return result
    }

    // MARK: The walk

    /// A working interval in seconds after local midnight.
    private struct SecondsInterval: Sendable {
        let start: Int64
        let end: Int64
    }

    /// Calls `body` with each working interval that ends after `instant`, in time order, as
    /// half-open UTC instants, until `body` returns false.
    ///
    /// It does return false eventually for every caller: every week has working time, and
    /// holidays are finitely many.
    private func walkWorkingIntervals(from instant: Int64, _ body: (_ start: Int64, _ end: Int64) -> Bool) {
        var day = localDay(containing: instant)
        var hint = zone.hint(forLocal: day * 86_400)
        while true {
            let midnight = day * 86_400
            for interval in intervals(onDay: day) {
                // In this order: the hint only moves forward, so wall-clock times must not go back.
                let start = zone.firstInstant(atOrAfterLocal: midnight + interval.start, hint: &hint)
                let end = zone.firstInstant(atOrAfterLocal: midnight + interval.end, hint: &hint)
                // An interval wholly inside a spring-forward gap has no working time.
                guard end > instant, start < end else { continue }
                if !body(start, end) { return }
            }
            day += 1
        }
    }

    /// The local day (days since 1970-01-01 on the zone's wall calendar) whose span holds
    /// `instant`: from the first instant showing its midnight to the first showing the next.
    private func localDay(containing instant: Int64) -> Int64 {
        var day = (instant + zone.offset(at: instant)).floorDivided(by: 86_400)
        // In a fall-back at midnight the wall clock reads yesterday again, but the day has begun.
        while zone.firstInstant(atOrAfterLocal: (day + 1) * 86_400) <= instant { day += 1 }
        return day
    }

    /// The working intervals of a local day, in seconds after its midnight.
    private func intervals(onDay day: Int64) -> [SecondsInterval] {
        if Self.sorted(holidayDays, contains: day) { return [] }
        if Self.sorted(extraWorkingDayNumbers, contains: day) {
            return secondsByWeekday[extraWorkingDaysUseHoursOf.rawValue - 1]
        }
        return secondsByWeekday[Weekday(dayNumber: day).rawValue - 1]
    }

    private static func sorted(_ days: [Int64], contains day: Int64) -> Bool {
        var low = 0, high = days.count
        while low < high {
            let middle = (low + high) / 2
            if days[middle] < day { low = middle + 1 } else { high = middle }
        }
        return low < days.count && days[low] == day
    }
}

extension BusinessCalendar: Hashable {
    public static func == (lhs: BusinessCalendar, rhs: BusinessCalendar) -> Bool {
        lhs.timeZone.identifier == rhs.timeZone.identifier && lhs.weeklyHours == rhs.weeklyHours
            && lhs.holidays == rhs.holidays && lhs.extraWorkingDays == rhs.extraWorkingDays
            && lhs.extraWorkingDaysUseHoursOf == rhs.extraWorkingDaysUseHoursOf
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(timeZone.identifier)
        hasher.combine(weeklyHours)
        hasher.combine(holidays)
        hasher.combine(extraWorkingDays)
        hasher.combine(extraWorkingDaysUseHoursOf)
    }
}

/// Encoded in the textual form, as a person would write it in settings:
///
/// ```json
/// {"timeZone": "Asia/Shanghai", "hours": "mon-fri 09:00-12:00,13:00-18:00",
///  "holidays": ["2025-10-01"], "extraWorkingDays": ["2025-09-28"], "extraWorkingDaysUseHoursOf": "mon"}
/// ```
///
/// `holidays`, `extraWorkingDays` and `extraWorkingDaysUseHoursOf` may be left out. Decoding
/// validates as the initialisers do, and a setting that cannot be used fails with its reason.
extension BusinessCalendar: Codable {
    private enum CodingKeys: String, CodingKey {
        case timeZone, hours, holidays, extraWorkingDays, extraWorkingDaysUseHoursOf
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let weekday = try container.decodeIfPresent(String.self, forKey: .extraWorkingDaysUseHoursOf) ?? "mon"
        guard let extraWorkingDaysUseHoursOf = Weekday(name: weekday) else {
            throw DecodingError.dataCorruptedError(
                forKey: .extraWorkingDaysUseHoursOf, in: container,
                debugDescription: "'\(weekday)' is not a day; use mon, tue, wed, thu, fri, sat or sun")
        }
        do {
            try self.init(
                timeZone: container.decode(String.self, forKey: .timeZone),
                hours: container.decode(String.self, forKey: .hours),
                holidays: container.decodeIfPresent([String].self, forKey: .holidays) ?? [],
                extraWorkingDays: container.decodeIfPresent([String].self, forKey: .extraWorkingDays) ?? [],
                extraWorkingDaysUseHoursOf: extraWorkingDaysUseHoursOf)
        } catch let error as BusinessCalendarError {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(timeZone.identifier, forKey: .timeZone)
        try container.encode(weeklyHours.description, forKey: .hours)
        try container.encode(holidays.sorted().map(\.description), forKey: .holidays)
        try container.encode(extraWorkingDays.sorted().map(\.description), forKey: .extraWorkingDays)
        try container.encode(extraWorkingDaysUseHoursOf.abbreviation, forKey: .extraWorkingDaysUseHoursOf)
    }
}
