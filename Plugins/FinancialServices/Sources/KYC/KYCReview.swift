import PluginKit

/// `financial-services.kyc-review`, a phase action: the periodic KYC review of every customer.
///
/// It enrols each customer without a file as pending, rates every customer's risk, lets
/// verifications past their validity lapse, and verifies the pending and lapsed files of
/// customers whose relationship is identified in the CRM. The demo CRM holds no identity
/// documents, so "identified" stands in for them: a contact person on file who can be reached
/// (an e-mail address or a phone number) for a customer with an order or a won deal. A real
/// institution replaces that rule with its KYC system's verdicts (README).
///
/// Running it again changes nothing that has not changed: files are compared with what the
/// table holds, and events carry the step's idempotency key.
enum KYCReview {
    static let id = "financial-services.kyc-review"
    static let declaration = PluginActionDeclaration(
        id: id,
        summary: "enrol every customer in KYC, let lapsed verifications expire, verify identified relationships")

    static func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse {
        let policy = try KYCPolicy(Arguments(request, allowed: KYCPolicy.argumentNames))
        let at = request.context.at
        let rows = try host.query(query, arguments: CustomerFacts.queryArguments(at: at)).records
        var writes = KYCWrites(idempotencyKey: request.context.idempotencyKey, at: at)
        var tally = Tally()
        for row in rows {
            guard let accountID = row["account_id"]?.int else { continue }
            let previous = KYCFile(row)
            let customer = row["customer_since"]?.int == nil ? nil : CustomerFacts(row)
            guard let reviewed = review(previous, of: customer, at: at, policy: policy) else { continue }
            writes.save(reviewed.file, previous: previous, accountID: accountID, changes: reviewed.changes)
            if customer != nil { tally.count(reviewed.file, reviewed.changes) }
        }
        return PluginActionResponse(summary: tally.summary, writes: writes.writes)
    }

    /// Every customer at `:at` and every account with a file, with the customer's facts (NULL
    /// for a file whose account is no customer now) and the file (NULL for a customer without).
    static let query = """
        SELECT u.account_id, c.customer_since, \(CustomerFacts.columns), \(KYCFile.columns)
        FROM (SELECT account_id FROM v_financial_services_customers WHERE customer_since < :at
              UNION SELECT account_id FROM financial_services_kyc) u
        LEFT JOIN v_financial_services_customers c ON c.account_id = u.account_id AND c.customer_since < :at
        LEFT JOIN financial_services_kyc k ON k.account_id = u.account_id
        ORDER BY u.account_id
        """

    /// What the review at `at` makes of one account's file, and the changes on the way; nil
    /// when it has neither a file nor is a customer. An account that is no customer (any more)
    /// is only checked for a lapsed verification.
    static func review(_ previous: KYCFile?, of customer: CustomerFacts?, at: Int64, policy: KYCPolicy)
        -> (file: KYCFile, changes: [KYCChange])?
    {
        guard let customer else {
            guard var file = previous else { return nil }
            let lapsed = file.lapse(at: at, policy: policy)
            return (file, lapsed.map { [$0] } ?? [])
        }
        let risk = policy.risk(of: customer)
        var changes = previous == nil ? [KYCChange.enrolment] : []
        var file = previous ?? KYCFile(enrolledAt: at, risk: risk)
        file.risk = risk
        file.reviewedAt = at
        if let lapsed = file.lapse(at: at, policy: policy) { changes.append(lapsed) }
        if customer.identified && (file.status == .pending || file.status == .expired) {
            let reason = file.status == .expired
                ? "renewed at the periodic review: a reachable contact person is on file"
                : "identified relationship: a reachable contact person is on file"
            changes.append(file.verify(at: at, policy: policy, reason: reason))
        }
        return (file, changes)
    }

    /// What the review found among the customers, for its summary line.
    struct Tally {
        var statuses: [KYCStatus: Int] = [:]
        var risks: [RiskRating: Int] = [:]
        var enrolled = 0
        var verified = 0
        var lapsed = 0

        mutating func count(_ file: KYCFile, _ changes: [KYCChange]) {
            statuses[file.status, default: 0] += 1
            risks[file.risk, default: 0] += 1
            enrolled += changes.filter { $0.from == nil }.count
            verified += changes.filter { $0.to == .verified }.count
            lapsed += changes.filter { $0.to == .expired }.count
        }

        var summary: String {
            let customers = statuses.values.reduce(0, +)
            guard customers > 0 else { return "no customers to review: no account has an order or a won deal yet" }
            let byStatus = KYCStatus.allCases.map { "\(statuses[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            let byRisk = RiskRating.allCases.reversed().map { "\(risks[$0] ?? 0) \($0.rawValue)" }
                .joined(separator: ", ")
            return "\(customers) customers reviewed: \(byStatus); this review enrolled \(enrolled), "
                + "verified \(verified), found \(lapsed) lapsed; risk \(byRisk)"
        }
    }
}
