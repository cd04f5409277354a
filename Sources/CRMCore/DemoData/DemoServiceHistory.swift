import Foundation

/// The service side of the history: tickets from every channel, their first response against
/// the SLA target of their priority, and their resolution.
extension DemoHistory {
    static let ticketPriorities = Categorical([("urgent", 5.0), ("high", 20), ("normal", 55), ("low", 20)])
    static let ticketTypes = Categorical([("request", 40.0), ("incident", 30), ("question", 22), ("complaint", 8)])
    static let ticketChannels = Categorical([("phone", 30.0), ("email", 25), ("web", 20), ("social", 10),
                                             ("in_person", 8), ("letter", 7)])

    /// Resolution time of each priority relative to the overall median: urgent tickets are
    /// resolved about five times faster than low ones. Divided by the factors' weighted geometric
    /// mean, so the median across priorities stays at `resolutionMedianHours`.
    static let resolutionFactor: [String: Double] = {
        let raw = ["urgent": 0.3, "high": 0.6, "normal": 1.0, "low": 1.6]
        let weights = ["urgent": 0.05, "high": 0.20, "normal": 0.55, "low": 0.20]
        let logMean = raw.keys.reduce(0.0) { $0 + weights[$1]! * log(raw[$1]!) }   // both tables list the same keys
        return raw.mapValues { $0 / exp(logMean) }
    }()

    /// The spread of first-response delays across tickets and people together: the lognormal
    /// median is set from it so that the target share lands within the SLA.
    static let firstResponseSpread = (DemoEffects.firstResponseSigma * DemoEffects.firstResponseSigma
        + DemoEffects.diligenceSigma * DemoEffects.diligenceSigma).squareRoot()

    /// The day's tickets of an agent (or team lead): Poisson, in office hours, scaled by season and growth.
    ///
    /// `knowledge` is the agent's stream for linking knowledge-base articles, kept apart so that
    /// the tickets themselves are drawn exactly as before the articles existed.
    mutating func receiveTickets(for agent: DemoPerson, day: Int64, volume: Double,
                                 _ random: inout SeededRandom, knowledge: inout SeededRandom) throws {
        let rate = agent.role == .serviceLead ? DemoEffects.ticketsPerServiceLeadPerDay : DemoEffects.ticketsPerAgentPerDay
        let count = random.poisson(rate * volume)
        guard count > 0 else { return }
        let arrivals = (0..<count).map { _ in DemoCalendar.officeTime(day: day, &random) }.sorted()
        for createdAt in arrivals where isInHistory(createdAt) {
            try receiveTicket(for: agent, at: createdAt, &random, knowledge: &knowledge)
        }
    }

    /// One ticket, decided when it arrives. The first-response delay is lognormal relative to
    /// the priority's target, with the median that puts 70 % (before the change) or 90 % (after)
    /// of tickets within the target; work not done by `end` stays open.
    mutating func receiveTicket(for agent: DemoPerson, at createdAt: Int64, _ random: inout SeededRandom,
                                knowledge: inout SeededRandom) throws {
        let adoption = rollout.adoption(at: createdAt, pilot: agent.isPilot)
        let priority = Self.ticketPriorities.sample(&random)
        let type = Self.ticketTypes.sample(&random)
        let channel = Self.ticketChannels.sample(&random)
        let subject = random.pick(DemoNames.ticketSubjects[type] ?? ["Customer request"])
        var accountID: Int64?
        var contactID: Int64?
        if random.chance(0.85), let entry = book.randomAccount(inRegion: agent.region, &random) {
            accountID = book.entries[entry].id
            contactID = book.randomContact(of: entry, &random)
        }

        let target = firstResponseMinutes[priority] ?? 480
        let compliance = DemoEffects.firstResponseSLACompliance.value(adoption: adoption, pilot: agent.isPilot)
        let medianShareOfTarget = exp(-standardNormalQuantile(compliance) * Self.firstResponseSpread)
        let shareOfTarget = random.logNormal(median: medianShareOfTarget / agent.diligence,
                                             sigma: DemoEffects.firstResponseSigma)
        let firstResponseAt = createdAt + max(60, Int64((shareOfTarget * target * 60).rounded()))

        let resolutionMedian = DemoEffects.resolutionMedianHours.median(adoption: adoption, pilot: agent.isPilot)
            * (Self.resolutionFactor[priority] ?? 1) / agent.diligence.squareRoot()
        let resolutionHours = random.logNormal(median: resolutionMedian, sigma: DemoEffects.resolutionSigma)
        let resolvedAt = max(createdAt + Self.seconds(hours: resolutionHours), firstResponseAt + 600)

        let status: String
        switch (firstResponseAt < end, resolvedAt < end) {
        case (false, _): status = "open"
        case (true, false): status = "in_progress"
        case (true, true):
            let quiet = resolvedAt + Int64(DemoEffects.closeAfterQuietDays) * DemoCalendar.secondsPerDay
            status = quiet < end ? "closed" : "resolved"
        }
        let ticketID = try writer.ticket(subject: subject, type: type, channel: channel, priority: priority,
                                         status: status, accountID: accountID, contactID: contactID,
                                         assigneeID: agent.id, createdAt: createdAt,
                                         firstResponseAt: firstResponseAt < end ? firstResponseAt : nil,
                                         resolvedAt: resolvedAt < end ? resolvedAt : nil,
                                         clocks: slaPolicy.clocks(priority: priority, createdAt: createdAt))
        try writeStatusHistory(ticketID: ticketID, assignee: agent, createdAt: createdAt,
                               firstResponseAt: firstResponseAt, resolvedAt: resolvedAt, status: status)
        if firstResponseAt < end {
            try linkArticle(ticketID: ticketID, subject: subject, agent: agent, adoption: adoption,
                            answeredAt: firstResponseAt, &knowledge)
        }
    }

    /// The ticket's status history, as its timestamps and status at `end` tell it: opened when
    /// it arrived, in progress at the first response, resolved, and closed by the system after
    /// `closeAfterQuietDays` quiet days. The agent makes every change but the automatic close.
    mutating func writeStatusHistory(ticketID: Int64, assignee: DemoPerson, createdAt: Int64, firstResponseAt: Int64,
                                     resolvedAt: Int64, status: String) throws {
        try writer.ticketStatusChange(ticketID: ticketID, from: nil, to: "open", at: createdAt, by: assignee.id)
        guard firstResponseAt < end else { return }
        try writer.ticketStatusChange(ticketID: ticketID, from: "open", to: "in_progress", at: firstResponseAt,
                                      by: assignee.id)
        guard resolvedAt < end else { return }
        try writer.ticketStatusChange(ticketID: ticketID, from: "in_progress", to: "resolved", at: resolvedAt,
                                      by: assignee.id)
        guard status == "closed" else { return }
        let closedAt = resolvedAt + Int64(DemoEffects.closeAfterQuietDays) * DemoCalendar.secondsPerDay
        try writer.ticketStatusChange(ticketID: ticketID, from: "resolved", to: "closed", at: closedAt, by: nil)
    }
}
