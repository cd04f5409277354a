import ArgumentParser
import CRMCore

struct CRMChannelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "Channel comparison: cost per lead, conversion, revenue and ROI of each campaign channel.",
        discussion: """
            The campaign measures (see `rollout crm report campaigns`) added up per channel (traditional, phone, online, email, social, event); ratios are computed on the sums: cost per lead = Σ cost / Σ leads. The last lines name the channel with the lowest cost per lead, the best lead conversion and the highest ROI: where the next budget does most.

            Examples:
              rollout crm report channels
              rollout crm report channels --from 2025-01-01 --to 2025-12-31 --currency CNY --json
            """)

    @OptionGroup var dates: WindowOptions
    @OptionGroup var options: CRMAnalysisOptions

    func run() throws {
        try Terminal.failing {
            let asOf = try options.asOf()
            let window = try dates.isGiven ? dates.window(defaultFrom: Timestamp(secondsSinceEpoch: 0), defaultTo: asOf.lastDayBefore) : nil
            let report = try options.open().database.read { db in
                try ChannelComparison.compute(window: window, currency: options.currency, as: options.actor.actor(db), db)
            }
            try options.output.emit(report, Self.text)
        }
    }

    static func text(_ report: ChannelComparison) -> String {
        var table = ReportTable(["Channel", "Campaigns>", "Members>", "Response rate>", "Leads>", "Conversion>",
                                 "Deals>", "Revenue>", "Cost>", "Per lead>", "Per deal>", "ROI>"])
        func cells(_ e: CampaignEffectReport.Effect) -> [String] {
            [ReportText.count(e.members), ReportText.percent(e.responseRate), ReportText.count(e.leads),
             ReportText.percent(e.conversionRate), ReportText.count(e.deals), ReportText.amount(e.revenue),
             ReportText.amount(e.cost), ReportText.amount(e.costPerLead), ReportText.amount(e.costPerDeal),
             ReportText.ratio(e.returnOnInvestment)]
        }
        for channel in report.channels {
            table.row([channel.channel, ReportText.count(channel.campaigns)] + cells(channel.effect))
        }
        table.rule()
        table.row(["Total", ReportText.count(report.channels.reduce(0) { $0 + $1.campaigns })] + cells(report.total))
        var text = "Channels" + (report.window.map { ", campaigns running from \($0.from) to \($0.to)" } ?? "")
            + ", amounts in \(report.currency)\n" + table.rendered()
        text += "\n  Lowest cost per lead: \(report.lowestCostPerLead ?? "-"); best lead conversion: "
            + "\(report.highestConversionRate ?? "-"); highest ROI: \(report.highestReturnOnInvestment ?? "-")"
        if report.scopeLimited {
            text += "\n  Counts are of the accounts and leads you may see, against each campaign's whole cost."
        }
        return text + ReportText.otherCurrencies(report.otherCurrencies)
    }
}
