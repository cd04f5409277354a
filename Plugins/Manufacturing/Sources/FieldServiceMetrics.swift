import PluginKit

/// The metrics the plugin adds to the KPI catalog. Each reads the published views and the
/// plugin's own `v_manufacturing_*` views and returns one row per unit: `user_id` (whose group it
/// counts for), `at` (when it counts) and `value`.
enum FieldServiceMetrics {
    static let all = [firstTimeFixRate, meanTimeToRepairHours, warrantyFollowUpRate, warrantyExtensionWinRate]

    static let firstTimeFixRate = PluginMetric(
        id: "manufacturing.first_time_fix_rate", name: "First-time fix rate", category: "service", unit: "%",
        aggregate: "mean", direction: "higher", unitOfAnalysis: "resolved ticket with a visit",
        definition: """
            Of the tickets resolved in the window that had at least one technician visit \
            (v_manufacturing_visits), the share fixed on the first visit: exactly one visit, with outcome fixed. \
            In the group of the ticket's assignee; counted at resolved_at.
            """,
        sql: """
            SELECT t.assignee_id AS user_id, t.resolved_at AS at,
                   CASE WHEN v.visits = 1 AND v.first_outcome = 'fixed' THEN 100.0 ELSE 0.0 END AS value
            FROM v_tickets t
            JOIN (SELECT ticket_id, COUNT(*) AS visits, MAX(CASE WHEN visit_no = 1 THEN outcome END) AS first_outcome
                  FROM v_manufacturing_visits GROUP BY ticket_id) v ON v.ticket_id = t.id
            WHERE t.resolved_at IS NOT NULL
            """)

    static let meanTimeToRepairHours = PluginMetric(
        id: "manufacturing.mean_time_to_repair_hours", name: "Mean time to repair", category: "service", unit: "h",
        aggregate: "mean", direction: "lower", unitOfAnalysis: "resolved ticket with a visit",
        definition: """
            Hours from a ticket's creation to its resolution, for the tickets resolved in the window that had at \
            least one technician visit (v_manufacturing_visits): elapsed hours, not working hours. In the group of \
            the ticket's assignee; counted at resolved_at.
            """,
        sql: """
            SELECT t.assignee_id AS user_id, t.resolved_at AS at, (t.resolved_at - t.created_at) / 3600.0 AS value
            FROM v_tickets t
            WHERE t.resolved_at IS NOT NULL
              AND EXISTS (SELECT 1 FROM v_manufacturing_visits v WHERE v.ticket_id = t.id)
            """)

    static let warrantyFollowUpRate = PluginMetric(
        id: "manufacturing.warranty_followup_rate", name: "Warranties followed up before they end", category: "service",
        unit: "%", aggregate: "mean", direction: "higher", unitOfAnalysis: "warranty that ended",
        definition: """
            Of the installed units (not retired) whose warranty ended in the window, the share followed up \
            (v_manufacturing_warranty_followups) before the day it ended. In the group of the account's owner; \
            counted at the warranty's end (midnight UTC), so the rate shows a follow-up only once its warranty has \
            ended. A unit's status is read as it is now.
            """,
        sql: """
            SELECT a.owner_id AS user_id, CAST(strftime('%s', ib.warranty_ends_on) AS INTEGER) AS at,
                   CASE WHEN EXISTS (SELECT 1 FROM v_manufacturing_warranty_followups f
                                     WHERE f.install_base_id = ib.id AND f.warranty_ends_on = ib.warranty_ends_on
                                       AND f.followed_up_at < CAST(strftime('%s', ib.warranty_ends_on) AS INTEGER))
                        THEN 100.0 ELSE 0.0 END AS value
            FROM v_install_base ib
            JOIN v_accounts a ON a.id = ib.account_id
            WHERE ib.warranty_ends_on IS NOT NULL AND ib.status <> 'retired'
            """)

    static let warrantyExtensionWinRate = PluginMetric(
        id: "manufacturing.warranty_extension_win_rate", name: "Warranty extensions won", category: "service",
        unit: "%", aggregate: "mean", direction: "higher", unitOfAnalysis: "closed warranty-extension opportunity",
        definition: """
            Of the warranty-extension opportunities that manufacturing.warranty-followup opened and that closed in \
            the window, the share won (a stage with is_won). In the group of the opportunity's owner; counted at \
            closed_at.
            """,
        sql: """
            SELECT o.owner_id AS user_id, o.closed_at AS at, CASE WHEN s.is_won THEN 100.0 ELSE 0.0 END AS value
            FROM v_manufacturing_warranty_followups f
            JOIN v_opportunities o ON o.account_id = f.account_id AND o.name = f.opportunity_name
            JOIN v_opportunity_stages s ON s.name = o.stage
            WHERE o.closed_at IS NOT NULL
            """)
}
