import PluginKit

/// One row of a host query, read by column name.
struct QueryRow {
    let values: [String: JSONValue]

    func int(_ column: String) -> Int64? { values[column]?.int }
    func number(_ column: String) -> Double? { values[column]?.double }
    func text(_ column: String) -> String? { values[column]?.string }

    /// A column the query always fills (a key, a NOT NULL column); its absence is a bug in the
    /// plugin's SQL or a published view that changed, and the message says which.
    func requiredInt(_ column: String) throws -> Int64 {
        guard let value = int(column) else { throw PluginFailure("manufacturing: the query returned no '\(column)'") }
        return value
    }

    func requiredText(_ column: String) throws -> String {
        guard let value = text(column) else { throw PluginFailure("manufacturing: the query returned no '\(column)'") }
        return value
    }
}

extension PluginHostServices {
    /// Runs one SELECT on the published views and the plugin's own tables; the rows in the
    /// query's own order.
    func rows(_ sql: String, _ arguments: [String: JSONValue] = [:]) throws -> [QueryRow] {
        try query(sql, arguments: arguments).records.map(QueryRow.init)
    }
}

extension JSONValue {
    /// A list of user ids as JSON text, for `json_each(:users)` in a query.
    static func idList(_ ids: [Int64]) -> JSONValue {
        .string("[" + ids.map(String.init).joined(separator: ",") + "]")
    }
}
