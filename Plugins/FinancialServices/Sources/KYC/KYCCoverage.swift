import PluginKit

/// How many of a scope's customers have a valid KYC verification at a moment: what the
/// `kyc-complete` check judges and the report shows.
struct KYCCoverage {
    var customers: Int64
    var verified: Int64
    var pending: Int64
    /// Lapsed, whether a review has marked them `expired` yet or not.
    var expired: Int64
    var rejected: Int64
    var withoutFile: Int64
    /// Files in the table, any account: none means no review has run.
    var files: Int64

    static func read(at: Int64, scope: Scope, host: PluginHostServices) throws -> KYCCoverage {
        let row = try host.query("""
            SELECT count(*) AS customers,
                   coalesce(sum(k.status = 'verified' AND k.expires_at > :at), 0) AS verified,
                   coalesce(sum(k.status = 'pending'), 0) AS pending,
                   coalesce(sum(k.status = 'expired' OR (k.status = 'verified' AND k.expires_at <= :at)), 0) AS expired,
                   coalesce(sum(k.status = 'rejected'), 0) AS rejected,
                   coalesce(sum(k.account_id IS NULL), 0) AS without_file,
                   (SELECT count(*) FROM financial_services_kyc) AS files
            FROM v_financial_services_customers c LEFT JOIN financial_services_kyc k ON k.account_id = c.account_id
            WHERE c.customer_since < :at AND \(Scope.filter(column: "c.owner_id"))
            """, arguments: scope.queryArguments.merging(["at": .int(at)]) { a, _ in a }).records.first ?? [:]
        return KYCCoverage(customers: row["customers"]?.int ?? 0, verified: row["verified"]?.int ?? 0,
                           pending: row["pending"]?.int ?? 0, expired: row["expired"]?.int ?? 0,
                           rejected: row["rejected"]?.int ?? 0, withoutFile: row["without_file"]?.int ?? 0,
                           files: row["files"]?.int ?? 0)
    }

    /// Verified, of all customers, in per cent.
    var share: Double {
        customers == 0 ? 0 : 100 * Double(verified) / Double(customers)
    }

    /// The customers not verified, by why: "5 pending, 3 without a KYC file".
    var gaps: String {
        [(pending, "pending"), (expired, "expired"), (rejected, "rejected"), (withoutFile, "without a KYC file")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }
}
