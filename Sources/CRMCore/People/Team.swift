import GRDB

/// A team of users: sales, service, marketing or management. Pilot and control groups are
/// usually chosen as teams.
public struct Team: CRMRecord, Hashable {
    public static let databaseTableName = "teams"

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case sales, service, marketing, management
    }

    public var id: Int64?
    public var name: String
    public var kind: Kind
    public var region: String?

    public init(id: Int64? = nil, name: String, kind: Kind, region: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.region = region
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
