import CRMCore
import GRDB
import RolloutTesting

/// A small CRM every analysis test reads, built by hand so that each expected figure can be
/// worked out on paper (the tests show the arithmetic). Amounts are CNY; `yuan(x)` is x yuan in fen.
///
/// Territories: China ⊃ East ⊃ Shanghai, China ⊃ North.
/// People (id): 2 Wang Fang, sales rep, own scope, Shanghai; 3 Li Na, sales manager, territory
/// scope on East (so East and Shanghai); 4 Zhao Lei, sales rep, North; 5 Chen Jie and 6 Sun Yu,
/// service agents of the Service Desk.
/// Accounts: 1 Huaxin (Shanghai, Wang), 2 Donghai (East, Li), 3 Beifang (North, Zhao), 4 Nowhere
/// (no territory, Zhao).
///
/// Deals (O#), as of 2025-06-30T00:00Z:
///   O1  Huaxin   Wang  proposal       100,000  close 2025-07-15
///   O2  Huaxin   Wang  negotiation    200,000  close 2025-08-20
///   O3  Donghai  Li    prospecting     50,000  close 2025-10-05
///   O4  Beifang  Zhao  qualification   80,000  close 2025-07-31  forecast_category best_case
///   O5  Beifang  Zhao  won 2025-06-15 120,000  campaign Email Blast
///   O6  Donghai  Li    won 2025-07-10  60,000  close 2025-07-05; negotiation from 2025-06-01
///   O7  Huaxin   Wang  proposal        40,000  no close date
///   O8  Nowhere  Zhao  negotiation     30,000  close 2025-09-30  forecast_category omitted
///   O9  Huaxin   Wang  lost 2025-05-01 10,000
///   O10 Donghai  Li    prospecting        999  created 2025-07-05 (after the as-of instant)
///   O11 Huaxin   Wang  won 2025-04-20  70,000  campaign Spring Expo
///
/// Orders (R#): R1 Huaxin Wang fulfilled 2025-02-10 50,000 (cost 30,000); R2 Huaxin Wang fulfilled
/// 2025-05-05 20,000 (12,000); R3 Donghai Li open 2025-03-15 40,000 (25,000); R4 Beifang Zhao
/// fulfilled 2025-04-01 100,000 (90,000); R5 Beifang Zhao cancelled 2025-04-02 999; R6 Nowhere Zhao
/// fulfilled 2025-06-20 10,000 (12,000); R7 Donghai Li fulfilled 2024-12-15 30,000 (10,000);
/// R8 Donghai Li fulfilled 2025-06-01 10,000 (4,000).
struct AnalysisWorld {
    let database: WorkspaceDatabase

    static let asOf = Timestamp.day("2025-06-30")
    static let wang: Int64 = 2, li: Int64 = 3, zhao: Int64 = 4, chen: Int64 = 5, sun: Int64 = 6

    static func yuan(_ amount: Int64) -> Int64 { amount * 100 }
    static func money(_ amount: Int64) -> Money { Money(minorUnits: yuan(amount), currency: "CNY") }
    static func at(_ text: String) -> Int64 { Timestamp.day(text).secondsSinceEpoch }

    init() throws {
        database = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self])
        try database.write { db in
            try Self.people(db)
            try Self.sales(db)
            try Self.marketing(db)
            try Self.service(db)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T { try database.read(body) }

    /// The actor of user `id`, with the roles the world gave them.
    static func user(_ id: Int64, _ db: Database) throws -> CRMActor { try CRMActor.user(String(id), db) }

    private static func people(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO territories (id, name, parent_id) VALUES (1, 'China', NULL), (2, 'East', 1), (3, 'Shanghai', 2), (4, 'North', 1);
            INSERT INTO teams (id, name, kind, territory_id) VALUES
                (1, 'East Sales', 'sales', 2), (2, 'North Sales', 'sales', 4), (3, 'Service Desk', 'service', NULL);
            INSERT INTO users (id, name, email, team_id, job_role, territory_id, created_at) VALUES
                (1, 'Zhou Min', 'zhou.min@example.com', NULL, 'executive', NULL, 0),
                (2, 'Wang Fang', 'wang.fang@example.com', 1, 'sales_rep', 3, 0),
                (3, 'Li Na', 'li.na@example.com', 1, 'sales_manager', 2, 0),
                (4, 'Zhao Lei', 'zhao.lei@example.com', 2, 'sales_rep', 4, 0),
                (5, 'Chen Jie', 'chen.jie@example.com', 3, 'service_agent', NULL, 0),
                (6, 'Sun Yu', 'sun.yu@example.com', 3, 'service_agent', NULL, 0);
            INSERT INTO user_roles (user_id, role) VALUES
                (1, 'executive'), (2, 'sales_rep'), (3, 'sales_manager'), (4, 'sales_rep'), (5, 'service_agent'), (6, 'service_agent');
            INSERT INTO accounts (id, name, territory_id, owner_id, created_at) VALUES
                (1, 'Huaxin', 3, 2, 0), (2, 'Donghai', 2, 3, 0), (3, 'Beifang', 4, 4, 0), (4, 'Nowhere', NULL, 4, 0);
            INSERT INTO contacts (id, account_id, name, owner_id, created_at) VALUES
                (1, 1, 'Contact Huaxin', 2, 0), (2, 2, 'Contact Donghai', 3, 0), (3, 3, 'Contact Beifang', 4, 0);
            """)
    }

    private static func sales(_ db: Database) throws {
        let deals: [(Int64, Int64, Int64, String, Int64, String, String?, String?, String?, Int64?)] = [
            // id, account, owner, stage, yuan, created, expected close, closed, forecast category, campaign
            (1, 1, wang, "proposal", 100_000, "2025-03-01", "2025-07-15", nil, nil, nil),
            (2, 1, wang, "negotiation", 200_000, "2025-04-01", "2025-08-20", nil, nil, nil),
            (3, 2, li, "prospecting", 50_000, "2025-05-01", "2025-10-05", nil, nil, nil),
            (4, 3, zhao, "qualification", 80_000, "2025-05-10", "2025-07-31", nil, "best_case", nil),
            (5, 3, zhao, "closed_won", 120_000, "2025-01-10", "2025-06-30", "2025-06-15", nil, 2),
            (6, 2, li, "closed_won", 60_000, "2025-02-01", "2025-07-05", "2025-07-10", nil, nil),
            (7, 1, wang, "proposal", 40_000, "2025-06-01", nil, nil, nil, nil),
            (8, 4, zhao, "negotiation", 30_000, "2025-06-01", "2025-09-30", nil, "omitted", nil),
            (9, 1, wang, "closed_lost", 10_000, "2025-02-01", nil, "2025-05-01", nil, nil),
            (10, 2, li, "prospecting", 999, "2025-07-05", "2025-07-30", nil, nil, nil),
            (11, 1, wang, "closed_won", 70_000, "2025-02-15", "2025-04-30", "2025-04-20", nil, 1),
        ]
        try marketingCampaigns(db)
        for d in deals {
            try db.execute(sql: """
                INSERT INTO opportunities (id, name, account_id, stage, amount_minor, currency, owner_id, created_at,
                                           expected_close_on, closed_at, forecast_category, campaign_id)
                VALUES (?, ?, ?, ?, ?, 'CNY', ?, ?, ?, ?, ?, ?)
                """, arguments: [d.0, "O\(d.0)", d.1, d.3, yuan(d.4), d.2, at(d.5), d.6, d.7.map(at), d.8, d.9])
        }
        // O6's history: qualification at creation, negotiation on 1 June, won on 10 July.
        try db.execute(sql: """
            INSERT INTO opportunity_stage_changes (opportunity_id, from_stage, to_stage, changed_at) VALUES
                (6, NULL, 'qualification', ?), (6, 'qualification', 'negotiation', ?), (6, 'negotiation', 'closed_won', ?)
            """, arguments: [at("2025-02-01"), at("2025-06-01"), at("2025-07-10")])

        let orders: [(Int64, Int64, Int64, String, String, Int64, Int64)] = [
            // id, account, owner, status, ordered, total yuan, cost yuan
            (1, 1, wang, "fulfilled", "2025-02-10", 50_000, 30_000),
            (2, 1, wang, "fulfilled", "2025-05-05", 20_000, 12_000),
            (3, 2, li, "open", "2025-03-15", 40_000, 25_000),
            (4, 3, zhao, "fulfilled", "2025-04-01", 100_000, 90_000),
            (5, 3, zhao, "cancelled", "2025-04-02", 999, 0),
            (6, 4, zhao, "fulfilled", "2025-06-20", 10_000, 12_000),
            (7, 2, li, "fulfilled", "2024-12-15", 30_000, 10_000),
            (8, 2, li, "fulfilled", "2025-06-01", 10_000, 4_000),
        ]
        for o in orders {
            try db.execute(sql: """
                INSERT INTO orders (id, number, account_id, owner_id, status, ordered_at, total_minor, cost_minor, currency)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'CNY')
                """, arguments: [o.0, "R\(o.0)", o.1, o.2, o.3, at(o.4), yuan(o.5), yuan(o.6)])
        }
        try db.execute(sql: """
            INSERT INTO commission_rules (id, name, user_id, job_role, basis, rate_percent, valid_from_on, valid_to_on) VALUES
                (1, 'Everyone 2 %', NULL, NULL, 'revenue', 2, NULL, NULL),
                (2, 'Reps 5 % of margin', NULL, 'sales_rep', 'margin', 5, '2025-04-01', NULL),
                (3, 'Wang 3 %', 2, NULL, 'revenue', 3, NULL, '2025-03-31');
            """)
        try db.execute(sql: """
            INSERT INTO activities (id, kind, subject, owner_id, account_id, at) VALUES
                (1, 'call', 'X1', 2, 1, ?), (2, 'visit', 'X2', 2, 1, ?), (3, 'call', 'X3', 3, 2, ?),
                (4, 'meeting', 'X4', 4, 3, ?), (5, 'email', 'X5', 4, NULL, ?)
            """, arguments: [at("2025-01-15"), at("2025-04-15"), at("2025-02-15"), at("2025-05-15"), at("2025-05-16")])
    }

    private static func marketingCampaigns(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO campaigns (id, name, channel, actual_cost_minor, currency, starts_on, ends_on, created_at) VALUES
                (1, 'Spring Expo', 'event', ?, 'CNY', '2025-03-01', '2025-03-31', 0),
                (2, 'Email Blast', 'email', ?, 'CNY', '2025-04-01', '2025-04-30', 0),
                (3, 'Newsletter', 'email', ?, 'CNY', '2025-05-01', '2025-05-31', 0)
            """, arguments: [yuan(30_000), yuan(5_000), yuan(3_000)])
    }

    private static func marketing(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO leads (id, name, source, status, owner_id, created_at, converted_at, converted_account_id, campaign_id) VALUES
                (1, 'L1', 'campaign', 'converted', 2, ?, ?, 1, 1),
                (2, 'L2', 'campaign', 'qualified', 4, ?, NULL, NULL, 1),
                (3, 'L3', 'campaign', 'converted', 2, ?, ?, 1, 2),
                (4, 'L4', 'campaign', 'new', 4, ?, NULL, NULL, 3),
                (5, 'L5', 'web', 'converted', 3, ?, ?, 2, NULL)
            """, arguments: [at("2025-03-05"), at("2025-03-20"), at("2025-03-06"), at("2025-04-05"), at("2025-04-15"),
                             at("2025-05-05"), at("2025-05-01"), at("2025-05-05")])
        try db.execute(sql: """
            INSERT INTO campaign_members (campaign_id, contact_id, lead_id, status, response, responded_at) VALUES
                (1, 1, NULL, 'responded', 'interested', 1),
                (1, 2, NULL, 'responded', 'purchase_intent', 1),
                (1, 3, NULL, 'responded', 'not_interested', 1),
                (1, NULL, 1, 'sent', NULL, NULL),
                (2, 1, NULL, 'responded', 'request_info', 1),
                (2, NULL, 3, 'responded', 'complaint', 1),
                (3, 3, NULL, 'sent', NULL, NULL)
            """)
    }

    /// Tickets of the normal priority: first response due 8 h after creation (at risk from 6 h),
    /// resolution due 72 h after (at risk from 54 h), the default policy with its 25 % warning.
    private static func service(_ db: Database) throws {
        let tickets: [(Int64, Int64?, Int64?, String, String?, String?, Bool)] = [
            // id, account, assignee, created, first response, resolved, has SLA instants
            (1, nil, chen, "2025-06-10T00:00:00Z", "2025-06-10T02:00:00Z", "2025-06-11T00:00:00Z", true),
            (2, nil, chen, "2025-06-11T00:00:00Z", "2025-06-11T10:00:00Z", "2025-06-14T08:00:00Z", true),
            (3, nil, sun, "2025-06-30T06:00:00Z", nil, nil, true),
            (4, nil, sun, "2025-06-29T00:00:00Z", "2025-06-29T01:00:00Z", nil, true),
            (5, nil, sun, "2025-06-25T00:00:00Z", "2025-06-25T03:00:00Z", nil, true),
            (6, 1, nil, "2025-05-20T00:00:00Z", nil, nil, true),
            (7, nil, chen, "2025-06-30T00:00:00Z", "2025-06-30T13:00:00Z", nil, true),
            (8, nil, chen, "2025-06-28T00:00:00Z", nil, nil, false),
            (9, nil, sun, "2025-06-27T12:00:00Z", "2025-06-27T19:00:00Z", "2025-06-30T10:00:00Z", true),
            (10, nil, sun, "2025-06-28T00:00:00Z", "2025-06-28T01:00:00Z", nil, true),
        ]
        for t in tickets {
            let created = at(t.3)
            let sla: [Int64?] = t.6 ? [created + 8 * 3600, created + 6 * 3600, created + 72 * 3600, created + 54 * 3600]
                                    : [nil, nil, nil, nil]
            try db.execute(sql: """
                INSERT INTO tickets (id, subject, type, channel, priority, status, account_id, assignee_id, created_at,
                                     first_response_at, resolved_at, first_response_due_at, first_response_warn_at,
                                     resolution_due_at, resolution_warn_at)
                VALUES (?, ?, 'request', 'phone', 'normal', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [t.0, "T\(t.0)", t.5 == nil ? "open" : "resolved", t.1, t.2, created,
                                 t.4.map(at), t.5.map(at), sla[0], sla[1], sla[2], sla[3]])
        }
    }
}
