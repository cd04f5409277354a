import GRDB

/// The prepared statements for the tables `crm.v2.complete` added, one per table, as
/// `DemoRowWriter` has for the core tables.
struct DemoCompleteStatements {
    let territory: BulkStatement
    let userRole: BulkStatement
    let linkConvertedOpportunity: BulkStatement
    let ticketStatusChange: BulkStatement
    let businessCalendar: BulkStatement
    let calendarDay: BulkStatement
    let product: BulkStatement
    let commissionRule: BulkStatement
    let kbArticle: BulkStatement
    let ticketArticle: BulkStatement
    let campaign: BulkStatement
    let campaignMember: BulkStatement
    let followUp: BulkStatement
    let contract: BulkStatement
    let quotation: BulkStatement
    let quotationLine: BulkStatement
    let order: BulkStatement
    let orderLine: BulkStatement
    let installBase: BulkStatement
    let appointment: BulkStatement
    let deviceTickets: Statement
    let setTicketInstallBase: BulkStatement

    init(_ db: Database) throws {
        territory = try BulkStatement(db, sql: "INSERT INTO territories (id, name, parent_id) VALUES (?, ?, ?)")
        userRole = try BulkStatement(db, sql: "INSERT INTO user_roles (user_id, role) VALUES (?, ?)")
        linkConvertedOpportunity = try BulkStatement(db, sql: "UPDATE leads SET converted_opportunity_id = ? WHERE id = ?")
        ticketStatusChange = try BulkStatement(db, sql: """
            INSERT INTO ticket_status_changes (id, ticket_id, from_status, to_status, changed_at, changed_by)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        businessCalendar = try BulkStatement(db, sql: """
            INSERT INTO business_calendars (id, name, time_zone, hours) VALUES (?, ?, ?, ?)
            """)
        calendarDay = try BulkStatement(db, sql: """
            INSERT INTO calendar_days (calendar_id, day, kind, name) VALUES (?, ?, ?, ?)
            """)
        product = try BulkStatement(db, sql: """
            INSERT INTO products (id, sku, name, family, unit_price_minor, unit_cost_minor, currency, active)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1)
            """)
        commissionRule = try BulkStatement(db, sql: """
            INSERT INTO commission_rules (id, name, user_id, job_role, basis, rate_percent, valid_from_on, valid_to_on)
            VALUES (?, ?, NULL, ?, ?, ?, ?, NULL)
            """)
        kbArticle = try BulkStatement(db, sql: """
            INSERT INTO kb_articles (id, title, body, tags, status, author_id, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        ticketArticle = try BulkStatement(db, sql: """
            INSERT INTO ticket_articles (ticket_id, article_id, linked_by, linked_at) VALUES (?, ?, ?, ?)
            """)
        campaign = try BulkStatement(db, sql: """
            INSERT INTO campaigns (id, name, channel, status, budget_minor, actual_cost_minor, currency, starts_on,
                                   ends_on, owner_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        campaignMember = try BulkStatement(db, sql: """
            INSERT INTO campaign_members (id, campaign_id, contact_id, lead_id, status, response, responded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        followUp = try BulkStatement(db, sql: """
            INSERT INTO follow_ups (id, account_id, contact_id, user_id, at, channel, summary, next_step, next_on)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        contract = try BulkStatement(db, sql: """
            INSERT INTO contracts (id, number, account_id, title, status, value_minor, currency, starts_on, ends_on,
                                   signed_at, owner_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        quotation = try BulkStatement(db, sql: """
            INSERT INTO quotations (id, number, account_id, opportunity_id, owner_id, status, currency, discount_percent,
                                    tax_percent, valid_until_on, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        quotationLine = try BulkStatement(db, sql: """
            INSERT INTO quotation_lines (id, quotation_id, position, product_id, description, quantity, unit_price_minor,
                                         discount_percent)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0)
            """)
        order = try BulkStatement(db, sql: """
            INSERT INTO orders (id, number, account_id, quotation_id, opportunity_id, owner_id, status, ordered_at,
                                total_minor, cost_minor, currency)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        orderLine = try BulkStatement(db, sql: """
            INSERT INTO order_lines (id, order_id, product_id, quantity, unit_price_minor, unit_cost_minor)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        installBase = try BulkStatement(db, sql: """
            INSERT INTO install_base (id, account_id, product_id, serial_number, installed_on, warranty_ends_on, location,
                                      status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        appointment = try BulkStatement(db, sql: """
            INSERT INTO appointments (id, uid, user_id, kind, title, account_id, contact_id, location, starts_at, ends_at,
                                      status, notes, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        deviceTickets = try db.makeStatement(sql: """
            SELECT id, account_id, created_at FROM tickets
            WHERE account_id IS NOT NULL AND subject IN (SELECT value FROM json_each(?))
            ORDER BY id
            """)
        setTicketInstallBase = try BulkStatement(db, sql: "UPDATE tickets SET install_base_id = ? WHERE id = ?")
    }
}

/// Rows of the tables `crm.v2.complete` added: territories and roles, the business calendar,
/// the catalogue, marketing, follow-ups, contracts, quotations, orders, the install base, the
/// knowledge base and appointments. Ids are assigned here, as for the core tables.
extension DemoRowWriter {
    mutating func territory(name: String, parentID: Int64?) throws -> Int64 {
        summary.territories += 1
        let id = Int64(summary.territories)
        try complete.territory.execute(id, name, parentID)
        return id
    }

    mutating func userRole(userID: Int64, role: String) throws {
        summary.userRoles += 1
        try complete.userRole.execute(userID, role)
    }

    /// A converted lead points at the opportunity written after it (the opportunity refers to
    /// the lead, so one of the two must be updated).
    func linkConvertedOpportunity(leadID: Int64, opportunityID: Int64) throws {
        try complete.linkConvertedOpportunity.execute(opportunityID, leadID)
    }

    mutating func ticketStatusChange(ticketID: Int64, from: String?, to: String, at: Int64, by userID: Int64?) throws {
        summary.ticketStatusChanges += 1
        try complete.ticketStatusChange.execute(Int64(summary.ticketStatusChanges), ticketID, from, to, at,
                                                            userID)
    }

    mutating func businessCalendar(name: String, timeZone: String, hours: String) throws -> Int64 {
        summary.businessCalendars += 1
        let id = Int64(summary.businessCalendars)
        try complete.businessCalendar.execute(id, name, timeZone, hours)
        return id
    }

    mutating func calendarDay(calendarID: Int64, day: String, kind: String, name: String) throws {
        summary.calendarDays += 1
        try complete.calendarDay.execute(calendarID, day, kind, name)
    }

    mutating func product(sku: String, name: String, family: String, unitPriceMinor: Int64,
                          unitCostMinor: Int64) throws -> Int64 {
        summary.products += 1
        let id = Int64(summary.products)
        try complete.product.execute(id, sku, name, family, unitPriceMinor, unitCostMinor, currency)
        return id
    }

    mutating func commissionRule(name: String, jobRole: String, basis: String, ratePercent: Double,
                                 validFromOn: String) throws {
        summary.commissionRules += 1
        try complete.commissionRule.execute(Int64(summary.commissionRules), name, jobRole, basis, ratePercent,
                                                        validFromOn)
    }

    mutating func kbArticle(title: String, body: String, tags: String, status: String, authorID: Int64,
                            createdAt: Int64, updatedAt: Int64) throws -> Int64 {
        summary.kbArticles += 1
        let id = Int64(summary.kbArticles)
        try complete.kbArticle.execute(id, title, body, tags, status, authorID, createdAt, updatedAt)
        return id
    }

    mutating func ticketArticle(ticketID: Int64, articleID: Int64, linkedBy: Int64, linkedAt: Int64) throws {
        summary.ticketArticles += 1
        try complete.ticketArticle.execute(ticketID, articleID, linkedBy, linkedAt)
    }

    mutating func campaign(name: String, channel: String, status: String, budgetMinor: Int64, actualCostMinor: Int64,
                           startsOn: String, endsOn: String, ownerID: Int64?, createdAt: Int64) throws -> Int64 {
        summary.campaigns += 1
        let id = Int64(summary.campaigns)
        try complete.campaign.execute(id, name, channel, status, budgetMinor, actualCostMinor, currency, startsOn,
                                                  endsOn, ownerID, createdAt)
        return id
    }

    mutating func campaignMember(campaignID: Int64, contactID: Int64?, leadID: Int64?, status: String, response: String?,
                                 respondedAt: Int64?) throws {
        summary.campaignMembers += 1
        try complete.campaignMember.execute(Int64(summary.campaignMembers), campaignID, contactID, leadID,
                                                        status, response, respondedAt)
    }

    mutating func followUp(accountID: Int64, contactID: Int64?, userID: Int64, at: Int64, channel: String, summary text: String,
                           nextStep: String?, nextOn: String?) throws {
        summary.followUps += 1
        try complete.followUp.execute(Int64(summary.followUps), accountID, contactID, userID, at, channel, text,
                                                  nextStep, nextOn)
    }

    /// A contract numbered `HT-<year of creation>-<id>` (合同, contract).
    mutating func contract(accountID: Int64, title: String, status: String, valueMinor: Int64, startsOn: String,
                           endsOn: String, signedAt: Int64?, ownerID: Int64, createdAt: Int64) throws {
        summary.contracts += 1
        let id = Int64(summary.contracts)
        let number = Self.documentNumber(prefix: "HT", at: createdAt, id: id)
        try complete.contract.execute(id, number, accountID, title, status, valueMinor, currency, startsOn,
                                                  endsOn, signedAt, ownerID, createdAt)
    }

    /// A quotation numbered `QT-<year>-<id>`.
    mutating func quotation(accountID: Int64, opportunityID: Int64, ownerID: Int64, status: String,
                            discountPercent: Double, taxPercent: Double, validUntilOn: String,
                            createdAt: Int64) throws -> Int64 {
        summary.quotations += 1
        let id = Int64(summary.quotations)
        try complete.quotation.execute(id, Self.documentNumber(prefix: "QT", at: createdAt, id: id), accountID,
                                                   opportunityID, ownerID, status, currency, discountPercent, taxPercent,
                                                   validUntilOn, createdAt)
        return id
    }

    mutating func quotationLine(quotationID: Int64, position: Int, productID: Int64, description: String, quantity: Int,
                                unitPriceMinor: Int64) throws {
        summary.quotationLines += 1
        try complete.quotationLine.execute(Int64(summary.quotationLines), quotationID, position, productID,
                                                       description, quantity, unitPriceMinor)
    }

    /// An order numbered `SO-<year>-<id>`; the caller passes totals equal to the sum of its lines.
    mutating func order(accountID: Int64, quotationID: Int64?, opportunityID: Int64?, ownerID: Int64, status: String,
                        orderedAt: Int64, totalMinor: Int64, costMinor: Int64) throws -> Int64 {
        summary.orders += 1
        let id = Int64(summary.orders)
        try complete.order.execute(id, Self.documentNumber(prefix: "SO", at: orderedAt, id: id), accountID,
                                               quotationID, opportunityID, ownerID, status, orderedAt, totalMinor, costMinor,
                                               currency)
        return id
    }

    mutating func orderLine(orderID: Int64, productID: Int64, quantity: Int, unitPriceMinor: Int64,
                            unitCostMinor: Int64) throws {
        summary.orderLines += 1
        try complete.orderLine.execute(Int64(summary.orderLines), orderID, productID, quantity, unitPriceMinor,
                                                   unitCostMinor)
    }

    /// An installed unit; its serial number is the product's SKU, the year and the row's id.
    mutating func installBase(accountID: Int64, productID: Int64, sku: String, installedOn: Timestamp,
                              warrantyEndsOn: String, location: String, status: String) throws -> Int64 {
        summary.installBase += 1
        let id = Int64(summary.installBase)
        let serial = "\(sku)-\(installedOn.civil.year % 100)-\(DemoNames.zeroPadded(id, width: 6))"
        try complete.installBase.execute(id, accountID, productID, serial, installedOn.dateString,
                                                     warrantyEndsOn, location, status)
        return id
    }

    /// An appointment with the calendar uid `appt-<id>@rollout.example`.
    mutating func appointment(userID: Int64, kind: String, title: String, accountID: Int64?, contactID: Int64?,
                              location: String?, startsAt: Int64, endsAt: Int64, status: String, notes: String?,
                              createdAt: Int64) throws {
        summary.appointments += 1
        let id = Int64(summary.appointments)
        try complete.appointment.execute(id, "appt-\(id)@rollout.example", userID, kind, title, accountID,
                                                     contactID, location, startsAt, endsAt, status, notes, createdAt)
    }

    /// The tickets with one of `subjects` that have an account, by id: (id, account id, created at).
    func ticketsAbout(subjects: [String]) throws -> [(id: Int64, accountID: Int64, createdAt: Int64)] {
        let list = "[" + subjects.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        return try Row.fetchAll(complete.deviceTickets, arguments: [list]).map { ($0[0], $0[1], $0[2]) }
    }

    func setInstallBase(_ installBaseID: Int64, ofTicket ticketID: Int64) throws {
        try complete.setTicketInstallBase.execute(installBaseID, ticketID)
    }

    static func documentNumber(prefix: String, at instant: Int64, id: Int64) -> String {
        "\(prefix)-\(Timestamp(secondsSinceEpoch: instant).civil.year)-\(DemoNames.zeroPadded(id, width: 6))"
    }
}
