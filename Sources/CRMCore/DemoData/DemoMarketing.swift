/// A campaign of the plan: which region and channel it runs in, and when it draws responses.
struct DemoCampaign: Sendable {
    let id: Int64
    let region: String
    let channel: String
    /// Its first instant, and the end of its last day.
    let startsAt: Int64
    let endsAt: Int64
    /// Responses keep coming for a while after a campaign ends (an event's contacts are followed up).
    let respondsUntil: Int64
    let status: String

    func isResponding(at instant: Int64) -> Bool {
        status != "planned" && instant >= startsAt && instant < respondsUntil
    }
}

/// A lead's marketing columns: the channel it came through, the campaign that brought it, and
/// the score the lead-scoring model gave it; `response` is how it answered the campaign.
struct DemoLeadMarketing: Sendable {
    var channel: String?
    var campaignID: Int64?
    var score: Int?
    var response: String?

    static let none = DemoLeadMarketing()
}

/// A lead who answered a campaign, written as a campaign member after the day loop.
struct DemoCampaignResponse: Sendable {
    var campaignID: Int64
    var leadID: Int64
    var response: String
    var at: Int64
}

/// The marketing calendar of each region: a newsletter, online ads and a social-media campaign
/// every quarter, telemarketing every half year, a trade fair every spring and autumn, and print
/// every spring; budgets grow with the company (head count).
///
/// Channels differ in what a lead costs and what it is worth: e-mail is cheap, events and print
/// dear; event and phone leads convert more often than the average, social-media leads less
/// (`conversionLift`). The lift is applied by choosing which of the generated leads a campaign
/// gets, so the leads themselves are drawn exactly as before campaigns existed.
struct DemoCampaignPlan {
    struct Template: Sendable {
        var channel: String
        var name: String
        /// Budget at `small`, in major units.
        var budget: Double
        /// Weight among the campaigns a 'campaign'-sourced lead may have answered.
        var weight: Double
    }

    static let email = Template(channel: "email", name: "newsletter", budget: 18_000, weight: 2)
    static let online = Template(channel: "online", name: "search and display ads", budget: 150_000, weight: 3)
    static let social = Template(channel: "social", name: "WeChat and Douyin campaign", budget: 80_000, weight: 2)
    static let phone = Template(channel: "phone", name: "telemarketing", budget: 90_000, weight: 1.5)
    static let event = Template(channel: "event", name: "trade fair", budget: 200_000, weight: 2.5)
    static let traditional = Template(channel: "traditional", name: "print catalogue and trade press", budget: 120_000,
                                      weight: 1.5)

    /// How much more often than the average lead a lead of each channel converts.
    static let conversionLift = ["traditional": 0.9, "phone": 1.25, "online": 0.95, "email": 0.85, "social": 0.7,
                                 "event": 1.5]
    /// The share of leads that convert, around which the lift is balanced.
    static let typicalConversion = 0.2
    static let fairCity = ["East": "Shanghai", "West": "Chengdu"]

    private(set) var campaigns: [DemoCampaign] = []
    private var weights: [Double] = []

    /// Writes every campaign created before `end`: those that start later are planned ones.
    static func write(_ writer: inout DemoRowWriter, people: [DemoPerson], scale: DemoScale, start: Int64, end: Int64,
                      minorUnitsPerMajor: Double, _ random: inout SeededRandom) throws -> DemoCampaignPlan {
        struct Slot {
            var template: Template
            var title: String
            var from: Timestamp
            var through: Timestamp   // the last day
            var tailDays: Int
        }
        let first = Timestamp(secondsSinceEpoch: start).civil
        let last = Timestamp(secondsSinceEpoch: end).adding(days: 60).civil
        var slots: [Slot] = []
        for year in first.year...last.year {
            for quarter in 1...4 {
                let from = Timestamp(year: year, month: 3 * quarter - 2, day: 1)
                let through = from.adding(months: 3).adding(days: -1)
                let tag = "\(year) Q\(quarter)"
                slots.append(Slot(template: email, title: "\(tag) \(email.name)", from: from, through: through, tailDays: 14))
                slots.append(Slot(template: online, title: "\(tag) \(online.name)", from: from, through: through, tailDays: 7))
                slots.append(Slot(template: social, title: "\(tag) \(social.name)", from: from,
                                  through: from.adding(months: 2).adding(days: -1), tailDays: 7))
            }
            for half in 1...2 {
                let from = Timestamp(year: year, month: 6 * half - 5, day: 1)
                slots.append(Slot(template: phone, title: "\(year) H\(half) \(phone.name)", from: from,
                                  through: from.adding(months: 6).adding(days: -1), tailDays: 14))
            }
            slots.append(Slot(template: traditional, title: "\(year) \(traditional.name)",
                              from: Timestamp(year: year, month: 3, day: 1), through: Timestamp(year: year, month: 4, day: 30),
                              tailDays: 45))
            slots.append(Slot(template: event, title: "\(year) spring", from: Timestamp(year: year, month: 4, day: 16),
                              through: Timestamp(year: year, month: 4, day: 18), tailDays: 45))
            slots.append(Slot(template: event, title: "\(year) autumn", from: Timestamp(year: year, month: 10, day: 22),
                              through: Timestamp(year: year, month: 10, day: 24), tailDays: 45))
        }
        // By start and end; slots alike keep the order they were listed in (sort is not stable).
        slots = slots.enumerated()
            .sorted { ($0.element.from, $0.element.through, $0.offset) < ($1.element.from, $1.element.through, $1.offset) }
            .map(\.element)

        var plan = DemoCampaignPlan()
        let lastDay = Timestamp(secondsSinceEpoch: end - 1).startOfDay
        let multiplier = Double(scale.headcountMultiplier)
        for slot in slots {
            // A campaign already under way when the history starts is recorded from its first day in it.
            let from = max(slot.from, Timestamp(secondsSinceEpoch: start).startOfDay)
            guard slot.through >= from else { continue }
            let createdAt = max(start, DemoCalendar.atWork(from.secondsSinceEpoch
                                                           - DemoHistory.seconds(days: random.uniform(14..<35))))
            guard createdAt < end else { continue }
            for region in DemoTerritories.regions {
                let owner = people.first { $0.role == .salesManager && $0.region == region }
                let name = slot.template.channel == "event"
                    ? "\(slot.title) trade fair \(fairCity[region] ?? region)"
                    : "\(slot.title) (\(region))"
                let budget = (slot.template.budget * multiplier * random.uniform(0.9..<1.1) / 1000).rounded() * 1000
                let status: String
                let spent: Double
                if slot.through < lastDay {
                    status = "completed"
                    spent = budget * random.uniform(0.85..<1.08)
                } else if from <= lastDay {
                    status = "active"
                    let elapsed = Double(from.days(until: lastDay) + 1) / Double(from.days(until: slot.through) + 1)
                    spent = budget * elapsed * random.uniform(0.9..<1.05)
                } else {
                    status = "planned"
                    spent = 0
                }
                let id = try writer.campaign(name: name, channel: slot.template.channel, status: status,
                                             budgetMinor: Int64((budget * minorUnitsPerMajor).rounded()),
                                             actualCostMinor: Int64((spent * minorUnitsPerMajor).rounded()),
                                             startsOn: from.dateString, endsOn: slot.through.dateString,
                                             ownerID: owner?.id, createdAt: createdAt)
                let endsAt = slot.through.adding(days: 1).secondsSinceEpoch
                plan.campaigns.append(DemoCampaign(id: id, region: region, channel: slot.template.channel,
                                                   startsAt: from.secondsSinceEpoch, endsAt: endsAt,
                                                   respondsUntil: endsAt + Int64(slot.tailDays) * DemoCalendar.secondsPerDay,
                                                   status: status))
                plan.weights.append(slot.template.weight)
            }
        }
        return plan
    }

    /// The campaigns of `region` that a lead arriving at `instant` may have answered, with weights.
    func responding(region: String, at instant: Int64, channel: String? = nil) -> [(campaign: Int, weight: Double)] {
        campaigns.indices.compactMap { index in
            let campaign = campaigns[index]
            guard campaign.region == region, campaign.isResponding(at: instant),
                  channel == nil || campaign.channel == channel else { return nil }
            return (index, weights[index])
        }
    }
}

extension DemoHistory {
    /// The channel a lead's source stands for: web leads came from online ads or social media;
    /// referrals and partners are no marketing channel.
    static func marketingChannel(source: String, _ random: inout SeededRandom) -> (channel: String?, attach: Double) {
        switch source {
        case "web": return (random.chance(0.25) ? "social" : "online", 0.45)
        case "phone": return ("phone", 0.3)
        case "email": return ("email", 0.6)
        case "event": return ("event", 0.9)
        case "campaign": return (nil, 1)
        default: return (nil, 0)
        }
    }

    static let responsesOfConverting = Categorical([("purchase_intent", 45.0), ("interested", 35), ("request_info", 20)])
    static let responsesOfOthers = Categorical([("interested", 35.0), ("request_info", 45), ("not_interested", 20)])

    /// Which channel and campaign brought a lead, and its score: drawn from the rep's attribution
    /// stream once the lead's fate is known, weighting channels by their conversion lift so that
    /// converting leads come more often from events and phone, less often from social media.
    ///
    /// Scores exist once lead scoring is part of the process (with the person's adoption): about
    /// 68 for leads that convert, 41 for the others, σ 14.
    func attributeLead(for rep: DemoPerson, source: String, at createdAt: Int64, converts: Bool,
                       _ random: inout SeededRandom) -> DemoLeadMarketing {
        var marketing = DemoLeadMarketing.none
        func tilt(_ channel: String) -> Double {
            let lift = DemoCampaignPlan.conversionLift[channel] ?? 1
            let p = DemoCampaignPlan.typicalConversion
            return converts ? lift : max(0, 1 - p * lift) / (1 - p)
        }
        let (channel, attach) = Self.marketingChannel(source: source, &random)
        marketing.channel = channel
        if source == "campaign" {
            let candidates = campaignPlan.responding(region: rep.region, at: createdAt)
            let weighted = candidates.map { ($0.campaign, $0.weight * tilt(campaignPlan.campaigns[$0.campaign].channel)) }
            if let chosen = Self.pickWeighted(weighted, &random) {
                marketing.campaignID = campaignPlan.campaigns[chosen].id
                marketing.channel = campaignPlan.campaigns[chosen].channel
            }
        } else if let channel, attach > 0 {
            let candidates = campaignPlan.responding(region: rep.region, at: createdAt, channel: channel)
            if !candidates.isEmpty, random.chance(min(1, attach * tilt(channel))) {
                marketing.campaignID = campaignPlan.campaigns[random.pick(candidates).campaign].id
            }
        }
        if marketing.campaignID != nil {
            marketing.response = (converts ? Self.responsesOfConverting : Self.responsesOfOthers).sample(&random)
        }
        let adoption = rollout.adoption(at: createdAt, pilot: rep.isPilot)
        if random.chance(adoption) {
            let bonus = marketing.channel == "event" ? 5.0 : marketing.channel == "phone" ? 3 : 0
            let score = random.normal(mean: converts ? 68 : 41, standardDeviation: 14) + bonus
            marketing.score = Int(min(100, max(0, score.rounded())))
        }
        return marketing
    }

    /// An index drawn with probability proportional to its weight; nil when none has weight.
    static func pickWeighted(_ weighted: [(Int, Double)], _ random: inout SeededRandom) -> Int? {
        let total = weighted.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return nil }
        var u = random.unit() * total
        for (index, weight) in weighted {
            if u < weight { return index }
            u -= weight
        }
        return weighted.last?.0
    }

    /// Who each campaign reached: the leads that answered it (from the day loop), and for mailings,
    /// calls, invitations and print the contacts it was sent to — a sample of the region's contacts
    /// that existed when it started — with bounces, unsubscriptions and classified responses.
    mutating func writeCampaignAudiences() throws {
        var random = self.random(.campaignAudiences)
        var responsesByCampaign: [Int64: [DemoCampaignResponse]] = [:]
        for response in campaignResponses { responsesByCampaign[response.campaignID, default: []].append(response) }
        let contacts = book.contacts
        let regions = contacts.map { book.entries[$0.entry].region }
        for campaign in campaignPlan.campaigns {
            if let audience = Self.audiences[campaign.channel] {
                for (index, contact) in contacts.enumerated()
                where regions[index] == campaign.region && contact.createdAt < campaign.startsAt
                    && (audience.reach != .email || contact.hasEmail) && (audience.reach != .phone || contact.hasPhone) {
                    guard random.chance(audience.share) else { continue }
                    try writeAudienceMember(contact, of: campaign, audience, &random)
                }
            }
            for response in responsesByCampaign[campaign.id] ?? [] {
                try writer.campaignMember(campaignID: campaign.id, contactID: nil, leadID: response.leadID,
                                          status: "responded", response: response.response, respondedAt: response.at)
            }
        }
    }

    struct Audience: Sendable {
        enum Reach: Sendable { case email, phone, any }
        var reach: Reach
        /// Share of the eligible contacts targeted.
        var share: Double
        var bounced: Double
        var unsubscribed: Double
        var responded: Double
        var responses: Categorical<String>
    }

    static let audiences: [String: Audience] = [
        "email": Audience(reach: .email, share: 0.10, bounced: 0.04, unsubscribed: 0.01, responded: 0.05,
                          responses: Categorical([("interested", 35.0), ("request_info", 30), ("purchase_intent", 10),
                                                  ("not_interested", 20), ("complaint", 5)])),
        "phone": Audience(reach: .phone, share: 0.04, bounced: 0.06, unsubscribed: 0, responded: 0.15,
                          responses: Categorical([("interested", 30.0), ("request_info", 25), ("purchase_intent", 10),
                                                  ("not_interested", 30), ("complaint", 5)])),
        "event": Audience(reach: .any, share: 0.05, bounced: 0.02, unsubscribed: 0, responded: 0.10,
                          responses: Categorical([("interested", 50.0), ("request_info", 20), ("purchase_intent", 20),
                                                  ("not_interested", 10)])),
        "traditional": Audience(reach: .any, share: 0.06, bounced: 0.03, unsubscribed: 0, responded: 0.02,
                                responses: Categorical([("interested", 40.0), ("request_info", 40), ("purchase_intent", 10),
                                                        ("not_interested", 10)])),
    ]

    /// One targeted contact: still only targeted in a planned campaign; otherwise sent in the
    /// campaign's first days, then bounced, unsubscribed, responded (when that happened before
    /// `end`) or simply sent.
    private mutating func writeAudienceMember(_ contact: DemoAccountBook.ContactRecord, of campaign: DemoCampaign,
                                              _ audience: Audience, _ random: inout SeededRandom) throws {
        guard campaign.status != "planned" else {
            try writer.campaignMember(campaignID: campaign.id, contactID: contact.id, leadID: nil, status: "targeted",
                                      response: nil, respondedAt: nil)
            return
        }
        let sentAt = DemoCalendar.atWork(campaign.startsAt + DemoHistory.seconds(days: random.uniform(0..<5)))
        let u = random.unit()
        var status = "sent"
        var response: String?
        var respondedAt: Int64?
        if u < audience.bounced {
            status = "bounced"
        } else if u < audience.bounced + audience.unsubscribed {
            (status, response) = ("unsubscribed", "unsubscribe")
            respondedAt = sentAt + DemoHistory.seconds(days: random.uniform(0.05..<7))
        } else if u < audience.bounced + audience.unsubscribed + audience.responded {
            (status, response) = ("responded", audience.responses.sample(&random))
            respondedAt = DemoCalendar.atWork(sentAt + DemoHistory.seconds(days: random.logNormal(median: 2, sigma: 0.8)))
        }
        if let at = respondedAt, at >= end || sentAt >= end {
            (status, response, respondedAt) = ("sent", nil, nil)
        }
        if sentAt >= end { status = "targeted" }
        try writer.campaignMember(campaignID: campaign.id, contactID: contact.id, leadID: nil, status: status,
                                  response: response, respondedAt: respondedAt)
    }
}
