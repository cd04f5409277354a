extension BusinessCalendar {
    /// A day of the week, numbered as ISO 8601 does (Monday 1 … Sunday 7).
    public enum Weekday: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
        case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

        /// The weekday of the day `dayNumber` days after 1970-01-01, a Thursday.
        init(dayNumber: Int64) {
            self = Weekday(rawValue: Int((dayNumber + 3).positiveModulo(7)) + 1)!   // 1...7 by construction
        }

        /// A weekday from its English name or three-letter abbreviation, in any case.
        public init?(name: String) {
            let lowered = name.lowercased()
            guard let match = Weekday.allCases.first(where: { lowered == $0.abbreviation || lowered == $0.fullName })
            else { return nil }
            self = match
        }

        /// `mon`, `tue`, …: the form the textual hours use.
        public var abbreviation: String { String(fullName.prefix(3)) }

        public var description: String { abbreviation }

        private var fullName: String {
            switch self {
            case .monday: "monday"
            case .tuesday: "tuesday"
            case .wednesday: "wednesday"
            case .thursday: "thursday"
            case .friday: "friday"
            case .saturday: "saturday"
            case .sunday: "sunday"
            }
        }

        public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A stretch of working time within a day, in local wall-clock minutes after midnight:
    /// `09:00-12:00` is 540..<720. The end may be `24:00`; an overnight shift is two intervals.
    public struct WorkingInterval: Hashable, Comparable, Sendable, CustomStringConvertible {
        /// Minutes after local midnight at which work starts.
        public let startMinute: Int
        /// Minutes after local midnight at which work stops (excluded), at most 1440.
        public let endMinute: Int

        public init(startMinute: Int, endMinute: Int) throws {
            guard (0...1440).contains(startMinute), (0...1440).contains(endMinute) else {
                throw BusinessCalendarError(
                    setting: "hours", token: "minutes \(startMinute)-\(endMinute)",
                    reason: "times must lie within 00:00-24:00, that is 0...1440 minutes after midnight")
            }
            guard startMinute < endMinute else {
                throw BusinessCalendarError(
                    setting: "hours", token: "\(Self.clock(startMinute))-\(Self.clock(endMinute))",
                    reason: "the interval must end after it starts; an overnight shift is two intervals, "
                        + "as in 'mon 22:00-24:00; tue 00:00-06:00'")
            }
            self.startMinute = startMinute
            self.endMinute = endMinute
        }

        /// Parses `HH:MM-HH:MM` (`9:00` and `24:00` allowed).
        public init(parsing text: String) throws {
            let ends = text.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2 else {
                throw BusinessCalendarError(setting: "hours", token: text, reason: "not an interval; write HH:MM-HH:MM")
            }
            guard let start = Self.minutes(ends[0]), let end = Self.minutes(ends[1]) else {
                throw BusinessCalendarError(
                    setting: "hours", token: text, reason: "not an interval of times of day (00:00 to 24:00); write HH:MM-HH:MM")
            }
            try self.init(startMinute: start, endMinute: end)
        }

        /// `09:00-12:00`.
        public var description: String { "\(Self.clock(startMinute))-\(Self.clock(endMinute))" }

        public static func < (lhs: WorkingInterval, rhs: WorkingInterval) -> Bool {
            (lhs.startMinute, lhs.endMinute) < (rhs.startMinute, rhs.endMinute)
        }

        /// Minutes after midnight of `H:MM` or `HH:MM`, 0...1440; nil for anything else.
        private static func minutes(_ text: Substring) -> Int? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
                  parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60
            else { return nil }
            let total = hour * 60 + minute
            return total <= 1440 ? total : nil
        }

        /// `HH:MM` of minutes after midnight (only valid intervals are ever shown).
        private static func clock(_ minutes: Int) -> String {
            let hour = minutes / 60, minute = minutes % 60
            return (hour < 10 ? "0\(hour)" : "\(hour)") + ":" + (minute < 10 ? "0\(minute)" : "\(minute)")
        }
    }

    /// The working intervals of each weekday, with at least one in the week.
    ///
    /// The textual form lists groups of days with their intervals, separated by `;`:
    ///
    /// ```swift
    /// let hours = try WeeklyHours(parsing: "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00")
    /// hours[.monday]        // [09:00-12:00, 13:00-18:00]
    /// hours[.sunday]        // []
    /// hours.description     // "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00"
    /// ```
    ///
    /// Days are `mon` … `sun` (or full English names, any case), single or as ranges (`sun-thu`
    /// wraps over the weekend), joined by `,`. A day listed in two groups gets the intervals of
    /// both. Intervals of a day may touch (`12:00-13:00,13:00-14:00` is merged into one) but may
    /// not overlap.
    public struct WeeklyHours: Hashable, Sendable, CustomStringConvertible {
        /// Intervals per weekday, index 0 = Monday, each sorted, disjoint and not touching.
        private let days: [[WorkingInterval]]

        /// Round the clock, every day.
        public static let always = WeeklyHours(validated: Array(
            repeating: [WorkingInterval(uncheckedStart: 0, end: 1440)], count: 7))

        /// Hours from intervals per weekday; weekdays left out do not work.
        public init(_ intervals: [Weekday: [WorkingInterval]]) throws {
            var days: [[WorkingInterval]] = []
            for weekday in Weekday.allCases {
                days.append(try Self.normalised(intervals[weekday] ?? [], of: weekday))
            }
            guard days.contains(where: { !$0.isEmpty }) else {
                throw BusinessCalendarError(
                    setting: "hours", reason: "a calendar needs at least one working interval in the week")
            }
            self.days = days
        }

        /// Parses the textual form described on the type.
        public init(parsing text: String) throws {
            var intervals: [Weekday: [WorkingInterval]] = [:]
            for group in text.split(separator: ";") {
                let trimmed = group.trimmingWhitespace()
                if trimmed.isEmpty { continue }
                // The days are everything before the first digit; the intervals, the rest.
                guard let firstDigit = trimmed.firstIndex(where: { $0.isASCII && $0.isNumber }) else {
                    throw BusinessCalendarError(
                        setting: "hours", token: String(trimmed),
                        reason: "no working intervals after the days; write, for example, 'mon-fri 09:00-18:00'")
                }
                let dayText = trimmed[..<firstDigit].trimmingWhitespace()
                guard !dayText.isEmpty else {
                    throw BusinessCalendarError(
                        setting: "hours", token: String(trimmed),
                        reason: "no days before the intervals; write, for example, 'mon-fri 09:00-18:00'")
                }
                let weekdays = try Self.weekdays(in: dayText)
                let groupIntervals = try trimmed[firstDigit...]
                    .filter { !$0.isWhitespace }
                    .split(separator: ",", omittingEmptySubsequences: false)
                    .map { try WorkingInterval(parsing: String($0)) }
                for weekday in weekdays { intervals[weekday, default: []] += groupIntervals }
            }
            guard !intervals.isEmpty else {
                throw BusinessCalendarError(
                    setting: "hours", token: text.allSatisfy(\.isWhitespace) ? nil : text,
                    reason: "no working hours; write, for example, 'mon-fri 09:00-12:00,13:00-18:00'")
            }
            try self.init(intervals)
        }

        private init(validated days: [[WorkingInterval]]) {
            self.days = days
        }

        /// The working intervals of `weekday`, in order; empty on a day off.
        public subscript(weekday: Weekday) -> [WorkingInterval] { days[weekday.rawValue - 1] }

        /// The textual form, canonical: days with the same intervals are grouped, in weekday order.
        public var description: String {
            var groups: [(weekdays: [Weekday], intervals: [WorkingInterval])] = []
            for weekday in Weekday.allCases where !self[weekday].isEmpty {
                if let index = groups.firstIndex(where: { $0.intervals == self[weekday] }) {
                    groups[index].weekdays.append(weekday)
                } else {
                    groups.append(([weekday], self[weekday]))
                }
            }
            return groups.map { group in
                Self.dayRanges(group.weekdays) + " " + group.intervals.map(\.description).joined(separator: ",")
            }.joined(separator: "; ")
        }

        /// Working minutes in a week without holidays or daylight-saving changes.
        public var minutesPerWeek: Int {
            days.joined().reduce(0) { $0 + $1.endMinute - $1.startMinute }
        }

        /// Sorted, touching intervals merged; overlapping ones refused.
        private static func normalised(_ intervals: [WorkingInterval], of weekday: Weekday) throws -> [WorkingInterval] {
            var merged: [WorkingInterval] = []
            for interval in intervals.sorted() {
                guard let last = merged.last, interval.startMinute <= last.endMinute else {
                    merged.append(interval)
                    continue
                }
                guard interval.startMinute == last.endMinute else {
                    throw BusinessCalendarError(
                        setting: "hours", token: weekday.abbreviation,
                        reason: "\(last) overlaps \(interval); a day's intervals must not overlap")
                }
                merged[merged.count - 1] = WorkingInterval(uncheckedStart: last.startMinute, end: interval.endMinute)
            }
            return merged
        }

        /// The weekdays of `mon-fri`, `sat`, `sun-thu`, `mon,wed,fri`.
        private static func weekdays(in text: Substring) throws -> [Weekday] {
            var result: [Weekday] = []
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                let ends = item.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
                guard (1...2).contains(ends.count) else {
                    throw BusinessCalendarError(
                        setting: "hours", token: String(item.trimmingWhitespace()),
                        reason: "not a day or a range of days; write, for example, 'mon-fri' or 'sat'")
                }
                let named = try ends.map { end in
                    guard let weekday = Weekday(name: String(end)) else {
                        throw BusinessCalendarError(
                            setting: "hours", token: String(end),
                            reason: "unknown day; use mon, tue, wed, thu, fri, sat or sun")
                    }
                    return weekday
                }
                // A range runs forward from its first day and wraps over Sunday: sun-thu is 5 days.
                let first = named[0], last = named[named.count - 1]
                let length = (last.rawValue - first.rawValue).positiveModulo(7)
                for offset in 0...length {
                    result.append(Weekday(rawValue: (first.rawValue - 1 + offset) % 7 + 1)!)   // 1...7 by construction
                }
            }
            return result
        }

        /// `mon-wed,fri,sun`: runs of three or more consecutive days as ranges.
        private static func dayRanges(_ weekdays: [Weekday]) -> String {
            var runs: [[Weekday]] = []
            for weekday in weekdays {
                if let last = runs.last?.last, last.rawValue + 1 == weekday.rawValue {
                    runs[runs.count - 1].append(weekday)
                } else {
                    runs.append([weekday])
                }
            }
            return runs.map { run in
                switch run.count {
                case 1: run[0].abbreviation
                case 2: "\(run[0]),\(run[1])"
                default: "\(run[0])-\(run[run.count - 1])"
                }
            }.joined(separator: ",")
        }
    }
}

extension BusinessCalendar.WorkingInterval {
    /// An interval the caller has already checked: 0 ≤ start < end ≤ 1440.
    fileprivate init(uncheckedStart start: Int, end: Int) {
        startMinute = start
        endMinute = end
    }
}

extension Substring {
    /// The text without leading and trailing whitespace.
    fileprivate func trimmingWhitespace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return self[endIndex...] }
        return self[first...last]
    }
}
