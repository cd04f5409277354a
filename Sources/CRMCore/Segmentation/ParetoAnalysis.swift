/// How concentrated profit is among customers (the 80/20 view): what share of the profit the
/// top 1 %, 5 %, 10 %, 20 % and 50 % of customers bring, and how few customers bring 80 % of it.
///
/// ```swift
/// let pareto = try ParetoAnalysis(customers: profits.map { .init(id: $0.id, profitMinor: $0.profit) })
/// pareto.bands[3]                              // top 20 %: 2 of 10 customers, 64 % of profit
/// pareto.shareOfCustomersForEightyPercent      // 0.4: 40 % of customers bring 80 % of the profit
/// pareto.lossMaking                            // customers who cost more than they bring
/// ```
///
/// Customers are ranked by profit, highest first, ties by id (smaller first). Shares are of
/// the total *positive* profit, P = Σ max(profit, 0): a customer's cumulative share is the
/// positive profit of everyone ranked at or above them over P. Loss-making customers rank at the
/// bottom, add nothing to the cumulative profit, and are listed separately with their total
/// loss, as is the net profit. Shares of net profit would stop being shares once losses are
/// large (the curve climbs above 100 % and then falls), and "20 % of customers bring 80 % of
/// the profit" would depend on how much the others lose.
///
/// Customer shares are of all customers, loss-making and zero-profit ones included: the top
/// x % is the first ⌈x · N / 100⌉ customers, the smallest number that is at least x % of them.
/// When no customer makes a profit (P = 0) every profit share is 0 and there is no 80 % point.
public struct ParetoAnalysis: Sendable, Hashable {
    /// One customer's profit over the period analysed, in minor units.
    public struct Customer: Sendable, Hashable, Codable {
        public var id: Int64
        public var profitMinor: Int64

        public init(id: Int64, profitMinor: Int64) {
            self.id = id
            self.profitMinor = profitMinor
        }
    }

    /// A customer in profit order, with the profit of everyone up to and including them.
    public struct RankedCustomer: Sendable, Hashable, Codable {
        /// 1 for the most profitable customer.
        public let rank: Int
        public let id: Int64
        public let profitMinor: Int64
        /// The positive profit of the customers ranked 1...rank.
        public let cumulativeProfitMinor: Int64
        /// `cumulativeProfitMinor` over the total positive profit; 0 when there is none.
        public let cumulativeShare: Double
    }

    /// The top `topPercent` % of customers and their share of the profit.
    public struct Band: Sendable, Hashable, Codable {
        public let topPercent: Int
        /// ⌈topPercent · N / 100⌉ customers.
        public let customers: Int
        /// Their positive profit.
        public let profitMinor: Int64
        /// `profitMinor` over the total positive profit; 0 when there is none.
        public let profitShare: Double
    }

    /// The bands reported unless others are asked for.
    public static let standardBands = [1, 5, 10, 20, 50]

    /// Every customer, most profitable first.
    public let ranked: [RankedCustomer]
    /// One per requested percentage, in the order requested.
    public let bands: [Band]
    /// P: the sum of the profits above zero.
    public let totalPositiveProfitMinor: Int64
    /// The customers with negative profit, largest loss first (ties by id).
    public let lossMaking: [Customer]
    /// The sum of their profits (0 or negative).
    public let totalLossMinor: Int64
    /// Profit minus losses over all customers.
    public var netProfitMinor: Int64 { totalPositiveProfitMinor + totalLossMinor }

    /// Throws a `SegmentationError` for a customer listed twice, a band outside 1...100, or totals
    /// that overflow 64 bits.
    public init(customers: [Customer], bands: [Int] = ParetoAnalysis.standardBands) throws {
        if let error = SegmentationError.duplicateIds(customers.lazy.map(\.id)) { throw error }
        if let band = bands.first(where: { !(1...100).contains($0) }) {
            throw SegmentationError(reason: "a band is 1 to 100 percent of customers, not \(band)")
        }
        let sorted = customers.sorted {
            $0.profitMinor != $1.profitMinor ? $0.profitMinor > $1.profitMinor : $0.id < $1.id
        }
        var positive: Int64 = 0, loss: Int64 = 0
        var cumulative: [Int64] = []
        for customer in sorted {
            let overflow: Bool
            if customer.profitMinor > 0 {
                (positive, overflow) = positive.addingReportingOverflow(customer.profitMinor)
            } else {
                (loss, overflow) = loss.addingReportingOverflow(customer.profitMinor)
            }
            guard !overflow else {
                throw SegmentationError(customerId: customer.id, reason: "the total profit overflows 64 bits")
            }
            cumulative.append(positive)
        }
        let total = positive
        func share(_ profit: Int64) -> Double { total > 0 ? Double(profit) / Double(total) : 0 }

        ranked = sorted.indices.map { index in
            RankedCustomer(
                rank: index + 1, id: sorted[index].id, profitMinor: sorted[index].profitMinor,
                cumulativeProfitMinor: cumulative[index], cumulativeShare: share(cumulative[index]))
        }
        self.bands = bands.map { percent in
            let count = Self.ceilingOfPercent(percent, of: sorted.count)
            let profit = count == 0 ? 0 : cumulative[count - 1]
            return Band(topPercent: percent, customers: count, profitMinor: profit, profitShare: share(profit))
        }
        totalPositiveProfitMinor = total
        lossMaking = sorted.filter { $0.profitMinor < 0 }.sorted { ($0.profitMinor, $0.id) < ($1.profitMinor, $1.id) }
        totalLossMinor = loss
    }

    /// The fewest top customers who bring at least `percent` % (1...100) of the positive profit,
    /// in exact integer arithmetic; nil when no customer makes a profit or `percent` is out of range.
    public func customersNeeded(forPercentOfProfit percent: Int) -> Int? {
        guard totalPositiveProfitMinor > 0, (1...100).contains(percent) else { return nil }
        let needed = Self.ceilingOfPercent(percent, of: totalPositiveProfitMinor)
        // Cumulative profit never decreases down the ranking: binary search for the first reaching it.
        var low = 0, high = ranked.count - 1
        while low < high {
            let middle = (low + high) / 2
            if ranked[middle].cumulativeProfitMinor >= needed { high = middle } else { low = middle + 1 }
        }
        return low + 1
    }

    /// How many customers, at the fewest, bring 80 % of the positive profit; nil when none profits.
    public var customersForEightyPercent: Int? { customersNeeded(forPercentOfProfit: 80) }

    /// `customersForEightyPercent` over all customers: 0.2 is the textbook 80/20.
    public var shareOfCustomersForEightyPercent: Double? {
        customersForEightyPercent.map { Double($0) / Double(ranked.count) }
    }

    /// ⌈percent · total / 100⌉ without overflow: total = 100q + r gives percent · q + ⌈percent · r / 100⌉.
    static func ceilingOfPercent<Count: BinaryInteger>(_ percent: Int, of total: Count) -> Count {
        let (q, r) = total.quotientAndRemainder(dividingBy: 100)
        return Count(percent) * q + (Count(percent) * r + 99) / 100
    }
}
