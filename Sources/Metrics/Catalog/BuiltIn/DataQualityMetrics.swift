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
        MetricDefinition(
            id: "account.record_completeness", category: .dataQuality,
            name: "Account record completeness",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "account",
            definition: """
                For each customer or prospect account the group created in the window (owner): the share of \
                the three fields that segment the customer base filled (classification A/B/C, industry, \
                region). Partner and competitor accounts are left out.
                """,
            sql: """
                SELECT 100.0 * ((a.classification IS NOT NULL) + (a.industry IS NOT NULL AND a.industry <> '')
                              + (a.region IS NOT NULL AND a.region <> '')) / 3 AS value
                FROM accounts a
                WHERE a.created_at >= :from AND a.created_at < :to
                  AND a.owner_id IN (SELECT value FROM json_each(:users))
                  AND (a.type = 'customer' OR a.type = 'prospect')
                """),
        MetricDefinition(
            id: "account.duplicate_rate", category: .dataQuality,
            name: "Duplicate accounts",
            unit: "%", defaultAggregate: .mean, naturalDirection: .lowerIsBetter, unitOfAnalysis: "account",
            definition: """
                Of the accounts the group created in the window (owner), the share whose name was already in \
                the CRM: an account created before it (or at the same second with a lower id) has the same \
                name once case, legal forms (有限公司, Co., Ltd., Inc., …), spaces and punctuation are left \
                out (name_key, the rule the import merges accounts by). Names that are nothing but a legal \
                form are left out.
                """,
            sql: """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM accounts e
                                         WHERE e.name_key = a.name_key
                                           AND (e.created_at < a.created_at OR (e.created_at = a.created_at AND e.id < a.id)))
                            THEN 100.0 ELSE 0.0 END AS value
                FROM accounts a
                WHERE a.created_at >= :from AND a.created_at < :to
                  AND a.owner_id IN (SELECT value FROM json_each(:users))
                  AND a.name_key <> ''
                """),
        MetricDefinition(
            id: "contact.duplicate_rate", category: .dataQuality,
            name: "Duplicate contacts",
            unit: "%", defaultAggregate: .mean, naturalDirection: .lowerIsBetter, unitOfAnalysis: "contact with an e-mail",
            definition: """
                Of the contacts the group created in the window (owner) that have an e-mail address, the share \
                whose e-mail (trimmed, lower-cased) was already on a contact created before it (or at the same \
                second with a lower id): the rule by which the import takes two contacts for the same person. \
                Equal phone numbers alone make only a possible duplicate there, and are not counted.
                """,
            sql: """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM contacts e
                                         WHERE e.email_key = c.email_key
                                           AND (e.created_at < c.created_at OR (e.created_at = c.created_at AND e.id < c.id)))
                            THEN 100.0 ELSE 0.0 END AS value
                FROM contacts c
                WHERE c.created_at >= :from AND c.created_at < :to
                  AND c.owner_id IN (SELECT value FROM json_each(:users))
                  AND c.email_key <> ''
                """),
        MetricDefinition(
            id: "lead.duplicate_rate", category: .dataQuality,
            name: "Duplicate leads",
            unit: "%", defaultAggregate: .mean, naturalDirection: .lowerIsBetter, unitOfAnalysis: "lead with an e-mail",
            definition: """
                Of the leads the group received in the window (created in it, owned by the group) that have an \
                e-mail address, the share whose e-mail (trimmed, lower-cased) was already on a lead created \
                before it (or at the same second with a lower id), whoever owns that lead: the rule by which \
                the import takes two leads for the same person.
                """,
            sql: """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM leads e
                                         WHERE e.email_key = l.email_key
                                           AND (e.created_at < l.created_at OR (e.created_at = l.created_at AND e.id < l.id)))
                            THEN 100.0 ELSE 0.0 END AS value
                FROM leads l
                WHERE l.created_at >= :from AND l.created_at < :to
                  AND l.owner_id IN (SELECT value FROM json_each(:users))
                  AND l.email_key <> ''
                """),
        MetricDefinition(
            id: "opportunity.stale_close_date_share", category: .dataQuality,
            name: "Open deals with a stale close date",
            unit: "%", defaultAggregate: .mean, naturalDirection: .lowerIsBetter, unitOfAnalysis: "open opportunity",
            definition: """
                Of the group's opportunities open at the end of the window (owner; created before it and not \
                closed before it), the share whose expected close date is missing or earlier than the day the \
                window ends (UTC). A snapshot at the end of the window: its length does not matter. The \
                expected close date is the current one, as the CRM keeps no history of it.
                """,
            sql: """
                SELECT CASE WHEN o.expected_close_on IS NULL OR o.expected_close_on < date(:to, 'unixepoch')
                            THEN 100.0 ELSE 0.0 END AS value
                FROM opportunities o
                WHERE o.owner_id IN (SELECT value FROM json_each(:users))
                  AND o.created_at < :to AND o.closed_at IS NULL
                UNION ALL
                SELECT CASE WHEN o.expected_close_on IS NULL OR o.expected_close_on < date(:to, 'unixepoch')
                            THEN 100.0 ELSE 0.0 END AS value
                FROM opportunities o
                WHERE o.owner_id IN (SELECT value FROM json_each(:users))
                  AND o.created_at < :to AND o.closed_at >= :to
                """),
    ]
}
