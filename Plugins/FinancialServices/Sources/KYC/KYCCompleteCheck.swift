import PluginKit

/// `financial-services.kyc-complete`, a gate criterion: at least `min_percent` of the scope's
/// customers hold a KYC verification valid at the gate's moment. Unknown until a review has
/// created files, and when the scope has no customers.
enum KYCCompleteCheck {
    static let id = "financial-services.kyc-complete"
    static let declaration = PluginCheckDeclaration(
        id: id, summary: "at least min_percent (default 98) of the pilot's customers (scope: all, everyone's) hold a "
            + "valid KYC verification")

    /// Regulators expect every customer to be identified; 98 % leaves room for customers won in
    /// the last days, whose files are being decided.
    static let defaultMinimum = 98.0

    static func check(_ request: PluginCheckRequest, host: PluginHostServices) throws -> PluginCheckResponse {
        let arguments = try Arguments(request, allowed: ["min_percent", "scope"])
        let minimum = try arguments.percent("min_percent", default: defaultMinimum)
        let scope = try arguments.scope(pilotUserIDs: request.context.pilotUserIDs)
        let at = request.context.at
        return verdict(try KYCCoverage.read(at: at, scope: scope, host: host), minimum: minimum, scope: scope, at: at)
    }

    static func verdict(_ coverage: KYCCoverage, minimum: Double, scope: Scope, at: Int64) -> PluginCheckResponse {
        guard coverage.files > 0 else {
            return PluginCheckResponse(passed: nil, detail: "no KYC files yet: run \(KYCReview.id) first")
        }
        guard coverage.customers > 0 else {
            return PluginCheckResponse(passed: nil, detail: "no \(scope.label("customers")) on \(Day.string(at)): "
                + "nothing to verify yet")
        }
        let gaps = coverage.gaps
        return PluginCheckResponse(
            passed: coverage.share >= minimum,
            detail: "\(coverage.verified) of \(coverage.customers) \(scope.label("customers")) verified "
                + "(\(Figures.percent(coverage.share)) %, at least \(Figures.threshold(minimum)) % required)"
                + (gaps.isEmpty ? "" : "; not verified: \(gaps)"))
    }
}
