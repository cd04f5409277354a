import CRMCore
import GRDB
import RolloutTesting
import Testing

@Suite struct CampaignEffectTests {
    let world: AnalysisWorld
    init() throws { world = try AnalysisWorld() }

    @Test func eachCampaignHasItsResponsesLeadsDealsRevenueAndRatios() throws {
        let report = try world.read { try CampaignEffectReport.compute(as: .operatorActor(), $0) }
        #expect(report.campaigns.map(\.name) == ["Spring Expo", "Email Blast", "Newsletter"])
        #expect(!report.scopeLimited)
        let expo = report.campaigns[0].effect
        // Spring Expo: 4 members (3 contacts, lead L1); responses interested, purchase_intent, not_interested = 3
        // → rate 3 / 4; leads L1 (converted), L2 → conversion 1 / 2; deal O11 70,000; cost 30,000
        // → per lead 30,000 / 2 = 15,000, per deal 30,000, ROI (70,000 − 30,000) / 30,000 = 4 / 3
        #expect(expo.members == 4 && expo.responses.total == 3)
        #expect(expo.responses.interested == 1 && expo.responses.purchaseIntent == 1 && expo.responses.notInterested == 1)
        #expect(expo.responseRate == 0.75)
        #expect(expo.leads == 2 && expo.convertedLeads == 1 && expo.conversionRate == 0.5)
        #expect(expo.deals == 1 && expo.revenue == AnalysisWorld.money(70_000))
        #expect(expo.cost == AnalysisWorld.money(30_000))
        #expect(expo.costPerLead == AnalysisWorld.money(15_000) && expo.costPerDeal == AnalysisWorld.money(30_000))
        #expect(abs(expo.returnOnInvestment! - 4.0 / 3.0) < 1e-12)
        // Email Blast: 2 members, responses request_info + complaint; lead L3 converted; deal O5 120,000; cost 5,000
        // → per lead 5,000, per deal 5,000, ROI (120,000 − 5,000) / 5,000 = 23
        let blast = report.campaigns[1].effect
        #expect(blast.responses.requestInfo == 1 && blast.responses.complaint == 1 && blast.responseRate == 1)
        #expect(blast.costPerLead == AnalysisWorld.money(5_000) && blast.returnOnInvestment == 23)
        // Newsletter: 1 member, no response; lead L4 not converted; no deal; cost 3,000
        // → rate 0, conversion 0, per lead 3,000, no cost per deal, ROI (0 − 3,000) / 3,000 = −1
        let newsletter = report.campaigns[2].effect
        #expect(newsletter.responseRate == 0 && newsletter.conversionRate == 0)
        #expect(newsletter.costPerLead == AnalysisWorld.money(3_000) && newsletter.costPerDeal == nil)
        #expect(newsletter.returnOnInvestment == -1)
    }

    @Test func aWindowKeepsTheCampaignsRunningInIt() throws {
        let report = try world.read {
            try CampaignEffectReport.compute(window: ReportWindow(from: "2025-04-15", to: "2025-05-10"), as: .operatorActor(), $0)
        }
        #expect(report.campaigns.map(\.name) == ["Email Blast", "Newsletter"])
    }

    @Test func channelsAddTheirCampaignsAndNameTheBestChannel() throws {
        let channels = try world.read { try ChannelComparison.compute(as: .operatorActor(), $0) }
        #expect(channels.channels.map(\.channel) == ["email", "event"])
        let email = channels.channels[0]
        // email = Email Blast + Newsletter: 3 members, 2 responses, leads 2 (1 converted), 1 deal 120,000, cost 8,000
        // → per lead 8,000 / 2 = 4,000, conversion 1 / 2, ROI (120,000 − 8,000) / 8,000 = 14
        #expect(email.campaigns == 2 && email.effect.members == 3 && email.effect.responses.total == 2)
        #expect(email.effect.leads == 2 && email.effect.conversionRate == 0.5)
        #expect(email.effect.cost == AnalysisWorld.money(8_000) && email.effect.costPerLead == AnalysisWorld.money(4_000))
        #expect(email.effect.returnOnInvestment == 14)
        // event: per lead 15,000, conversion 1 / 2, ROI 4 / 3. Email wins cost per lead and ROI; conversion ties at
        // 0.5 and the tie goes to the first channel by name, email.
        #expect(channels.lowestCostPerLead == "email")
        #expect(channels.highestConversionRate == "email")
        #expect(channels.highestReturnOnInvestment == "email")
        // Total: cost 38,000, revenue 190,000, leads 4
        #expect(channels.total.cost == AnalysisWorld.money(38_000) && channels.total.revenue == AnalysisWorld.money(190_000))
        #expect(channels.total.leads == 4)
    }

    @Test func aSalesRepCountsOnlyTheMembersLeadsAndDealsTheyMaySee() throws {
        let report = try world.read { try CampaignEffectReport.compute(as: try AnalysisWorld.user(AnalysisWorld.wang, $0), $0) }
        #expect(report.scopeLimited)
        // Wang sees Huaxin (contact 1, deal O11) and his leads L1, L3; not Donghai's, Beifang's or Zhao's lead L2.
        // Spring Expo: members contact 1 (interested) and lead L1 → 2 members, 1 response; lead L1; deal O11
        let expo = report.campaigns[0].effect
        #expect(expo.members == 2 && expo.responses.total == 1 && expo.leads == 1 && expo.deals == 1)
        // Email Blast: contact 1 and lead L3 are his, deal O5 (Beifang) is not
        let blast = report.campaigns[1].effect
        #expect(blast.members == 2 && blast.leads == 1 && blast.deals == 0 && blast.revenue == AnalysisWorld.money(0))
    }
}
