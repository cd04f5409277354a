/// The demo company's office calendar: Beijing time, a lunch break, and mainland China's public
/// holidays of 2025 with the weekend days worked to make up for them.
///
/// It is there for SLA policies that want working time; the demo's policies keep no calendar
/// (`sla_policies.calendar_id` stays NULL) because the built-in KPIs and the generator's
/// calibration count calendar minutes.
enum DemoBusinessCalendar {
    static let name = "China office"
    static let timeZone = "Asia/Shanghai"
    static let hours = "mon-fri 09:00-12:00,13:00-18:00"

    /// The State Council's arrangement for 2025: each holiday's days off, and the make-up working
    /// days (Sundays and Saturdays worked instead).
    static let holidays2025: [(name: String, daysOff: [String], workingDays: [String])] = [
        ("New Year's Day", ["2025-01-01"], []),
        ("Spring Festival", ["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02",
                             "2025-02-03", "2025-02-04"], ["2025-01-26", "2025-02-08"]),
        ("Qingming Festival", ["2025-04-04", "2025-04-05", "2025-04-06"], []),
        ("Labour Day", ["2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05"], ["2025-04-27"]),
        ("Dragon Boat Festival", ["2025-05-31", "2025-06-01", "2025-06-02"], []),
        ("National Day and Mid-Autumn Festival", ["2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05",
                                                  "2025-10-06", "2025-10-07", "2025-10-08"],
         ["2025-09-28", "2025-10-11"]),
    ]

    /// Writes the calendar and its days, in date order.
    static func write(_ writer: inout DemoRowWriter) throws {
        let calendarID = try writer.businessCalendar(name: name, timeZone: timeZone, hours: hours)
        var days: [(day: String, kind: String, name: String)] = []
        for holiday in holidays2025 {
            days += holiday.daysOff.map { ($0, "holiday", holiday.name) }
            days += holiday.workingDays.map { ($0, "working", "\(holiday.name) (make-up working day)") }
        }
        for day in days.sorted(by: { $0.day < $1.day }) {
            try writer.calendarDay(calendarID: calendarID, day: day.day, kind: day.kind, name: day.name)
        }
    }
}
