import PluginKit

/// Where a customer's KYC (know your customer) file stands.
enum KYCStatus: String, CaseIterable {
    /// Verified until `expires_at`.
    case verified
    /// Enrolled, not verified yet: the institution may not rely on who the customer is.
    case pending
    /// A verification that lapsed: due for a periodic review.
    case expired
    /// Refused by a compliance decision; a review never overrides it.
    case rejected
}

/// One change of a file's status, as the events table keeps it.
struct KYCChange: Equatable {
    var from: KYCStatus?
    var to: KYCStatus
    var reason: String

    /// A new file: the first event of every customer's history.
    static let enrolment = KYCChange(from: nil, to: .pending, reason: "enrolled: a customer without a KYC file")
}

/// A customer's KYC file: a row of `financial_services_kyc`.
struct KYCFile: Equatable {
    var status: KYCStatus
    var risk: RiskRating
    var enrolledAt: Int64
    var verifiedAt: Int64?
    var expiresAt: Int64?
    /// When a review or a decision last established the status: the KYC metric's time.
    var reviewedAt: Int64
    /// When the status last changed.
    var updatedAt: Int64

    /// A new file, pending.
    init(enrolledAt at: Int64, risk: RiskRating) {
        status = .pending
        self.risk = risk
        enrolledAt = at
        reviewedAt = at
        updatedAt = at
    }

    /// The file in a query row (the table's columns), or nil when the row has none.
    init?(_ row: [String: JSONValue]) {
        guard let status = row["status"]?.string.flatMap(KYCStatus.init(rawValue:)),
              let risk = row["risk"]?.string.flatMap(RiskRating.init(rawValue:)),
              let enrolledAt = row["enrolled_at"]?.int, let reviewedAt = row["reviewed_at"]?.int,
              let updatedAt = row["updated_at"]?.int
        else { return nil }
        self.status = status
        self.risk = risk
        self.enrolledAt = enrolledAt
        verifiedAt = row["verified_at"]?.int
        expiresAt = row["expires_at"]?.int
        self.reviewedAt = reviewedAt
        self.updatedAt = updatedAt
    }

    /// The table's columns of the file `k`, as `init?(_:)` reads them.
    static let columns = "k.status, k.risk, k.enrolled_at, k.verified_at, k.expires_at, k.reviewed_at, k.updated_at"

    /// The row's values, but its account id.
    var values: [String: JSONValue] {
        ["status": .string(status.rawValue), "risk": .string(risk.rawValue), "enrolled_at": .int(enrolledAt),
         "verified_at": verifiedAt.map(JSONValue.int) ?? .null, "expires_at": expiresAt.map(JSONValue.int) ?? .null,
         "reviewed_at": .int(reviewedAt), "updated_at": .int(updatedAt)]
    }

    /// A change of status, made at `at` by a review or a decision.
    mutating func move(to status: KYCStatus, at: Int64, reason: String) -> KYCChange {
        let change = KYCChange(from: self.status, to: status, reason: reason)
        self.status = status
        updatedAt = at
        reviewedAt = at
        return change
    }

    /// Verified now, valid for the policy's time at the file's risk.
    mutating func verify(at: Int64, policy: KYCPolicy, reason: String) -> KYCChange {
        verifiedAt = at
        expiresAt = policy.expiry(verifiedAt: at, risk: risk)
        return move(to: .verified, at: at, reason: reason)
    }

    /// A verification past its expiry becomes `expired`; validity follows the current risk
    /// rating, so a customer rated higher is due sooner.
    mutating func lapse(at: Int64, policy: KYCPolicy) -> KYCChange? {
        guard status == .verified, let verifiedAt else { return nil }
        let expiry = policy.expiry(verifiedAt: verifiedAt, risk: risk)
        expiresAt = expiry
        guard expiry <= at else { return nil }
        return move(to: .expired, at: at, reason: "the verification of \(Day.string(verifiedAt)) lapsed on "
            + "\(Day.string(expiry)) (\(risk.rawValue) risk)")
    }
}
