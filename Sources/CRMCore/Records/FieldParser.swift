import Foundation
import GRDB

/// Turns the text a user typed (a command option, a CSV cell, a JSON string) into the value a
/// column stores, or a `FieldError` that says what was expected.
///
/// Empty text is NULL. Choices accept any case and spaces for underscores (`In person` is
/// `in_person`); references accept an id or the other entity's natural key (an account's name,
/// a user's e-mail); money is in major units with at most the currency's two decimals.
public struct FieldParser {
    /// Caches natural-key lookups during an import: one query per distinct name, not per row.
    private var referenceCache: [String: [String: Int64]] = [:]

    public init() {}

    public mutating func value(of text: String, for field: FieldDescriptor, _ db: Database) throws -> DatabaseValue {
        let trimmed = Self.trimmed(text)
        if trimmed.isEmpty { return .null }
        func invalid(_ reason: String) -> FieldError { FieldError(field: field.name, value: text, reason: reason) }
        switch field.kind {
        case .text:
            return trimmed.databaseValue
        case .integer:
            guard let number = Int64(trimmed) else { throw invalid("expected a whole number") }
            return number.databaseValue
        case .decimal:
            guard let number = Double(trimmed.replacingOccurrences(of: "%", with: "")), number.isFinite else {
                throw invalid("expected a number")
            }
            return number.databaseValue
        case .money:
            guard let minor = Self.minorUnits(trimmed) else {
                throw invalid("expected an amount such as 1234.50 (at most two decimals)")
            }
            return minor.databaseValue
        case .timestamp:
            guard let timestamp = Self.timestamp(trimmed) else {
                throw invalid("expected a date (2025-03-04) or a date-time with a zone (2025-03-04T09:30:00Z)")
            }
            return timestamp.secondsSinceEpoch.databaseValue
        case .date:
            guard let date = Self.date(trimmed) else { throw invalid("expected a date such as 2025-03-04") }
            return date.databaseValue
        case .boolean:
            switch trimmed.lowercased() {
            case "1", "true", "yes", "y", "是", "真": return true.databaseValue
            case "0", "false", "no", "n", "否", "假": return false.databaseValue
            default: throw invalid("expected yes or no")
            }
        case .choice(let values):
            let normalized = trimmed.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
            if let match = values.first(where: { $0.lowercased() == normalized }) { return match.databaseValue }
            let hint = TextSimilarity.suggestion(for: normalized, among: values).map { " (did you mean '\($0)'?)" } ?? ""
            throw invalid("expected one of \(values.joined(separator: ", "))\(hint)")
        case .reference(let entityName):
            guard let entity = EntityCatalog.entity(named: entityName) else { throw invalid("unknown entity \(entityName)") }
            if let id = Int64(trimmed) {
                if referenceCache[entityName]?["#\(id)"] != nil { return id.databaseValue }
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(entity.table) WHERE id = ?)"),
                                        arguments: [id]) == true else {
                    throw invalid("no \(entity.name) with id \(id)")
                }
                referenceCache[entityName, default: [:]]["#\(id)"] = id
                return id.databaseValue
            }
            guard let key = entity.naturalKey else { throw invalid("expected the id of a \(entity.name)") }
            if let id = referenceCache[entityName]?[trimmed.lowercased()] { return id.databaseValue }
            let ids = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM \(entity.table) WHERE \(key) = ? COLLATE NOCASE LIMIT 2"),
                                         arguments: [trimmed])
            guard ids.count == 1 else {
                throw invalid(ids.isEmpty ? "no \(entity.name) with \(key) '\(trimmed)'"
                                          : "several \(entity.name) records have \(key) '\(trimmed)'; give the id")
            }
            referenceCache[entityName, default: [:]][trimmed.lowercased()] = ids[0]
            return ids[0].databaseValue
        }
    }

    /// `text` without leading and trailing white space; the common case (none) costs a byte check.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        if !isSpace(first) && !isSpace(last) && first < 0x80 && last < 0x80 { return text }
        if text.first?.isWhitespace != true && text.last?.isWhitespace != true { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "1234.5" → 123450; "1,234.50" → 123450; "¥ 99" → 9900. Nil for anything else.
    static func minorUnits(_ text: String) -> Int64? {
        var body = text.replacingOccurrences(of: " ", with: "")
        for symbol in ["¥", "￥", "$", "€", "£", "CNY", "USD", "EUR", "RMB"] where body.hasPrefix(symbol) {
            body.removeFirst(symbol.count)
        }
        let negative = body.hasPrefix("-")
        if negative { body.removeFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        var whole = String(parts[0])
        if whole.contains(",") {
            let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            whole = groups.joined()
        }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard !whole.isEmpty, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber),
              fraction.count <= 2, fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
              let units = Int64(whole), let cents = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0))
        else { return nil }
        let (scaled, overflow) = units.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        return (negative ? -1 : 1) * (scaled + cents)
    }

    /// An ISO date-time with a zone, or a date (midnight UTC), in the forms `date(_:)` accepts.
    static func timestamp(_ text: String) -> Timestamp? {
        if let (y, m, d) = isoDate(text) { return Timestamp(year: y, month: m, day: d) }
        if let date = date(text) { return try? Timestamp(parsing: date) }
        return try? Timestamp(parsing: text.replacingOccurrences(of: " ", with: "T"))
    }

    /// Year, month, day of a valid `YYYY-MM-DD`, read byte by byte; nil for anything else.
    static func isoDate(_ text: String) -> (Int, Int, Int)? {
        return text.utf8.withContiguousStorageIfAvailable { bytes -> (Int, Int, Int)? in
            guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
            func digits(_ range: Range<Int>) -> Int? {
                var value = 0
                for i in range {
                    guard (0x30...0x39).contains(bytes[i]) else { return nil }
                    value = value * 10 + Int(bytes[i] - 0x30)
                }
                return value
            }
            guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10), (1...12).contains(m), d >= 1,
                  d <= Timestamp.daysIn(month: m, year: y) else { return nil }
            return (y, m, d)
        } ?? nil
    }

    /// `2025-03-04`, `2025/3/4`, `2025.3.4` → `2025-03-04`; nil when not a real date.
    static func date(_ text: String) -> String? {
        // Fast path: already ISO (what exports and most systems write).
        if isoDate(text) != nil { return text }
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d), parts[1].count <= 2, parts[2].count <= 2 else { return nil }
        let iso = String(format: "%04d-%02d-%02d", y, m, d)
        guard let parsed = try? Timestamp(parsing: iso), parsed.dateString == iso else { return nil }
        return iso
    }
}
