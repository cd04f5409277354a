@testable import CRMCore
import GRDB
import Testing

/// The tables of `crm.v2.complete` in the standard small data set: filled, and consistent with
/// each other and with the core tables.
@Suite struct DemoDataCompleteTests {
    typealias Fixture = DemoDataFixture

    static let newTables = ["territories", "user_roles", "follow_ups", "contracts", "products", "quotations",
                            "quotation_lines", "orders", "order_lines", "commission_rules", "campaigns",
                            "campaign_members", "business_calendars", "calendar_days", "install_base",
                            "ticket_status_changes", "kb_articles", "ticket_articles", "appointments"]

    func count(_ sql: String, _ db: Database, _ arguments: StatementArguments = []) throws -> Int {
        try Int.fetchOne(db, sql: sql, arguments: arguments) ?? -1
    }

    @Test func everyNewTableIsFilledAndEveryArticleIsSearchable() throws {
        try Fixture.standard().read { db throws in
            for table in Self.newTables {
                #expect(try count("SELECT COUNT(*) FROM \(table)", db) > 0, "\(table)")
            }
            #expect(try count("SELECT COUNT(*) FROM kb_search", db) == count("SELECT COUNT(*) FROM kb_articles", db))
            #expect(try KnowledgeBase.search("保修", db).isEmpty == false)
            // New columns of the core tables.
            #expect(try count("SELECT COUNT(*) FROM accounts WHERE territory_id IS NULL", db) == 0)
            #expect(try count("SELECT COUNT(*) FROM teams WHERE territory_id IS NULL", db) == 0)
            #expect(try count("SELECT COUNT(*) FROM leads WHERE campaign_id IS NOT NULL", db) > 0)
            #expect(try count("SELECT COUNT(*) FROM leads WHERE score IS NOT NULL", db) > 0)
            #expect(try count("SELECT COUNT(*) FROM opportunities WHERE campaign_id IS NOT NULL", db) > 0)
            #expect(try count("SELECT COUNT(*) FROM tickets WHERE install_base_id IS NOT NULL", db) > 0)
        }
    }

    @Test func everyNewTimestampLiesWithinTheHistory() throws {
        let plan = Fixture.plan()
        let columns = [("follow_ups", "at"), ("contracts", "created_at"), ("contracts", "signed_at"),
                       ("quotations", "created_at"), ("orders", "ordered_at"), ("campaigns", "created_at"),
                       ("campaign_members", "responded_at"), ("ticket_status_changes", "changed_at"),
                       ("kb_articles", "created_at"), ("kb_articles", "updated_at"), ("ticket_articles", "linked_at"),
                       ("appointments", "starts_at"), ("appointments", "ends_at"), ("appointments", "created_at")]
        try Fixture.standard().read { db throws in
            for (table, column) in columns {
                let outside = try count("SELECT COUNT(*) FROM \(table) WHERE \(column) < ? OR \(column) >= ?", db,
                                        [plan.historyStart, plan.end])
                #expect(outside == 0, "\(table).\(column)")
            }
        }
    }

    // MARK: - People and territories

    @Test func everyAccountsTerritoryLiesUnderItsRegionsTerritoryAndTeamsHaveTheirRegions() throws {
        try Fixture.standard().read { db throws in
            #expect(try count("""
                WITH RECURSIVE ancestry(account_id, territory_id) AS (
                    SELECT id, territory_id FROM accounts
                    UNION ALL
                    SELECT a.account_id, t.parent_id FROM ancestry a JOIN territories t ON t.id = a.territory_id
                    WHERE t.parent_id IS NOT NULL)
                SELECT COUNT(*) FROM accounts c
                WHERE NOT EXISTS (SELECT 1 FROM ancestry a JOIN territories t ON t.id = a.territory_id
                                  WHERE a.account_id = c.id AND t.name = c.region)
                """, db) == 0)
            #expect(try count("""
                SELECT COUNT(*) FROM teams m JOIN territories t ON t.id = m.territory_id WHERE t.name <> m.region
                """, db) == 0)
            #expect(try count("SELECT COUNT(*) FROM territories WHERE parent_id IS NULL", db) == 1)
            // Each user has exactly the role of their job.
            #expect(try count("""
                SELECT COUNT(*) FROM users u
                WHERE (SELECT COUNT(*) FROM user_roles r WHERE r.user_id = u.id) <> 1
                   OR NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = u.job_role)
                """, db) == 0)
        }
    }

    // MARK: - Service

    @Test func ticketClocksAreThoseOfTheirPriorityAroundTheClock() throws {
        try Fixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM tickets t JOIN sla_policies p ON p.priority = t.priority
                WHERE t.first_response_due_at IS NOT t.created_at + p.first_response_minutes * 60
                   OR t.first_response_warn_at IS NOT t.first_response_due_at - p.first_response_minutes * p.warn_remaining_percent * 60 / 100
                   OR t.resolution_due_at IS NOT t.created_at + p.resolution_minutes * 60
                   OR t.resolution_warn_at IS NOT t.resolution_due_at - p.resolution_minutes * p.warn_remaining_percent * 60 / 100
                """, db) == 0)
            #expect(try count("SELECT COUNT(*) FROM sla_policies WHERE calendar_id IS NOT NULL", db) == 0)
            let calendar = try #require(try Row.fetchOne(db, sql: "SELECT * FROM business_calendars"))
            #expect(calendar["name"] as String == "China office")
            #expect(calendar["time_zone"] as String == "Asia/Shanghai")
            #expect(try count("SELECT COUNT(*) FROM calendar_days WHERE kind = 'holiday' AND day LIKE '2025-%'", db) == 28)
            #expect(try String.fetchAll(db, sql: "SELECT day FROM calendar_days WHERE kind = 'working' ORDER BY day")
                    == ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"])
        }
    }

    @Test func eachTicketsStatusHistoryTellsItsTimestampsAndEndsInItsStatus() throws {
        try Fixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM tickets t
                WHERE NOT EXISTS (SELECT 1 FROM ticket_status_changes s WHERE s.ticket_id = t.id AND s.from_status IS NULL
                                  AND s.to_status = 'open' AND s.changed_at = t.created_at)
                   OR t.first_response_at IS NOT (SELECT changed_at FROM ticket_status_changes s
                                                  WHERE s.ticket_id = t.id AND s.to_status = 'in_progress')
                   OR t.resolved_at IS NOT (SELECT changed_at FROM ticket_status_changes s
                                            WHERE s.ticket_id = t.id AND s.to_status = 'resolved')
                   OR t.status <> (SELECT to_status FROM ticket_status_changes s WHERE s.ticket_id = t.id
                                   ORDER BY s.changed_at DESC, s.id DESC LIMIT 1)
                """, db) == 0)
            // Each change starts from the status the one before it ended in.
            #expect(try count("""
                SELECT COUNT(*) FROM ticket_status_changes s
                WHERE s.from_status IS NOT (SELECT p.to_status FROM ticket_status_changes p
                                            WHERE p.ticket_id = s.ticket_id AND p.id < s.id ORDER BY p.id DESC LIMIT 1)
                """, db) == 0)
            #expect(try count("""
                SELECT COUNT(*) FROM ticket_status_changes s JOIN ticket_status_changes p
                  ON p.ticket_id = s.ticket_id AND p.id < s.id AND p.changed_at > s.changed_at
                """, db) == 0)
        }
    }

    @Test func agentsLinkPublishedArticlesThatExistedWhenTheyAnswered() throws {
        try Fixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM ticket_articles l JOIN kb_articles a ON a.id = l.article_id
                JOIN tickets t ON t.id = l.ticket_id
                WHERE a.status <> 'published' OR a.created_at >= l.linked_at OR l.linked_at IS NOT t.first_response_at
                   OR l.linked_by <> t.assignee_id
                """, db) == 0)
            #expect(try count("SELECT COUNT(*) FROM kb_articles WHERE status = 'draft'", db) > 0)
            #expect(try count("SELECT COUNT(*) FROM kb_articles WHERE body GLOB '*[一-龥]*'", db) > 0)
            #expect(try count("SELECT COUNT(*) FROM kb_articles WHERE updated_at < created_at", db) == 0)
            // A device ticket names a unit of its own account installed before it arrived.
            #expect(try count("""
                SELECT COUNT(*) FROM tickets t JOIN install_base i ON i.id = t.install_base_id
                WHERE i.account_id <> t.account_id OR i.installed_on > date(t.created_at, 'unixepoch')
                """, db) == 0)
        }
    }

    // MARK: - Sales

    @Test func orderTotalsAreTheSumOfTheirLinesAndWonDealsBecomeOrders() throws {
        try Fixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM orders o
                WHERE o.total_minor <> (SELECT SUM(l.quantity * l.unit_price_minor) FROM order_lines l WHERE l.order_id = o.id)
                   OR o.cost_minor <> (SELECT SUM(l.quantity * l.unit_cost_minor) FROM order_lines l WHERE l.order_id = o.id)
                   OR o.currency <> 'CNY'
                """, db) == 0)
            #expect(try count("""
                SELECT COUNT(*) FROM order_lines l JOIN products p ON p.id = l.product_id
                WHERE l.unit_cost_minor <> p.unit_cost_minor OR l.unit_price_minor > p.unit_price_minor
                """, db) == 0)
            // An order of a deal is the won deal's, placed after it closed, by its owner, on its account.
            #expect(try count("""
                SELECT COUNT(*) FROM orders r JOIN opportunities o ON o.id = r.opportunity_id
                WHERE o.stage <> 'closed_won' OR r.ordered_at < o.closed_at OR r.owner_id <> o.owner_id
                   OR r.account_id <> o.account_id
                """, db) == 0)
            #expect(try count("SELECT COUNT(*) FROM orders r JOIN accounts a ON a.id = r.account_id WHERE r.ordered_at < a.created_at",
                              db) == 0)
        }
    }

    @Test func quotationsFollowTheirDealsInAmountAndOutcome() throws {
        try Fixture.standard().read { db throws in
            let ratio = try Double.fetchOne(db, sql: """
                SELECT AVG((SELECT SUM(l.quantity * l.unit_price_minor) FROM quotation_lines l WHERE l.quotation_id = q.id)
                           * (1 - q.discount_percent / 100) / o.amount_minor)
                FROM quotations q JOIN opportunities o ON o.id = q.opportunity_id
                """) ?? 0
            #expect((0.9...1.1).contains(ratio), "quotation total / deal amount: \(ratio)")
            #expect(try count("""
                SELECT COUNT(*) FROM quotations q JOIN opportunities o ON o.id = q.opportunity_id
                WHERE (q.status = 'accepted') <> (o.stage = 'closed_won') OR q.account_id <> o.account_id
                   OR q.created_at < o.created_at
                   OR NOT EXISTS (SELECT 1 FROM opportunity_stage_changes s WHERE s.opportunity_id = o.id
                                  AND s.to_stage = 'proposal' AND s.changed_at = q.created_at)
                """, db) == 0)
            // The order of an accepted quotation has its lines at the discounted price.
            #expect(try count("""
                SELECT COUNT(*) FROM orders r JOIN quotations q ON q.id = r.quotation_id
                WHERE (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = r.id)
                   <> (SELECT COUNT(*) FROM quotation_lines l WHERE l.quotation_id = q.id)
                """, db) == 0)
        }
    }

    /// RFM and 80/20 analyses need customers that differ as much as real ones do.
    @Test func aFifthOfTheCustomersBringMostOfTheProfit() throws {
        try Fixture.standard().read { db throws in
            let profits = try Int64.fetchAll(db, sql: """
                SELECT SUM(total_minor - cost_minor) AS profit FROM orders WHERE status <> 'cancelled'
                GROUP BY account_id ORDER BY profit DESC
                """)
            let top = profits.prefix(profits.count / 5).reduce(0, +)
            let share = Double(top) / Double(profits.reduce(0, +))
            #expect(profits.count > 300)
            #expect(share >= 0.6, "the top 20 % of \(profits.count) customers hold \(share) of the profit")
            // Recency differs too: dormant and lost customers stopped ordering months before the end.
            let quiet = try Double.fetchOne(db, sql: """
                SELECT AVG(? - last) / 86400 FROM (SELECT MAX(r.ordered_at) AS last FROM orders r
                  JOIN accounts a ON a.id = r.account_id WHERE a.status <> 'active' GROUP BY r.account_id)
                """, arguments: [Fixture.end]) ?? 0
            #expect(quiet > 120, "days since the last order of dormant and lost customers: \(quiet)")
        }
    }

    @Test func installedUnitsComeFromFulfilledEquipmentOrders() throws {
        try Fixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM install_base i JOIN products p ON p.id = i.product_id WHERE p.family <> 'Equipment'
                """, db) == 0)
            #expect(try count("""
                SELECT COUNT(*) FROM install_base i
                WHERE NOT EXISTS (SELECT 1 FROM orders r JOIN order_lines l ON l.order_id = r.id
                                  WHERE r.account_id = i.account_id AND l.product_id = i.product_id
                                    AND r.status = 'fulfilled' AND date(r.ordered_at, 'unixepoch') <= i.installed_on)
                """, db) == 0)
            #expect(try count("SELECT COUNT(*) FROM install_base WHERE warranty_ends_on <= installed_on", db) == 0)
        }
    }

    @Test func contractsBelongToCustomersAndRunForwards() throws {
        try Fixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM contracts c JOIN accounts a ON a.id = c.account_id
                WHERE a.type <> 'customer' OR c.ends_on < c.starts_on OR c.created_at < a.created_at
                   OR (c.status = 'draft') <> (c.signed_at IS NULL) OR c.signed_at < c.created_at
                   OR c.owner_id <> a.owner_id
                """, db) == 0)
            for status in ["active", "expired", "draft", "terminated"] {
                #expect(try count("SELECT COUNT(*) FROM contracts WHERE status = ?", db, [status]) > 0, "\(status)")
            }
        }
    }

    // MARK: - Marketing

    @Test func campaignChannelsDifferInWhatALeadCostsAndHowOftenItConverts() throws {
        try Fixture.standard().read { db throws in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.channel, SUM(c.actual_cost_minor) * 1.0
                       / (SELECT COUNT(*) FROM leads l JOIN campaigns k ON k.id = l.campaign_id WHERE k.channel = c.channel)
                       AS cost_per_lead,
                       (SELECT AVG(l.status = 'converted') FROM leads l JOIN campaigns k ON k.id = l.campaign_id
                        WHERE k.channel = c.channel AND l.status IN ('converted', 'disqualified')) AS conversion
                FROM campaigns c GROUP BY c.channel
                """)
            var costPerLead: [String: Double] = [:]
            var conversion: [String: Double] = [:]
            for row in rows {
                costPerLead[row["channel"]] = row["cost_per_lead"]
                conversion[row["channel"]] = row["conversion"]
            }
            #expect(costPerLead.count == 6)
            #expect((costPerLead["email"] ?? 0) < (costPerLead["online"] ?? 0))
            #expect((costPerLead["online"] ?? 0) < (costPerLead["event"] ?? 0))
            #expect((conversion["event"] ?? 0) > (conversion["social"] ?? 1))
            // Deals keep the campaign of the lead they came from.
            #expect(try count("""
                SELECT COUNT(*) FROM opportunities o JOIN leads l ON l.id = o.lead_id
                WHERE o.campaign_id IS NOT l.campaign_id OR l.converted_opportunity_id IS NOT o.id
                   OR l.converted_contact_id IS NULL
                """, db) == 0)
        }
    }

    @Test func campaignMembersAreCampaignLeadsOrContactsReachedAfterTheyExisted() throws {
        try Fixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM campaign_members m JOIN leads l ON l.id = m.lead_id
                WHERE l.campaign_id IS NOT m.campaign_id OR m.status <> 'responded' OR m.responded_at <> l.created_at
                """, db) == 0)
            #expect(try count("""
                SELECT COUNT(*) FROM leads l WHERE l.campaign_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.lead_id = l.id)
                """, db) == 0)
            #expect(try count("""
                SELECT COUNT(*) FROM campaign_members m JOIN contacts c ON c.id = m.contact_id
                JOIN campaigns k ON k.id = m.campaign_id
                WHERE c.created_at >= CAST(strftime('%s', k.starts_on) AS INTEGER) OR m.responded_at <= c.created_at
                   OR (m.status IN ('responded', 'unsubscribed')) <> (m.response IS NOT NULL)
                """, db) == 0)
        }
    }

    // MARK: - Calendars

    @Test func appointmentsNeverOverlapForAPersonAndHaveUniqueCalendarIDs() throws {
        try Fixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM appointments a JOIN appointments b
                  ON b.user_id = a.user_id AND b.id > a.id AND b.starts_at < a.ends_at AND a.starts_at < b.ends_at
                """, db) == 0)
            #expect(try count("SELECT COUNT(*) FROM appointments WHERE uid <> 'appt-' || id || '@rollout.example'", db) == 0)
            #expect(try count("SELECT COUNT(*) FROM appointments WHERE created_at >= starts_at", db) == 0)
            for kind in ["visit", "delivery", "installation"] {
                #expect(try count("SELECT COUNT(*) FROM appointments WHERE kind = ?", db, [kind]) > 0, "\(kind)")
            }
            // Installations are the service agents' work, visits and deliveries the reps'.
            #expect(try count("""
                SELECT COUNT(*) FROM appointments a JOIN users u ON u.id = a.user_id
                WHERE (a.kind = 'installation') <> (u.job_role = 'service_agent')
                """, db) == 0)
        }
    }

    @Test func followUpsAreRepsNotesOnTheirOwnAccountsAndMoreCommonAfterTheChange() throws {
        try Fixture.standard().read { db throws in
            #expect(try count("""
                SELECT COUNT(*) FROM follow_ups f JOIN accounts a ON a.id = f.account_id
                LEFT JOIN contacts c ON c.id = f.contact_id
                WHERE a.owner_id <> f.user_id OR f.at < a.created_at OR c.account_id <> f.account_id
                """, db) == 0)
            let before = try count("SELECT COUNT(*) FROM follow_ups WHERE at < ?", db, [Fixture.pilotStart])
            let after = try count("SELECT COUNT(*) FROM follow_ups WHERE at >= ?", db, [Fixture.cutover.adding(days: 28)])
            // About 14 months before against 3 after: after the change more than twice as many a month.
            #expect(Double(after) / 3 > 2 * Double(before) / 14, "before \(before), after \(after)")
        }
    }
}
