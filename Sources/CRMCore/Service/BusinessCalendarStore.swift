import GRDB

/// Loads business calendars (`business_calendars`, `calendar_days`) for SLA clocks.
public enum BusinessCalendarStore {
    /// The workspace's business calendar, with its name and time zone as written: the first one
    /// defined (lowest id), or nil when the workspace has none. Process SLAs are working hours on it.
    public static func workspaceCalendar(_ db: Database) throws -> (name: String, timeZone: String, calendar: BusinessCalendar)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, name, time_zone FROM business_calendars ORDER BY id LIMIT 1") else {
            return nil
        }
        return (row["name"], row["time_zone"], try calendar(id: row["id"], db))
    }

    public static func calendar(id: Int64, _ db: Database) throws -> BusinessCalendar {
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
