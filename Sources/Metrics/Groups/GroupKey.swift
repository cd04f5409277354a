/// The population a measurement was taken on: everyone, or one side of a pilot group.
///
/// Written as text in the database and reports: `all`, `pilot:east-pilot`, `control:east-pilot`.
public struct GroupKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public enum Side: String, Sendable, Codable {
        case all, pilot, control
    }

    public var side: Side
    /// The pilot group's id; nil for `all`.
    public var pilotGroup: String?

    public static let all = GroupKey(side: .all, pilotGroup: nil)
    public static func pilot(_ id: String) -> GroupKey { GroupKey(side: .pilot, pilotGroup: id) }
    public static func control(_ id: String) -> GroupKey { GroupKey(side: .control, pilotGroup: id) }

    public init(side: Side, pilotGroup: String?) {
        self.side = side
        self.pilotGroup = side == .all ? nil : pilotGroup
    }

    public init?(_ text: String) {
        if text == "all" {
            self = .all
            return
        }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let side = Side(rawValue: parts[0]), side != .all, !parts[1].isEmpty else { return nil }
        self.init(side: side, pilotGroup: parts[1])
    }

    public var description: String {
        guard let pilotGroup else { return "all" }
        return "\(side.rawValue):\(pilotGroup)"
    }

    public static func < (lhs: GroupKey, rhs: GroupKey) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = GroupKey(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad group key \(text)"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
