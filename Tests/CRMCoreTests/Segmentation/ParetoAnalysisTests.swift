import Testing
@testable import CRMCore

/// Profit concentration: ranking, bands, the 80 % point, losses and a zero total.
@Suite struct ParetoAnalysisTests {
    /// Ten customers: five profitable (500 + 300 + 100 + 50 + 50 = 1 000), three at zero, two
    /// losing 20 and 80.
    let customers: [ParetoAnalysis.Customer] = [(5, 50), (8, -80), (1, 500), (9, 0), (3, 100),
                                                (7, -20), (4, 50), (10, 0), (2, 300), (6, 0)]
        .map { ParetoAnalysis.Customer(id: $0.0, profitMinor: $0.1) }

    @Test func customersRankByProfitWithCumulativeSharesOfPositiveProfit() throws {
        // Order: 1 (500), 2 (300), 3 (100), 4 (50), 5 (50: tie, smaller id first), 6, 9, 10 (0),
        // 7 (−20), 8 (−80). Cumulative positive profit: 500, 800, 900, 950, 1 000, then flat.
        let pareto = try ParetoAnalysis(customers: customers)
        #expect(pareto.ranked.map(\.id) == [1, 2, 3, 4, 5, 6, 9, 10, 7, 8])
        #expect(pareto.ranked.map(\.cumulativeProfitMinor) == [500, 800, 900, 950, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000])
        #expect(pareto.ranked.map(\.cumulativeShare) == [0.5, 0.8, 0.9, 0.95, 1, 1, 1, 1, 1, 1])
        #expect(pareto.ranked.map(\.rank) == Array(1...10))
    }

    @Test func bandsTakeTheCeilingOfTheirShareOfCustomers() throws {
        // N = 10: 1 %, 5 % and 10 % → ⌈0.1⌉ = ⌈0.5⌉ = ⌈1⌉ = 1 customer (500, 50 %); 20 % → 2
        // (800, 80 %); 50 % → 5 (1 000, 100 %).
        let pareto = try ParetoAnalysis(customers: customers)
        #expect(pareto.bands.map(\.topPercent) == [1, 5, 10, 20, 50])
        #expect(pareto.bands.map(\.customers) == [1, 1, 1, 2, 5])
        #expect(pareto.bands.map(\.profitMinor) == [500, 500, 500, 800, 1_000])
        #expect(pareto.bands.map(\.profitShare) == [0.5, 0.5, 0.5, 0.8, 1])
    }

    @Test func theEightyPercentPointIsTheFewestCustomersReachingIt() throws {
        // 80 % of 1 000 = 800, reached exactly by customers 1 and 2: 2 of 10 = 20 %.
        let pareto = try ParetoAnalysis(customers: customers)
        #expect(pareto.customersForEightyPercent == 2)
        #expect(pareto.shareOfCustomersForEightyPercent == 0.2)
        // 81 % = 810 needs customer 3 as well; 100 % needs all five profitable ones.
        #expect(pareto.customersNeeded(forPercentOfProfit: 81) == 3)
        #expect(pareto.customersNeeded(forPercentOfProfit: 100) == 5)
        #expect(pareto.customersNeeded(forPercentOfProfit: 0) == nil)
    }

    @Test func lossMakingCustomersAreListedApartAndNetProfitKeepsThem() throws {
        let pareto = try ParetoAnalysis(customers: customers)
        #expect(pareto.lossMaking.map(\.id) == [8, 7])   // largest loss first
        #expect(pareto.totalLossMinor == -100)
        #expect(pareto.totalPositiveProfitMinor == 1_000)
        #expect(pareto.netProfitMinor == 900)
    }

    @Test func withNoProfitAtAllSharesAreZeroAndThereIsNoEightyPercentPoint() throws {
        let pareto = try ParetoAnalysis(customers: [.init(id: 1, profitMinor: 0), .init(id: 2, profitMinor: -5)])
        #expect(pareto.totalPositiveProfitMinor == 0)
        #expect(pareto.bands.allSatisfy { $0.profitShare == 0 })
        #expect(pareto.customersForEightyPercent == nil && pareto.shareOfCustomersForEightyPercent == nil)
        let empty = try ParetoAnalysis(customers: [])
        #expect(empty.bands.map(\.customers) == [0, 0, 0, 0, 0] && empty.customersForEightyPercent == nil)
    }

    @Test func percentagesAreExactIntegerArithmeticWithoutOverflow() {
        // ⌈80 · 3 / 100⌉ = ⌈2.4⌉ = 3; ⌈80 · Int64.max / 100⌉ computed without overflowing:
        // Int64.max = 9 223 372 036 854 775 807 = 100 · 92 233 720 368 547 758 + 7, so
        // 80 · 92 233 720 368 547 758 + ⌈560 / 100⌉ = 7 378 697 629 483 820 640 + 6.
        #expect(ParetoAnalysis.ceilingOfPercent(80, of: Int64(3)) == 3)
        #expect(ParetoAnalysis.ceilingOfPercent(80, of: Int64.max) == 7_378_697_629_483_820_646)
    }

    @Test func unusableInputIsRefused() {
        let twice = #expect(throws: SegmentationError.self) {
            try ParetoAnalysis(customers: [.init(id: 3, profitMinor: 1), .init(id: 3, profitMinor: 2)])
        }
        #expect(twice?.description == "customer 3: appears more than once; each customer must appear once")
        #expect(throws: SegmentationError.self) { try ParetoAnalysis(customers: customers, bands: [0]) }
        #expect(throws: SegmentationError.self) {
            try ParetoAnalysis(customers: [.init(id: 1, profitMinor: .max), .init(id: 2, profitMinor: 1)])
        }
    }
}
