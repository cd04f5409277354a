import GRDB

/// Loads business calendars (`business_calendars`, `calendar_days`) for SLA clocks.
enum BusinessCalendarStore {
    static func calendar(id: Int64, _ db: Database) throws -> BusinessCalendar {
        guard let row = try Row.fetchOne(db, sql: "SELECT name, time_zone, hours FROM business_calendars WHERE id = ?",
                                         arguments: [id]) else {
            throw CRMError.notFound(entity: "business calendar", key: String(id))
        }
        let days = try Row.fetchAll(db, sql: "SELECT day, kind FROM calendar_days WHERE calendar_id = ?", arguments: [id])
        do {
            return try BusinessCalendar(timeZone: row["time_zone"], hours: row["hours"],
                                        holidays: days.filter { $0["kind"] == "holiday" }.map { $0["day"] },
                                        extraWorkingDays: days.filter { $0["kind"] == "working" }.map { $0["day"] })
        } catch {
            throw CRMError.conflict("business calendar '\(row["name"] as String)' is invalid: \(error)")
        }
    }
}
