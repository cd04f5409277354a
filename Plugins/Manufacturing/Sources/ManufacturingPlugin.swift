import CRolloutPlugin
import Foundation
import PluginKit

/// The Manufacturing vertical (S4, issue #7): field service on the CRM's install base.
///
/// It adds what a horizontal CRM lacks for a company that installs and repairs equipment: the
/// visits technicians make on a ticket about an installed unit (recorded by a field-service
/// process, or derived from the ticket history), first-time fix and repair-time KPIs, and a
/// follow-up of every warranty about to end as a warranty-extension opportunity. The install
/// base itself is the CRM's (`v_install_base`, `v_tickets.install_base_id`).
struct ManufacturingPlugin: RolloutPlugin {
    let manifest = PluginDeclaration(
        id: "manufacturing", version: "1.0.0",
        metrics: FieldServiceMetrics.all,
        actions: [RecordVisit.declaration, BackfillVisits.declaration, WarrantyFollowUp.declaration],
        checks: [WarrantyCoverage.declaration],
        migrations: Schema.migrations,
        reportSections: [FieldServiceReport.section])

    func perform(_ request: PluginActionRequest, host: PluginHostServices) throws -> PluginActionResponse {
        switch request.action {
        case RecordVisit.declaration.id: try RecordVisit().perform(request, host: host)
        case BackfillVisits.declaration.id: try BackfillVisits().perform(request, host: host)
        case WarrantyFollowUp.declaration.id: try WarrantyFollowUp().perform(request, host: host)
        default: throw PluginFailure("manufacturing has no action '\(request.action)'; it has "
            + manifest.actions.map(\.id).joined(separator: ", "))
        }
    }

    func check(_ request: PluginCheckRequest, host: PluginHostServices) throws -> PluginCheckResponse {
        switch request.action {
        case WarrantyCoverage.declaration.id: try WarrantyCoverage().check(request, host: host)
        default: throw PluginFailure("manufacturing has no check '\(request.action)'; it has "
            + manifest.checks.map(\.id).joined(separator: ", "))
        }
    }

    func report(_ request: PluginReportRequest, host: PluginHostServices) throws -> JSONValue {
        switch request.section {
        case FieldServiceReport.section.id: try FieldServiceReport().context(request, host: host)
        default: throw PluginFailure("manufacturing has no report section '\(request.section)'; it has "
            + manifest.reportSections.map(\.id).joined(separator: ", "))
        }
    }
}

@_cdecl("rollout_plugin_entry")
public func rolloutPluginEntry(_ host: UnsafePointer<rollout_host_services>?) -> UnsafePointer<rollout_plugin>? {
    PluginExport.table(for: ManufacturingPlugin(), host: host)
}
