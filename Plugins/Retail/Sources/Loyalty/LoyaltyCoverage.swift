import PluginKit

/// `retail.loyalty-coverage`, a gate criterion: at least `min_percent` of the customers in
/// scope who ordered in the 365 days up to the gate (not cancelled) are loyalty members.
///
/// ```yaml
/// criteria:
///   - { check: retail.loyalty-coverage, with: { min_percent: 95 } }
/// ```
///
/// Unknown (not failed) when no customer in scope ordered in that year: there is nobody to enrol.
struct LoyaltyCoverage {
    static let declaration = PluginCheckDeclaration(
        id: "retail.loyalty-coverage",
        summary: "at least min_percent (default 95) of the customers who ordered in the last 12 months are "
            + "loyalty members")

    let context: PluginCallContext
    let scope: CustomerScope
    let minPercent: Int64

    init(_ request: PluginCheckRequest, host: PluginHostServices) throws {
        let arguments = try StepArguments(request.arguments, of: Self.declaration.id,
                                          allowed: ["min_percent", CustomerScope.argument])
        context = request.context
        scope = try CustomerScope(arguments, context: request.context, host: host)
        minPercent = try arguments.wholeNumber("min_percent", default: 95, atLeast: 0)
    }

    func evaluate(_ host: PluginHostServices) throws -> PluginCheckResponse {
        let counts = try host.row("""
            WITH active AS (
                SELECT DISTINCT o.account_id
                FROM v_orders o
                JOIN v_accounts a ON a.id = o.account_id
                WHERE o.status <> 'cancelled' AND o.ordered_at > :since AND o.ordered_at <= :at
                  AND \(CustomerScope.condition(account: "a.id", owner: "a.owner_id"))
            )
            SELECT count(*) AS customers, count(m.account_id) AS members
            FROM active x
            LEFT JOIN retail_loyalty_members m ON m.account_id = x.account_id AND m.enrolled_at <= :at
            """, scope.queryArguments.merging(["since": .int(context.at - 365 * 86_400), "at": .int(context.at)]) {
                new, _ in new
            })
        let customers = try counts.int("customers")
        let members = try counts.int("members")
        let day = CalendarDay(containing: context.at)
        guard customers > 0 else {
            return PluginCheckResponse(passed: nil, detail: "none of \(scope) ordered in the 12 months to \(day)")
        }
        return PluginCheckResponse(
            passed: 100 * members >= minPercent * customers,
            detail: "\(members) of \(customers) of \(scope) who ordered in the 12 months to \(day) are loyalty "
                + "members (\(DisplayText.percent(members, of: customers)); at least \(minPercent) % wanted)")
    }
}
