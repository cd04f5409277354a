import Foundation
import GRDB

/// The rules of particular entities that `CRMStore` applies around every write:
///
/// - `created_at` (and a knowledge-base article's `updated_at`) come from the clock when absent;
/// - a ticket gets its SLA due and warning instants from its priority's policy and calendar, and
///   every status change is recorded in `ticket_status_changes`; resolving stamps `resolved_at`,
///   starting work stamps `first_response_at`;
/// - an opportunity's stage changes are recorded in `opportunity_stage_changes`, and a closed
///   stage stamps `closed_at` (reopening clears it);
/// - a lead becomes `converted` only through `LeadConversion`;
/// - a campaign response stamps `responded_at` and marks the member as responded;
/// - an appointment gets a UID for calendar programs and may not overlap another of its user's;
/// - a knowledge-base article is (re)indexed for full-text search.
struct EntityRules {
    let entity: EntityDescriptor
    let now: Timestamp
    let actor: CRMActor

    /// Whether creating a record writes other rows too (a history row, the search index), so
    /// a failure half-way needs a savepoint to undo the first writes.
    var writesSeveralRows: Bool {
        ["ticket", "opportunity", "kb-article"].contains(entity.name)
    }

    func beforeCreate(_ values: inout [String: DatabaseValue], _ db: Database) throws {
        if entity.stampsCreation, entity.field("created_at") != nil, (values["created_at"] ?? .null).isNull {
            values["created_at"] = now.databaseValue
        }
        switch entity.name {
        case "ticket":
            if (values["status"] ?? .null).isNull { values["status"] = "open".databaseValue }
            try stampTicketProgress(&values, oldStatus: nil)
            try SLATimes.apply(to: &values, db)
        case "opportunity":
            let stage = String.fromDatabaseValue(values["stage"] ?? .null) ?? ""
            if stage.hasPrefix("closed") { values["closed_at"] = values["created_at"] }
        case "lead":
            if String.fromDatabaseValue(values["status"] ?? .null) == "converted" {
                throw CRMError.conflict("a lead becomes 'converted' only by converting it: rollout crm lead convert ID")
            }
        case "campaign-member":
            stampResponse(&values)
        case "appointment":
            values["uid"] = "\(UUID().uuidString.lowercased())@rollout".databaseValue
            try checkNoOverlap(values, excluding: nil, db)
        case "kb-article":
            values["updated_at"] = values["created_at"] ?? now.databaseValue
        default:
            break
        }
    }

    func afterCreate(id: Int64, _ values: [String: DatabaseValue], _ db: Database) throws {
        switch entity.name {
        case "ticket":
            try db.cachedStatement(sql: """
                INSERT INTO ticket_status_changes (ticket_id, from_status, to_status, changed_at, changed_by)
                VALUES (?, NULL, ?, ?, ?)
                """).execute(arguments: [id, values["status"], values["created_at"], actor.userID])
        case "opportunity":
            try db.cachedStatement(sql: """
                INSERT INTO opportunity_stage_changes (opportunity_id, from_stage, to_stage, changed_at, changed_by)
                VALUES (?, NULL, ?, ?, ?)
                """).execute(arguments: [id, values["stage"], values["created_at"], actor.userID])
        case "kb-article":
            try KnowledgeBase.index(articleID: id, db)
        default:
            break
        }
    }

    func beforeUpdate(id: Int64, _ values: inout [String: DatabaseValue], old: Row, _ db: Database) throws {
        switch entity.name {
        case "ticket":
            let oldStatus: String = old["status"]
            if let status = String.fromDatabaseValue(values["status"] ?? .null), status != oldStatus {
                var merged = values
                for column in ["first_response_at", "resolved_at"] where merged[column] == nil {
                    merged[column] = old[column]
                }
                try stampTicketProgress(&merged, oldStatus: oldStatus)
                values["first_response_at"] = merged["first_response_at"]
                values["resolved_at"] = merged["resolved_at"]
            }
            if values["priority"] != nil {
                var merged = values
                merged["created_at"] = old["created_at"]
                try SLATimes.apply(to: &merged, db)
                for column in SLATimes.columns { values[column] = merged[column] }
            }
        case "opportunity":
            if let stage = String.fromDatabaseValue(values["stage"] ?? .null), stage != (old["stage"] as String) {
                values["closed_at"] = stage.hasPrefix("closed") ? now.databaseValue : .null
            }
        case "lead":
            if String.fromDatabaseValue(values["status"] ?? .null) == "converted" {
                throw CRMError.conflict("a lead becomes 'converted' only by converting it: rollout crm lead convert \(id)")
            }
        case "campaign-member":
            stampResponse(&values)
        case "appointment":
            var merged: [String: DatabaseValue] = [:]
            for column in ["user_id", "starts_at", "ends_at", "status"] { merged[column] = values[column] ?? old[column] }
            try checkNoOverlap(merged, excluding: id, db)
        case "kb-article":
            values["updated_at"] = now.databaseValue
        default:
            break
        }
    }

    func afterUpdate(id: Int64, _ values: [String: DatabaseValue], old: Row, _ db: Database) throws {
        switch entity.name {
        case "ticket":
            let oldStatus: String = old["status"]
            if let status = String.fromDatabaseValue(values["status"] ?? .null), status != oldStatus {
                try db.cachedStatement(sql: """
                    INSERT INTO ticket_status_changes (ticket_id, from_status, to_status, changed_at, changed_by)
                    VALUES (?, ?, ?, ?, ?)
                    """).execute(arguments: [id, oldStatus, status, now, actor.userID])
            }
        case "opportunity":
            let oldStage: String = old["stage"]
            if let stage = String.fromDatabaseValue(values["stage"] ?? .null), stage != oldStage {
                try db.cachedStatement(sql: """
                    INSERT INTO opportunity_stage_changes (opportunity_id, from_stage, to_stage, changed_at, changed_by)
                    VALUES (?, ?, ?, ?, ?)
                    """).execute(arguments: [id, oldStage, stage, now, actor.userID])
            }
        case "kb-article":
            try KnowledgeBase.index(articleID: id, db)
        default:
            break
        }
    }

    func beforeDelete(id: Int64, _ db: Database) throws {
        if entity.name == "kb-article" {
            try KnowledgeBase.removeFromIndex(articleID: id, db)
        }
    }

    /// Work started → first response now; resolved or closed → resolved now (unless given).
    private func stampTicketProgress(_ values: inout [String: DatabaseValue], oldStatus: String?) throws {
        let status = String.fromDatabaseValue(values["status"] ?? .null) ?? "open"
        if status != "open", (values["first_response_at"] ?? .null).isNull {
            values["first_response_at"] = oldStatus == nil ? values["created_at"] : now.databaseValue
        }
        if status == "resolved" || status == "closed", (values["resolved_at"] ?? .null).isNull {
            values["resolved_at"] = oldStatus == nil ? values["created_at"] : now.databaseValue
        }
        if status == "open" || status == "in_progress" {
            if oldStatus == "resolved" || oldStatus == "closed" { values["resolved_at"] = .null }
        }
    }

    private func stampResponse(_ values: inout [String: DatabaseValue]) {
        if !(values["response"] ?? .null).isNull {
            if (values["responded_at"] ?? .null).isNull { values["responded_at"] = now.databaseValue }
            values["status"] = "responded".databaseValue
        }
    }

    private func checkNoOverlap(_ values: [String: DatabaseValue], excluding id: Int64?, _ db: Database) throws {
        guard String.fromDatabaseValue(values["status"] ?? .null) != "cancelled",
              let user = Int64.fromDatabaseValue(values["user_id"] ?? .null),
              let start = Int64.fromDatabaseValue(values["starts_at"] ?? .null),
              let end = Int64.fromDatabaseValue(values["ends_at"] ?? .null) else { return }
        guard end > start else {
            throw CRMError.invalid(entity: "appointment", [FieldError(field: "ends_at", value: nil, reason: "must be after starts_at")])
        }
        if let clash = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, title, starts_at, ends_at FROM appointments
            WHERE user_id = ? AND status <> 'cancelled' AND starts_at < ? AND ends_at > ? AND id IS NOT ?
            ORDER BY starts_at LIMIT 1
            """), arguments: [user, end, start, id]) {
            let from = Timestamp(secondsSinceEpoch: clash["starts_at"]).iso8601
            let to = Timestamp(secondsSinceEpoch: clash["ends_at"]).iso8601
            throw CRMError.conflict("the user already has appointment \(clash["id"] as Int64) '\(clash["title"] as String)' from \(from) to \(to); choose another time")
        }
    }
}
