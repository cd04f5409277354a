import GRDB

/// A value of a record as JSON shows it: ids and counts as numbers, instants as ISO 8601 text,
/// money as integer minor units (the field keeps its `_minor` name), NULL as null.
public enum FieldValue: Sendable, Hashable, Encodable {
    case null
    case integer(Int64)
    case decimal(Double)
    case text(String)
    case boolean(Bool)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .decimal(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .boolean(let value): try container.encode(value)
        }
    }
}

/// How a record reads for people and for JSON, from its entity's field kinds.
public enum RecordView {
    public static func values(_ row: Row, _ entity: EntityDescriptor) -> [String: FieldValue] {
        var result: [String: FieldValue] = [:]
        for column in entity.columns {
            let value: DatabaseValue = row[column] ?? .null
            let kind = entity.field(column)?.kind ?? .integer
            result[column] = fieldValue(value, kind)
        }
        return result
    }

    static func fieldValue(_ value: DatabaseValue, _ kind: FieldKind) -> FieldValue {
        if value.isNull { return .null }
        switch kind {
        case .timestamp:
            return Int64.fromDatabaseValue(value).map { .text(Timestamp(secondsSinceEpoch: $0).iso8601) } ?? .null
        case .boolean:
            return .boolean((Int64.fromDatabaseValue(value) ?? 0) != 0)
        case .integer, .money, .reference:
            return Int64.fromDatabaseValue(value).map(FieldValue.integer) ?? .null
        case .decimal:
            return Double.fromDatabaseValue(value).map(FieldValue.decimal) ?? .null
        case .text, .date, .choice:
            return String.fromDatabaseValue(value).map(FieldValue.text) ?? .null
        }
    }

    /// The field as text for a terminal or a CSV cell: money in major units ("1234.50").
    public static func text(_ row: Row, column: String, _ entity: EntityDescriptor) -> String {
        let value: DatabaseValue = row[column] ?? .null
        if value.isNull { return "" }
        switch entity.field(column)?.kind ?? .integer {
        case .money:
            let minor = Int64.fromDatabaseValue(value) ?? 0
            let sign = minor < 0 ? "-" : ""
            return "\(sign)\(abs(minor) / 100).\(String(format: "%02d", abs(minor) % 100))"
        case .timestamp:
            return Int64.fromDatabaseValue(value).map { Timestamp(secondsSinceEpoch: $0).iso8601 } ?? ""
        case .boolean:
            return (Int64.fromDatabaseValue(value) ?? 0) != 0 ? "yes" : "no"
        default:
            return String.fromDatabaseValue(value) ?? value.description
        }
    }
}
