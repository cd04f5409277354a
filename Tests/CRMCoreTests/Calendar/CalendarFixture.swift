import Foundation
@testable import CRMCore

/// Instants and calendars for the calendar tests, built with Foundation rather than with the
/// code under test, so that expected values are independent of it.
enum CalendarFixture {
    /// Unix seconds of an ISO 8601 date-time with an offset: `2025-03-07T17:00:00+08:00`.
    static func at(_ text: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) else { preconditionFailure("bad fixture instant \(text)") }
        return Int64(date.timeIntervalSince1970)
    }

    /// A working-hours predicate written straight from the definition, one Foundation calendar
    /// lookup per instant: local date, weekday and minute of day, then the table. It does not
    /// model a daylight-saving gap or overlap, so calendars checked with it keep their hours
    /// away from 02:00–03:00.
    struct Reference {
        let timeZone: TimeZone
        /// ISO weekday (1 = Monday) → [start, end) in minutes after midnight.
        let hours: [Int: [(Int, Int)]]
        let holidays: Set<String>
        let extraWorkingDays: Set<String>

        func isWorking(at instant: Int64) -> Bool {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .weekday], from: Date(timeIntervalSince1970: TimeInterval(instant)))
            let date = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            if holidays.contains(date) { return false }
            let isoWeekday = (parts.weekday! + 5) % 7 + 1   // Foundation counts 1 = Sunday
            let minute = parts.hour! * 60 + parts.minute!
            let intervals = extraWorkingDays.contains(date) ? hours[1] ?? [] : hours[isoWeekday] ?? []
            return intervals.contains { $0.0 <= minute && minute < $0.1 }
        }

        /// Working minutes from `start` to `end`, both on a `step`-minute boundary that all the
        /// hours also fall on, by testing each step.
        func workingMinutes(from start: Int64, to end: Int64, step: Int64) -> Int {
            stride(from: start, to: end, by: Int(step * 60)).filter { isWorking(at: $0) }.count * Int(step)
        }
    }
}
