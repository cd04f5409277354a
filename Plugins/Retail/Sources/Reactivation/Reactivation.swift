import PluginKit

/// `retail.reactivate`: finds the lapsed valuable customers in scope by RFM scores and starts
/// an e-mail win-back campaign in the CRM for them: one `campaign` (active, from the step's day
/// for `days` days) and one `campaign-member` per customer, their first contact, and records
/// each target with the figures that chose it.
///
/// Lapsed and valuable: a recency score of at most `max_recency_score` (the customers who have
/// not ordered for longest), frequency and monetary scores adding up to at least
/// `min_frequency_monetary` (they used to order often, or much), and no order for at least
/// `min_days_since_order` days. The most valuable come first (F + M, then spend) up to `limit`.
/// A customer without a contact cannot be mailed and is left out.
///
/// The campaign's name carries the engine step's idempotency key, and the targets are recorded
/// under it: a rerun of the step finds them and writes nothing, while the same action in a
/// later phase or round starts a new wave.
///
/// ```yaml
/// actions:
///   - { retail.reactivate: { min_days_since_order: 120, limit: 100, budget: 5000 } }
/// ```
struct Reactivation {
    static let declaration = PluginActionDeclaration(
        id: "retail.reactivate",
        summary: "start an e-mail win-back campaign for the lapsed valuable customers RFM scores find "
            + "(low recency, high frequency and spend), one campaign member per customer's contact")

    static let channel = "email"

    let context: PluginCallContext
    let arguments: StepArguments
    let scope: CustomerScope
    let selection: RFMSelection
    let limit: Int64
    let campaign: Campaign

    /// The CRM campaign the step creates.
    struct Campaign {
        var namePrefix: String
        var days: Int64
        /// A user's id or e-mail address, as `rollout crm` reads the owner field.
        var owner: String?
        var budgetMinor: Int64
    }

    init(_ request: PluginActionRequest, host: PluginHostServices) throws {
        arguments = try StepArguments(request.arguments, of: Self.declaration.id, allowed: RFMSelection.arguments + [
            "limit", "name", "days", "owner", "budget", CustomerScope.argument, OrderCurrency.argument,
        ])
        context = request.context
        scope = try CustomerScope(arguments, context: request.context, host: host)
        selection = try RFMSelection(arguments)
        limit = try arguments.wholeNumber("limit", default: 200, atLeast: 1)
        campaign = Campaign(namePrefix: arguments.text("name") ?? "Loyalty win-back",
                            days: try arguments.wholeNumber("days", default: 30, atLeast: 1, atMost: 366),
                            owner: arguments.text("owner"),
                            budgetMinor: try arguments.amountMinor("budget", default: 0))
    }

    /// Unique per step, and readable in the CRM's campaign list:
    /// `Loyalty win-back 2025-09-15 [retail-loyalty action:loyalty-pilot:2:retail.reactivate]`.
    var campaignName: String {
        "\(campaign.namePrefix) \(CalendarDay(containing: context.at)) [\(context.projectID) \(context.idempotencyKey)]"
    }

    func run(_ host: PluginHostServices) throws -> PluginActionResponse {
        if let earlier = try launchedAlready(host) { return PluginActionResponse(summary: earlier) }
        guard let currency = try OrderCurrency.resolve(arguments, by: context.at, host: host) else {
            return PluginActionResponse(summary: "nobody has ordered anything by "
                + "\(CalendarDay(containing: context.at)): no win-back campaign")
        }
        let candidates = try selection.lapsedValuableCustomers(scope: scope, currency: currency, at: context.at, host)
        let reachable = candidates.compactMap { customer in customer.contactID.map { (customer, contactID: $0) } }
        let targets = reachable.prefix(Int(limit))
        var notes = ["\(selection)"]
        if reachable.count < candidates.count {
            notes.append("\(candidates.count - reachable.count) without a contact left out")
        }
        if targets.count < reachable.count {
            notes.append("\(reachable.count - targets.count) more left out by limit \(limit)")
        }
        guard !targets.isEmpty else {
            return PluginActionResponse(summary: "none of \(scope) can be won back as lapsed and valuable "
                + "(\(notes.joined(separator: "; "))): no win-back campaign")
        }
        var writes = [campaignWrite(currency: currency)]
        // The members name the campaign by its name: the host creates it first, in the same transaction.
        for (_, contactID) in targets {
            writes.append(.create(entity: "campaign-member", fields: [
                "campaign_id": campaignName, "contact_id": String(contactID), "status": "targeted",
            ]))
        }
        for (customer, contactID) in targets {
            writes.append(targetWrite(customer, contactID: contactID, currency: currency))
        }
        let days = "\(CalendarDay(containing: context.at)) to \(CalendarDay(containing: endsAt))"
        return PluginActionResponse(
            summary: "win-back campaign '\(campaignName)' (\(Self.channel), \(days)): \(targets.count) of \(scope) "
                + "targeted as lapsed and valuable (\(notes.joined(separator: "; ")))",
            writes: writes)
    }

    private var endsAt: Int64 { context.at + campaign.days * 86_400 }

    /// The summary of the run that launched this step's campaign, if one did; throws when a
    /// campaign of the name exists that this step did not start.
    private func launchedAlready(_ host: PluginHostServices) throws -> String? {
        let recorded = try host.row("""
            SELECT count(*) AS targets FROM retail_reactivation_targets
            WHERE project_id = :project AND campaign_key = :key
            """, ["project": .string(context.projectID), "key": .string(context.idempotencyKey)])
        let targets = try recorded.int("targets")
        if targets > 0 {
            return "win-back campaign '\(campaignName)' was started by this step already (\(targets) customers "
                + "targeted); nothing to do"
        }
        let named = try host.row("SELECT count(*) AS campaigns FROM v_campaigns WHERE name = :name COLLATE NOCASE",
                                 ["name": .string(campaignName)])
        if try named.int("campaigns") > 0 {
            throw PluginFailure("\(Self.declaration.id): the CRM has a campaign named '\(campaignName)' that this step "
                + "did not start; rename that campaign, or give the step another name prefix with `name:`")
        }
        return nil
    }

    private func campaignWrite(currency: String) -> PluginWrite {
        var fields = [
            "name": campaignName, "channel": Self.channel, "status": "active", "currency": currency,
            "starts_on": CalendarDay(containing: context.at).description,
            "ends_on": CalendarDay(containing: endsAt).description,
            "budget_minor": DisplayText.fieldAmount(minor: campaign.budgetMinor),
        ]
        if let owner = campaign.owner { fields["owner_id"] = owner }
        return .create(entity: "campaign", fields: fields)
    }

    private func targetWrite(_ target: RFMCustomer, contactID: Int64, currency: String) -> PluginWrite {
        .insert(table: "retail_reactivation_targets", values: [
            "project_id": .string(context.projectID), "campaign_key": .string(context.idempotencyKey),
            "campaign_name": .string(campaignName), "account_id": .int(target.accountID),
            "contact_id": .int(contactID), "last_ordered_at": .int(target.lastOrderedAt),
            "recency_days": .int((context.at - target.lastOrderedAt) / 86_400),
            "frequency": .int(target.orders), "monetary_minor": .int(target.spendMinor), "currency": .string(currency),
            "recency_score": .int(target.recencyScore), "frequency_score": .int(target.frequencyScore),
            "monetary_score": .int(target.monetaryScore), "targeted_at": .int(context.at),
            "campaign_ends_at": .int(endsAt),
        ], onConflict: "ignore")
    }
}
