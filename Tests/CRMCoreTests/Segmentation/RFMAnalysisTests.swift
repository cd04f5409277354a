import Testing
@testable import CRMCore

/// RFM scores by quintile of rank, the segment grid, and the per-segment summary.
@Suite struct RFMAnalysisTests {
    let asOf: Int64 = 1_751_241_600   // 2025-06-30T00:00:00Z

    /// Ten customers: (id, days since the last purchase, purchases, money).
    var tenCustomers: [RFMAnalysis.Customer] {
        [(1, 5, 25, 30_000), (2, 40, 2, 300), (3, 200, 1, 100), (4, 10, 8, 4_000), (5, 90, 3, 800),
         (6, 15, 12, 9_000), (7, 365, 1, 50), (8, 60, 5, 1_500), (9, 120, 20, 20_000), (10, 15, 4, 5_000)]
            .map { RFMAnalysis.Customer(id: $0.0, lastPurchaseAt: asOf - Int64($0.1) * 86_400, frequency: $0.2, monetaryMinor: $0.3) }
    }

    @Test func scoresAreQuintilesOfRankWithTiesBrokenById() throws {
        // N = 10: five quintiles of two. Sorted worst first, positions 0–1 score 1, 2–3 score 2, …
        //   R by last purchase, oldest first: 7 (365 days), 3 (200), 9 (120), 5 (90), 8 (60),
        //     2 (40), 6 (15), 10 (15: same instant as 6, larger id ranks higher), 4 (10), 1 (5)
        //     → R: 7 1, 3 1, 9 2, 5 2, 8 3, 2 3, 6 4, 10 4, 4 5, 1 5
        //   F: 3 (1), 7 (1: tie, larger id higher), 2 (2), 5 (3), 10 (4), 8 (5), 4 (8), 6 (12), 9 (20), 1 (25)
        //     → F: 3 1, 7 1, 2 2, 5 2, 10 3, 8 3, 4 4, 6 4, 9 5, 1 5
        //   M: 7 (50), 3 (100), 2 (300), 5 (800), 8 (1 500), 4 (4 000), 10 (5 000), 6 (9 000), 9 (20 000), 1 (30 000)
        //     → M: 7 1, 3 1, 2 2, 5 2, 8 3, 4 3, 10 4, 6 4, 9 5, 1 5
        let rfm = try RFMAnalysis(customers: tenCustomers.reversed(), asOf: asOf)
        #expect(rfm.scores.map(\.customerId) == Array(1...10))   // by id, whatever the input order
        #expect(rfm.scores.map(\.code) == ["555", "322", "111", "543", "222", "444", "111", "333", "255", "434"])
        #expect(rfm.scores[0].daysSinceLastPurchase == 5)
    }

    @Test func segmentsFollowTheGridOnRAndRoundedFM() throws {
        // FM = (F + M) / 2 rounded half up: 4 and 3 give 3.5 → 4; 3 and 4 likewise.
        //   1: R5 FM5 Champions          2: R3 FM2 About to sleep   3: R1 FM1 Lost
        //   4: R5 FM4 (4,3) Loyal        5: R2 FM2 Hibernating      6: R4 FM4 Loyal
        //   7: R1 FM1 Lost               8: R3 FM3 Need attention   9: R2 FM5 At risk
        //  10: R4 FM4 (3,4) Loyal
        let rfm = try RFMAnalysis(customers: tenCustomers, asOf: asOf)
        #expect(rfm.scores.map(\.segment) == [.champions, .aboutToSleep, .lost, .loyal, .hibernating,
                                             .loyal, .lost, .needAttention, .atRisk, .loyal])
    }

    @Test func theSummaryCountsCustomersShareAndMoneyPerSegment() throws {
        // Loyal: customers 4, 6, 10 with 4 000 + 9 000 + 5 000 = 18 000; Lost: 3 and 7 with 150.
        let rfm = try RFMAnalysis(customers: tenCustomers, asOf: asOf)
        #expect(rfm.summary.map(\.segment) == RFMSegment.allCases)
        let bySegment = Dictionary(uniqueKeysWithValues: rfm.summary.map { ($0.segment, $0) })
        #expect(bySegment[.loyal]?.customers == 3 && bySegment[.loyal]?.share == 0.3 && bySegment[.loyal]?.monetaryMinor == 18_000)
        #expect(bySegment[.lost]?.customers == 2 && bySegment[.lost]?.monetaryMinor == 150)
        #expect(bySegment[.champions]?.monetaryMinor == 30_000)
        #expect(bySegment[.newCustomer]?.customers == 0 && bySegment[.newCustomer]?.share == 0)
        #expect(rfm.summary.reduce(0) { $0 + $1.customers } == 10)
    }

    @Test func ntileMatchesSQLForUnevenCounts() {
        // N = 7 = 5 × 1 + 2: the first two quintiles hold 2, the others 1 → 1 1 2 2 3 4 5.
        #expect((0..<7).map { RFMAnalysis.ntile(position: $0, count: 7, buckets: 5) } == [1, 1, 2, 2, 3, 4, 5])
        // N = 3: one each, scores 4 and 5 unused.
        #expect((0..<3).map { RFMAnalysis.ntile(position: $0, count: 3, buckets: 5) } == [1, 2, 3])
        // N = 12 = 5 × 2 + 2: 3 3 2 2 2.
        #expect((0..<12).map { RFMAnalysis.ntile(position: $0, count: 12, buckets: 5) } == [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5])
    }

    @Test func everyCellOfTheGridHasItsSegmentAndAllElevenAreReachable() {
        // Putler's table, read as cell edges on a 0–5 axis.
        #expect(RFMSegment(recency: 5, frequencyMonetary: 1) == .newCustomer)
        #expect(RFMSegment(recency: 4, frequencyMonetary: 1) == .promising)
        #expect(RFMSegment(recency: 5, frequencyMonetary: 3) == .potentialLoyalist)
        #expect(RFMSegment(recency: 3, frequencyMonetary: 5) == .loyal)
        #expect(RFMSegment(recency: 1, frequencyMonetary: 5) == .cannotLoseThem)
        #expect(RFMSegment(recency: 1, frequencyMonetary: 4) == .atRisk)
        #expect(RFMSegment(recency: 2, frequencyMonetary: 1) == .lost)
        var seen = Set<RFMSegment>()
        for r in 1...5 { for fm in 1...5 { seen.insert(RFMSegment(recency: r, frequencyMonetary: fm)!) } }
        #expect(seen == Set(RFMSegment.allCases))
        #expect(RFMSegment(recency: 0, frequencyMonetary: 3) == nil)
        #expect(RFMSegment.cannotLoseThem.description == "Cannot lose them")
    }

    @Test func unusableCustomersAreRefusedByName() throws {
        let twice = #expect(throws: SegmentationError.self) {
            try RFMAnalysis(customers: tenCustomers + [tenCustomers[3]], asOf: asOf)
        }
        #expect(twice?.customerId == 4)
        let future = #expect(throws: SegmentationError.self) {
            try RFMAnalysis(customers: [.init(id: 1, lastPurchaseAt: asOf + 1, frequency: 1, monetaryMinor: 1)], asOf: asOf)
        }
        #expect(future?.description == "customer 1, feature 'lastPurchaseAt': is after asOf (\(asOf))")
        #expect(throws: SegmentationError.self) {
            try RFMAnalysis(customers: [.init(id: 1, lastPurchaseAt: asOf, frequency: -1, monetaryMinor: 1)], asOf: asOf)
        }
        #expect(try RFMAnalysis(customers: [], asOf: asOf).scores.isEmpty)
    }
}
