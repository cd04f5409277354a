import Foundation
import PluginKit

/// The evaluation report's `compliance` section: where KYC and complaint handling stand at the
/// report's moment, for every customer and complaint, and the two checks at their defaults.
enum ComplianceReport {
    static let section = PluginReportSection(
        id: "compliance", title: "Regulatory compliance: KYC and complaint handling",
        markdownTemplate: "templates/compliance.md.mustache", htmlTemplate: "templates/compliance.html.mustache")

    /// The report's window for late resolutions and acknowledgement times.
    static let lookbackDays: Int64 = 90
    /// Open complaints whose deadline falls within these days are listed as due soon.
    static let dueSoonDays: Int64 = 5
    /// The longest lists the section prints.
    static let listLimit = 10

    static func context(_ request: PluginReportRequest, host: PluginHostServices) throws -> JSONValue {
        let at = request.at
        let coverage = try KYCCoverage.read(at: at, scope: .all, host: host)
        let complaints = try ComplaintPosition.read(at: at, deadlineDays: Regulation.complaintDeadlineDays,
                                                    lookbackDays: lookbackDays, scope: .all, host: host)
        let lately = try ComplaintPosition.read(at: at, deadlineDays: Regulation.complaintDeadlineDays,
                                                lookbackDays: ComplaintsWithinDeadlineCheck.defaultLookbackDays,
                                                scope: .all, host: host)
        let checks = [
            (KYCCompleteCheck.id,
             KYCCompleteCheck.verdict(coverage, minimum: KYCCompleteCheck.defaultMinimum, scope: .all, at: at)),
            (ComplaintsWithinDeadlineCheck.id,
             ComplaintsWithinDeadlineCheck.verdict(lately, maxOverdue: 0, scope: .all)),
        ]
        return .object([
            "date": .string(Day.string(at)),
            "kyc": try kyc(coverage, at: at, host: host),
            "complaints": try complaintSection(complaints, at: at, host: host),
            "checks": .array(checks.map { id, verdict in
                .object(["check": .string(id), "detail": .string(verdict.detail),
                         "outcome": .string(verdict.passed.map { $0 ? "met" : "not met" } ?? "unknown")])
            }),
        ])
    }

    private static func kyc(_ coverage: KYCCoverage, at: Int64, host: PluginHostServices) throws -> JSONValue {
        let arguments: [String: JSONValue] = ["at": .int(at)]
        let lastReview = try host.query(
            "SELECT max(reviewed_at) AS at FROM financial_services_kyc WHERE reviewed_at <= :at",
            arguments: arguments).records.first?["at"]?.int
        let risks = try host.query("""
            SELECT k.risk, count(*) AS customers, sum(k.status = 'verified' AND k.expires_at > :at) AS verified
            FROM v_financial_services_customers c JOIN financial_services_kyc k ON k.account_id = c.account_id
            WHERE c.customer_since < :at
            GROUP BY k.risk ORDER BY CASE k.risk WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END
            """, arguments: arguments).records
        let backlog = try host.query("""
            SELECT coalesce(u.name, 'no owner') AS owner, count(*) AS customers
            FROM v_financial_services_customers c
            LEFT JOIN financial_services_kyc k ON k.account_id = c.account_id
            LEFT JOIN v_users u ON u.id = c.owner_id
            WHERE c.customer_since < :at AND NOT coalesce(k.status = 'verified' AND k.expires_at > :at, 0)
            GROUP BY c.owner_id ORDER BY customers DESC, owner LIMIT \(listLimit)
            """, arguments: arguments).records
        let statuses: [(String, Int64)] = [("verified", coverage.verified), ("pending", coverage.pending),
                                           ("expired", coverage.expired), ("rejected", coverage.rejected),
                                           ("without a KYC file", coverage.withoutFile)]
        return .object([
            "hasFiles": .bool(coverage.files > 0),
            "customers": .int(coverage.customers),
            "verified": .int(coverage.verified),
            "share": .string(Figures.percent(coverage.share)),
            "lastReview": .string(lastReview.map(Day.string) ?? "none"),
            "statuses": .array(statuses.map { .object(["status": .string($0.0), "customers": .int($0.1)]) }),
            "risks": .array(risks.map { row in
                .object(["risk": row["risk"] ?? .null, "customers": row["customers"] ?? 0,
                         "verified": row["verified"] ?? 0])
            }),
            "hasBacklog": .bool(!backlog.isEmpty),
            "backlog": .array(backlog.map { row in
                .object(["owner": row["owner"] ?? .null, "customers": row["customers"] ?? 0])
            }),
        ])
    }

    private static func complaintSection(_ position: ComplaintPosition, at: Int64, host: PluginHostServices) throws
        -> JSONValue
    {
        let arguments: [String: JSONValue] = [
            "at": .int(at), "deadline": .int(Regulation.complaintDeadlineSeconds),
            "since": .int(at - lookbackDays * 86_400), "soon": .int(at + dueSoonDays * 86_400),
        ]
        let open = try host.query("""
            SELECT t.id, t.created_at, t.priority, coalesce(u.name, 'unassigned') AS assignee
            FROM v_tickets t LEFT JOIN v_users u ON u.id = t.assignee_id
            WHERE t.type = 'complaint' AND t.created_at < :at AND (t.resolved_at IS NULL OR t.resolved_at >= :at)
              AND t.created_at + :deadline <= :soon
            ORDER BY t.created_at, t.id
            """, arguments: arguments).records
        let overdue = open.filter { (($0["created_at"]?.int ?? 0) + Regulation.complaintDeadlineSeconds) < at }
        let hours = try host.query("""
            SELECT (t.first_response_at - t.created_at) / 3600.0 AS hours FROM v_tickets t
            WHERE t.type = 'complaint' AND t.first_response_at >= :since AND t.first_response_at < :at
            ORDER BY hours
            """, arguments: arguments).records.compactMap { $0["hours"]?.double }
        let resolvedOnTime = position.resolved - position.resolvedLate
        return .object([
            "deadlineDays": .int(position.deadlineDays),
            "lookbackDays": .int(lookbackDays),
            "dueSoonDays": .int(dueSoonDays),
            "open": .int(position.open),
            "overdueOpen": .int(position.overdueOpen),
            "dueSoon": .int(Int64(open.count - overdue.count)),
            "resolved": .int(position.resolved),
            "resolvedLate": .int(position.resolvedLate),
            "onTimeShare": .string(position.resolved == 0
                ? "n/a" : Figures.percent(100 * Double(resolvedOnTime) / Double(position.resolved)) + " %"),
            "acknowledgementMedianHours": .string(median(hours).map { String(format: "%.1f h", $0) } ?? "n/a"),
            "hasOverdue": .bool(!overdue.isEmpty),
            "overdue": .array(overdue.prefix(listLimit).map { row in
                let received = row["created_at"]?.int ?? at
                return .object([
                    "ticket": row["id"] ?? .null, "received": .string(Day.string(received)),
                    "daysOpen": .int((at - received) / 86_400), "priority": row["priority"] ?? .null,
                    "assignee": row["assignee"] ?? .null,
                ])
            }),
        ])
    }

    /// The median of values sorted ascending; nil for none.
    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
