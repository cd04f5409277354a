import Foundation
import GRDB

/// A record already in the CRM that an imported row may be, with the score and its reasons.
public struct DuplicateMatch: Sendable, Hashable, Codable {
    public var recordID: Int64
    /// 0…1; `DuplicateFinder.mergeThreshold` and above is the same record.
    public var score: Double
    /// Why: "e-mail equal (+0.70)", "name 'Wang Fang' ~ 'Wang Fan' 0.96 (+0.29)".
    public var reasons: [String]
}

/// Finds the record an imported row duplicates, exactly and fuzzily, and explains the score.
///
/// Contacts: e-mail equal (lower-cased) +0.70; phone equal (digits, without +86) +0.50; name
/// similar (Jaro–Winkler ≥ 0.85) +0.30 × similarity; same account +0.10; capped at 1.
/// Leads: e-mail equal +0.70; name similar +0.30 × similarity. Candidates are the records that
/// share the e-mail or the phone (index lookups), so a name is compared only with those: two
/// different people called Wang Fang with different addresses are never merged.
/// Accounts match by name: equal ignoring case scores 1; equal once legal forms (有限公司,
/// Co., Ltd., Inc., …), spaces and punctuation are left out scores 0.90. Other entities by their natural key (a product's SKU, an order's number); such a match scores 1.
///
/// A score ≥ `mergeThreshold` (0.70) is the same record; between `reviewThreshold` (0.45) and
/// that, the row is created and the match reported as a possible duplicate.
struct DuplicateFinder {
    static let mergeThreshold = 0.70
    static let reviewThreshold = 0.45

    let entity: EntityDescriptor
    private var byEmail: Statement?
    private var byPhone: Statement?
    private var byKey: Statement?
    private var emailProbe: BulkStatement?
    private var phoneProbe: BulkStatement?

    init(entity: EntityDescriptor, _ db: Database) throws {
        self.entity = entity
        switch entity.name {
        case "contact":
            byEmail = try db.makeStatement(sql: "SELECT id, name, email, phone, account_id FROM contacts WHERE email_key = ? LIMIT 20")
            byPhone = try db.makeStatement(sql: "SELECT id, name, email, phone, account_id FROM contacts WHERE phone_key = ? LIMIT 20")
            emailProbe = try BulkStatement(db, sql: "SELECT 1 FROM contacts WHERE email_key = ? LIMIT 1")
            phoneProbe = try BulkStatement(db, sql: "SELECT 1 FROM contacts WHERE phone_key = ? LIMIT 1")
        case "lead":
            byEmail = try db.makeStatement(sql: "SELECT id, name, email, phone, NULL AS account_id FROM leads WHERE email_key = ? LIMIT 20")
            emailProbe = try BulkStatement(db, sql: "SELECT 1 FROM leads WHERE email_key = ? LIMIT 1")
        case "account":
            byKey = try db.makeStatement(sql: """
                SELECT id, name FROM accounts WHERE name_key = \(CRMSchema.accountNameKey("?1")) ORDER BY id LIMIT 20
                """)
        default:
            if let key = entity.naturalKey {
                byKey = try db.makeStatement(sql: "SELECT id, \(key) AS name FROM \(entity.table) WHERE \(key) = ? LIMIT 20")
            }
        }
    }

    /// The best candidate for the row's values (parsed), if any scores at least the review threshold.
    func bestMatch(_ values: [String: DatabaseValue]) throws -> DuplicateMatch? {
        switch entity.name {
        case "contact", "lead":
            return try personMatch(values)
        case "account":
            guard let name = String.fromDatabaseValue(values["name"] ?? .null), let byKey else { return nil }
            guard let candidate = try Row.fetchOne(byKey, arguments: [name]) else { return nil }
            let other: String = candidate["name"]
            if other.lowercased() == name.lowercased() {
                return DuplicateMatch(recordID: candidate["id"], score: 1, reasons: ["name equal"])
            }
            return DuplicateMatch(recordID: candidate["id"], score: 0.9,
                                  reasons: ["name '\(name)' ~ '\(other)': equal without legal form, case and punctuation (+0.90)"])
        default:
            guard let key = entity.naturalKey, let byKey, let value = values[key], !value.isNull,
                  let id = try Int64.fetchOne(byKey, arguments: [value]) else { return nil }
            return DuplicateMatch(recordID: id, score: 1, reasons: ["\(key) equal"])
        }
    }

    private func personMatch(_ values: [String: DatabaseValue]) throws -> DuplicateMatch? {
        let email = String.fromDatabaseValue(values["email"] ?? .null).map(Self.emailKey)
        let phone = String.fromDatabaseValue(values["phone"] ?? .null).flatMap(Self.phoneKey)
        var candidates: [Int64: Row] = [:]
        // Most rows match nothing: probe with an index-only EXISTS first, fetch rows only on a hit.
        if let email, !email.isEmpty, let byEmail, try emailProbe?.integer([email.databaseValue]) != nil {
            for row in try Row.fetchAll(byEmail, arguments: [email]) { candidates[row["id"]] = row }
        }
        if let phone, let byPhone, try phoneProbe?.integer([phone.databaseValue]) != nil {
            for row in try Row.fetchAll(byPhone, arguments: [phone]) { candidates[row["id"]] = row }
        }
        guard !candidates.isEmpty else { return nil }
        let name = String.fromDatabaseValue(values["name"] ?? .null) ?? ""
        let account = Int64.fromDatabaseValue(values["account_id"] ?? .null)
        var best: DuplicateMatch?
        for id in candidates.keys.sorted() {
            let candidate = candidates[id]!
            var score = 0.0
            var reasons: [String] = []
            if let email, !email.isEmpty, (candidate["email"] as String?).map(Self.emailKey) == email {
                score += 0.70
                reasons.append("e-mail equal (+0.70)")
            }
            if let phone, (candidate["phone"] as String?).flatMap(Self.phoneKey) == phone {
                score += 0.50
                reasons.append("phone equal (+0.50)")
            }
            let other: String = candidate["name"]
            let similarity = TextSimilarity.jaroWinkler(Self.nameKey(name), Self.nameKey(other))
            if similarity >= 0.85 {
                score += 0.30 * similarity
                reasons.append(String(format: "name '%@' ~ '%@' %.2f (+%.2f)", name, other, similarity, 0.30 * similarity))
            } else {
                reasons.append(String(format: "name '%@' differs from '%@' (%.2f)", name, other, similarity))
            }
            if let account, account == (candidate["account_id"] as Int64?) {
                score += 0.10
                reasons.append("same account (+0.10)")
            }
            score = min(1, (score * 100).rounded() / 100)
            if score >= Self.reviewThreshold, score > (best?.score ?? 0) {
                best = DuplicateMatch(recordID: id, score: score, reasons: reasons)
            }
        }
        return best
    }

    static func emailKey(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The digits of a phone number without China's country code, as the schema's `phone_key`.
    static func phoneKey(_ phone: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(phone.utf8.count)
        for byte in phone.utf8 where !(byte == 0x20 || byte == 0x2D || byte == 0x28 || byte == 0x29 || byte == 0x2B
                                          || byte == 0x2E || byte == 0x2F) {
            bytes.append(byte)
        }
        var digits = String(decoding: bytes, as: UTF8.self)
        if digits.isEmpty { return nil }
        if digits.count == 15 && digits.hasPrefix("0086") { digits.removeFirst(4) }
        else if digits.count == 13 && digits.hasPrefix("86") { digits.removeFirst(2) }
        return digits
    }

    static func nameKey(_ name: String) -> String {
        name.lowercased().filter { !$0.isWhitespace && $0 != "." && $0 != "-" }
    }
}
