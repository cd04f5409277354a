import ArgumentParser
import CRMCore

struct CRMCampaignsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaigns",
        abstract: "Campaign effect: members, responses, leads, conversions, deals, revenue, cost per lead and deal, ROI.",
        discussion: """
            Per campaign: members reached; responses, also by classification; leads it brought and how many converted; deals won with it and their revenue; its actual cost; cost per lead = cost / leads; cost per deal = cost / deals; ROI = (revenue − cost) / cost. With --from/--to: the campaigns running in that window. A user who does not see every account sees their share of members, leads and deals against the campaign's whole cost.

            Examples:
              rollout crm report campaigns
              rollout crm report campaigns --from 2025-01-01 --to 2025-06-30 --json
            """)

    @OptionGroup var dates: WindowOptions
    @OptionGroup var options: CRMAnalysisOptions

    func run() throws {
        try Terminal.failing {
            let asOf = try options.asOf()
            let window = try dates.isGiven ? dates.window(defaultFrom: Timestamp(secondsSinceEpoch: 0), defaultTo: asOf.lastDayBefore) : nil
            let report = try options.open().database.read { db in
                try CampaignEffectReport.compute(window: window, as: options.actor.actor(db), db)
            }
            try options.output.emit(report, Self.text)
        }
    }

    static func text(_ report: CampaignEffectReport) -> String {
        var effect = ReportTable(["Campaign", "Channel", "Currency", "Members>", "Responses>", "Leads>", "Converted>",
                                  "Deals>", "Revenue>", "Cost>", "Per lead>", "Per deal>", "ROI>"])
        var responses = ReportTable(["Campaign", "Interested>", "Request info>", "Purchase intent>", "Not interested>",
                                     "Complaint>", "Unsubscribe>", "Response rate>"])
        for campaign in report.campaigns {
            let e = campaign.effect
            effect.row([campaign.name, campaign.channel, e.cost.currency, ReportText.count(e.members),
                        ReportText.count(e.responses.total), ReportText.count(e.leads), ReportText.count(e.convertedLeads),
                        ReportText.count(e.deals), ReportText.amount(e.revenue), ReportText.amount(e.cost),
                        ReportText.amount(e.costPerLead), ReportText.amount(e.costPerDeal), ReportText.ratio(e.returnOnInvestment)])
            responses.row([campaign.name] + e.responses.byClassification.map { ReportText.count($0.count) }
                + [ReportText.percent(e.responseRate)])
        }
        if report.campaigns.isEmpty { return "No campaigns" + (report.window.map { " running from \($0.from) to \($0.to)" } ?? "") }
        var text = "Campaign effect" + (report.window.map { ", campaigns running from \($0.from) to \($0.to)" } ?? "") + "\n"
            + effect.rendered() + "\n\nResponses by classification\n" + responses.rendered()
        if report.scopeLimited {
            text += "\n  Counts are of the accounts and leads you may see, against each campaign's whole cost."
        }
        return text
    }
}
