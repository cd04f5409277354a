import ArgumentParser
import CRMCore

struct CRMRFMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rfm",
        abstract: "RFM segments: recency, frequency and monetary scores (1–5) of each customer from their orders.",
        discussion: """
            A customer is an account with orders that are not cancelled. R scores the last order (5: the most recent fifth of customers), F the number of orders, M their total; each score is the customer's quintile. The segment (Champions, Loyal, At risk, …) follows R and the mean of F and M. Orders up to the as-of instant, or to the end of --to; from --from when given.

            Examples:
              rollout crm segment rfm
              rollout crm segment rfm --from 2024-07-01 --to 2025-06-30 --customers 20
              rollout crm segment rfm --as li.na@example.com --json
            """)

    @OptionGroup var dates: WindowOptions

    @Option(help: "List this many customers, best first, after the segments (0: none).")
    var customers: Int = 10

    @OptionGroup var options: CRMAnalysisOptions

    func run() throws {
        try Terminal.failing {
            let (since, asOf) = try dates.segmentRange(now: options.asOf())
            let report = try options.open().database.read { db in
                try RFMReport.compute(asOf: asOf, since: since, currency: options.currency, as: options.actor.actor(db), db)
            }
            try options.output.emit(report) { Self.text($0, customers: customers) }
        }
    }

    static func text(_ report: RFMReport, customers limit: Int) -> String {
        var segments = ReportTable(["Segment", "Customers>", "Share>", "Monetary>"])
        for segment in report.segments {
            segments.row([segment.name, ReportText.count(segment.customers), ReportText.percent(segment.share),
                          ReportText.amount(segment.monetary)])
        }
        var text = "RFM of \(ReportText.count(report.customers.count)) customers at \(report.asOf)"
            + (report.since.map { " (orders since \($0.dateString))" } ?? "") + ", amounts in \(report.currency)\n"
            + segments.rendered()
        let best = report.customers.sorted { ($0.code, $0.monetary.minorUnits, -$0.accountID) > ($1.code, $1.monetary.minorUnits, -$1.accountID) }
            .prefix(max(limit, 0))
        if !best.isEmpty {
            var table = ReportTable(["Account", "RFM", "Segment", "Last order", "Orders>", "Monetary>"])
            for customer in best {
                table.row([customer.account, customer.code, customer.segment.description, customer.lastOrderAt.dateString,
                           ReportText.count(customer.orders), ReportText.amount(customer.monetary)])
            }
            text += "\n\nTop customers by RFM code\n" + table.rendered()
        }
        return text + ReportText.otherCurrencies(report.otherCurrencies)
    }
}

extension WindowOptions {
    /// For segmentations: from the start of --from (or the beginning), up to the last second of
    /// --to (or `now`).
    func segmentRange(now: Timestamp) throws -> (since: Timestamp?, asOf: Timestamp) {
        guard isGiven else { return (nil, now) }
        let window = try window(defaultFrom: Timestamp(secondsSinceEpoch: 0), defaultTo: now)
        return (from == nil ? nil : window.start, to == nil ? now : window.end.adding(seconds: -1))
    }
}
