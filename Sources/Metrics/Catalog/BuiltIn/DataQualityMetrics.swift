extension BuiltInMetrics {
    /// Whether the group's records can be trusted: complete, without duplicates, up to date.
    static let dataQuality: [MetricDefinition] = [
        MetricDefinition(
            id: "contact.record_completeness", category: .dataQuality,
            name: "Contact record completeness",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "contact",
            definition: """
                For each contact the group created in the window: the share of the four required fields \
                filled (account, title, e-mail, phone).
                """,
            sql: """
                SELECT 25.0 * ((c.account_id IS NOT NULL) + (c.title IS NOT NULL AND c.title <> '')
                             + (c.email IS NOT NULL AND c.email <> '') + (c.phone IS NOT NULL AND c.phone <> '')) AS value
                FROM contacts c
                WHERE c.created_at >= :from AND c.created_at < :to
                  AND c.owner_id IN (SELECT value FROM json_each(:users))
                """),
    ]
}
