import GRDB

/// A service request, incident, question or complaint, from any channel, with SLA clocks.
public struct Ticket: CRMRecord, Hashable {
    public static let databaseTableName = "tickets"

    public enum Priority: String, Codable, Sendable, CaseIterable {
        case urgent, high, normal, low

        /// The default SLA targets (the `sla_policies` table holds the workspace's own).
        public var defaultFirstResponseMinutes: Int {
            switch self {
            case .urgent: 60
            case .high: 240
            case .normal: 480
            case .low: 1440
            }
        }
    }

    public var id: Int64?
    public var subject: String
    public var type: String
    public var channel: String
    public var priority: Priority
    public var status: String
    public var accountId: Int64?
    public var contactId: Int64?
    public var assigneeId: Int64?
    public var createdAt: Timestamp
    public var firstResponseAt: Timestamp?
    public var resolvedAt: Timestamp?

    public init(id: Int64? = nil, subject: String, type: String, channel: String, priority: Priority,
                status: String = "open", accountId: Int64? = nil, contactId: Int64? = nil, assigneeId: Int64?,
                createdAt: Timestamp, firstResponseAt: Timestamp? = nil, resolvedAt: Timestamp? = nil) {
        self.id = id
        self.subject = subject
        self.type = type
        self.channel = channel
        self.priority = priority
        self.status = status
        self.accountId = accountId
        self.contactId = contactId
        self.assigneeId = assigneeId
        self.createdAt = createdAt
        self.firstResponseAt = firstResponseAt
        self.resolvedAt = resolvedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
