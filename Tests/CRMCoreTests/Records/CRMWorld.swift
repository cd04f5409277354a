import CRMCore
import GRDB
import RolloutTesting

/// A small CRM with territories, two teams, a manager, two reps and an agent, and accounts in
/// two territories: the fixture of the access-rule and store tests.
///
///     China ─┬─ East ── Shanghai     (East Sales: manager, rep East)
///            └─ West                 (West Sales: rep West)
struct CRMWorld {
    let database: WorkspaceDatabase
    let store = CRMStore(clock: .fixed(.day("2025-06-02")))
    var ids: [String: Int64] = [:]

    init() throws {
        database = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self])
        var ids: [String: Int64] = [:]
        try database.write { db in
            func insert(_ sql: String, _ arguments: StatementArguments) throws -> Int64 {
                try db.execute(sql: sql, arguments: arguments)
                return db.lastInsertedRowID
            }
            ids["China"] = try insert("INSERT INTO territories (name) VALUES (?)", ["China"])
            ids["East"] = try insert("INSERT INTO territories (name, parent_id) VALUES (?, ?)", ["East", ids["China"]])
            ids["Shanghai"] = try insert("INSERT INTO territories (name, parent_id) VALUES (?, ?)", ["Shanghai", ids["East"]])
            ids["West"] = try insert("INSERT INTO territories (name, parent_id) VALUES (?, ?)", ["West", ids["China"]])
            ids["East Sales"] = try insert("INSERT INTO teams (name, kind, territory_id) VALUES (?, 'sales', ?)", ["East Sales", ids["East"]])
            ids["West Sales"] = try insert("INSERT INTO teams (name, kind, territory_id) VALUES (?, 'sales', ?)", ["West Sales", ids["West"]])
            for (name, team, role) in [("manager", "East Sales", "sales_manager"), ("rep.east", "East Sales", "sales_rep"),
                                       ("rep.west", "West Sales", "sales_rep"), ("agent", "East Sales", "service_agent"),
                                       ("nobody", "West Sales", nil)] {
                ids[name] = try insert("INSERT INTO users (name, email, team_id, job_role, created_at) VALUES (?, ?, ?, 'x', 0)",
                                       [name, "\(name)@example.com", ids[team]])
                if let role { try db.execute(sql: "INSERT INTO user_roles VALUES (?, ?)", arguments: [ids[name], role]) }
            }
            for (name, territory, owner) in [("Shanghai Steel", "Shanghai", "rep.east"), ("East Paper", "East", "manager"),
                                             ("Chengdu Foods", "West", "rep.west")] {
                ids[name] = try insert("INSERT INTO accounts (name, territory_id, owner_id, created_at) VALUES (?, ?, ?, 0)",
                                       [name, ids[territory], ids[owner]])
                _ = try insert("INSERT INTO contacts (account_id, name, email, created_at) VALUES (?, ?, ?, 0)",
                               [ids[name], "Contact of \(name)", "\(name.lowercased().replacingOccurrences(of: " ", with: "."))@example.com"])
            }
        }
        self.ids = ids
    }

    func actor(_ email: String) throws -> CRMActor {
        try database.read { db in try CRMActor.user(email + "@example.com", db) }
    }

    func visibleAccountNames(_ actor: CRMActor) throws -> Set<String> {
        try database.read { db in
            Set(try store.list(EntityCatalog.account, as: actor, db).map { $0["name"] as String })
        }
    }
}
