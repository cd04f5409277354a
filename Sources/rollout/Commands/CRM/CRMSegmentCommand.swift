import ArgumentParser

/// `rollout crm segment`: customer classification from orders, tickets and activities.
struct CRMSegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Classify customers: RFM segments, k-means clusters, the 80/20 profit table.",
        discussion: """
            Each reads the orders (and, for clusters, tickets, activities and deals) up to the as-of instant, or up to the end of --to, from --from when given, of the accounts the --as user may see.

            Examples:
              rollout crm segment rfm --db rollout.sqlite
              rollout crm segment cluster --k 4 --attributes orders,revenue,tickets --seed 7
              rollout crm segment pareto --from 2024-07-01 --to 2025-06-30 --json
            """,
        subcommands: [CRMRFMCommand.self, CRMClusterCommand.self, CRMParetoCommand.self])
}
