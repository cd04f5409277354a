/// Whole-day arithmetic on the proleptic Gregorian calendar, in UTC, for the file formats
/// that store dates as numbers (Excel serials, iCalendar stamps).
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
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Days from 1970-01-01 to the date (negative before it); Howard Hinnant's `days_from_civil`.
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01; Howard Hinnant's `civil_from_days`.
    static func date(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Splits Unix seconds into whole days since 1970 and the second of that day (0..<86 400).
    static func split(secondsSince1970 seconds: Int64) -> (days: Int, secondOfDay: Int) {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            days -= 1
            rest += 86_400
        }
        return (Int(days), Int(rest))
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
        let (days, secondOfDay) = split(secondsSince1970: seconds)
        let (year, month, day) = date(daysSince1970: days)
        var text = isoDate(year: year, month: month, day: day)
        text.append("T")
        appendPadded(secondOfDay / 3600, width: 2, to: &text)
        text.append(":")
        appendPadded(secondOfDay / 60 % 60, width: 2, to: &text)
        text.append(":")
        appendPadded(secondOfDay % 60, width: 2, to: &text)
        text.append("Z")
        return text
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
