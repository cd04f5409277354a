import PluginKit

/// The plugin's metrics for the KPI catalog. Each is one SELECT over the published views and
/// the plugin's own views, returning one row per unit with `user_id`, `at` and `value`; the host
/// keeps the rows of the measured group's users with `at` in the KPI's window.
enum Metrics {
    /// A metric takes no arguments, so the complaint metric applies the regulation's deadline;
    /// the check and the process fragment take theirs as arguments and parameters.
    private static let complaintDeadline = Regulation.complaintDeadlineSeconds

    static let all = [kycVerifiedRate, complaintDeadlineCompliance, complaintAcknowledgementHours]

    static let kycVerifiedRate = PluginMetric(
        id: "financial-services.kyc_verified_rate", name: "Customers with verified KYC", category: "data_quality",
        unit: "%", direction: "higher", unitOfAnalysis: "customer",
        definition: "Of the customers (accounts with an order that was not cancelled or a won deal, not marked lost) "
            + "that have a KYC file, the share whose file is verified: 100 or 0 per customer. A file's status is a "
            + "state, not an event, so it counts at the last moment a review or a decision established it "
            + "(reviewed_at): a KYC review restamps every customer's file, and a window that contains the latest "
            + "review measures every customer once, as that review left them. Attributed to the account's owner.",
        sql: """
            SELECT k.owner_id AS user_id, k.reviewed_at AS at,
                   CASE WHEN k.status = 'verified' THEN 100.0 ELSE 0.0 END AS value
            FROM v_financial_services_kyc k
            JOIN v_financial_services_customers c ON c.account_id = k.account_id
            """)

    static let complaintDeadlineCompliance = PluginMetric(
        id: "financial-services.complaint_deadline_compliance",
        name: "Complaints decided within the regulatory deadline", category: "service", unit: "%", direction: "higher",
        unitOfAnalysis: "complaint",
        definition: "Of the complaints (tickets of type complaint) whose outcome against the 15-day regulatory "
            + "deadline is known, the share resolved within 15 days (360 hours) of receipt: 100 or 0 per complaint. "
            + "A complaint counts when it is resolved within the deadline, at its resolution, or else when the "
            + "deadline passes, at the deadline, resolved or not: so a complaint still open past its deadline counts "
            + "as missed, and measuring in the past sees only what was known then. Reopening clears a resolution, "
            + "so a reopened complaint counts by its latest one. Attributed to the assignee.",
        sql: """
            SELECT t.assignee_id AS user_id,
                   CASE WHEN t.resolved_at <= t.created_at + \(complaintDeadline) THEN t.resolved_at
                        ELSE t.created_at + \(complaintDeadline) END AS at,
                   CASE WHEN t.resolved_at <= t.created_at + \(complaintDeadline) THEN 100.0 ELSE 0.0 END AS value
            FROM v_tickets t
            WHERE t.type = 'complaint'
            """)

    static let complaintAcknowledgementHours = PluginMetric(
        id: "financial-services.complaint_acknowledgement_hours", name: "Complaint acknowledgement time",
        category: "service", unit: "h", aggregate: "median", direction: "lower", unitOfAnalysis: "complaint",
        definition: "Hours from the receipt of a complaint (tickets of type complaint) to its first response, the "
            + "acknowledgement to the complainant, in calendar time; for the complaints acknowledged in the window "
            + "(at the first response). Attributed to the assignee.",
        sql: """
            SELECT t.assignee_id AS user_id, t.first_response_at AS at,
                   (t.first_response_at - t.created_at) / 3600.0 AS value
            FROM v_tickets t
            WHERE t.type = 'complaint' AND t.first_response_at IS NOT NULL
            """)
}
