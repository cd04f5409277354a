import GRDB

/// What each marketing campaign brought for what it cost: members reached, responses by
/// classification, leads and their conversion, won deals and their revenue, cost per lead, cost
/// per deal and return on investment.
///
/// ```swift
/// let report = try CampaignEffectReport.compute(window: nil, as: actor, db)
/// report.campaigns[0]   // Spring Expo: 120 members, 30 responses, 12 leads, 3 deals, ROI 1.8
/// ```
///
/// Definitions (per campaign):
/// - members: rows of `campaign_members`; responses: members with a `response`, also counted per
///   classification (interested, request_info, purchase_intent, not_interested, complaint,
///   unsubscribe); response rate = responses / members;
/// - leads: leads whose `campaign_id` is the campaign; converted leads: those with status
///   `converted`; conversion rate = converted leads / leads;
/// - deals: opportunities in a won stage whose `campaign_id` is the campaign; revenue: their
///   amounts in the campaign's currency (deals in another currency are counted in
///   `dealsInOtherCurrencies` and left out of revenue);
/// - cost: `actual_cost_minor`; cost per lead = cost / leads, cost per deal = cost / deals (nil
///   without leads or deals); ROI = (revenue − cost) / cost (nil when the cost is 0).
///
/// An actor who does not see every account counts only the members, leads and deals they may
/// see (`scopeLimited` is then true) against the campaign's whole cost, so their ratios describe
/// their share of the campaign, not the campaign.
///
/// With a window, the report covers the campaigns running in it (`starts_on` ≤ last day and
/// `ends_on` ≥ first day), with everything they ever brought.
public struct CampaignEffectReport: Codable, Sendable, Hashable {
    /// Responses by how they were classified.
    public struct Responses: Codable, Sendable, Hashable {
        public let interested: Int
        public let requestInfo: Int
        public let purchaseIntent: Int
        public let notInterested: Int
        public let complaint: Int
        public let unsubscribe: Int
        /// Every response, whatever its classification.
        public let total: Int

        init(interested: Int = 0, requestInfo: Int = 0, purchaseIntent: Int = 0, notInterested: Int = 0,
             complaint: Int = 0, unsubscribe: Int = 0) {
            self.interested = interested
            self.requestInfo = requestInfo
            self.purchaseIntent = purchaseIntent
            self.notInterested = notInterested
            self.complaint = complaint
            self.unsubscribe = unsubscribe
            total = interested + requestInfo + purchaseIntent + notInterested + complaint + unsubscribe
        }

        /// The classifications in the order of `campaign_members.response`, with their counts.
        public var byClassification: [(classification: String, count: Int)] {
            [("interested", interested), ("request_info", requestInfo), ("purchase_intent", purchaseIntent),
             ("not_interested", notInterested), ("complaint", complaint), ("unsubscribe", unsubscribe)]
        }

        static func + (lhs: Responses, rhs: Responses) -> Responses {
            Responses(interested: lhs.interested + rhs.interested, requestInfo: lhs.requestInfo + rhs.requestInfo,
                      purchaseIntent: lhs.purchaseIntent + rhs.purchaseIntent,
                      notInterested: lhs.notInterested + rhs.notInterested, complaint: lhs.complaint + rhs.complaint,
                      unsubscribe: lhs.unsubscribe + rhs.unsubscribe)
        }
    }

    /// The measures of one campaign, or of every campaign of a channel.
    public struct Effect: Codable, Sendable, Hashable {
        public let members: Int
        public let responses: Responses
        public let leads: Int
        public let convertedLeads: Int
        public let deals: Int
        public let revenue: Money
        public let cost: Money
        /// responses / members.
        public let responseRate: Double?
        /// converted leads / leads.
        public let conversionRate: Double?
        /// cost / leads.
        public let costPerLead: Money?
        /// cost / deals.
        public let costPerDeal: Money?
        /// (revenue − cost) / cost.
        public let returnOnInvestment: Double?

        init(members: Int, responses: Responses, leads: Int, convertedLeads: Int, deals: Int, revenue: Money, cost: Money) {
            self.members = members
            self.responses = responses
            self.leads = leads
            self.convertedLeads = convertedLeads
            self.deals = deals
            self.revenue = revenue
            self.cost = cost
            responseRate = rate(responses.total, of: members)
            conversionRate = rate(convertedLeads, of: leads)
            costPerLead = cost.divided(by: leads)
            costPerDeal = cost.divided(by: deals)
            returnOnInvestment = cost.minorUnits == 0
                ? nil : Double(revenue.minorUnits - cost.minorUnits) / Double(cost.minorUnits)
        }

        static func zero(_ currency: String) -> Effect {
            Effect(members: 0, responses: Responses(), leads: 0, convertedLeads: 0, deals: 0, revenue: .zero(currency),
                   cost: .zero(currency))
        }

        static func + (lhs: Effect, rhs: Effect) -> Effect {
            Effect(members: lhs.members + rhs.members, responses: lhs.responses + rhs.responses,
                   leads: lhs.leads + rhs.leads, convertedLeads: lhs.convertedLeads + rhs.convertedLeads,
                   deals: lhs.deals + rhs.deals, revenue: lhs.revenue + rhs.revenue, cost: lhs.cost + rhs.cost)
        }
    }

    public struct Campaign: Codable, Sendable, Hashable {
        public let id: Int64
        public let name: String
        public let channel: String
        public let status: String
        public let startsOn: String
        public let endsOn: String
        public let effect: Effect
        /// Won deals of the campaign in another currency than its own: not in `revenue`.
        public let dealsInOtherCurrencies: Int
    }

    public let window: ReportWindow?
    /// True when the actor does not see every account (see the type's documentation).
    public let scopeLimited: Bool
    /// By start date, then name.
    public let campaigns: [Campaign]

    public static func compute(window: ReportWindow? = nil, as actor: CRMActor, _ db: Database) throws -> CampaignEffectReport {
        let scope = try ReportScope(actor, report: "campaign")
        var arguments: StatementArguments = []
        var running = "1"
        if let window {
            running = "c.starts_on <= :to AND c.ends_on >= :from"
            arguments = ["from": window.from, "to": window.to]
        }
        let campaigns = try Row.fetchAll(db, sql: """
            SELECT id, name, channel, status, starts_on, ends_on, currency, actual_cost_minor
            FROM campaigns c WHERE \(running) ORDER BY starts_on, name
            """, arguments: arguments)

        var responses: [Int64: (members: Int, responses: Responses)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT m.campaign_id, count(*) AS members,
                   sum(m.response IS 'interested') AS interested, sum(m.response IS 'request_info') AS request_info,
                   sum(m.response IS 'purchase_intent') AS purchase_intent, sum(m.response IS 'not_interested') AS not_interested,
                   sum(m.response IS 'complaint') AS complaint, sum(m.response IS 'unsubscribe') AS unsubscribe
            FROM campaign_members m WHERE \(scope.campaignMembers("m")) GROUP BY m.campaign_id
            """) {
            responses[row["campaign_id"]] = (row["members"], Responses(
                interested: row["interested"], requestInfo: row["request_info"], purchaseIntent: row["purchase_intent"],
                notInterested: row["not_interested"], complaint: row["complaint"], unsubscribe: row["unsubscribe"]))
        }
        var leads: [Int64: (leads: Int, converted: Int)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT l.campaign_id, count(*) AS leads, sum(l.status = 'converted') AS converted
            FROM leads l WHERE l.campaign_id IS NOT NULL AND \(scope.leads("l")) GROUP BY l.campaign_id
            """) {
            leads[row["campaign_id"]] = (row["leads"], row["converted"])
        }
        var deals: [Int64: [(currency: String, deals: Int, amount: Int64)]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT o.campaign_id, o.currency, count(*) AS deals, sum(o.amount_minor) AS amount
            FROM opportunities o JOIN opportunity_stages s ON s.name = o.stage AND s.is_won = 1
            WHERE o.campaign_id IS NOT NULL AND \(scope.opportunities("o")) GROUP BY o.campaign_id, o.currency
            """) {
            deals[row["campaign_id"], default: []].append((row["currency"], row["deals"], row["amount"]))
        }

        return CampaignEffectReport(window: window, scopeLimited: !scope.isEverything, campaigns: campaigns.map { row in
            let id: Int64 = row["id"]
            let currency: String = row["currency"]
            let won = deals[id] ?? []
            let inCurrency = won.filter { $0.currency == currency }
            let effect = Effect(
                members: responses[id]?.members ?? 0, responses: responses[id]?.responses ?? Responses(),
                leads: leads[id]?.leads ?? 0, convertedLeads: leads[id]?.converted ?? 0,
                deals: won.reduce(0) { $0 + $1.deals },
                revenue: Money(minorUnits: inCurrency.reduce(0) { $0 + $1.amount }, currency: currency),
                cost: Money(minorUnits: row["actual_cost_minor"], currency: currency))
            return Campaign(id: id, name: row["name"], channel: row["channel"], status: row["status"],
                            startsOn: row["starts_on"], endsOn: row["ends_on"], effect: effect,
                            dealsInOtherCurrencies: won.filter { $0.currency != currency }.reduce(0) { $0 + $1.deals })
        })
    }
}

/// The campaign channels side by side (S0's channel optimisation: the channel with the best
/// effect at the lowest cost): the campaign measures added up per channel, and which channel
/// leads on cost per lead, lead conversion and return on investment.
///
/// ```swift
/// let channels = try ChannelComparison.compute(window: nil, as: actor, db)
/// channels.lowestCostPerLead      // "email"
/// ```
///
/// A channel's figures are the sums over its campaigns (see `CampaignEffectReport`), and its
/// ratios are computed on those sums: cost per lead = Σ cost / Σ leads, not an average of the
/// campaigns' ratios. Campaigns in another currency than the report's are left out.
public struct ChannelComparison: Codable, Sendable, Hashable {
    public struct Channel: Codable, Sendable, Hashable {
        public let channel: String
        public let campaigns: Int
        public let effect: CampaignEffectReport.Effect
    }

    public let window: ReportWindow?
    public let scopeLimited: Bool
    public let currency: String
    /// Currencies of campaigns left out.
    public let otherCurrencies: [String]
    /// Channels with at least one campaign, by name.
    public let channels: [Channel]
    public let total: CampaignEffectReport.Effect
    /// The channel with the lowest cost per lead; nil when no channel has leads.
    public let lowestCostPerLead: String?
    /// The channel with the highest lead conversion rate.
    public let highestConversionRate: String?
    /// The channel with the highest ROI.
    public let highestReturnOnInvestment: String?

    public static func compute(window: ReportWindow? = nil, currency: String? = nil, as actor: CRMActor,
                               _ db: Database) throws -> ChannelComparison {
        let report = try CampaignEffectReport.compute(window: window, as: actor, db)
        let (currency, others) = try ReportCurrency(currency).resolve(found: report.campaigns.map(\.effect.cost.currency))
        var byChannel: [String: (campaigns: Int, effect: CampaignEffectReport.Effect)] = [:]
        for campaign in report.campaigns where campaign.effect.cost.currency == currency {
            let sum = byChannel[campaign.channel] ?? (0, .zero(currency))
            byChannel[campaign.channel] = (sum.campaigns + 1, sum.effect + campaign.effect)
        }
        let channels = byChannel.keys.sorted().map { Channel(channel: $0, campaigns: byChannel[$0]!.campaigns, effect: byChannel[$0]!.effect) }
        // The channel whose measure is best (ties: the first by name); channels without the measure never win.
        func best(_ measure: (CampaignEffectReport.Effect) -> Double?, lowest: Bool) -> String? {
            channels.compactMap { channel in measure(channel.effect).map { (channel.channel, $0) } }
                .min { lowest ? $0.1 < $1.1 : $0.1 > $1.1 }?.0
        }
        return ChannelComparison(
            window: window, scopeLimited: report.scopeLimited, currency: currency, otherCurrencies: others,
            channels: channels, total: channels.reduce(.zero(currency)) { $0 + $1.effect },
            lowestCostPerLead: best({ $0.costPerLead.map { Double($0.minorUnits) } }, lowest: true),
            highestConversionRate: best(\.conversionRate, lowest: false),
            highestReturnOnInvestment: best(\.returnOnInvestment, lowest: false))
    }
}
