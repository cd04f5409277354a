/// A day of the calendar in UTC, as the CRM writes dates (`2025-09-15`): a campaign's start
/// and end, a report's "as of". The CRM's data has no time zone of its own.
struct CalendarDay: CustomStringConvertible, Sendable {
    let year: Int64
    let month: Int64
    let day: Int64

    /// The day that contains the instant `seconds` (Unix time).
    init(containing seconds: Int64) {
        // Howard Hinnant's civil_from_days: days since 1970-01-01 → proleptic Gregorian date.
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    var description: String {
        func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(twoDigits(month))-\(twoDigits(day))"
    }
}
