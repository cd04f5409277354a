import PluginKit

/// One row of a host query's answer, read by column name.
struct QueryRow {
    private let values: [String: JSONValue]

    init(_ values: [String: JSONValue]) {
        self.values = values
    }

    /// The column as a whole number; NULL (an empty aggregate, a missing contact) is nil.
    func optionalInt(_ column: String) throws -> Int64? {
        guard let value = values[column], !value.isNull else { return nil }
        guard let number = value.int else {
            throw PluginFailure("the host answered '\(value)' in column '\(column)', where a whole number belongs")
        }
        return number
    }

    func int(_ column: String) throws -> Int64 {
        guard let number = try optionalInt(column) else {
            throw PluginFailure("the host's answer has no value in column '\(column)'")
        }
        return number
    }

    func optionalString(_ column: String) -> String? {
        values[column].flatMap { $0.isNull ? nil : $0.string }
    }

    func string(_ column: String) throws -> String {
        guard let text = optionalString(column) else {
            throw PluginFailure("the host's answer has no value in column '\(column)'")
        }
        return text
    }

    func optionalDouble(_ column: String) -> Double? {
        values[column]?.double
    }
}

extension PluginHostServices {
    /// The rows of one read-only query on the published views and the plugin's own tables.
    func rows(_ sql: String, _ arguments: [String: JSONValue] = [:]) throws -> [QueryRow] {
        try query(sql, arguments: arguments).records.map(QueryRow.init)
    }

    /// The single row of a query that aggregates (`SELECT count(*) …`).
    func row(_ sql: String, _ arguments: [String: JSONValue] = [:]) throws -> QueryRow {
        guard let row = try rows(sql, arguments).first else {
            throw PluginFailure("the host answered an aggregate query with no row")
        }
        return row
    }
}
