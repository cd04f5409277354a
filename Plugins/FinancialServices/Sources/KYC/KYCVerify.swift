import PluginKit

/// `financial-services.kyc-verify`, a process transition's effect
/// (`do: [{ plugin: financial-services.kyc-verify }]`): the KYC decision on the customer of the
/// record that moved, taken by whoever took the transition (an onboarding process's compliance
/// officer). `outcome: rejected` records a refusal instead of a verification.
enum KYCVerify {
    static let id = "financial-services.kyc-verify"
    static let declaration = PluginActionDeclaration(
        id: id,
        summary: "in a process transition: verify (or with outcome: rejected, reject) the KYC of the record's customer")

    /// The entities whose records name a customer account: the view and column that say which.
    static let accountColumn: [String: (view: String, column: String)] = [
        "account": ("v_accounts", "id"),
        "contact": ("v_contacts", "account_id"),
        "contract": ("v_contracts", "account_id"),
        "lead": ("v_leads", "converted_account_id"),
        "opportunity": ("v_opportunities", "account_id"),
        "order": ("v_orders", "account_id"),
        "quotation": ("v_quotations", "account_id"),
        "ticket": ("v_tickets", "account_id"),
    ]

    static func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse {
        let arguments = try Arguments(request, allowed: KYCPolicy.argumentNames + ["outcome"])
        let policy = try KYCPolicy(arguments)
        let outcome = try arguments.choice("outcome", among: ["verified", "rejected"], default: "verified")
        guard let record = request.context.record else {
            throw PluginFailure("\(id) decides on the record a process transition moved: use it as "
                + "do: [{ plugin: \(id) }]; a phase reviews every customer with \(KYCReview.id)")
        }
        guard let source = accountColumn[record.entity] else {
            throw PluginFailure("\(id): a \(record.entity) names no customer account; use it in a process on "
                + accountColumn.keys.sorted().joined(separator: ", "))
        }
        let at = request.context.at
        let parameters = CustomerFacts.queryArguments(at: at).merging(["record": .int(record.id)]) { a, _ in a }
        let rows = try host.query("""
            SELECT c.account_id, \(CustomerFacts.columns), \(KYCFile.columns)
            FROM (SELECT a.id AS account_id, a.industry, a.classification FROM v_accounts a
                  WHERE a.id = (SELECT r.\(source.column) FROM \(source.view) r WHERE r.id = :record)) c
            LEFT JOIN financial_services_kyc k ON k.account_id = c.account_id
            """, arguments: parameters).records
        guard let row = rows.first, let accountID = row["account_id"]?.int else {
            throw PluginFailure("\(id): \(record.entity) \(record.id) names no account, so there is no customer "
                + "whose KYC to decide; link it to an account first")
        }
        let previous = KYCFile(row)
        let risk = policy.risk(of: CustomerFacts(row))
        var file = previous ?? KYCFile(enrolledAt: at, risk: risk)
        var changes = previous == nil ? [KYCChange.enrolment] : []
        file.risk = risk
        let decision = "decided in process \(record.processID) (\(record.from) → \(record.to))"
        let summary: String
        if outcome == "rejected" {
            changes.append(file.move(to: .rejected, at: at, reason: decision))
            summary = "KYC of account \(accountID) rejected (\(risk.rawValue) risk), \(decision)"
        } else {
            changes.append(file.verify(at: at, policy: policy, reason: decision))
            summary = "KYC of account \(accountID) verified until \(Day.string(file.expiresAt ?? at)) "
                + "(\(risk.rawValue) risk), \(decision)"
        }
        var writes = KYCWrites(idempotencyKey: request.context.idempotencyKey, at: at)
        writes.save(file, previous: previous, accountID: accountID, changes: changes)
        return PluginActionResponse(summary: summary, writes: writes.writes)
    }
}
