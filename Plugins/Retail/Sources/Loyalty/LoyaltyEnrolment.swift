import PluginKit

/// `retail.enroll-loyalty`: enrols the customers in scope who ordered in the last twelve months
/// into the loyalty programme, and moves every member in scope to the tier their last twelve
/// months earn (`LoyaltyTierRules`).
///
/// Twelve months are the 365 days up to the engine's clock; an order counts unless it was
/// cancelled, and only orders in one currency count (`OrderCurrency`). A member who has not
/// ordered for a year stays a member, at bronze with zero orders: members leave a programme by
/// asking, not by being quiet. Run again with the same data it writes nothing, so a rerun of
/// the step, or a later phase re-assessing the tiers, is safe.
///
/// ```yaml
/// actions:
///   - { retail.enroll-loyalty: { gold_orders: 8, gold_spend: 400000 } }
///   - { retail.enroll-loyalty: { scope: everyone } }      # the roll-out
/// ```
struct LoyaltyEnrolment {
    static let declaration = PluginActionDeclaration(
        id: "retail.enroll-loyalty",
        summary: "enrol the customers who ordered in the last 12 months in the loyalty programme and move members "
            + "to the tier (bronze, silver, gold) their orders and spend earn")

    private static let year: Int64 = 365 * 86_400

    let context: PluginCallContext
    let arguments: StepArguments
    let rules: LoyaltyTierRules
    let scope: CustomerScope

    init(_ request: PluginActionRequest, host: PluginHostServices) throws {
        arguments = try StepArguments(
            request.arguments, of: Self.declaration.id,
            allowed: LoyaltyTierRules.arguments + [CustomerScope.argument, OrderCurrency.argument])
        context = request.context
        rules = try LoyaltyTierRules(arguments)
        scope = try CustomerScope(arguments, context: request.context, host: host)
    }

    func run(_ host: PluginHostServices) throws -> PluginActionResponse {
        let day = CalendarDay(containing: context.at)
        guard let currency = try OrderCurrency.resolve(arguments, by: context.at, host: host) else {
            return PluginActionResponse(summary: "nobody has ordered anything by \(day): nobody enrolled")
        }
        let assessments = try candidates(currency: currency, host).map { try assess($0, currency: currency) }
        let summary = switch scope {
        case .account(let id): Self.summary(ofAccount: id, assessments.first, currency: currency, day: day)
        case .pilot, .everyone: Self.summary(of: assessments, scope: scope, day: day)
        }
        return PluginActionResponse(summary: summary, writes: assessments.compactMap(\.write))
    }

    /// One customer's assessment: the figures of their last twelve months, the tier those earn,
    /// and the write that records it (none when the table says so already).
    private struct Assessment {
        enum Outcome { case enrolled, movedUp, movedDown, stayed }

        var orders: Int64
        var spendMinor: Int64
        var tier: LoyaltyTier
        var outcome: Outcome
        var write: PluginWrite?
    }

    private func assess(_ row: QueryRow, currency: String) throws -> Assessment {
        let account = try row.int("account_id")
        let orders = try row.int("orders")
        let spend = try row.int("spend_minor")
        let tier = rules.tier(orders: orders, spendMinor: spend)
        var assessment = Assessment(orders: orders, spendMinor: spend, tier: tier, outcome: .stayed)
        let figures: [String: JSONValue] = [
            "tier": .string(tier.rawValue), "orders_12m": .int(orders), "spend_minor_12m": .int(spend),
            "currency": .string(currency), "assessed_at": .int(context.at),
        ]
        guard let current = row.optionalString("member_tier").flatMap(LoyaltyTier.init(rawValue:)) else {
            assessment.outcome = .enrolled
            assessment.write = .insert(table: "retail_loyalty_members", values: figures.merging([
                "account_id": .int(account), "enrolled_at": .int(context.at), "tier_changed_at": .int(context.at),
            ]) { new, _ in new }, onConflict: "ignore")
            return assessment
        }
        let memberOrders = try row.optionalInt("member_orders")
        let memberSpend = try row.optionalInt("member_spend_minor")
        if current == tier && memberOrders == orders && memberSpend == spend
            && row.optionalString("member_currency") == currency { return assessment }
        var set = figures
        if tier != current {
            set["tier_changed_at"] = .int(context.at)
            assessment.outcome = tier > current ? .movedUp : .movedDown
        }
        assessment.write = .update(table: "retail_loyalty_members", set: set, where: ["account_id": .int(account)])
        return assessment
    }

    /// `loyalty programme on 2025-09-15, the pilot group's customers: 329 members (48 gold, …)`.
    private static func summary(of assessments: [Assessment], scope: CustomerScope, day: CalendarDay) -> String {
        guard !assessments.isEmpty else {
            return "none of \(scope) ordered in the 12 months to \(day): nobody enrolled"
        }
        let byTier = LoyaltyTier.allCases.reversed().map { tier in
            "\(assessments.count { $0.tier == tier }) \(tier.rawValue)"
        }.joined(separator: ", ")
        func count(_ outcome: Assessment.Outcome) -> Int { assessments.count { $0.outcome == outcome } }
        let members = assessments.count == 1 ? "1 member" : "\(assessments.count) members"
        return "loyalty programme on \(day), \(scope): \(members) (\(byTier)); "
            + "\(count(.enrolled)) newly enrolled, \(count(.movedUp)) moved up a tier, \(count(.movedDown)) moved down"
    }

    /// `customer account 5 moves up to gold (6 orders, CNY 312,000 in the 12 months to 2026-03-01)`:
    /// a process transition's step is about one customer.
    private static func summary(ofAccount id: Int64, _ assessment: Assessment?, currency: String,
                                day: CalendarDay) -> String {
        guard let assessment else {
            return "customer account \(id) has not ordered in the 12 months to \(day) and is no member: not enrolled"
        }
        let change = switch assessment.outcome {
        case .enrolled: "enrolled at"
        case .movedUp: "moves up to"
        case .movedDown: "moves down to"
        case .stayed: "stays"
        }
        return "customer account \(id) \(change) \(assessment.tier.rawValue) (\(assessment.orders) orders, "
            + "\(DisplayText.money(minor: assessment.spendMinor, currency: currency)) in the 12 months to \(day))"
    }

    /// Each account in scope that ordered in the year up to the step or is a member already,
    /// with its year's orders and spend and, for members, what the table says now.
    private func candidates(currency: String, _ host: PluginHostServices) throws -> [QueryRow] {
        try host.rows("""
            WITH recent AS (
                SELECT o.account_id, count(*) AS orders, sum(o.total_minor) AS spend_minor
                FROM v_orders o
                WHERE o.status <> 'cancelled' AND o.currency = :currency
                  AND o.ordered_at > :since AND o.ordered_at <= :at
                GROUP BY o.account_id
            )
            SELECT a.id AS account_id, coalesce(r.orders, 0) AS orders, coalesce(r.spend_minor, 0) AS spend_minor,
                   m.tier AS member_tier, m.orders_12m AS member_orders, m.spend_minor_12m AS member_spend_minor,
                   m.currency AS member_currency
            FROM v_accounts a
            LEFT JOIN recent r ON r.account_id = a.id
            LEFT JOIN retail_loyalty_members m ON m.account_id = a.id
            WHERE (r.account_id IS NOT NULL OR m.account_id IS NOT NULL)
              AND \(CustomerScope.condition(account: "a.id", owner: "a.owner_id"))
            ORDER BY a.id
            """, scope.queryArguments.merging([
                "currency": .string(currency), "since": .int(context.at - Self.year), "at": .int(context.at),
            ]) { new, _ in new })
    }
}
