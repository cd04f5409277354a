import GRDB

/// A call, meeting, e-mail, visit or note logged by a user against a lead, contact, account or deal.
public struct Activity: CRMRecord, Hashable {
    public static let databaseTableName = "activities"

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case call, meeting, email, visit, note
    }

    public var id: Int64?
    public var kind: Kind
    public var subject: String
    public var ownerId: Int64
    public var accountId: Int64?
    public var contactId: Int64?
    public var leadId: Int64?
    public var opportunityId: Int64?
    public var at: Timestamp
    public var durationMinutes: Int?

    public init(id: Int64? = nil, kind: Kind, subject: String, ownerId: Int64, accountId: Int64? = nil,
                contactId: Int64? = nil, leadId: Int64? = nil, opportunityId: Int64? = nil, at: Timestamp,
                durationMinutes: Int? = nil) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.ownerId = ownerId
        self.accountId = accountId
        self.contactId = contactId
        self.leadId = leadId
        self.opportunityId = opportunityId
        self.at = at
        self.durationMinutes = durationMinutes
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
