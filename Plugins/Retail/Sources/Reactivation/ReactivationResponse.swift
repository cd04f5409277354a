import PluginKit

/// `retail.reactivation-response`, a gate criterion: at least `min_percent` of the customers
/// this project's win-back campaigns (`retail.reactivate`) targeted have ordered again since
/// (an order, not cancelled, after they were targeted and before the gate).
///
/// ```yaml
/// criteria:
///   - { check: retail.reactivation-response, with: { min_percent: 25 } }
/// ```
///
/// Unknown (not failed) while the project has targeted nobody.
struct ReactivationResponse {
    static let declaration = PluginCheckDeclaration(
        id: "retail.reactivation-response",
        summary: "at least min_percent (default 20) of the customers this project's win-back campaigns targeted "
            + "have ordered again since")

    let context: PluginCallContext
    let minPercent: Int64

    init(_ request: PluginCheckRequest) throws {
        let arguments = try StepArguments(request.arguments, of: Self.declaration.id, allowed: ["min_percent"])
        context = request.context
        minPercent = try arguments.wholeNumber("min_percent", default: 20, atLeast: 0)
    }

    func evaluate(_ host: PluginHostServices) throws -> PluginCheckResponse {
        let counts = try host.row("""
            SELECT count(*) AS targets,
                   coalesce(sum(EXISTS (
                       SELECT 1 FROM v_orders o
                       WHERE o.account_id = t.account_id AND o.status <> 'cancelled'
                         AND o.ordered_at > t.targeted_at AND o.ordered_at <= :at
                   )), 0) AS ordered_again
            FROM retail_reactivation_targets t
            WHERE t.project_id = :project AND t.targeted_at < :at
            """, ["project": .string(context.projectID), "at": .int(context.at)])
        let targets = try counts.int("targets")
        let orderedAgain = try counts.int("ordered_again")
        guard targets > 0 else {
            return PluginCheckResponse(passed: nil, detail: "no win-back campaign of this project has targeted "
                + "anyone yet (retail.reactivate)")
        }
        return PluginCheckResponse(
            passed: 100 * orderedAgain >= minPercent * targets,
            detail: "\(orderedAgain) of \(targets) customers targeted by win-back campaigns have ordered again "
                + "(\(DisplayText.percent(orderedAgain, of: targets)); at least \(minPercent) % wanted)")
    }
}
