import PluginKit

/// The customer's money-laundering risk rating, which sets how often the file is reviewed.
enum RiskRating: String, CaseIterable {
    case low, medium, high
}

/// What a customer's record in the CRM says about its KYC risk and identity.
struct CustomerFacts {
    var industry: String?
    /// The CRM's A/B/C classification: A is the largest exposure.
    var classification: String?
    var complaintsLastYear: Int64
    /// A contact person who can be reached (an e-mail address or a phone number) was on file.
    var identified: Bool

    init(_ row: [String: JSONValue]) {
        industry = row["industry"]?.string
        classification = row["classification"]?.string
        complaintsLastYear = row["complaints"]?.int ?? 0
        identified = (row["identified"]?.int ?? 0) != 0
    }

    /// The columns `init` reads, for the customer `c.account_id` of a query given
    /// `queryArguments(at:)`.
    static let columns = """
        c.industry, c.classification,
        EXISTS (SELECT 1 FROM v_contacts p WHERE p.account_id = c.account_id AND p.created_at < :at
                                             AND (p.has_email OR p.has_phone)) AS identified,
        (SELECT count(*) FROM v_tickets t WHERE t.account_id = c.account_id AND t.type = 'complaint'
                                            AND t.created_at >= :year_ago AND t.created_at < :at) AS complaints
        """

    /// `:at` and `:year_ago`, the start of the year whose complaints count.
    static func queryArguments(at: Int64) -> [String: JSONValue] {
        ["at": .int(at), "year_ago": .int(at - 365 * 86_400)]
    }
}

/// How long a verification holds and how a customer's risk is rated: the institution's KYC
/// policy, given as the action's arguments.
struct KYCPolicy {
    var validityDays: Int64
    var highRiskValidityDays: Int64
    /// Lowercased industry names rated high risk.
    var highRiskIndustries: Set<String>

    static let argumentNames = ["validity_days", "high_risk_validity_days", "high_risk_industries"]
    /// Sectors the FATF's risk-based guidance treats as higher risk for money laundering:
    /// financial institutions other than banks, and construction and real estate.
    static let defaultHighRiskIndustries = ["Financial services", "Construction"]
    /// Complaints in a year that make a relationship medium risk: a disputed relationship is
    /// reviewed more closely.
    static let complaintsForMediumRisk: Int64 = 3

    init(_ arguments: Arguments) throws {
        validityDays = try arguments.wholeNumber("validity_days", default: 365, minimum: 1)
        highRiskValidityDays = try arguments.wholeNumber("high_risk_validity_days", default: 180, minimum: 1)
        highRiskIndustries = Set(arguments.list("high_risk_industries", default: Self.defaultHighRiskIndustries)
            .map { $0.lowercased() })
    }

    /// High for a high-risk industry; medium for the largest exposures (class A) and disputed
    /// relationships; low otherwise.
    func risk(of customer: CustomerFacts) -> RiskRating {
        if let industry = customer.industry, highRiskIndustries.contains(industry.lowercased()) { return .high }
        let disputed = customer.complaintsLastYear >= Self.complaintsForMediumRisk
        return customer.classification == "A" || disputed ? .medium : .low
    }

    /// When a verification made at `verifiedAt` lapses.
    func expiry(verifiedAt: Int64, risk: RiskRating) -> Int64 {
        verifiedAt + (risk == .high ? highRiskValidityDays : validityDays) * 86_400
    }
}
