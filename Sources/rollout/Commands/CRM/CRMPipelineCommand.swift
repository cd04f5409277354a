import ArgumentParser
import CRMCore

struct CRMPipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Open deals by stage: count, amount, the stage's probability, weighted amount.",
        discussion: """
            A deal is open at the as-of instant when it was created by then and not yet closed; it counts in the stage it was in at that instant (from its stage history). Weighted amount = amount × the stage's probability (table opportunity_stages), rounded per stage.

            Examples:
              rollout crm report pipeline --db rollout.sqlite
              rollout crm report pipeline --as li.na@example.com --as-of 2025-06-30 --json
            """)

    @OptionGroup var options: CRMAnalysisOptions

    func run() throws {
        try Terminal.failing {
            let asOf = try options.asOf()
            let report = try options.open().database.read { db in
                try PipelineReport.compute(asOf: asOf, currency: options.currency, as: options.actor.actor(db), db)
            }
            try options.output.emit(report, Self.text)
        }
    }

    static func text(_ report: PipelineReport) -> String {
        var table = ReportTable(["Stage", "Probability>", "Deals>", "Amount>", "Weighted>"])
        for stage in report.stages {
            table.row([stage.stage, ReportText.percent(stage.probability), ReportText.count(stage.deals),
                       ReportText.amount(stage.amount), ReportText.amount(stage.weightedAmount)])
        }
        table.rule()
        table.row(["Total", "", ReportText.count(report.deals), ReportText.amount(report.amount),
                   ReportText.amount(report.weightedAmount)])
        return "Pipeline at \(report.asOf), amounts in \(report.currency)\n" + table.rendered()
            + ReportText.otherCurrencies(report.otherCurrencies)
    }
}
