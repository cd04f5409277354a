import Foundation
import PluginKit

/// `manufacturing.warranty-coverage`: a gate criterion that holds when at least `min_percent`
/// (default 95) of the warranties ending within the next `days_ahead` days (default 90) have
/// been followed up, on the pilot group's accounts in a phase with a pilot group, else on all.
///
/// ```yaml
/// criteria:
///   - { check: manufacturing.warranty-coverage, with: { days_ahead: "90", min_percent: "95" } }
/// ```
///
/// It is the leading side of `manufacturing.warranty_followup_rate`, which can only count a
/// warranty once it has ended.
struct WarrantyCoverage {
    static let declaration = PluginCheckDeclaration(
        id: "manufacturing.warranty-coverage",
        summary: "at least min_percent (default 95) of the warranties ending within days_ahead days (default 90) "
            + "are followed up")

    func check(_ request: PluginCheckRequest, host: PluginHostServices) throws -> PluginCheckResponse {
        let arguments = try StepArguments(request, accepting: ["days_ahead", "min_percent", "scope"])
        let days = try arguments.wholeNumber("days_ahead", default: 90, in: 1...730)
        let required = try arguments.percent("min_percent", default: 95)
        let owners = try Scope.owners(arguments, context: request.context)
        let expiring = try ExpiringWarranties(at: request.context.at, days: days, owners: owners, host: host)
        let whose = owners == nil ? "" : " on the pilot group's accounts"
        guard !expiring.units.isEmpty else {
            return PluginCheckResponse(passed: true, detail: "no warranty\(whose) \(expiring.horizon): nothing to follow up")
        }
        let followed = expiring.units.filter(\.followedUp).count
        let share = 100 * Double(followed) / Double(expiring.units.count)
        return PluginCheckResponse(
            passed: share >= required,
            detail: "\(followed) of \(expiring.units.count) warranties\(whose) \(expiring.horizon) followed up "
                + "(\(String(format: "%.1f", share)) %; at least \(String(format: "%g", required)) % required)")
    }
}
