import ArgumentParser
import CRMCore

struct CRMParetoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pareto",
        abstract: "The 80/20 table: the share of profit the top 1, 5, 10, 20 and 50 % of customers bring.",
        discussion: """
            Profit of a customer = Σ (total − cost) of their orders that are not cancelled, from --from (or the beginning) to --to (or the as-of instant). Customers are ranked by profit; shares are of the total positive profit, and loss-making customers are counted apart. The last line says how few customers bring 80 % of the profit.

            Examples:
              rollout crm segment pareto
              rollout crm segment pareto --from 2024-07-01 --to 2025-06-30 --top 20 --json
            """)

    @Option(help: "List this many customers, most profitable first (0: none).")
    var top: Int = 10

    @OptionGroup var dates: WindowOptions
    @OptionGroup var options: CRMAnalysisOptions

    func run() throws {
        try Terminal.failing {
            let (since, asOf) = try dates.segmentRange(now: options.asOf())
            let report = try options.open().database.read { db in
                try ProfitConcentration.compute(asOf: asOf, since: since, currency: options.currency,
                                                as: options.actor.actor(db), db)
            }
            try options.output.emit(report) { Self.text($0, top: top) }
        }
    }

    static func text(_ report: ProfitConcentration, top: Int) -> String {
        var bands = ReportTable(["Top customers>", "Customers>", "Profit>", "Share of profit>"])
        for band in report.bands {
            bands.row(["\(band.topPercent) %", ReportText.count(band.customers), ReportText.amount(band.profit),
                       ReportText.percent(band.profitShare)])
        }
        var text = "Profit concentration of \(ReportText.count(report.customers)) customers at \(report.asOf)"
            + (report.since.map { " (since \($0.dateString))" } ?? "") + ", amounts in \(report.currency)\n" + bands.rendered()
        text += "\n  Positive profit \(ReportText.amount(report.totalPositiveProfit)); losses \(ReportText.amount(report.totalLoss)) "
            + "from \(ReportText.count(report.lossMakingCustomers)) customers; net \(ReportText.amount(report.netProfit))."
        if let needed = report.customersForEightyPercent {
            text += "\n  \(ReportText.count(needed)) customers (\(ReportText.percent(report.shareOfCustomersForEightyPercent))) bring 80 % of the profit."
        }
        let listed = report.ranked.prefix(max(top, 0))
        if !listed.isEmpty {
            var table = ReportTable(["Rank>", "Account", "Profit>", "Cumulative share>"])
            for customer in listed {
                table.row([String(customer.rank), customer.account, ReportText.amount(customer.profit),
                           ReportText.percent(customer.cumulativeShare)])
            }
            text += "\n\nMost profitable customers\n" + table.rendered()
        }
        return text + ReportText.otherCurrencies(report.otherCurrencies)
    }
}
