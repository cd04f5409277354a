import ArgumentParser
import CRMCore

struct CRMSLACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "SLA monitoring: first-response and resolution compliance, tickets at risk and in breach, by team and assignee.",
        discussion: """
            Compliance covers the tickets created in the window: met = done by the due instant, missed = done later or still open past it, pending = open and not yet due; rate = met / (met + missed). At risk and breached are the tickets open at the as-of instant, whenever created: at risk from the warning instant until due, breached from the due instant on. The at-risk list shows the working minutes left on the policy's business calendar.

            Default window: the 30 days up to the as-of instant (at midnight, the 30 days before it).

            Examples:
              rollout crm report sla --as-of 2025-07-01T09:00:00Z
              rollout crm report sla --from 2025-06-01 --to 2025-06-30 --as zhou.min@example.com --json
            """)

    @OptionGroup var dates: WindowOptions

    @Option(help: "List at most this many at-risk tickets.")
    var limit: Int = 20

    @OptionGroup var options: CRMAnalysisOptions

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
    }

    func run() throws {
        try Terminal.failing {
            let asOf = try options.asOf()
            let window = try dates.window(defaultFrom: asOf.lastDayBefore.adding(days: -29), defaultTo: asOf.lastDayBefore)
            let report = try options.open().database.read { db in
                try SLAReport.compute(window: window, asOf: asOf, atRiskLimit: limit, as: options.actor.actor(db), db)
            }
            try options.output.emit(report, Self.text)
        }
    }

    static func text(_ report: SLAReport) -> String {
        var table = ReportTable(["Team", "Assignee", "Created>", "Response met>", "Missed>", "Pending>", "Rate>",
                                 "Resolution met>", "Missed>", "Pending>", "Rate>", "At risk now>", "Breached now>"])
        func cells(_ f: SLAReport.Figures) -> [String] {
            [ReportText.count(f.created),
             ReportText.count(f.firstResponse.met), ReportText.count(f.firstResponse.missed),
             ReportText.count(f.firstResponse.pending), ReportText.percent(f.firstResponse.complianceRate),
             ReportText.count(f.resolution.met), ReportText.count(f.resolution.missed),
             ReportText.count(f.resolution.pending), ReportText.percent(f.resolution.complianceRate),
             ReportText.count(f.firstResponseAtRisk + f.resolutionAtRisk),
             ReportText.count(f.firstResponseBreached + f.resolutionBreached)]
        }
        for line in report.lines {
            table.row([line.assignee == nil ? line.team : "", line.assignee ?? "team"] + cells(line.figures))
        }
        table.rule()
        table.row(["Total", ""] + cells(report.total))
        var text = "SLA at \(report.asOf); compliance of tickets created \(report.window.from) to \(report.window.to)\n"
            + table.rendered()
        text += "\n  Now: first response \(report.total.firstResponseAtRisk) at risk, \(report.total.firstResponseBreached) breached; "
            + "resolution \(report.total.resolutionAtRisk) at risk, \(report.total.resolutionBreached) breached."
        if report.total.withoutTarget > 0 {
            text += "\n  \(ReportText.count(report.total.withoutTarget)) tickets have no SLA due instants and are not measured."
        }
        guard !report.atRisk.isEmpty else { return text + "\n\nNo ticket is at risk." }
        var list = ReportTable(["Ticket>", "Target", "Priority", "Due", "Left (working min)>", "Assignee", "Team", "Subject"])
        for ticket in report.atRisk {
            list.row([String(ticket.ticketID), ticket.target.rawValue, ticket.priority, ticket.dueAt.iso8601,
                      ReportText.count(ticket.remainingMinutes), ticket.assignee, ticket.team, ticket.subject])
        }
        return text + "\n\nAt risk, soonest due first\n" + list.rendered()
    }
}
