import PluginKit

/// A loyalty member's tier, lowest first.
enum LoyaltyTier: String, CaseIterable, Comparable, Sendable {
    case bronze, silver, gold

    static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!   // every case is in allCases
    }

    /// `Gold`.
    var name: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// How a customer's last twelve months of orders place them in a tier: a tier is reached by
/// ordering often enough *or* spending enough, so a shop that buys small amounts every month
/// and one that places two large orders a year are both recognised.
///
/// The defaults suit the demo company (`rollout demo`): of the 628 customers who ordered in the
/// year to 15 September 2025, 61 % are bronze, 25 % silver (4 orders or CNY 150,000) and 15 %
/// gold (6 orders or CNY 300,000).
struct LoyaltyTierRules: Sendable {
    var silverOrders: Int64
    var silverSpendMinor: Int64
    var goldOrders: Int64
    var goldSpendMinor: Int64

    static let arguments = ["silver_orders", "silver_spend", "gold_orders", "gold_spend"]

    init(_ arguments: StepArguments) throws {
        silverOrders = try arguments.wholeNumber("silver_orders", default: 4, atLeast: 1)
        silverSpendMinor = try arguments.amountMinor("silver_spend", default: 150_000)
        goldOrders = try arguments.wholeNumber("gold_orders", default: 6, atLeast: 1)
        goldSpendMinor = try arguments.amountMinor("gold_spend", default: 300_000)
        guard goldOrders >= silverOrders, goldSpendMinor >= silverSpendMinor else {
            let (gold, silver) = (DisplayText.fieldAmount(minor: goldSpendMinor),
                                  DisplayText.fieldAmount(minor: silverSpendMinor))
            throw PluginFailure("\(arguments.step): gold must ask at least as much as silver, but gold_orders is "
                + "\(goldOrders) and silver_orders \(silverOrders), gold_spend \(gold) and silver_spend \(silver)")
        }
    }

    func tier(orders: Int64, spendMinor: Int64) -> LoyaltyTier {
        if orders >= goldOrders || spendMinor >= goldSpendMinor { return .gold }
        if orders >= silverOrders || spendMinor >= silverSpendMinor { return .silver }
        return .bronze
    }
}
