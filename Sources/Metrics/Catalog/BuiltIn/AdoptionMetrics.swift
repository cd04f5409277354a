extension BuiltInMetrics {
    /// Whether the group uses the CRM: sign-ins and logged work.
    static let adoption: [MetricDefinition] = [
        MetricDefinition(
            id: "user.active_adoption", category: .adoption,
            name: "Active-user adoption",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "user",
            definition: """
                For each active user of the group who existed before the end of the window: the days with \
                at least one sign-in (user_logins) divided by the Monday-to-Friday days of the window, \
                capped at 100 %. The KPI is the mean over users, so every user counts, the idle ones too.
                """,
            sql: """
                SELECT MIN(100.0, 100.0 * COUNT(DISTINCT l.at / 86400) / :working_days) AS value
                FROM users u
                LEFT JOIN user_logins l ON l.user_id = u.id AND l.at >= :from AND l.at < :to
                WHERE u.id IN (SELECT value FROM json_each(:users)) AND u.active = 1 AND u.created_at < :to
                GROUP BY u.id
                """),
    ]
}
