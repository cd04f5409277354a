import GRDB

/// The workspace's SLA targets per priority (`sla_policies`), and the due and warning instants
/// they give a ticket.
///
/// The demo's policies have no business calendar, so they run around the clock: due is creation
/// plus the target, the warning comes when `warn_remaining_percent` of the target is left — the
/// same integer arithmetic as the `crm.v2.complete` migration's UPDATE.
struct DemoSLAPolicy: Sendable {
    struct Target: Sendable {
        var firstResponseMinutes: Int64
        var resolutionMinutes: Int64
        var warnRemainingPercent: Int64
    }

    struct Clocks: Sendable {
        var firstResponseDue: Int64
        var firstResponseWarn: Int64
        var resolutionDue: Int64
        var resolutionWarn: Int64
    }

    let targets: [String: Target]

    init(_ db: Database) throws {
        var targets: [String: Target] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT priority, first_response_minutes, resolution_minutes, warn_remaining_percent FROM sla_policies
            """) {
            targets[row["priority"]] = Target(firstResponseMinutes: row["first_response_minutes"],
                                              resolutionMinutes: row["resolution_minutes"],
                                              warnRemainingPercent: row["warn_remaining_percent"])
        }
        self.targets = targets
    }

    /// The clocks of a ticket of `priority` created at `createdAt`; nil without a policy (which
    /// cannot happen: tickets.priority refers to sla_policies).
    func clocks(priority: String, createdAt: Int64) -> Clocks? {
        guard let target = targets[priority] else { return nil }
        let firstResponseDue = createdAt + target.firstResponseMinutes * 60
        let resolutionDue = createdAt + target.resolutionMinutes * 60
        return Clocks(
            firstResponseDue: firstResponseDue,
            firstResponseWarn: firstResponseDue - target.firstResponseMinutes * target.warnRemainingPercent * 60 / 100,
            resolutionDue: resolutionDue,
            resolutionWarn: resolutionDue - target.resolutionMinutes * target.warnRemainingPercent * 60 / 100)
    }
}
