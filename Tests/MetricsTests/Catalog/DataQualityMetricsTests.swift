import CRMCore
import RolloutMetrics
import RolloutTesting
import Testing

/// The data-quality metrics beyond contact completeness (BuiltInMetricsTests), each on a handful
/// of records with the expected value worked out by hand, and the records it must leave out.
@Suite struct DataQualityMetricsTests {
    let harness = CatalogHarness()

    @Test func accountCompletenessIsTheMeanShareOfClassificationIndustryAndRegionFilled() throws {
        let m = try harness.measure("account.record_completeness") { crm, member, outsider in
            try crm.account(owner: member, createdAt: .day("2025-03-10"), name: "Full", classification: "A",
                            industry: "Retail", region: "East")                                        // 3 of 3
            try crm.account(owner: member, createdAt: .day("2025-03-11"), name: "Some", type: "prospect",
                            industry: "Retail")                                                        // 1 of 3
            try crm.account(owner: member, createdAt: .day("2025-03-12"), name: "Empty", industry: "")  // 0 of 3
            try crm.account(owner: member, createdAt: .day("2025-03-13"), name: "Partner", type: "partner") // partner: out
            try crm.account(owner: member, createdAt: .day("2025-02-13"), name: "Old")                  // before the window
            try crm.account(owner: outsider, createdAt: .day("2025-03-13"), name: "Theirs")            // other group
        }
        #expect(m.sampleSize == 3)
        let expected = (100.0 + 100.0 / 3 + 0) / 3
        #expect(abs(m.value! - expected) < 1e-9)
    }

    @Test func accountDuplicatesMatchAnEarlierAccountByNameWithoutLegalFormCaseOrPunctuation() throws {
        let m = try harness.measure("account.duplicate_rate") { crm, member, outsider in
            try crm.account(owner: outsider, createdAt: .day("2024-05-01"), name: "Huaxin Trading Co., Ltd.")
            try crm.account(owner: member, createdAt: .day("2025-03-10"), name: "huaxin trading")      // duplicate
            try crm.account(owner: member, createdAt: .day("2025-03-11"), name: "Blue Sky 有限公司")     // first: 0
            try crm.account(owner: member, createdAt: .day("2025-03-12"), name: "Blue-Sky")            // duplicate
            try crm.account(owner: member, createdAt: .day("2025-03-13"), name: "Other Partners")      // 0
            try crm.account(owner: member, createdAt: .day("2025-03-14"), name: "Twin")                // 0: the lower id
            try crm.account(owner: member, createdAt: .day("2025-03-14"), name: "TWIN")                // duplicate, same second
            try crm.account(owner: member, createdAt: .day("2025-03-15"), name: "有限公司")              // only a legal form: out
            try crm.account(owner: member, createdAt: .day("2025-02-15"), name: "Huaxin Trading")      // before the window
        }
        #expect(m.sampleSize == 6)
        #expect(m.value == 50)
    }

    @Test func contactDuplicatesMatchAnEarlierContactByEMail() throws {
        let m = try harness.measure("contact.duplicate_rate") { crm, member, outsider in
            try crm.contact(owner: outsider, createdAt: .day("2024-05-01"), email: "Wang@Example.com ", phone: "138 0013 8000")
            try crm.contact(owner: member, createdAt: .day("2025-03-10"), email: " wang@example.com")  // duplicate
            try crm.contact(owner: member, createdAt: .day("2025-03-11"), email: "li@example.com")     // 0
            try crm.contact(owner: member, createdAt: .day("2025-03-12"), email: "LI@example.com")     // duplicate
            try crm.contact(owner: member, createdAt: .day("2025-03-13"), email: "zhao@example.com",
                            phone: "+86 138-0013-8000")                                              // same phone only: 0
            try crm.contact(owner: member, createdAt: .day("2025-03-14"), phone: "13800138000")       // no e-mail: out
            try crm.contact(owner: member, createdAt: .day("2025-03-15"), email: "  ")               // blank e-mail: out
            try crm.contact(owner: member, createdAt: .day("2025-02-15"), email: "wang@example.com")  // before the window
        }
        #expect(m.sampleSize == 4)
        #expect(m.value == 50)
    }

    @Test func leadDuplicatesMatchAnEarlierLeadByEMailWhoeverOwnsIt() throws {
        let m = try harness.measure("lead.duplicate_rate") { crm, member, outsider in
            try crm.lead(owner: outsider, createdAt: .day("2024-05-01"), email: "chen@acme.cn")
            try crm.contact(owner: outsider, createdAt: .day("2024-05-01"), email: "sun@acme.cn")
            try crm.lead(owner: member, createdAt: .day("2025-03-10"), email: "Chen@Acme.cn")        // duplicate
            try crm.lead(owner: member, createdAt: .day("2025-03-11"), email: "zhou@acme.cn")        // 0
            try crm.lead(owner: member, createdAt: .day("2025-03-12"), email: "zhou@acme.cn")        // duplicate
            try crm.lead(owner: member, createdAt: .day("2025-03-13"), email: "sun@acme.cn")         // a contact, not a lead: 0
            try crm.lead(owner: member, createdAt: .day("2025-03-14"))                               // no e-mail: out
            try crm.lead(owner: member, createdAt: .day("2025-03-15"), email: "")                    // blank e-mail: out
            try crm.lead(owner: outsider, createdAt: .day("2025-03-16"), email: "chen@acme.cn")      // other group
        }
        #expect(m.sampleSize == 4)
        #expect(m.value == 50)
    }

    @Test func staleCloseDatesAreOpenDealsAtTheEndOfTheWindowWithAPastOrMissingExpectedClose() throws {
        let m = try harness.measure("opportunity.stale_close_date_share") { crm, member, outsider in
            let past = try crm.opportunity(owner: member, createdAt: .day("2025-03-01"), closedAfterDays: nil, won: false)
            try crm.expectClose(opportunity: past, on: "2025-03-20")                                   // stale
            let ahead = try crm.opportunity(owner: member, createdAt: .day("2025-03-01"), closedAfterDays: nil, won: false)
            try crm.expectClose(opportunity: ahead, on: "2025-04-15")                                  // 0
            try crm.opportunity(owner: member, createdAt: .day("2024-11-01"), closedAfterDays: nil, won: false) // none: stale
            let today = try crm.opportunity(owner: member, createdAt: .day("2025-03-01"), closedAfterDays: nil, won: false)
            try crm.expectClose(opportunity: today, on: "2025-04-01")                                  // the last day: 0
            let closedLater = try crm.opportunity(owner: member, createdAt: .day("2025-02-01"), closedAfterDays: 63, won: true)
            try crm.expectClose(opportunity: closedLater, on: "2025-03-01")                            // open at the end: stale
            let won = try crm.opportunity(owner: member, createdAt: .day("2025-02-01"), closedAfterDays: 30, won: true)
            try crm.expectClose(opportunity: won, on: "2025-02-01")                                    // closed: out
            try crm.opportunity(owner: member, createdAt: .day("2025-04-02"), closedAfterDays: nil, won: false) // created later: out
            try crm.opportunity(owner: outsider, createdAt: .day("2025-03-01"), closedAfterDays: nil, won: false) // other group
        }
        #expect(m.sampleSize == 5)
        #expect(m.value == 60)
    }
}
