/// Why a CRM operation was refused, in words a user can act on. Nothing was written.
public enum CRMError: Error, CustomStringConvertible, Sendable, Equatable {
    case notFound(entity: String, key: String)
    case forbidden(String)
    case invalid(entity: String, [FieldError])
    case conflict(String)

    public var description: String {
        switch self {
        case .notFound(let entity, let key):
            return "no \(entity) '\(key)'"
        case .forbidden(let message):
            return "forbidden: \(message)"
        case .invalid(let entity, let errors):
            return "invalid \(entity): " + errors.map(\.description).joined(separator: "; ")
        case .conflict(let message):
            return message
        }
    }

    /// A stable machine-readable code for JSON output and the API.
    public var code: String {
        switch self {
        case .notFound: "not_found"
        case .forbidden: "forbidden"
        case .invalid: "invalid"
        case .conflict: "conflict"
        }
    }
}

/// A problem with one field's value.
public struct FieldError: Error, CustomStringConvertible, Sendable, Hashable {
    public let field: String
    public let value: String?
    public let reason: String

    public init(field: String, value: String?, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var description: String {
        if let value { return "\(field) '\(value)': \(reason)" }
        return "\(field): \(reason)"
    }
}
