import Foundation

/// A deal as written, remembered for its quotation, order and contract.
struct DemoDealRecord: Sendable {
    let opportunityID: Int64
    let entry: Int
    let ownerIndex: Int
    let contactID: Int64?
    let deal: DemoDeal
}

/// What customers bought: a quotation for most deals that reached the proposal stage, an order
/// for every deal won, and reorders from every customer over the history; the equipment
/// delivered and installed; and the deliveries and installations in people's calendars.
///
/// Customers differ as much as they do in real life: each has an annual value drawn from a
/// Pareto distribution (shape 1.1, so about a fifth of the customers bring four fifths of their
/// reorders), scaled by the account's class, and orders more often the more it buys.
extension DemoHistory {
    /// Annual reorder value of a class-C-sized customer at the Pareto minimum, in major units.
    static let reorderValueMinimum = 12_000.0
    static let reorderValueShape = 1.1
    /// No customer buys more than this many times the minimum (the Pareto tail is unbounded).
    static let reorderValueCap = 500.0
    static let classValueFactor = ["A": 4.0, "B": 1.5, "C": 0.5]
    /// The small customers of the `large` customer base buy less than the book's companies.
    static let customerBaseValueFactor = 0.35
    /// Orders a year: `base + perRoot × √(value / class minimum)`, at most `maximum`.
    static let reorderFrequency = (base: 0.75, perRoot: 1.15, maximum: 36.0)
    static let quotationDiscounts = Categorical([(0.0, 30.0), (3, 20), (5, 25), (8, 15), (10, 7), (12, 3)])
    /// China's standard VAT rate, shown on quotations; order totals are net.
    static let vatPercent = 13.0

    struct QuotationPlan {
        var createdAt: Int64
        var entry: Int
        var opportunityID: Int64
        var ownerID: Int64
        var status: String
        var discount: Double
        var validUntilOn: String
        var lines: Range<Int>
        var sequence: Int
    }

    struct OrderPlan {
        var orderedAt: Int64
        var deliveredAt: Int64
        var entry: Int
        var opportunityID: Int64?
        /// Index into the quotation plans.
        var quotation: Int?
        var discount: Double
        var lines: Range<Int>
        var cancelled: Bool
        var sequence: Int
    }

    /// Plans and writes quotations, orders, their lines and the install base, then links device
    /// tickets to installed units.
    mutating func writeOrderHistory() throws {
        var quotationLines: [DemoCatalogue.Line] = []
        var orderLines: [DemoCatalogue.Line] = []
        var quotations: [QuotationPlan] = []
        var orders: [OrderPlan] = []
        let months = calendar.months(from: start, to: end)
        let dealsByOwner = Dictionary(grouping: deals.indices) { deals[$0].ownerIndex }
        let entriesByOwner = Dictionary(grouping: book.entries.indices) { book.entries[$0].ownerIndex }

        for rep in people where rep.role == .salesRep {
            var random = self.random(.orders, of: rep)
            for index in dealsByOwner[rep.index] ?? [] {
                let record = deals[index]
                let deal = record.deal
                var quotation: Int?
                var discount = 0.0
                let basket = DemoCatalogue.dealBaskets[deal.product] ?? DemoCatalogue.reorderBasket
                if let proposal = deal.path.first(where: { $0.stage == .proposal }), random.chance(0.85) {
                    discount = Self.quotationDiscounts.sample(&random)
                    let target = Int64((Double(deal.amountMinor) / (1 - discount / 100)).rounded())
                    let first = quotationLines.count
                    quotationLines += catalogue.lines(for: basket, targetMinor: target, &random)
                    let validUntil = Timestamp(secondsSinceEpoch: proposal.at).adding(days: 30)
                    let status: String
                    if deal.isWon {
                        status = "accepted"
                    } else if deal.stage == .closedLost {
                        status = random.chance(0.75) ? "rejected" : "expired"
                    } else {
                        status = validUntil.secondsSinceEpoch < end ? "expired" : "sent"
                    }
                    quotation = quotations.count
                    quotations.append(QuotationPlan(createdAt: proposal.at, entry: record.entry,
                                                    opportunityID: record.opportunityID, ownerID: rep.id, status: status,
                                                    discount: discount, validUntilOn: validUntil.dateString,
                                                    lines: first..<quotationLines.count, sequence: quotations.count))
                }
                guard deal.isWon, let closedAt = deal.closedAt else { continue }
                let orderedAt = DemoCalendar.atWork(closedAt + Self.seconds(days: random.uniform(0..<2)))
                let deliveredAt = DemoCalendar.atWork(orderedAt + Self.seconds(days: random.logNormal(median: 5, sigma: 0.5)))
                let first = orderLines.count
                if let quotation {
                    orderLines += quotationLines[quotations[quotation].lines]
                } else {
                    orderLines += catalogue.lines(for: basket, targetMinor: deal.amountMinor, &random)
                }
                guard orderedAt < end else {
                    orderLines.removeSubrange(first...)
                    continue
                }
                orders.append(OrderPlan(orderedAt: orderedAt, deliveredAt: deliveredAt, entry: record.entry,
                                        opportunityID: record.opportunityID, quotation: quotation, discount: discount,
                                        lines: first..<orderLines.count, cancelled: false, sequence: orders.count))
            }
            for entry in entriesByOwner[rep.index] ?? [] where book.entries[entry].customerSince != nil {
                planReorders(of: entry, months: months, orders: &orders, lines: &orderLines, &random)
            }
        }

        var quotationIDs = Array(repeating: Int64(0), count: quotations.count)
        for plan in quotations.sorted(by: { ($0.createdAt, $0.sequence) < ($1.createdAt, $1.sequence) }) {
            let id = try writer.quotation(accountID: book.entries[plan.entry].id, opportunityID: plan.opportunityID,
                                          ownerID: plan.ownerID, status: plan.status, discountPercent: plan.discount,
                                          taxPercent: Self.vatPercent, validUntilOn: plan.validUntilOn,
                                          createdAt: plan.createdAt)
            quotationIDs[plan.sequence] = id
            for (position, line) in quotationLines[plan.lines].enumerated() {
                let product = catalogue.products[line.product]
                try writer.quotationLine(quotationID: id, position: position + 1, productID: product.id,
                                         description: product.name, quantity: line.quantity,
                                         unitPriceMinor: product.priceMinor)
            }
        }

        var installations = self.random(.installations)
        let agents = Dictionary(grouping: people.filter { $0.role == .serviceAgent }) { $0.region }
        for plan in orders.sorted(by: { ($0.orderedAt, $0.sequence) < ($1.orderedAt, $1.sequence) }) {
            try writeOrder(plan, lines: orderLines[plan.lines], quotationID: plan.quotation.map { quotationIDs[$0] },
                           installers: agents[book.entries[plan.entry].region] ?? [], &installations)
        }
        try linkDeviceTickets()
    }

    /// Ticket subjects about a device, linked to one of the account's installed units.
    static let deviceTicketSubjects = ["Device does not start", "Machine stops during operation",
                                       "Error message during installation", "Schedule a maintenance visit"]

    /// A ticket about a device names one of its account's units installed before the ticket
    /// arrived (chosen by the ticket's id, so no draw is needed), where the account has one.
    mutating func linkDeviceTickets() throws {
        for ticket in try writer.ticketsAbout(subjects: Self.deviceTicketSubjects) {
            guard let units = installedUnits[ticket.accountID] else { continue }
            let before = units.filter { $0.installedAt < ticket.createdAt }
            guard !before.isEmpty else { continue }
            try writer.setInstallBase(before[Int(ticket.id % Int64(before.count))].id, ofTicket: ticket.id)
        }
    }

    /// A customer's annual value, major units: Pareto above its class's minimum, capped.
    func reorderValue(of entry: DemoAccountBook.Entry, _ random: inout SeededRandom) -> Double {
        let minimum = Self.reorderValueMinimum * (Self.classValueFactor[entry.classification] ?? 1)
            * (entry.isCustomerBase ? Self.customerBaseValueFactor : 1)
        return min(Self.reorderValueCap * minimum, random.pareto(minimum: minimum, shape: Self.reorderValueShape))
    }

    /// The reorders of one customer: a Poisson number a month at its frequency (times the month's
    /// volume), from when it started buying until `end` — or until it went quiet (dormant) or left
    /// (lost) — each worth its annual value over its frequency, lognormal σ 0.5.
    mutating func planReorders(of entry: Int, months: [DemoCalendar.Month],
                               orders: inout [OrderPlan], lines: inout [DemoCatalogue.Line],
                               _ random: inout SeededRandom) {
        let account = book.entries[entry]
        guard let since = account.customerSince else { return }
        let value = reorderValue(of: account, &random)
        reorderValues[entry] = value
        let minimum = Self.reorderValueMinimum * (Self.classValueFactor[account.classification] ?? 1)
            * (account.isCustomerBase ? Self.customerBaseValueFactor : 1)
        let frequency = min(Self.reorderFrequency.maximum,
                            Self.reorderFrequency.base + Self.reorderFrequency.perRoot * (value / minimum).squareRoot())
        // Won customers reorder a month after their first order; the book from its first day in the CRM.
        let from = since + (since == account.createdAt ? DemoCalendar.secondsPerDay : 30 * DemoCalendar.secondsPerDay)
        var until = end
        switch account.status {
        case "dormant":
            until = end - Self.seconds(days: random.uniform(120..<365))
        case "lost":
            until = from + Int64(Double(max(0, end - 90 * DemoCalendar.secondsPerDay - from)) * random.uniform(0.2..<0.8))
        default:
            break
        }
        guard from < until else { return }
        for month in months where month.end > from && month.start < until {
            let periodStart = max(month.start, from)
            let periodEnd = min(month.end, until)
            let years = Double(periodEnd - periodStart) / (365.25 * Double(DemoCalendar.secondsPerDay))
            for _ in 0..<random.poisson(frequency * years * month.volume) {
                let instant = periodStart + Int64(random.unit() * Double(periodEnd - periodStart))
                let orderedAt = DemoCalendar.atWork(DemoCalendar.officeTime(
                    day: instant.floorDivided(by: DemoCalendar.secondsPerDay), &random))
                let target = value / frequency * random.logNormal(median: 1, sigma: 0.5) * minorUnitsPerMajor
                let cancelled = random.chance(0.02)
                let deliveredAt = DemoCalendar.atWork(orderedAt + Self.seconds(days: random.logNormal(median: 4,
                                                                                                     sigma: 0.5)))
                let first = lines.count
                lines += catalogue.lines(for: DemoCatalogue.reorderBasket, targetMinor: Int64(target.rounded()), &random)
                guard orderedAt < until, orderedAt < end, orderedAt > account.createdAt else {
                    lines.removeSubrange(first...)
                    continue
                }
                orders.append(OrderPlan(orderedAt: orderedAt, deliveredAt: deliveredAt, entry: entry, opportunityID: nil,
                                        quotation: nil, discount: 0, lines: first..<lines.count, cancelled: cancelled,
                                        sequence: orders.count))
            }
        }
    }

    /// One order and its lines at the net price (the quotation's discount applied); a fulfilled
    /// order's equipment is delivered by the account's rep and installed by an agent of the region.
    mutating func writeOrder(_ plan: OrderPlan, lines: ArraySlice<DemoCatalogue.Line>, quotationID: Int64?,
                             installers agents: [DemoPerson], _ random: inout SeededRandom) throws {
        let account = book.entries[plan.entry]
        let owner = people[account.ownerIndex]
        let netFactor = 1 - plan.discount / 100
        var total: Int64 = 0
        var cost: Int64 = 0
        for line in lines {
            let product = catalogue.products[line.product]
            total += Int64(line.quantity) * Int64((Double(product.priceMinor) * netFactor).rounded())
            cost += Int64(line.quantity) * product.costMinor
        }
        let status = plan.cancelled ? "cancelled" : plan.deliveredAt < end ? "fulfilled" : "open"
        let orderID = try writer.order(accountID: account.id, quotationID: quotationID, opportunityID: plan.opportunityID,
                                       ownerID: owner.id, status: status, orderedAt: plan.orderedAt, totalMinor: total,
                                       costMinor: cost)
        for line in lines {
            let product = catalogue.products[line.product]
            try writer.orderLine(orderID: orderID, productID: product.id, quantity: line.quantity,
                                 unitPriceMinor: Int64((Double(product.priceMinor) * netFactor).rounded()),
                                 unitCostMinor: product.costMinor)
        }
        guard status == "fulfilled" else { return }
        let equipment = lines.filter { catalogue.products[$0.product].group == .equipment }
        guard !equipment.isEmpty else { return }

        let deliverySlot = Self.slot(day: plan.deliveredAt, from: 10, hours: 5, &random)
        if deliverySlot > plan.orderedAt, deliverySlot + 3600 < end {
            let number = DemoRowWriter.documentNumber(prefix: "SO", at: plan.orderedAt, id: orderID)
            appointments.plan(.init(personIndex: owner.index, userID: owner.id, kind: "delivery",
                                    title: "Delivery of order \(number)", accountID: account.id, contactID: nil,
                                    location: account.city, startsAt: deliverySlot, endsAt: deliverySlot + 3600,
                                    status: "done", notes: nil, createdAt: plan.orderedAt))
        }
        let installedAt = DemoCalendar.atWork(plan.deliveredAt + Self.seconds(days: random.uniform(1..<5)))
        guard installedAt < end else { return }
        let installedOn = Timestamp(secondsSinceEpoch: installedAt).startOfDay
        let warrantyEnds = installedOn.adding(months: 24).adding(days: -1).dateString
        for line in equipment {
            let product = catalogue.products[line.product]
            for _ in 0..<line.quantity {
                let u = random.unit()
                let old = end - installedAt > 365 * DemoCalendar.secondsPerDay
                let status = old && u < 0.04 ? "retired" : u > 0.98 ? "in_repair" : "active"
                let unit = try writer.installBase(accountID: account.id, productID: product.id, sku: product.sku,
                                                  installedOn: installedOn, warrantyEndsOn: warrantyEnds,
                                                  location: "\(account.city), customer site", status: status)
                installedUnits[account.id, default: []].append((unit, installedOn.secondsSinceEpoch))
            }
            guard !agents.isEmpty else { continue }
            let agent = random.pick(agents)
            let startsAt = Self.slot(day: installedAt, from: 9, hours: 5, &random)
            let endsAt = startsAt + 3600 * Int64(2 + random.int(below: 3))
            guard startsAt > plan.orderedAt, endsAt < end else { continue }
            appointments.plan(.init(personIndex: agent.index, userID: agent.id, kind: "installation",
                                    title: "Installation: \(line.quantity) × \(product.name)", accountID: account.id,
                                    contactID: nil, location: account.city, startsAt: startsAt, endsAt: endsAt,
                                    status: "done", notes: nil, createdAt: plan.orderedAt))
        }
    }

    /// A start on the half hour between `from` o'clock and `from + hours` on the day of `instant`.
    static func slot(day instant: Int64, from: Int64, hours: Int, _ random: inout SeededRandom) -> Int64 {
        instant.floorDivided(by: DemoCalendar.secondsPerDay) * DemoCalendar.secondsPerDay + from * 3600
            + Int64(random.int(below: 2 * hours)) * 1800
    }
}
