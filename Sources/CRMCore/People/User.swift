import GRDB

/// A person who works in the CRM: a sales rep, a service agent, a manager.
public struct User: CRMRecord, Hashable {
    public static let databaseTableName = "users"

    public var id: Int64?
    public var name: String
    public var email: String
    public var teamId: Int64?
    /// The person's job (`sales_rep`, `service_agent`, `sales_manager`, …), not a security role.
    public var jobRole: String
    public var active: Bool
    public var createdAt: Timestamp

    public init(id: Int64? = nil, name: String, email: String, teamId: Int64?, jobRole: String,
                active: Bool = true, createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.email = email
        self.teamId = teamId
        self.jobRole = jobRole
        self.active = active
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
