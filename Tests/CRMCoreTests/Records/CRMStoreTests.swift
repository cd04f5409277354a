import CRMCore
import Foundation
import GRDB
import RolloutTesting
import Testing

@Suite("CRM store: validation, entity rules, audit trail")
struct CRMStoreTests {
    let world: CRMWorld
    let admin = CRMActor.operatorActor()

    init() throws { world = try CRMWorld() }

    @Test func everyBadFieldIsReportedAtOnceAndNothingIsWritten() throws {
        do {
            _ = try world.database.write { db in
                try world.store.create(EntityCatalog.ticket, fields: ["subject": "Broken", "type": "complaint", "channel": "fax",
                                                                      "priority": "urgnet", "account_id": "No Such Co", "colour": "red"],
                                       as: admin, db)
            }
            Issue.record("an invalid ticket was created")
        } catch let CRMError.invalid(entity, errors) {
            #expect(entity == "ticket")
            #expect(Set(errors.map(\.field)) == ["channel", "priority", "account_id", "colour"])
            #expect(errors.first { $0.field == "priority" }?.reason.contains("did you mean 'urgent'?") == true)
            #expect(errors.first { $0.field == "colour" }?.reason == "ticket has no such field")
        }
        #expect(try world.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM tickets") } == 0)
    }

    @Test func everyCreateUpdateAndDeleteIsAuditedWithBeforeAndAfter() throws {
        let manager = try world.actor("manager")
        let id = try world.database.write { db in
            try world.store.create(EntityCatalog.contact, fields: ["name": "Wang Fang", "account_id": "East Paper",
                                                                   "phone": "+86 138 0013 8000"], as: manager, db)
        }
        try world.database.write { db in
            try world.store.update(EntityCatalog.contact, id: id, fields: ["title": "Buyer"], as: manager, db)
            try world.store.delete(EntityCatalog.contact, id: id, as: admin, db)
        }
        let entries = try world.database.read { db in try AuditTrail.entries(db, entity: "contact", recordID: id) }
        #expect(entries.map(\.action) == ["delete", "update", "create"])
        #expect(entries.map(\.actor) == ["operator", "user:manager@example.com", "user:manager@example.com"])
        let update = entries[1]
        let before = try JSONSerialization.jsonObject(with: Data(try #require(update.before).utf8)) as? [String: Any]
        let after = try JSONSerialization.jsonObject(with: Data(try #require(update.after).utf8)) as? [String: Any]
        #expect(before?["title"] is NSNull)
        #expect(after?["title"] as? String == "Buyer")
        #expect(after?["phone"] as? String == "+86 138 0013 8000")
        #expect(entries[0].after == nil && entries[0].before != nil)
        // The trail is append-only.
        #expect(throws: DatabaseError.self) { try world.database.write { try $0.execute(sql: "DELETE FROM audit_log") } }
    }

    @Test func opportunityStagesAndTicketStatusesKeepTheirHistory() throws {
        let (deal, ticket) = try world.database.write { db in
            (try world.store.create(EntityCatalog.opportunity, fields: ["name": "Steel frames", "account_id": "Shanghai Steel",
                                                                        "stage": "proposal", "amount_minor": "120000.50", "currency": "CNY"],
                                    as: admin, db),
             try world.store.create(EntityCatalog.ticket, fields: ["subject": "Late delivery", "type": "complaint", "channel": "letter",
                                                                   "priority": "high", "account_id": "Shanghai Steel"], as: admin, db))
        }
        try world.database.write { db in
            try world.store.update(EntityCatalog.opportunity, id: deal, fields: ["stage": "closed_won"], as: admin, db)
            try world.store.update(EntityCatalog.ticket, id: ticket, fields: ["status": "in_progress"], as: admin, db)
            try world.store.update(EntityCatalog.ticket, id: ticket, fields: ["status": "resolved"], as: admin, db)
        }
        try world.database.read { db in
            let stages = try String.fetchAll(db, sql: "SELECT to_stage FROM opportunity_stage_changes WHERE opportunity_id = ? ORDER BY id",
                                             arguments: [deal])
            #expect(stages == ["proposal", "closed_won"])
            let row = try #require(try Row.fetchOne(db, sql: "SELECT amount_minor, closed_at FROM opportunities WHERE id = ?", arguments: [deal]))
            #expect(row["amount_minor"] as Int64 == 12_000_050)
            #expect(row["closed_at"] as Int64 == Timestamp.day("2025-06-02").secondsSinceEpoch)
            let statuses = try String.fetchAll(db, sql: "SELECT to_status FROM ticket_status_changes WHERE ticket_id = ? ORDER BY id",
                                               arguments: [ticket])
            #expect(statuses == ["open", "in_progress", "resolved"])
            let t = try #require(try Row.fetchOne(db, sql: "SELECT * FROM tickets WHERE id = ?", arguments: [ticket]))
            let created = Timestamp.day("2025-06-02").secondsSinceEpoch
            // high: 240 min first response, 1440 min resolution, around the clock; warn at 25 % left.
            #expect(t["first_response_due_at"] as Int64 == created + 240 * 60)
            #expect(t["first_response_warn_at"] as Int64 == created + 180 * 60)
            #expect(t["resolution_due_at"] as Int64 == created + 1440 * 60)
            #expect(t["resolved_at"] as Int64 == created)
        }
    }

    @Test func leadConversionCreatesAccountContactAndDealOnce() throws {
        let lead = try world.database.write { db in
            try world.store.create(EntityCatalog.lead, fields: ["name": "Zhao Lei", "company": "Suzhou Glass", "email": "zhao@sg.example",
                                                                "source": "web", "owner_id": "rep.east@example.com"], as: admin, db)
        }
        let result = try world.database.write { db in
            try LeadConversion(store: world.store).convert(leadID: lead, opportunityAmount: "50000", as: admin, db)
        }
        #expect(result.createdAccount)
        try world.database.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE id = ?", arguments: [lead]))
            #expect(row["status"] as String == "converted")
            #expect(row["converted_account_id"] as Int64 == result.accountID)
            #expect(row["converted_contact_id"] as Int64 == result.contactID)
            #expect(row["converted_opportunity_id"] as Int64? == result.opportunityID)
            #expect(try String.fetchOne(db, sql: "SELECT name FROM accounts WHERE id = ?", arguments: [result.accountID]) == "Suzhou Glass")
        }
        #expect(throws: CRMError.self) {
            try world.database.write { db in try LeadConversion(store: world.store).convert(leadID: lead, as: admin, db) }
        }
    }

    @Test func quotationTotalsRoundEachStepToTheCent() throws {
        // Lines: 3 × 33.33 at 10 % off = 89.991 → 89.99; 1 × 100.00 = 100.00. Subtotal 189.99.
        // Discount 5 % = 9.4995 → 9.50; net 180.49; tax 13 % = 23.4637 → 23.46; total 203.95.
        let totals = QuotationTotals.compute(lines: [(3, 3333, 10), (1, 10000, 0)], discountPercent: 5, taxPercent: 13, currency: "CNY")
        #expect(totals.lines == [8999, 10000])
        #expect(totals.subtotalMinor == 18999)
        #expect(totals.discountMinor == 950)
        #expect(totals.netMinor == 18049)
        #expect(totals.taxMinor == 2346)
        #expect(totals.totalMinor == 20395)
    }

    @Test func appointmentsOfOneUserMayNotOverlap() throws {
        let fields = ["user_id": "rep.east@example.com", "kind": "visit", "title": "Visit Shanghai Steel",
                      "starts_at": "2025-06-03T09:00:00Z", "ends_at": "2025-06-03T10:30:00Z"]
        try world.database.write { db in _ = try world.store.create(EntityCatalog.appointment, fields: fields, as: admin, db) }
        var clash = fields
        clash["starts_at"] = "2025-06-03T10:00:00Z"
        clash["ends_at"] = "2025-06-03T11:00:00Z"
        #expect(throws: CRMError.self) {
            try world.database.write { db in _ = try world.store.create(EntityCatalog.appointment, fields: clash, as: admin, db) }
        }
        var after = fields
        after["starts_at"] = "2025-06-03T10:30:00Z"
        after["ends_at"] = "2025-06-03T11:00:00Z"
        try world.database.write { db in _ = try world.store.create(EntityCatalog.appointment, fields: after, as: admin, db) }
    }

    @Test func knowledgeBaseFindsChineseWordsInsideLongerRunsAndEnglishWords() throws {
        try world.database.write { db in
            _ = try world.store.create(EntityCatalog.kbArticle, fields: ["title": "退款申请流程", "body": "客户申请退款时，请先核对订单号。",
                                                                         "status": "published"], as: admin, db)
            _ = try world.store.create(EntityCatalog.kbArticle, fields: ["title": "Resetting a password",
                                                                         "body": "Ask the customer to open Settings.", "status": "published"],
                                       as: admin, db)
            _ = try world.store.create(EntityCatalog.kbArticle, fields: ["title": "Old refund rule", "body": "退款 was different",
                                                                         "status": "archived"], as: admin, db)
        }
        try world.database.read { (db: Database) throws in
            #expect(try KnowledgeBase.search("退款", db).map(\.title) == ["退款申请流程"])
            #expect(try KnowledgeBase.search("订单号", db).map(\.title) == ["退款申请流程"])
            #expect(try KnowledgeBase.search("password", db).map(\.title) == ["Resetting a password"])
            #expect(try KnowledgeBase.search("退款", includeArchived: true, db).count == 2)
            #expect(try KnowledgeBase.search("AND OR \"", db).isEmpty)
        }
    }
}

@Suite("SLA on a business calendar")
struct BusinessCalendarSLATests {
    @Test func aTicketFromFridayEveningIsDueOnMondayAndAtRiskBeforeIt() throws {
        let world = try CRMWorld()
        // Friday 2025-06-06 17:00 Shanghai = 09:00Z. Policy 'high': 240 working minutes first response, 1440 resolution,
        // Mon–Fri 09:00–12:00, 13:00–18:00 (8 h a day); warn with 25 % left.
        try world.database.write { db in
            try db.execute(sql: "INSERT INTO business_calendars (id, name, time_zone, hours) VALUES (1, 'China office', 'Asia/Shanghai', 'mon-fri 09:00-12:00,13:00-18:00')")
            try db.execute(sql: "UPDATE sla_policies SET calendar_id = 1 WHERE priority = 'high'")
        }
        let store = CRMStore(clock: .fixed(try Timestamp(parsing: "2025-06-06T09:00:00Z")))
        let id = try world.database.write { db in
            try store.create(EntityCatalog.ticket, fields: ["subject": "Machine down", "type": "incident", "channel": "phone",
                                                           "priority": "high"], as: .operatorActor(), db)
        }
        try world.database.read { db in
            let t = try #require(try Row.fetchOne(db, sql: "SELECT * FROM tickets WHERE id = ?", arguments: [id]))
            // 60 min on Friday (17:00–18:00), then Monday 09:00–12:00 (180): due Monday 12:00 Shanghai = 04:00Z.
            #expect(Timestamp(secondsSinceEpoch: t["first_response_due_at"]).iso8601 == "2025-06-09T04:00:00Z")
            // 25 % of 240 = 60 left: warn after 180 working minutes = Monday 11:00 Shanghai = 03:00Z.
            #expect(Timestamp(secondsSinceEpoch: t["first_response_warn_at"]).iso8601 == "2025-06-09T03:00:00Z")
            // Resolution: 1440 = 3 working days of 480: 60 Fri + 480 Mon + 480 Tue + 420 Wed → Wed 17:00 Shanghai = 09:00Z.
            #expect(Timestamp(secondsSinceEpoch: t["resolution_due_at"]).iso8601 == "2025-06-11T09:00:00Z")
        }
    }
}

@Suite("Entity rules: campaigns, contracts, deletes")
struct MoreEntityRuleTests {
    @Test func aCampaignResponseMarksTheMemberRespondedAndStampsTheTime() throws {
        let world = try CRMWorld()
        let admin = CRMActor.operatorActor()
        let member = try world.database.write { db -> Int64 in
            try world.store.create(EntityCatalog.campaign, fields: ["name": "Spring fair", "channel": "event", "currency": "CNY",
                                                                    "starts_on": "2025-04-01", "ends_on": "2025/4/3",
                                                                    "actual_cost_minor": "¥12,000.00"], as: admin, db)
            let contact = try Int64.fetchOne(db, sql: "SELECT id FROM contacts LIMIT 1")!
            return try world.store.create(EntityCatalog.campaignMember, fields: ["campaign_id": "Spring fair", "contact_id": String(contact)],
                                          as: admin, db)
        }
        try world.database.write { db in
            try world.store.update(EntityCatalog.campaignMember, id: member, fields: ["response": "Purchase intent"], as: admin, db)
        }
        try world.database.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM campaign_members WHERE id = ?", arguments: [member]))
            #expect(row["status"] as String == "responded")
            #expect(row["response"] as String == "purchase_intent")
            #expect(row["responded_at"] as Int64 == Timestamp.day("2025-06-02").secondsSinceEpoch)
            let campaign = try #require(try Row.fetchOne(db, sql: "SELECT ends_on, actual_cost_minor FROM campaigns"))
            #expect(campaign["ends_on"] as String == "2025-04-03")
            #expect(campaign["actual_cost_minor"] as Int64 == 1_200_000)
        }
    }

    @Test func aContractEndingBeforeItStartsAndADuplicateNumberAreRefused() throws {
        let world = try CRMWorld()
        let admin = CRMActor.operatorActor()
        let fields = ["number": "HT-2025-001", "account_id": "East Paper", "title": "Supply", "currency": "CNY",
                      "starts_on": "2025-06-01", "ends_on": "2025-05-01"]
        #expect(throws: CRMError.self) {
            try world.database.write { db in try world.store.create(EntityCatalog.contract, fields: fields, as: admin, db) }
        }
        var good = fields
        good["ends_on"] = "2026-05-31"
        try world.database.write { db in _ = try world.store.create(EntityCatalog.contract, fields: good, as: admin, db) }
        do {
            try world.database.write { db in _ = try world.store.create(EntityCatalog.contract, fields: good, as: admin, db) }
            Issue.record("a duplicate contract number was accepted")
        } catch let error as CRMError {
            #expect(error.description == "another contract already has this number")
        }
    }

    @Test func anAccountStillReferredToCannotBeDeleted() throws {
        let world = try CRMWorld()
        let account = try #require(world.ids["East Paper"])
        do {
            try world.database.write { db in try world.store.delete(EntityCatalog.account, id: account, as: .operatorActor(), db) }
            Issue.record("an account with contacts was deleted")
        } catch let error as CRMError {
            #expect(error.code == "conflict")
            #expect(error.description.contains("other records still refer to it"))
        }
    }
}
