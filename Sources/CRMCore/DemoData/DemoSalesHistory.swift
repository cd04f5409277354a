import Foundation

/// A deal as the generator decides it when the opportunity is created: its amount, whether it
/// will be won, and when it reaches each stage (only the stages reached before `end`).
struct DemoDeal {
    var product: String
    var amountMinor: Int64
    /// The A/B/C classification the deal's size gives a new account.
    var classification: String
    /// Stages reached before `end`, from `prospecting` at creation.
    var path: [(stage: Opportunity.Stage, at: Int64)]
    var closedAt: Int64?
    var expectedCloseOn: String

    var stage: Opportunity.Stage { path[path.count - 1].stage }
    var isWon: Bool { stage == .closedWon }
}

/// The sales side of the history: leads and their first response, conversion into accounts,
/// contacts and opportunities, deals moving through stages, and the reps' daily customer work.
extension DemoHistory {
    static let leadSources = Categorical([("web", 30.0), ("phone", 15), ("email", 12), ("event", 10),
                                          ("referral", 13), ("partner", 8), ("campaign", 12)])
    static let bookStatus = Categorical([("active", 85.0), ("dormant", 12), ("lost", 3)])
    static let bookClassification = Categorical([("A", 15.0), ("B", 35), ("C", 50)])
    static let openStages: [Opportunity.Stage] = [.prospecting, .qualification, .proposal, .negotiation]
    /// The last open stage a lost deal reached before it was lost.
    static let lostAfter = Categorical([(0, 25.0), (1, 30), (2, 30), (3, 15)])

    struct Work: Sendable {
        var kind: Activity.Kind
        var subjects: [String]
        /// Median duration in minutes; nil for e-mails and notes.
        var minutes: Double?
    }

    static let accountWork = Categorical([
        (Work(kind: .call, subjects: ["Customer call", "Check-in call", "Order status call", "Payment reminder call"],
              minutes: 10), 35.0),
        (Work(kind: .visit, subjects: ["Customer visit", "Site visit", "Quarterly business review on site"],
              minutes: 90), 20),
        (Work(kind: .meeting, subjects: ["Review meeting", "Product demonstration", "Planning meeting"],
              minutes: 60), 20),
        (Work(kind: .email, subjects: ["Follow-up e-mail", "Price list sent", "Meeting notes sent"], minutes: nil), 15),
        (Work(kind: .note, subjects: ["Account note", "Competitor information", "Organisation change noted"],
              minutes: nil), 10),
    ])

    // MARK: - The book of business at the start of history

    /// Each rep's existing accounts (1 + Poisson(1) contacts each), entered from the legacy
    /// customer list during the first 20 working days of history.
    mutating func openBooks() throws {
        let entryDays = legacyEntryDays()
        for rep in people where rep.role == .salesRep {
            var random = self.random(.book, of: rep)
            for _ in 0..<random.poisson(DemoEffects.bookAccountsPerRep) {
                let createdAt = DemoCalendar.officeTime(day: random.pick(entryDays), &random)
                let company = DemoNames.company(region: rep.region, &random)
                let status = Self.bookStatus.sample(&random)
                let classification = Self.bookClassification.sample(&random)
                let contacts = 1 + random.poisson(1)
                guard isInHistory(createdAt), createdAt + 1800 < end else { continue }
                let name = book.uniqueName(company.name)
                let accountID = try writer.account(name: name, type: "customer", status: status,
                                                   classification: classification, industry: company.industry,
                                                   region: rep.region, ownerID: rep.id, createdAt: createdAt,
                                                   territoryID: territories.territory(of: company))
                let entry = book.addAccount(id: accountID, name: name, ownerIndex: rep.index, region: rep.region,
                                            company: company, classification: classification, status: status,
                                            customerSince: createdAt, createdAt: createdAt)
                for _ in 0..<contacts {
                    let contactAt = createdAt + Int64(random.int(below: 1800))
                    _ = try newContact(on: entry, owner: rep, createdAt: contactAt, &random)
                }
            }
        }
    }

    /// The first 20 working days of the history, when the legacy customer list is entered.
    func legacyEntryDays() -> [Int64] {
        var entryDays: [Int64] = []
        var day = start.floorDivided(by: DemoCalendar.secondsPerDay)
        while entryDays.count < 20 {
            if DemoCalendar.isWorkingDay(day) { entryDays.append(day) }
            day += 1
        }
        return entryDays
    }

    // MARK: - Leads

    /// The day's new leads of `rep`: Poisson, in office hours, scaled by season and growth.
    ///
    /// `attribution` is the rep's stream for the marketing columns (channel, campaign, score), kept
    /// apart so that the leads themselves are drawn exactly as before those columns existed.
    mutating func receiveLeads(for rep: DemoPerson, day: Int64, volume: Double, _ random: inout SeededRandom,
                               attribution: inout SeededRandom) throws {
        let count = random.poisson(DemoEffects.leadsPerRepPerDay * volume)
        guard count > 0 else { return }
        let arrivals = (0..<count).map { _ in DemoCalendar.officeTime(day: day, &random) }.sorted()
        for createdAt in arrivals where isInHistory(createdAt) {
            try receiveLead(for: rep, at: createdAt, &random, attribution: &attribution)
        }
    }

    /// One lead's whole life, decided when it arrives: first response, further touches, and
    /// conversion (account, contact and opportunity) or disqualification.
    mutating func receiveLead(for rep: DemoPerson, at createdAt: Int64, _ random: inout SeededRandom,
                              attribution: inout SeededRandom) throws {
        let adoption = rollout.adoption(at: createdAt, pilot: rep.isPilot)
        let company = DemoNames.company(region: rep.region, &random)
        let person = DemoNames.personName(&random)
        let email = random.chance(0.8)
            ? "\(DemoNames.mailbox(surname: person.surname, given: person.given))@\(company.domain)" : nil
        let phone = random.chance(0.7) ? DemoNames.mobileNumber(&random) : nil
        let source = Self.leadSources.sample(&random)

        let unansweredShare = DemoEffects.unansweredLeadShare.value(adoption: adoption, pilot: rep.isPilot)
        let answered = !random.chance(unansweredShare)
        let responseMedian = DemoEffects.leadResponseMedianHours.median(adoption: adoption, pilot: rep.isPilot)
            / rep.diligence
        let responseHours = random.logNormal(median: responseMedian, sigma: DemoEffects.leadResponseSigma)
        let respondedAt = createdAt + max(300, Self.seconds(hours: responseHours))
        // The target share is of all decided leads; unanswered ones never convert.
        let conversionShare = DemoEffects.leadConversion.value(adoption: adoption, pilot: rep.isPilot)
            / (1 - unansweredShare) * rep.diligence.squareRoot()
        let converts = answered && random.chance(min(0.9, conversionShare))
        let decidedAt: Int64
        if !answered {
            decidedAt = DemoCalendar.atWork(createdAt + Self.seconds(
                days: random.logNormal(median: DemoEffects.daysToDropUnanswered, sigma: 0.3)))
        } else if converts {
            decidedAt = DemoCalendar.atWork(respondedAt + Self.seconds(
                days: random.logNormal(median: DemoEffects.daysToConversion, sigma: 0.6)))
        } else {
            decidedAt = DemoCalendar.atWork(respondedAt + Self.seconds(
                days: random.logNormal(median: DemoEffects.daysToDisqualification, sigma: 0.7)))
        }
        let decided = decidedAt < end

        // A conversion creates the account, its first contact and the opportunity at once.
        var conversion: (entry: Int, contactID: Int64, deal: DemoDeal)?
        if converts && decided {
            let deal = planDeal(for: rep, createdAt: decidedAt, &random)
            let name = book.uniqueName(company.name)
            let accountID = try writer.account(name: name, type: deal.isWon ? "customer" : "prospect", status: "active",
                                               classification: deal.classification, industry: company.industry,
                                               region: rep.region, ownerID: rep.id, createdAt: decidedAt,
                                               territoryID: territories.territory(of: company))
            let entry = book.addAccount(id: accountID, name: name, ownerIndex: rep.index, region: rep.region,
                                        company: company, classification: deal.classification, status: "active",
                                        customerSince: deal.isWon ? deal.closedAt : nil, createdAt: decidedAt)
            let contactID = try newContact(on: entry, owner: rep, name: person, knownEmail: email,
                                           createdAt: decidedAt, &random)
            conversion = (entry, contactID, deal)
        }

        let qualifiedAt = respondedAt + (decidedAt - respondedAt) / 2
        let status: Lead.Status
        if decided {
            status = converts ? .converted : .disqualified
        } else if converts && qualifiedAt < end {
            status = .qualified
        } else if answered && respondedAt < end {
            status = .contacted
        } else {
            status = .new
        }
        let marketing = attributeLead(for: rep, source: source, at: createdAt, converts: converts, &attribution)
        let leadID = try writer.lead(name: "\(person.surname) \(person.given)", company: company.name, email: email,
                                     phone: phone, source: source, status: status, ownerID: rep.id,
                                     createdAt: createdAt, convertedAt: status == .converted ? decidedAt : nil,
                                     convertedAccountID: conversion.map { book.entries[$0.entry].id },
                                     disqualifiedAt: status == .disqualified ? decidedAt : nil, marketing: marketing,
                                     convertedContactID: conversion?.contactID)
        if let response = marketing.response, let campaignID = marketing.campaignID {
            campaignResponses.append(DemoCampaignResponse(campaignID: campaignID, leadID: leadID, response: response,
                                                          at: createdAt))
        }

        if answered && respondedAt < end {
            let byPhone = random.chance(0.55)
            try writer.activity(kind: byPhone ? .call : .email, subject: byPhone ? "First call" : "Introduction e-mail",
                                ownerID: rep.id, leadID: leadID, at: respondedAt,
                                durationMinutes: byPhone ? Self.minutes(median: 8, &random) : nil)
            var touchAt = respondedAt
            let touches = random.poisson(converts ? DemoEffects.extraTouchesConverting : DemoEffects.extraTouchesOther)
            for _ in 0..<touches {
                touchAt = DemoCalendar.atWork(touchAt + Self.seconds(days: random.logNormal(median: 2.5, sigma: 0.7)))
                guard touchAt < decidedAt, touchAt < end else { break }
                if converts && random.chance(0.4) {
                    try writer.activity(kind: .meeting, subject: "Needs analysis meeting", ownerID: rep.id, leadID: leadID,
                                        at: touchAt, durationMinutes: Self.minutes(median: 60, &random))
                } else if random.chance(0.5) {
                    try writer.activity(kind: .call, subject: "Follow-up call", ownerID: rep.id, leadID: leadID,
                                        at: touchAt, durationMinutes: Self.minutes(median: 8, &random))
                } else {
                    try writer.activity(kind: .email, subject: "Follow-up e-mail", ownerID: rep.id, leadID: leadID,
                                        at: touchAt, durationMinutes: nil)
                }
            }
        }

        if let conversion {
            let opportunityID = try writeDeal(conversion.deal, entry: conversion.entry, contactID: conversion.contactID,
                                              leadID: leadID, campaignID: marketing.campaignID, owner: rep, &random)
            try writer.linkConvertedOpportunity(leadID: leadID, opportunityID: opportunityID)
        }
    }

    // MARK: - Opportunities

    /// Decides a deal created at `createdAt` by `rep`: amount, outcome, and the dates of its stages.
    func planDeal(for rep: DemoPerson, createdAt: Int64, _ random: inout SeededRandom) -> DemoDeal {
        let adoption = rollout.adoption(at: createdAt, pilot: rep.isPilot)
        let product = random.pick(DemoNames.opportunityProducts)
        let major = max(5_000, (random.logNormal(median: DemoEffects.opportunityMedianAmount,
                                                 sigma: DemoEffects.opportunityAmountSigma) / 100).rounded() * 100)
        let classification = major >= 200_000 ? "A" : major >= 60_000 ? "B" : "C"
        let winShare = DemoEffects.winRate.value(adoption: adoption, pilot: rep.isPilot) * rep.diligence.squareRoot()
        let wins = random.chance(min(0.9, winShare))
        let cycleMedian = DemoEffects.salesCycleMedianDays.median(adoption: adoption, pilot: rep.isPilot)
        let cycle = random.logNormal(median: cycleMedian, sigma: DemoEffects.salesCycleSigma)

        let stages: [Opportunity.Stage]
        let days: Double
        if wins {
            stages = [.qualification, .proposal, .negotiation, .closedWon]
            days = cycle
        } else {
            let lastOpen = Self.lostAfter.sample(&random)
            stages = Array(Self.openStages[1..<(lastOpen + 1)]) + [.closedLost]
            days = cycle * random.uniform(0.5..<1.1)   // lost deals tend to end sooner
        }
        // Each step takes a random share of the cycle; the close lands at its end.
        let steps = stages.map { _ in random.uniform(0.5..<1.5) }
        let total = steps.reduce(0, +)
        var elapsed = 0.0
        var path: [(stage: Opportunity.Stage, at: Int64)] = [(.prospecting, createdAt)]
        var closedAt: Int64?
        for (stage, step) in zip(stages, steps) {
            elapsed += step
            let at = max(path[path.count - 1].at,
                         DemoCalendar.atWork(createdAt + Self.seconds(days: days * elapsed / total)))
            guard at < end else { break }
            path.append((stage, at))
            if stage == .closedWon || stage == .closedLost { closedAt = at }
        }
        let expectedClose = createdAt + Self.seconds(days: random.logNormal(median: cycleMedian * 0.9, sigma: 0.3))
        return DemoDeal(product: product, amountMinor: Int64((major * minorUnitsPerMajor).rounded()),
                        classification: classification, path: path, closedAt: closedAt,
                        expectedCloseOn: Timestamp(secondsSinceEpoch: expectedClose).dateString)
    }

    /// Writes a deal: the opportunity in its stage at `end`, one stage change per step, and the
    /// call, proposal, meeting or visit that moved it. The deal is remembered for its quotation
    /// and order (`DemoOrderHistory`); returns the opportunity's id.
    @discardableResult
    mutating func writeDeal(_ deal: DemoDeal, entry: Int, contactID: Int64?, leadID: Int64?, campaignID: Int64? = nil,
                            owner: DemoPerson, _ random: inout SeededRandom) throws -> Int64 {
        let account = book.entries[entry]
        let opportunityID = try writer.opportunity(name: "\(account.name): \(deal.product)", accountID: account.id,
                                                   leadID: leadID, stage: deal.stage, amountMinor: deal.amountMinor,
                                                   ownerID: owner.id, createdAt: deal.path[0].at,
                                                   expectedCloseOn: deal.expectedCloseOn, closedAt: deal.closedAt,
                                                   campaignID: campaignID)
        deals.append(DemoDealRecord(opportunityID: opportunityID, entry: entry, ownerIndex: owner.index,
                                    contactID: contactID, deal: deal))
        var previous: Opportunity.Stage?
        for step in deal.path {
            try writer.stageChange(opportunityID: opportunityID, from: previous, to: step.stage, at: step.at, by: owner.id)
            previous = step.stage
            let work: (kind: Activity.Kind, subject: String, minutes: Double?)
            switch step.stage {
            case .prospecting: continue
            case .qualification: work = (.call, "Qualification call", 20)
            case .proposal: work = (.email, "Proposal sent", nil)
            case .negotiation: work = (.meeting, "Negotiation meeting", 60)
            case .closedWon: work = (.visit, "Contract signing", 90)
            case .closedLost: work = (.note, "Deal lost: reason recorded", nil)
            }
            try writer.activity(kind: work.kind, subject: work.subject, ownerID: owner.id, accountID: account.id,
                                contactID: contactID, opportunityID: opportunityID, at: step.at,
                                durationMinutes: work.minutes.map { Self.minutes(median: $0, &random) })
        }
        return opportunityID
    }

    // MARK: - Contacts and daily customer work

    /// A contact on an account. Title, e-mail and phone are each filled in with the probability
    /// of the owner's current process (65 % before the change, 92 % after).
    mutating func newContact(on entry: Int, owner: DemoPerson, name: (surname: String, given: String)? = nil,
                             knownEmail: String? = nil, createdAt: Int64, _ random: inout SeededRandom) throws -> Int64 {
        let adoption = rollout.adoption(at: createdAt, pilot: owner.isPilot)
        let filled = min(0.99, DemoEffects.contactFieldFilled.value(adoption: adoption, pilot: owner.isPilot)
                         * pow(owner.diligence, 0.3))
        let person = name ?? DemoNames.personName(&random)
        let title = random.chance(filled) ? random.pick(DemoNames.contactTitles) : nil
        let email = random.chance(filled)
            ? knownEmail ?? "\(DemoNames.mailbox(surname: person.surname, given: person.given))@\(book.entries[entry].domain)"
            : nil
        let phone = random.chance(filled) ? DemoNames.mobileNumber(&random) : nil
        let contactID = try writer.contact(accountID: book.entries[entry].id, name: "\(person.surname) \(person.given)",
                                           title: title, email: email, phone: phone, ownerID: owner.id,
                                           createdAt: createdAt)
        book.addContact(contactID, toEntry: entry, createdAt: createdAt, hasEmail: email != nil, hasPhone: phone != nil)
        return contactID
    }

    /// A rep's day on existing accounts: now and then a new deal or a new contact, and the calls,
    /// visits, meetings, e-mails and notes that get logged (more of them once the CRM is where
    /// work is recorded).
    mutating func workAccounts(for rep: DemoPerson, day: Int64, volume: Double, _ random: inout SeededRandom) throws {
        let noon = day * DemoCalendar.secondsPerDay + 12 * 3600
        let adoption = rollout.adoption(at: noon, pilot: rep.isPilot)

        if random.chance(DemoEffects.accountOpportunitiesPerRepPerDay * volume),
           let entry = book.randomAccount(ownedBy: rep.index, &random) {
            let createdAt = DemoCalendar.officeTime(day: day, &random)
            if isInHistory(createdAt) {
                let deal = planDeal(for: rep, createdAt: createdAt, &random)
                let contactID = book.randomContact(of: entry, &random)
                try writeDeal(deal, entry: entry, contactID: contactID, leadID: nil, owner: rep, &random)
                if deal.isWon, let closedAt = deal.closedAt {
                    if !book.entries[entry].isCustomer {
                        try writer.markCustomer(accountID: book.entries[entry].id)
                    }
                    book.recordWin(entry: entry, closedAt: closedAt)
                }
            }
        }

        if random.chance(DemoEffects.prospectingContactsPerRepPerDay * volume),
           let entry = book.randomAccount(ownedBy: rep.index, &random) {
            let createdAt = DemoCalendar.officeTime(day: day, &random)
            if isInHistory(createdAt) {
                _ = try newContact(on: entry, owner: rep, createdAt: createdAt, &random)
            }
        }

        let logged = DemoEffects.loggedActivityFactor.value(adoption: adoption, pilot: rep.isPilot)
        for _ in 0..<random.poisson(DemoEffects.accountActivitiesPerRepPerDay * volume * logged) {
            guard let entry = book.randomAccount(ownedBy: rep.index, &random) else { break }
            let at = DemoCalendar.officeTime(day: day, &random)
            let contactID = random.chance(0.85) ? book.randomContact(of: entry, &random) : nil
            let work = Self.accountWork.sample(&random)
            let subject = random.pick(work.subjects)
            let minutes = work.minutes.map { Self.minutes(median: $0, &random) }
            guard isInHistory(at) else { continue }
            try writer.activity(kind: work.kind, subject: subject, ownerID: rep.id, accountID: book.entries[entry].id,
                                contactID: contactID, at: at, durationMinutes: minutes)
        }
    }

    /// A sales manager's day: pipeline reviews with the team and joint visits to the region's customers.
    mutating func manageTeam(for manager: DemoPerson, day: Int64, volume: Double, _ random: inout SeededRandom) throws {
        for _ in 0..<random.poisson(DemoEffects.managerActivitiesPerDay * volume) {
            let at = DemoCalendar.officeTime(day: day, &random)
            if random.chance(0.5), let entry = book.randomAccount(inRegion: manager.region, &random) {
                let contactID = book.randomContact(of: entry, &random)
                let minutes = Self.minutes(median: 120, &random)
                guard isInHistory(at) else { continue }
                try writer.activity(kind: .visit, subject: "Joint customer visit", ownerID: manager.id,
                                    accountID: book.entries[entry].id, contactID: contactID, at: at,
                                    durationMinutes: minutes)
            } else {
                let minutes = Self.minutes(median: 45, &random)
                guard isInHistory(at) else { continue }
                try writer.activity(kind: .meeting, subject: "Pipeline review", ownerID: manager.id, at: at,
                                    durationMinutes: minutes)
            }
        }
    }

    /// A duration in whole minutes around `median` (lognormal, σ 0.4), at least one.
    static func minutes(median: Double, _ random: inout SeededRandom) -> Int {
        max(1, Int(random.logNormal(median: median, sigma: 0.4).rounded()))
    }
}
