import ArgumentParser
import CRMCore

struct CRMPerformanceCommand: ParsableCommand {
    /// What the rows of the text table are; `--json` prints both.
    enum Rows: String, ExpressibleByArgument, CaseIterable {
        case territory, owner
    }

    static let configuration = CommandConfiguration(
        commandName: "performance",
        abstract: "Performance by region, period and salesperson, with subtotals: won deals, won amount, orders revenue, activities, leads converted.",
        discussion: """
            Territories roll up: a parent's figures include its children's (its own accounts are in ownTotal in --json). Each territory or salesperson has a line per period and a total; the last lines are the period subtotals and the grand total. A record counts in its account's territory and for its owner.

            Default window: the year to date: 1 January to the last day before the as-of instant.

            Examples:
              rollout crm report performance --by quarter
              rollout crm report performance --from 2025-01-01 --to 2025-12-31 --by month --group owner --as li.na@example.com
            """)

    @OptionGroup var dates: WindowOptions

    @Option(help: "The period length: month, quarter or year.")
    var by: PeriodGrain = .quarter

    @Option(help: "The rows: territory (rolled up through the territory tree) or owner (salesperson).")
    var group: Rows = .territory

    @OptionGroup var options: CRMAnalysisOptions

    func run() throws {
        try Terminal.failing {
            let asOf = try options.asOf()
            let window = try dates.window(defaultFrom: asOf.startOfYear, defaultTo: asOf.lastDayBefore)
            let report = try options.open().database.read { db in
                try PerformanceReport.compute(window: window, grain: by, currency: options.currency,
                                              as: options.actor.actor(db), db)
            }
            try options.output.emit(report) { Self.text($0, rows: group) }
        }
    }

    static func text(_ report: PerformanceReport, rows: Rows) -> String {
        var table = ReportTable([rows == .territory ? "Territory" : "Salesperson", "Period", "Won deals>", "Won amount>",
                                 "Orders>", "Orders revenue>", "Activities>", "Leads converted>"])
        func cells(_ m: PerformanceReport.Measures) -> [String] {
            [ReportText.count(m.wonDeals), ReportText.amount(m.wonAmount), ReportText.count(m.orders),
             ReportText.amount(m.ordersRevenue), ReportText.count(m.activities), ReportText.count(m.leadsConverted)]
        }
        for line in rows == .territory ? report.territories : report.salespeople {
            let name = String(repeating: "  ", count: line.depth) + line.name
            for (index, period) in line.byPeriod.enumerated() {
                table.row([index == 0 ? name : "", period.period] + cells(period.measures))
            }
            table.row(["", "total"] + cells(line.total))
            table.rule()
        }
        for period in report.periods { table.row(["All", period.period] + cells(period.measures)) }
        table.row(["All", "total"] + cells(report.total))
        return "Performance \(report.window.from) to \(report.window.to) by \(report.grain.rawValue), amounts in \(report.currency)\n"
            + table.rendered() + ReportText.otherCurrencies(report.otherCurrencies)
    }
}
