import PluginKit

/// The users whose records a check or report counts.
enum Scope {
    case pilot([Int64])
    case all

    /// "pilot customers", "customers".
    func label(_ noun: String) -> String {
        switch self {
        case .pilot: "pilot \(noun)"
        case .all: noun
        }
    }

    /// The query arguments `:everyone` and `:users` that `filter(column:)` reads.
    var queryArguments: [String: JSONValue] {
        switch self {
        case .pilot(let ids): ["everyone": 0, "users": .string("[" + ids.map(String.init).joined(separator: ",") + "]")]
        case .all: ["everyone": 1, "users": "[]"]
        }
    }

    /// The SQL condition keeping rows whose `column` is one of the scope's users. (The host's
    /// query service binds numbers and text, not NULL, hence the `:everyone` flag.)
    static func filter(column: String) -> String {
        "(:everyone = 1 OR \(column) IN (SELECT value FROM json_each(:users)))"
    }
}
