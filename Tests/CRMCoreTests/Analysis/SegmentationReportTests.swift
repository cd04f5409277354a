import CRMCore
import GRDB
import RolloutTesting
import Testing

@Suite struct SegmentationReportTests {
    let world: AnalysisWorld
    init() throws { world = try AnalysisWorld() }

    @Test func rfmScoresCustomersFromTheirOrdersThatAreNotCancelled() throws {
        let rfm = try world.read { try RFMReport.compute(asOf: AnalysisWorld.asOf, as: .operatorActor(), $0) }
        // Huaxin: R1, R2 → last 5 May, 2 orders, 70,000. Donghai: R7, R3, R8 → last 1 June, 3 orders, 80,000.
        // Beifang: R4 (R5 is cancelled) → last 1 April, 1 order, 100,000. Nowhere: R6 → last 20 June, 1 order, 10,000.
        #expect(rfm.customers.map(\.account) == ["Huaxin", "Donghai", "Beifang", "Nowhere"])
        #expect(rfm.customers.map(\.orders) == [2, 3, 1, 1])
        #expect(rfm.customers.map(\.monetary) == [70_000, 80_000, 100_000, 10_000].map(AnalysisWorld.money))
        #expect(rfm.customers.map(\.daysSinceLastOrder) == [56, 29, 90, 10])
        // Four customers: each quintile rank 1…4 in order, worst first.
        //   R: Beifang 1, Huaxin 2, Donghai 3, Nowhere 4
        //   F: Beifang 1 (1 order, smaller id), Nowhere 2 (1 order), Huaxin 3, Donghai 4
        //   M: Nowhere 1, Huaxin 2, Donghai 3, Beifang 4
        // Segments from R and FM = (F + M + 1) / 2: Huaxin R2 FM3 at risk; Donghai R3 FM4 loyal;
        //   Beifang R1 FM3 at risk; Nowhere R4 FM2 potential loyalist
        #expect(rfm.customers.map(\.code) == ["232", "343", "114", "421"])
        #expect(rfm.customers.map(\.segment) == [.atRisk, .loyal, .atRisk, .potentialLoyalist])
        let atRisk = try #require(rfm.segments.first { $0.segment == .atRisk })
        #expect(atRisk.customers == 2 && atRisk.share == 0.5 && atRisk.monetary == AnalysisWorld.money(170_000))
        #expect(rfm.segments.count == RFMSegment.allCases.count)
    }

    @Test func rfmFromADateLeavesEarlierOrdersOut() throws {
        let rfm = try world.read {
            try RFMReport.compute(asOf: AnalysisWorld.asOf, since: .day("2025-01-01"), as: .operatorActor(), $0)
        }
        // Donghai without R7 (2024): 2 orders, 50,000
        let donghai = try #require(rfm.customers.first { $0.account == "Donghai" })
        #expect(donghai.orders == 2 && donghai.monetary == AnalysisWorld.money(50_000))
    }

    @Test func profitConcentrationRanksCustomersByOrderProfit() throws {
        let pareto = try world.read { try ProfitConcentration.compute(asOf: AnalysisWorld.asOf, as: .operatorActor(), $0) }
        // Profit = total − cost: Donghai 20,000 + 15,000 + 6,000 = 41,000; Huaxin 20,000 + 8,000 = 28,000;
        // Beifang 10,000; Nowhere −2,000.
        #expect(pareto.ranked.map(\.account) == ["Donghai", "Huaxin", "Beifang", "Nowhere"])
        #expect(pareto.ranked.map(\.profit) == [41_000, 28_000, 10_000, -2_000].map(AnalysisWorld.money))
        // Positive profit 79,000; loss −2,000; net 77,000
        #expect(pareto.totalPositiveProfit == AnalysisWorld.money(79_000))
        #expect(pareto.totalLoss == AnalysisWorld.money(-2_000) && pareto.netProfit == AnalysisWorld.money(77_000))
        // Bands of 4 customers: ⌈1·4/100⌉ = … = ⌈20·4/100⌉ = 1 customer (41,000); ⌈50·4/100⌉ = 2 (69,000)
        #expect(pareto.bands.map(\.customers) == [1, 1, 1, 1, 2])
        #expect(pareto.bands.map(\.profit).last == AnalysisWorld.money(69_000))
        // 80 % of 79,000 = 63,200: Donghai 41,000 is short, + Huaxin = 69,000 reaches it → 2 customers, half of them
        #expect(pareto.customersForEightyPercent == 2 && pareto.shareOfCustomersForEightyPercent == 0.5)
        #expect(pareto.lossMakingCustomers == 1)
    }

    @Test func clusteringReadsTheChosenAttributesOfEachAccount() throws {
        let clustering = try world.read {
            try AccountClustering.compute(attributes: [.orders, .revenue, .activities, .tickets, .wonDeals], k: 1, seed: 1,
                                          asOf: AnalysisWorld.asOf, as: .operatorActor(), $0)
        }
        // Huaxin: 2 orders, 70,000 yuan, activities X1 X2, ticket T6, won O11.
        // Donghai: 3 orders, 80,000, X3. Beifang: 1 order, 100,000, X4, won O5. Nowhere: 1 order, 10,000.
        #expect(clustering.members.map(\.account) == ["Huaxin", "Donghai", "Beifang", "Nowhere"])
        #expect(clustering.members[0].values == ["orders": 2, "revenue": 70_000, "activities": 2, "tickets": 1, "won_deals": 1])
        #expect(clustering.members[3].values == ["orders": 1, "revenue": 10_000, "activities": 0, "tickets": 0, "won_deals": 0])
        // One cluster: its centre is the mean: orders (2 + 3 + 1 + 1) / 4 = 1.75, revenue 260,000 / 4 = 65,000,
        // activities 4 / 4 = 1, tickets 1 / 4, won deals 2 / 4
        #expect(clustering.clusters.count == 1 && clustering.clusters[0].accounts == 4 && clustering.clusters[0].share == 1)
        #expect(clustering.clusters[0].centroid == ["orders": 1.75, "revenue": 65_000, "activities": 1, "tickets": 0.25, "won_deals": 0.5])
    }

    @Test func clusteringSeparatesClearlyDifferentAccounts() throws {
        let clustering = try world.read {
            try AccountClustering.compute(attributes: [.revenue], k: 2, seed: 3, asOf: AnalysisWorld.asOf,
                                          as: .operatorActor(), $0)
        }
        // Revenue 70,000, 80,000, 100,000 against 10,000: Nowhere stands alone.
        #expect(clustering.members.map(\.cluster) == [0, 0, 0, 1])
        #expect(clustering.clusters.map(\.accounts) == [3, 1])
    }

    @Test func unknownOrRepeatedAttributesAreRefused() throws {
        let error = #expect(throws: AnalysisError.self) {
            try world.read {
                try AccountClustering.compute(attributes: [.orders, .orders], k: 1, seed: 1, asOf: AnalysisWorld.asOf,
                                              as: .operatorActor(), $0)
            }
        }
        #expect(error?.description.contains("won_deals") == true)
    }
}
