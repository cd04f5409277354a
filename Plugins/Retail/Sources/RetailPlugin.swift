import CRolloutPlugin
import Foundation
import PluginKit

/// The Retail vertical (S4: a horizontal CRM becomes a retailer's): a loyalty programme whose
/// tiers follow each customer's last twelve months of orders, a win-back campaign for lapsed
/// valuable customers chosen by RFM scores, and the KPIs a loyalty programme is judged by
/// (repeat purchases, churn, the members' share of orders, win-backs).
///
/// Everything it knows it reads through the host's queries; everything it changes it returns
/// as writes, which the host applies in the engine step's own transaction.
struct RetailPlugin: RolloutPlugin {
    let manifest = PluginDeclaration(
        id: "retail", version: "1.0.0",
        metrics: RetailMetrics.all,
        actions: [LoyaltyEnrolment.declaration, Reactivation.declaration],
        checks: [LoyaltyCoverage.declaration, ReactivationResponse.declaration],
        migrations: RetailSchema.migrations,
        reportSections: [LoyaltyReport.section])

    func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse {
        switch request.action {
        case LoyaltyEnrolment.declaration.id: try LoyaltyEnrolment(request, host: host).run(host)
        case Reactivation.declaration.id: try Reactivation(request, host: host).run(host)
        default: throw PluginFailure("the retail plugin has no action '\(request.action)'; it has "
            + manifest.actions.map(\.id).joined(separator: ", "))
        }
    }

    func check(_ request: PluginCheckRequest, host: PluginHostServices) throws -> PluginCheckResponse {
        switch request.action {
        case LoyaltyCoverage.declaration.id: try LoyaltyCoverage(request, host: host).evaluate(host)
        case ReactivationResponse.declaration.id: try ReactivationResponse(request).evaluate(host)
        default: throw PluginFailure("the retail plugin has no check '\(request.action)'; it has "
            + manifest.checks.map(\.id).joined(separator: ", "))
        }
    }

    func report(_ request: PluginReportRequest, host: PluginHostServices) throws -> JSONValue {
        guard request.section == LoyaltyReport.section.id else {
            throw PluginFailure("the retail plugin has no report section '\(request.section)'; it has "
                + LoyaltyReport.section.id)
        }
        return try LoyaltyReport(request).context(host)
    }
}

@_cdecl("rollout_plugin_entry")
public func rolloutPluginEntry(_ host: UnsafePointer<rollout_host_services>?) -> UnsafePointer<rollout_plugin>? {
    PluginExport.table(for: RetailPlugin(), host: host)
}
