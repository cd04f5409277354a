extension BuiltInMetrics {
    /// Campaigns and the leads they bring: whom they reach, who answers, what a lead costs.
    ///
    /// A campaign belongs to the group of its owner; its last day (`ends_on`, a calendar date)
    /// is over at midnight UTC after it, and a campaign counts in a window when that instant
    /// falls after the window's start and no later than its end.
    static let marketing: [MetricDefinition] = [
        MetricDefinition(
            id: "campaign.response_rate", category: .marketing,
            name: "Campaign response rate",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "campaign member",
            definition: """
                Of the members reached by the group's campaigns (owner) that ended in the window (their last \
                day is over after the window's start and by its end), the share that answered before the end \
                of the window: interested, request for information, purchase intent, not interested or \
                complaint; an unsubscribe is not an answer. Reached: status sent, responded or unsubscribed; \
                members only targeted, or whose message bounced, never received the campaign and are left out.
                """,
            sql: """
                SELECT CASE WHEN m.responded_at < :to AND m.response <> 'unsubscribe' THEN 100.0 ELSE 0.0 END AS value
                FROM campaigns c
                CROSS JOIN campaign_members m ON m.campaign_id = c.id
                WHERE c.ends_on >= date(:from, 'unixepoch') AND c.ends_on < date(:to, 'unixepoch')
                  AND c.owner_id IN (SELECT value FROM json_each(:users))
                  AND m.status <> 'targeted' AND m.status <> 'bounced'
                """),
        MetricDefinition(
            id: "lead.campaign_sourced_share", category: .marketing,
            name: "Campaign-sourced leads",
            unit: "%", defaultAggregate: .mean, naturalDirection: .higherIsBetter, unitOfAnalysis: "lead",
            definition: """
                Of the leads the group received in the window (created in it, owned by the group), the share \
                a campaign brought (the lead names its campaign).
                """,
            sql: """
                SELECT CASE WHEN l.campaign_id IS NOT NULL THEN 100.0 ELSE 0.0 END AS value
                FROM leads l
                WHERE l.created_at >= :from AND l.created_at < :to
                  AND l.owner_id IN (SELECT value FROM json_each(:users))
                """),
        MetricDefinition(
            id: "campaign.cost_per_lead", category: .marketing,
            name: "Campaign cost per lead",
            unit: "major units", defaultAggregate: .median, naturalDirection: .lowerIsBetter, unitOfAnalysis: "campaign",
            definition: """
                For each of the group's campaigns (owner) that ended in the window (its last day is over after \
                the window's start and by its end) and recorded a cost: its actual cost, in major units of its \
                currency, divided by the leads it brought (leads naming it, created before the end of the \
                window). A campaign that brought no lead counts with its whole cost, as if it had brought one, \
                so that money spent without result raises the figure instead of disappearing. Campaigns with \
                no actual cost recorded (0) are left out. Amounts are never added across currencies: when \
                those campaigns are in more than one currency, the metric has no value.
                """,
            sql: """
                WITH spent AS (
                    SELECT c.actual_cost_minor, c.currency,
                           (SELECT COUNT(*) FROM leads l WHERE l.campaign_id = c.id AND l.created_at < :to) AS leads
                    FROM campaigns c
                    WHERE c.ends_on >= date(:from, 'unixepoch') AND c.ends_on < date(:to, 'unixepoch')
                      AND c.owner_id IN (SELECT value FROM json_each(:users))
                      AND c.actual_cost_minor > 0
                )
                SELECT \(MoneySQL.majorUnits("spent.actual_cost_minor", currency: "spent.currency")) / MAX(1, spent.leads) AS value
                FROM spent
                WHERE (SELECT COUNT(DISTINCT currency) FROM spent) = 1
                """),
    ]
}
