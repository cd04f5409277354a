import ArgumentParser

/// `rollout crm report`: the CRM's analyses, each as text or `--json`, each limited to what the
/// `--as` user may see.
struct CRMReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Sales, marketing and service reports on the CRM: pipeline, forecast, campaigns, SLA, performance, commission.",
        discussion: """
            Every report reads the workspace at one instant (--as-of, default now), in one currency (--currency when the records use several), as one user (--as USER: only the accounts their roles show; default: the operator, who sees everything). --json prints the full result for scripts. docs/crm.md defines every measure.

            Examples:
              rollout crm report pipeline --db rollout.sqlite
              rollout crm report forecast --by quarter --group owner --as li.na@example.com
              rollout crm report sla --from 2025-06-01 --to 2025-06-30 --as-of 2025-07-01
            """,
        subcommands: [
            CRMPipelineCommand.self, CRMForecastCommand.self, CRMCampaignsCommand.self, CRMChannelsCommand.self,
            CRMSLACommand.self, CRMPerformanceCommand.self, CRMCommissionCommand.self,
        ])
}
