/// Whole-day arithmetic on the proleptic Gregorian calendar, in UTC, for the file formats
/// that store dates as numbers (Excel serials, iCalendar stamps). The arithmetic is
/// `Timestamp`'s (Howard Hinnant's civil algorithms); this adds the validity check and formatting.
///
/// Calendar dates never go through Foundation `Date` here: a date is a (year, month, day)
/// triple and a moment is whole seconds since 1970-01-01T00:00:00Z, so no time zone can
/// shift a customer's birthday by a day.
enum OfficeGregorian {
    /// Whether the triple names a real day (months 1–12, days within the month, years 1–9999).
    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        return day <= daysInMonth(year: year, month: month)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        Timestamp.daysIn(month: month, year: year)
    }

    /// Days from 1970-01-01 to the date (negative before it).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        Int(Timestamp(year: year, month: month, day: day).secondsSinceEpoch.floorDivided(by: 86_400))
    }

    /// The date `days` after 1970-01-01.
    static func date(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        Timestamp(secondsSinceEpoch: Int64(days) * 86_400).civil
    }

    /// Splits Unix seconds into whole days since 1970 and the second of that day (0..<86 400).
    static func split(secondsSince1970 seconds: Int64) -> (days: Int, secondOfDay: Int) {
        (Int(seconds.floorDivided(by: 86_400)), Int(seconds.positiveModulo(86_400)))
    }

    /// `2025-03-04`.
    static func isoDate(year: Int, month: Int, day: Int) -> String {
        var text = ""
        text.reserveCapacity(10)
        appendPadded(year, width: 4, to: &text)
        text.append("-")
        appendPadded(month, width: 2, to: &text)
        text.append("-")
        appendPadded(day, width: 2, to: &text)
        return text
    }

    /// `2025-03-04T09:30:00Z`.
    static func isoDateTime(secondsSince1970 seconds: Int64) -> String {
        Timestamp(secondsSinceEpoch: seconds).iso8601
    }

    /// Appends `value` in decimal, left-padded with zeros to `width` digits.
    static func appendPadded(_ value: Int, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.utf8.count < width {
            text.append(String(repeating: "0", count: width - digits.utf8.count))
        }
        text.append(digits)
    }
}
