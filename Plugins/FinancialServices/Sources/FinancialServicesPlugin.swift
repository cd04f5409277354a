import CRolloutPlugin
import PluginKit

/// The financial-services vertical (S4): a horizontal CRM becomes one a bank or an insurer can
/// run under its regulator. It keeps a KYC file per customer (reviewed by a phase action,
/// decided in an onboarding process), offers KYC completeness and complaint deadlines as gate
/// criteria, measures both as KPIs, and ships the regulatory complaint deadlines as a process
/// fragment (`fragments/regulatory-complaints.yaml`). README.md describes every part.
struct FinancialServicesPlugin: RolloutPlugin {
    let manifest = PluginDeclaration(
        id: "financial-services", version: "1.0.0",
        metrics: Metrics.all,
        actions: [KYCReview.declaration, KYCVerify.declaration],
        checks: [KYCCompleteCheck.declaration, ComplaintsWithinDeadlineCheck.declaration],
        migrations: Schema.migrations,
        reportSections: [ComplianceReport.section])

    func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse {
        switch request.action {
        case KYCReview.id: try KYCReview.perform(request, host: host)
        case KYCVerify.id: try KYCVerify.perform(request, host: host)
        default: throw PluginFailure("plugin 'financial-services' has no action '\(request.action)'")
        }
    }

    func check(_ request: PluginCheckRequest, host: PluginHostServices) throws -> PluginCheckResponse {
        switch request.action {
        case KYCCompleteCheck.id: try KYCCompleteCheck.check(request, host: host)
        case ComplaintsWithinDeadlineCheck.id: try ComplaintsWithinDeadlineCheck.check(request, host: host)
        default: throw PluginFailure("plugin 'financial-services' has no check '\(request.action)'")
        }
    }

    func report(_ request: PluginReportRequest, host: PluginHostServices) throws -> JSONValue {
        guard request.section == ComplianceReport.section.id else {
            throw PluginFailure("plugin 'financial-services' has no report section '\(request.section)'")
        }
        return try ComplianceReport.context(request, host: host)
    }
}

@_cdecl("rollout_plugin_entry")
public func rolloutPluginEntry(_ host: UnsafePointer<rollout_host_services>?) -> UnsafePointer<rollout_plugin>? {
    PluginExport.table(for: FinancialServicesPlugin(), host: host)
}
