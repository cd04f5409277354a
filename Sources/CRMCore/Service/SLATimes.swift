import GRDB

/// Computes a ticket's SLA instants from its priority's policy (`sla_policies`):
///
/// - due = created + the target in working minutes of the policy's business calendar (a policy
///   without a calendar counts every minute, around the clock);
/// - warn = the instant from which the ticket is *at risk*: when at most
///   `warn_remaining_percent` of the target's working time is left.
///
/// The instants are stored on the ticket, so "at risk" and "breached" are index range scans.
enum SLATimes {
    static let columns = ["first_response_due_at", "first_response_warn_at", "resolution_due_at", "resolution_warn_at"]

    static func apply(to values: inout [String: DatabaseValue], _ db: Database) throws {
        guard let priority = String.fromDatabaseValue(values["priority"] ?? .null),
              let created = Int64.fromDatabaseValue(values["created_at"] ?? .null) else { return }
        guard let policy = try Row.fetchOne(db, sql: """
            SELECT first_response_minutes, resolution_minutes, calendar_id, warn_remaining_percent
            FROM sla_policies WHERE priority = ?
            """, arguments: [priority]) else { return }
        let calendar = try (policy["calendar_id"] as Int64?).map { try BusinessCalendarStore.calendar(id: $0, db) } ?? .always
        let warnPercent: Int = policy["warn_remaining_percent"]
        for (prefix, minutes) in [("first_response", policy["first_response_minutes"] as Int),
                                  ("resolution", policy["resolution_minutes"] as Int)] {
            let due = calendar.addingWorkingMinutes(minutes, to: created)
            let warn = calendar.addingWorkingMinutes(minutes - minutes * warnPercent / 100, to: created)
            values["\(prefix)_due_at"] = due.databaseValue
            values["\(prefix)_warn_at"] = warn.databaseValue
        }
    }
}
