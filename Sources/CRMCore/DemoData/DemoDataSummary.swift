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

    init() {}

    /// Rows per table, by table name, in the order the CRM schema declares the tables.
    public var rowsByTable: [(table: String, rows: Int)] {
        [("teams", teams), ("users", users), ("accounts", accounts), ("contacts", contacts), ("leads", leads),
         ("opportunities", opportunities), ("opportunity_stage_changes", opportunityStageChanges),
         ("activities", activities), ("tickets", tickets), ("user_logins", userLogins)]
    }

    /// Every row written, all tables together.
    public var totalRows: Int {
        rowsByTable.reduce(0) { $0 + $1.rows }
    }
}
