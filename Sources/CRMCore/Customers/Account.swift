import GRDB

/// A customer organisation (or a prospect, partner, competitor).
public struct Account: CRMRecord, Hashable {
    public static let databaseTableName = "accounts"

    public var id: Int64?
    public var name: String
    public var type: String
    public var status: String
    /// A / B / C classification (S3: customer classification).
    public var classification: String?
    public var industry: String?
    public var region: String?
    public var ownerId: Int64?
    public var createdAt: Timestamp

    public init(id: Int64? = nil, name: String, type: String = "customer", status: String = "active",
                classification: String? = nil, industry: String? = nil, region: String? = nil,
                ownerId: Int64?, createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.type = type
        self.status = status
        self.classification = classification
        self.industry = industry
        self.region = region
        self.ownerId = ownerId
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
