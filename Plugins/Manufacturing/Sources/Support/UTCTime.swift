/// A Unix time written as the CRM writes dates and times: ISO 8601 in UTC (`2025-05-19`,
/// `2025-05-19T08:30:00Z`). Computed with integer arithmetic, so the text never depends on the
/// machine's time zone or locale.
struct UTCTime {
    let seconds: Int64

    init(_ seconds: Int64) { self.seconds = seconds }

    /// `2025-05-19`: the day `seconds` falls on.
    var date: String {
        let (year, month, day) = Self.civil(daysSinceEpoch: Self.floorDivide(seconds, 86_400))
        return "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    /// `2025-05-19T08:30:00Z`.
    var timestamp: String {
        let secondOfDay = seconds - Self.floorDivide(seconds, 86_400) * 86_400
        return "\(date)T\(Self.pad(secondOfDay / 3600, 2)):\(Self.pad(secondOfDay / 60 % 60, 2)):\(Self.pad(secondOfDay % 60, 2))Z"
    }

    func adding(days: Int) -> UTCTime { UTCTime(seconds + Int64(days) * 86_400) }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Year, month and day of a day counted from 1970-01-01 in the proleptic Gregorian calendar
    /// (Howard Hinnant's `civil_from_days`).
    private static func civil(daysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
