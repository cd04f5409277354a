import CRMCore
import RolloutMetrics
import RolloutTesting
import Testing

/// The marketing metrics, each on a handful of records with the expected value worked out by
/// hand, and the records it must leave out. A campaign counts in the window [03-02, 04-01) when
/// its last day is between 03-02 and 03-31.
@Suite struct MarketingMetricsTests {
    let harness = CatalogHarness()

    @Test func responseRateIsAnswersOverMembersReachedByCampaignsThatEndedInTheWindow() throws {
        let m = try harness.measure("campaign.response_rate") { crm, member, outsider in
            let spring = try crm.campaign(owner: member, endsOn: "2025-03-15")
            try crm.campaignMember(campaign: spring, owner: member, status: "sent")                          // 0
            try crm.campaignMember(campaign: spring, owner: member, status: "responded", response: "interested",
                                   respondedAt: .day("2025-03-10"))                                          // 100
            try crm.campaignMember(campaign: spring, owner: member, status: "responded", response: "complaint",
                                   respondedAt: .day("2025-03-12"))                                          // 100
            try crm.campaignMember(campaign: spring, owner: member, status: "unsubscribed", response: "unsubscribe",
                                   respondedAt: .day("2025-03-11"))                                          // 0: no answer
            try crm.campaignMember(campaign: spring, owner: member, status: "responded", response: "purchase_intent",
                                   respondedAt: .day("2025-04-03"))                                          // 0: after the window
            try crm.campaignMember(campaign: spring, owner: member, status: "bounced")                       // never reached
            try crm.campaignMember(campaign: spring, owner: member, status: "targeted")                      // never sent
            for (owner, endsOn) in [(member, "2025-02-20"), (member, "2025-03-01"), (member, "2025-04-01"),
                                    (outsider, "2025-03-15")] {                      // before, at the start, after; other group
                let other = try crm.campaign(owner: owner, endsOn: endsOn)
                try crm.campaignMember(campaign: other, owner: owner, status: "responded", response: "interested",
                                       respondedAt: .day("2025-03-10"))
            }
        }
        #expect(m.sampleSize == 5)
        #expect(m.value == 40)
    }

    @Test func campaignSourcedShareIsLeadsWithACampaignOverLeadsReceivedInTheWindow() throws {
        let m = try harness.measure("lead.campaign_sourced_share") { crm, member, outsider in
            let campaign = try crm.campaign(owner: outsider, endsOn: "2025-03-31")
            try crm.lead(owner: member, createdAt: .day("2025-03-10"), campaign: campaign)   // 100
            try crm.lead(owner: member, createdAt: .day("2025-03-11"))                       // 0
            try crm.lead(owner: member, createdAt: .day("2025-03-12"))                       // 0
            try crm.lead(owner: member, createdAt: .day("2025-03-13"))                       // 0
            try crm.lead(owner: member, createdAt: .day("2025-02-13"), campaign: campaign)   // before the window
            try crm.lead(owner: outsider, createdAt: .day("2025-03-13"), campaign: campaign) // other group
        }
        #expect(m.sampleSize == 4)
        #expect(m.value == 25)
    }

    @Test func costPerLeadIsTheMedianOverCampaignsWithACostCountingOneLeadForThoseWithout() throws {
        let m = try harness.measure("campaign.cost_per_lead") { crm, member, outsider in
            let fair = try crm.campaign(owner: member, endsOn: "2025-03-20", actualCost: Money(major: 10_000, currency: "CNY"))
            for day in ["2025-02-25", "2025-03-01", "2025-03-10", "2025-03-31"] {
                try crm.lead(owner: member, createdAt: .day(day), campaign: fair)
            }
            try crm.lead(owner: member, createdAt: .day("2025-04-02"), campaign: fair)          // after the window: not counted
            try crm.campaign(owner: member, endsOn: "2025-03-25", actualCost: Money(major: 6_000, currency: "CNY")) // no lead: 6 000
            let mailing = try crm.campaign(owner: member, endsOn: "2025-03-28", actualCost: Money(major: 3_000, currency: "CNY"))
            for _ in 0..<3 { try crm.lead(owner: outsider, createdAt: .day("2025-03-20"), campaign: mailing) } // 1 000
            try crm.campaign(owner: member, endsOn: "2025-03-26")                               // no cost recorded: out
            let earlier = try crm.campaign(owner: member, endsOn: "2025-02-15", actualCost: Money(major: 1_000, currency: "CNY"))
            try crm.lead(owner: member, createdAt: .day("2025-02-10"), campaign: earlier)       // ended before the window
            try crm.campaign(owner: outsider, endsOn: "2025-03-20", actualCost: Money(major: 9_000, currency: "CNY")) // other group
        }
        // per campaign: 10 000 / 4 = 2 500, 6 000 / 1, 3 000 / 3 = 1 000 → median 2 500
        #expect(m.sampleSize == 3)
        #expect(m.value == 2_500)
    }

    @Test func costPerLeadHasNoValueWhenTheCampaignsAreInSeveralCurrencies() throws {
        let m = try harness.measure("campaign.cost_per_lead") { crm, member, _ in
            try crm.campaign(owner: member, endsOn: "2025-03-20", actualCost: Money(major: 10_000, currency: "CNY"))
            try crm.campaign(owner: member, endsOn: "2025-03-21", actualCost: Money(major: 1_000, currency: "EUR"))
        }
        #expect(m.sampleSize == 0)
        #expect(m.value == nil)
    }
}
