import GRDB

/// A deal in the pipeline, moving through stages with a probability each.
public struct Opportunity: CRMRecord, Hashable {
    public static let databaseTableName = "opportunities"

    /// The stages of the default pipeline, with the probability the forecast applies.
    public enum Stage: String, Codable, Sendable, CaseIterable {
        case prospecting, qualification, proposal, negotiation
        case closedWon = "closed_won"
        case closedLost = "closed_lost"

        public var probability: Double {
            switch self {
            case .prospecting: 0.10
            case .qualification: 0.25
            case .proposal: 0.50
            case .negotiation: 0.75
            case .closedWon: 1.0
            case .closedLost: 0.0
            }
        }

        public var isClosed: Bool { self == .closedWon || self == .closedLost }
    }

    public var id: Int64?
    public var name: String
    public var accountId: Int64?
    public var leadId: Int64?
    public var stage: Stage
    public var amountMinor: Int64
    public var currency: String
    public var ownerId: Int64?
    public var createdAt: Timestamp
    public var expectedCloseOn: String?
    public var closedAt: Timestamp?

    public var amount: Money { Money(minorUnits: amountMinor, currency: currency) }

    public init(id: Int64? = nil, name: String, accountId: Int64?, leadId: Int64? = nil, stage: Stage,
                amount: Money, ownerId: Int64?, createdAt: Timestamp, expectedCloseOn: String? = nil,
                closedAt: Timestamp? = nil) {
        self.id = id
        self.name = name
        self.accountId = accountId
        self.leadId = leadId
        self.stage = stage
        self.amountMinor = amount.minorUnits
        self.currency = amount.currency
        self.ownerId = ownerId
        self.createdAt = createdAt
        self.expectedCloseOn = expectedCloseOn
        self.closedAt = closedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
