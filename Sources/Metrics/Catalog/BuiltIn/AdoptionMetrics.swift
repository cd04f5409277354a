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
        MetricDefinition(
            id: "user.activities_per_working_day", category: .adoption,
            name: "Activities logged per working day",
            unit: "activities/day", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "user",
            definition: """
                For each active user of the group who existed before the end of the window: the activities \
                they own (calls, meetings, e-mails, visits, notes) dated in the window, divided by the \
                Monday-to-Friday days of the window. The KPI is the mean over users, so every user counts, \
                the idle ones too.
                """,
            sql: """
                SELECT 1.0 * COUNT(a.id) / :working_days AS value
                FROM users u
                LEFT JOIN activities a ON a.owner_id = u.id AND a.at >= :from AND a.at < :to
                WHERE u.id IN (SELECT value FROM json_each(:users)) AND u.active = 1 AND u.created_at < :to
                GROUP BY u.id
                """),
        MetricDefinition(
            id: "user.weekly_active_share", category: .adoption,
            name: "Weekly active use",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "user",
            definition: """
                For each active user of the group who existed before the end of the window: the share of the \
                window's whole weeks in which they signed in at least once (user_logins). Weeks are 7-day \
                blocks counted back from the end of the window; days before the first whole week are not \
                looked at, and a window shorter than 7 days has no value. The KPI is the mean over users, so \
                every user counts, the idle ones too.
                """,
            sql: """
                SELECT 100.0 * COUNT(DISTINCT (:to - 1 - l.at) / 604800) / ((:to - :from) / 604800) AS value
                FROM users u
                LEFT JOIN user_logins l ON l.user_id = u.id AND l.at >= :to - (:to - :from) / 604800 * 604800 AND l.at < :to
                WHERE u.id IN (SELECT value FROM json_each(:users)) AND u.active = 1 AND u.created_at < :to
                  AND :to - :from >= 604800
                GROUP BY u.id
                """),
        MetricDefinition(
            id: "user.mobile_sign_in_share", category: .adoption,
            name: "Mobile sign-in share",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter,
            unitOfAnalysis: "user with sign-ins",
            definition: """
                For each user of the group who signed in to the CRM in the window, through the web or the \
                mobile app: the share of those sign-ins (user_logins) made from the mobile app. API sign-ins \
                are integrations, not people, and are left out; so are users without a sign-in in the window \
                (user.active_adoption counts them).
                """,
            sql: """
                SELECT 100.0 * SUM(l.channel = 'mobile') / COUNT(*) AS value
                FROM user_logins l
                WHERE l.user_id IN (SELECT value FROM json_each(:users)) AND l.at >= :from AND l.at < :to
                  AND l.channel <> 'api'
                GROUP BY l.user_id
                """),
    ]
}
