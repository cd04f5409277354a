import CRMCore
import RolloutMetrics
import RolloutTesting
import Testing

/// The sales metrics beyond the first four (BuiltInMetricsTests): each on a handful of records
/// with the expected value worked out by hand, and the records it must leave out.
@Suite struct SalesMetricsTests {
    let harness = CatalogHarness()

    @Test func wonDealSizeIsTheMeanAmountInMajorUnitsOfDealsWonInTheWindow() throws {
        let m = try harness.measure("opportunity.won_amount") { crm, member, outsider in
            try crm.opportunity(owner: member, createdAt: .day("2025-02-01"), closedAfterDays: 37, won: true,
                                amount: Money(major: 80_000, currency: "CNY"))       // won 03-10
            try crm.opportunity(owner: member, createdAt: .day("2025-03-05"), closedAfterDays: 10, won: true,
                                amount: Money(major: 120_000, currency: "CNY"))      // won 03-15
            try crm.opportunity(owner: member, createdAt: .day("2025-03-05"), closedAfterDays: 10, won: false,
                                amount: Money(major: 500_000, currency: "CNY"))      // lost
            try crm.opportunity(owner: member, createdAt: .day("2025-01-01"), closedAfterDays: 20, won: true)  // before the window
            try crm.opportunity(owner: member, createdAt: .day("2025-03-02"), closedAfterDays: 30, won: true)  // won at the end: out
            try crm.opportunity(owner: member, createdAt: .day("2025-03-20"), closedAfterDays: nil, won: false) // open
            try crm.opportunity(owner: outsider, createdAt: .day("2025-03-01"), closedAfterDays: 10, won: true,
                                amount: Money(major: 1_000_000, currency: "CNY"))    // other group
        }
        #expect(m.sampleSize == 2)
        #expect(m.value == 100_000)
    }

    @Test func wonDealSizeUsesTheCurrencysOwnMinorUnit() throws {
        let m = try harness.measure("opportunity.won_amount") { crm, member, _ in
            try crm.opportunity(owner: member, createdAt: .day("2025-03-05"), closedAfterDays: 10, won: true,
                                amount: Money(major: 1_500_000, currency: "JPY"))    // yen have no minor unit
        }
        #expect(m.value == 1_500_000)
    }

    @Test func wonDealSizeHasNoValueWhenTheDealsAreInSeveralCurrencies() throws {
        let m = try harness.measure("opportunity.won_amount") { crm, member, _ in
            try crm.opportunity(owner: member, createdAt: .day("2025-03-05"), closedAfterDays: 10, won: true,
                                amount: Money(major: 80_000, currency: "CNY"))
            try crm.opportunity(owner: member, createdAt: .day("2025-03-06"), closedAfterDays: 10, won: true,
                                amount: Money(major: 10_000, currency: "EUR"))
        }
        #expect(m.sampleSize == 0)
        #expect(m.value == nil)
    }

    @Test func quoteToOrderIsOrderedOverQuotationsWhoseOutcomeIsKnownAtTheEndOfTheWindow() throws {
        let m = try harness.measure("quotation.order_conversion_rate") { crm, member, outsider in
            let ordered = try crm.quotation(owner: member, createdAt: .day("2025-03-05"), validUntilOn: "2025-04-30")
            try crm.order(owner: member, quotation: ordered, orderedAt: .day("2025-03-20"))                  // 100
            let orderedLater = try crm.quotation(owner: member, createdAt: .day("2025-03-06"), validUntilOn: "2025-04-30")
            try crm.order(owner: member, quotation: orderedLater, orderedAt: .day("2025-04-05"))             // still open: out
            try crm.quotation(owner: member, createdAt: .day("2025-03-07"), status: "rejected")               // 0
            try crm.quotation(owner: member, createdAt: .day("2025-03-08"), status: "expired")                // 0
            try crm.quotation(owner: member, createdAt: .day("2025-03-09"), validUntilOn: "2025-03-20")       // lapsed: 0
            try crm.quotation(owner: member, createdAt: .day("2025-03-10"), validUntilOn: "2025-04-30")       // open: out
            let cancelled = try crm.quotation(owner: member, createdAt: .day("2025-03-11"), status: "accepted",
                                              validUntilOn: "2025-03-31")                                     // last day over at :to
            try crm.order(owner: member, quotation: cancelled, orderedAt: .day("2025-03-15"), status: "cancelled") // 0
            let draft = try crm.quotation(owner: member, createdAt: .day("2025-03-12"), status: "draft")      // draft: out
            try crm.order(owner: member, quotation: draft, orderedAt: .day("2025-03-13"))
            let earlier = try crm.quotation(owner: member, createdAt: .day("2025-02-20"))                     // before the window
            try crm.order(owner: member, quotation: earlier, orderedAt: .day("2025-03-05"))
            let theirs = try crm.quotation(owner: outsider, createdAt: .day("2025-03-05"))                    // other group
            try crm.order(owner: outsider, quotation: theirs, orderedAt: .day("2025-03-06"))
            let accepted = try crm.quotation(owner: member, createdAt: .day("2025-03-13"), status: "accepted")
            try crm.order(owner: member, quotation: accepted, orderedAt: .day("2025-03-14"), status: "fulfilled") // 100
        }
        #expect(m.sampleSize == 6)
        let expected = 200.0 / 6
        #expect(abs(m.value! - expected) < 1e-9)
    }

    @Test func effectiveDiscountIsTheShareBelowListPriceAfterLineAndQuotationDiscounts() throws {
        let m = try harness.measure("quotation.effective_discount") { crm, member, outsider in
            // list 2 × 100.00 + 1 × 200.00 = 400.00; lines net 200.00 + 180.00 = 380.00; 5 % off: 361.00
            try crm.quotation(owner: member, createdAt: .day("2025-03-05"), discountPercent: 5,
                              lines: [(2, 10_000, 0), (1, 20_000, 10)])                         // 9.75 %
            try crm.quotation(owner: member, createdAt: .day("2025-03-06"), lines: [(1, 50_000, 0)]) // 0 %
            try crm.quotation(owner: member, createdAt: .day("2025-03-07"), discountPercent: 10)      // no lines: out
            try crm.quotation(owner: member, createdAt: .day("2025-03-08"), lines: [(1, 0, 0)])       // list price 0: out
            try crm.quotation(owner: member, createdAt: .day("2025-03-09"), status: "draft", discountPercent: 50,
                              lines: [(1, 10_000, 0)])                                              // draft: out
            try crm.quotation(owner: member, createdAt: .day("2025-02-09"), discountPercent: 50,
                              lines: [(1, 10_000, 0)])                                              // before the window
            try crm.quotation(owner: outsider, createdAt: .day("2025-03-09"), discountPercent: 50,
                              lines: [(1, 10_000, 0)])                                              // other group
        }
        #expect(m.sampleSize == 2)
        let expected = (9.75 + 0) / 2
        #expect(abs(m.value! - expected) < 1e-9)
    }
}
