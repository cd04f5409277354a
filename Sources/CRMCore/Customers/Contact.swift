import GRDB

/// A person at an account.
public struct Contact: CRMRecord, Hashable {
    public static let databaseTableName = "contacts"

    public var id: Int64?
    public var accountId: Int64?
    public var name: String
    public var title: String?
    public var email: String?
    public var phone: String?
    public var ownerId: Int64?
    public var createdAt: Timestamp

    public init(id: Int64? = nil, accountId: Int64?, name: String, title: String? = nil, email: String? = nil,
                phone: String? = nil, ownerId: Int64?, createdAt: Timestamp) {
        self.id = id
        self.accountId = accountId
        self.name = name
        self.title = title
        self.email = email
        self.phone = phone
        self.ownerId = ownerId
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
