import ArgumentParser
import CRMCore

struct CRMCommissionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commission",
        abstract: "Commission per salesperson and period, from the commission rules, on fulfilled orders.",
        discussion: """
            Each fulfilled order in the window earns its owner commission under the most specific rule valid on its date: the user's own rule, else their job role's, else the rule for everyone. Basis: the order's revenue (total) or margin (total − cost), as the rule says; commission = basis × rate, rounded per salesperson, period and rule.

            Default window: the year to date: 1 January to the last day before the as-of instant.

            Examples:
              rollout crm report commission --by month
              rollout crm report commission --from 2025-04-01 --to 2025-06-30 --by quarter --as wang.fang@example.com --json
            """)

    @OptionGroup var dates: WindowOptions

    @Option(help: "The period length: month, quarter or year.")
    var by: PeriodGrain = .month

    @OptionGroup var options: CRMAnalysisOptions

    func run() throws {
        try Terminal.failing {
            let asOf = try options.asOf()
            let window = try dates.window(defaultFrom: asOf.startOfYear, defaultTo: asOf.lastDayBefore)
            let report = try options.open().database.read { db in
                try CommissionStatement.compute(window: window, grain: by, currency: options.currency,
                                                as: options.actor.actor(db), db)
            }
            try options.output.emit(report, Self.text)
        }
    }

    static func text(_ report: CommissionStatement) -> String {
        var table = ReportTable(["Salesperson", "Period", "Orders>", "Revenue>", "Margin>", "Commission>", "Rules"])
        for person in report.salespeople {
            for (index, line) in person.periods.enumerated() {
                let rules = line.rules.map { "\($0.rule) (\(String(format: "%g", $0.ratePercent)) % of \($0.basis))" }
                    + (line.figures.ordersWithoutRule > 0 ? ["\(line.figures.ordersWithoutRule) orders without a rule"] : [])
                table.row([index == 0 ? person.name : "", line.period, ReportText.count(line.figures.orders),
                           ReportText.amount(line.figures.revenue), ReportText.amount(line.figures.margin),
                           ReportText.amount(line.figures.commission), rules.joined(separator: "; ")])
            }
            table.row(["", "total", ReportText.count(person.total.orders), ReportText.amount(person.total.revenue),
                       ReportText.amount(person.total.margin), ReportText.amount(person.total.commission), ""])
            table.rule()
        }
        table.row(["All", "total", ReportText.count(report.total.orders), ReportText.amount(report.total.revenue),
                   ReportText.amount(report.total.margin), ReportText.amount(report.total.commission), ""])
        return "Commission \(report.window.from) to \(report.window.to) by \(report.grain.rawValue), amounts in \(report.currency)\n"
            + table.rendered() + ReportText.otherCurrencies(report.otherCurrencies)
    }
}
