import GRDB

/// A prospective customer not yet qualified: where sales work starts.
public struct Lead: CRMRecord, Hashable {
    public static let databaseTableName = "leads"

    public enum Status: String, Codable, Sendable, CaseIterable {
        case new, contacted, qualified, converted, disqualified
    }

    public var id: Int64?
    public var name: String
    public var company: String?
    public var email: String?
    public var phone: String?
    public var source: String
    public var status: Status
    public var ownerId: Int64?
    public var createdAt: Timestamp
    public var convertedAt: Timestamp?
    public var convertedAccountId: Int64?
    public var disqualifiedAt: Timestamp?

    public init(id: Int64? = nil, name: String, company: String? = nil, email: String? = nil, phone: String? = nil,
                source: String, status: Status = .new, ownerId: Int64?, createdAt: Timestamp,
                convertedAt: Timestamp? = nil, convertedAccountId: Int64? = nil, disqualifiedAt: Timestamp? = nil) {
        self.id = id
        self.name = name
        self.company = company
        self.email = email
        self.phone = phone
        self.source = source
        self.status = status
        self.ownerId = ownerId
        self.createdAt = createdAt
        self.convertedAt = convertedAt
        self.convertedAccountId = convertedAccountId
        self.disqualifiedAt = disqualifiedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
