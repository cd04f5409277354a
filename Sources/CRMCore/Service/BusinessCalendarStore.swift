import GRDB

/// Loads business calendars (`business_calendars`, `calendar_days`) for SLA clocks.
public enum BusinessCalendarStore {
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

extension BusinessCalendarStore {
    /// The workspace's first business calendar (lowest id), which process SLAs run on; nil when
    /// the workspace has none (then SLAs count round-the-clock hours).
    public static func defaultCalendar(_ db: Database) throws -> BusinessCalendar? {
        guard let id = try Int64.fetchOne(db, sql: "SELECT min(id) FROM business_calendars") else { return nil }
        return try calendar(id: id, db)
    }
}
