/// How many rows a demo data run wrote, per table.
///
/// `totalRows` is what the run's `demo_seed_runs.rows_written` records; the `demo_seed_runs` row
/// itself is not counted.
public struct DemoDataSummary: Sendable, Codable, Hashable {
    public internal(set) var teams = 0
    public internal(set) var users = 0
    public internal(set) var accounts = 0
    public internal(set) var contacts = 0
    public internal(set) var leads = 0
    public internal(set) var opportunities = 0
    public internal(set) var opportunityStageChanges = 0
    public internal(set) var activities = 0
    public internal(set) var tickets = 0
    public internal(set) var userLogins = 0
    // crm.v2.complete
    public internal(set) var territories = 0
    public internal(set) var userRoles = 0
    public internal(set) var followUps = 0
    public internal(set) var contracts = 0
    public internal(set) var products = 0
    public internal(set) var quotations = 0
    public internal(set) var quotationLines = 0
    public internal(set) var orders = 0
    public internal(set) var orderLines = 0
    public internal(set) var commissionRules = 0
    public internal(set) var campaigns = 0
    public internal(set) var campaignMembers = 0
    public internal(set) var businessCalendars = 0
    public internal(set) var calendarDays = 0
    public internal(set) var installBase = 0
    public internal(set) var ticketStatusChanges = 0
    public internal(set) var kbArticles = 0
    public internal(set) var ticketArticles = 0
    public internal(set) var appointments = 0

    init() {}

    /// Rows per table, by table name, in the order the CRM schema declares the tables.
    public var rowsByTable: [(table: String, rows: Int)] {
        [("teams", teams), ("users", users), ("accounts", accounts), ("contacts", contacts), ("leads", leads),
         ("opportunities", opportunities), ("opportunity_stage_changes", opportunityStageChanges),
         ("activities", activities), ("tickets", tickets), ("user_logins", userLogins),
         ("territories", territories), ("user_roles", userRoles), ("follow_ups", followUps), ("contracts", contracts),
         ("products", products), ("quotations", quotations), ("quotation_lines", quotationLines), ("orders", orders),
         ("order_lines", orderLines), ("commission_rules", commissionRules), ("campaigns", campaigns),
         ("campaign_members", campaignMembers), ("business_calendars", businessCalendars),
         ("calendar_days", calendarDays), ("install_base", installBase),
         ("ticket_status_changes", ticketStatusChanges), ("kb_articles", kbArticles),
         ("ticket_articles", ticketArticles), ("appointments", appointments)]
    }

    /// Every row written, all tables together.
    public var totalRows: Int {
        rowsByTable.reduce(0) { $0 + $1.rows }
    }
}
