import ArgumentParser
import CRMCore

struct CRMForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Weighted forecast of open deals by expected close period, per territory, salesperson or category, with the amount won.",
        discussion: """
            Each open deal (at the as-of instant) counts in the period of its expected close date: its amount, and its amount × its stage's probability (weighted). Won: deals won in the period, up to the as-of instant. The forecast category is the deal's, or else follows its stage: negotiation → commit, proposal → best_case, other open stages → pipeline; won deals are closed. Deals marked omitted are left out and counted apart.

            Default window: the twelve months from the start of the as-of instant's period (--by).

            Examples:
              rollout crm report forecast --by quarter --group category
              rollout crm report forecast --from 2025-07-01 --to 2025-12-31 --by month --group owner --as wang.fang@example.com
            """)

    @OptionGroup var dates: WindowOptions

    @Option(help: "The period length: month, quarter or year.")
    var by: PeriodGrain = .quarter

    @Option(help: "The rows within each period: territory, owner or category.")
    var group: SalesForecast.Grouping = .category

    @OptionGroup var options: CRMAnalysisOptions

    func run() throws {
        try Terminal.failing {
            let asOf = try options.asOf()
            let year = by.yearAhead(from: asOf)
            let window = try dates.window(defaultFrom: year.from, defaultTo: year.to)
            let report = try options.open().database.read { db in
                try SalesForecast.compute(window: window, grain: by, grouping: group, asOf: asOf, currency: options.currency,
                                          as: options.actor.actor(db), db)
            }
            try options.output.emit(report, Self.text)
        }
    }

    static func text(_ report: SalesForecast) -> String {
        var table = ReportTable(["Period", report.grouping.rawValue.capitalized, "Open deals>", "Open amount>",
                                 "Weighted>", "Won deals>", "Won amount>"])
        func cells(_ figures: SalesForecast.Figures) -> [String] {
            [ReportText.count(figures.openDeals), ReportText.amount(figures.openAmount),
             ReportText.amount(figures.weightedAmount), ReportText.count(figures.wonDeals), ReportText.amount(figures.wonAmount)]
        }
        for period in report.periods {
            for cell in report.cells where cell.period == period.period {
                table.row([cell.period, cell.group] + cells(cell.figures))
            }
            table.row([period.period, "subtotal"] + cells(period.figures))
            table.rule()
        }
        table.row(["Total", ""] + cells(report.total))
        var text = "Forecast \(report.window.from) to \(report.window.to) by \(report.grain.rawValue), as of \(report.asOf), "
            + "amounts in \(report.currency)\n" + table.rendered()
        if report.undated.deals > 0 {
            text += "\n  \(ReportText.count(report.undated.deals)) open deals without an expected close date "
                + "(\(ReportText.amount(report.undated.amount))) are in no period."
        }
        if report.omitted.deals > 0 {
            text += "\n  \(ReportText.count(report.omitted.deals)) deals marked omitted "
                + "(\(ReportText.amount(report.omitted.amount))) are left out."
        }
        return text + ReportText.otherCurrencies(report.otherCurrencies)
    }
}
