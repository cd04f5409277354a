import CRMCore
import GRDB
import RolloutMetrics
import Playbook
import RolloutTesting
import Testing

/// Pilot and control groups are selectors over teams, users, territories and accounts; each is
/// resolved to the users a KPI is measured on.
@Suite struct MeasuredGroupsTests {
    static func playbook(members: String, control: String) throws -> Playbook {
        let text = """
            playbook: groups
            version: 1
            title: Groups
            organisation:
              roles: [ { id: pm, name: Project manager, side: customer } ]
            pilot_groups:
              - id: pilot
                name: Pilot
                members: \(members)
                control: \(control)
            phases:
              - { id: only, name: Only, owner: pm, duration: 1w }
            """
        let compilation = PlaybookCompiler().compile(text: text, path: "groups.yaml")
        return try #require(compilation.playbook, "\(compilation.diagnostics)")
    }

    /// China ⊃ East ⊃ Shanghai, and West. Users: one in Shanghai by their own territory, one in
    /// East through their team's territory, one in West; Huaxin Trading is owned by the West user.
    static func workspace() throws -> (WorkspaceDatabase, [String: Int64]) {
        let workspace = try WorkspaceDatabase.inMemory(modules: [CRMSchema.self, MetricsSchema.self])
        let ids = try workspace.write { db -> [String: Int64] in
            try db.execute(sql: """
                INSERT INTO territories (id, name, parent_id) VALUES (1, 'China', NULL), (2, 'East', 1), (3, 'Shanghai', 2), (4, 'West', 1);
                """)
            var crm = CRMBuilder(db)
            let eastTeam = try crm.team("East Sales"), otherTeam = try crm.team("Other")
            try db.execute(sql: "UPDATE teams SET territory_id = 2 WHERE id = ?", arguments: [eastTeam])
            let shanghai = try crm.user("Shanghai Rep", team: otherTeam)
            try db.execute(sql: "UPDATE users SET territory_id = 3 WHERE id = ?", arguments: [shanghai])
            let east = try crm.user("East Rep", team: eastTeam)
            let west = try crm.user("West Rep", team: otherTeam)
            try db.execute(sql: "UPDATE users SET territory_id = 4 WHERE id = ?", arguments: [west])
            let account = try crm.account(owner: west)
            try db.execute(sql: "UPDATE accounts SET name = 'Huaxin Trading' WHERE id = ?", arguments: [account])
            return ["shanghai": shanghai, "east": east, "west": west]
        }
        return (workspace, ids)
    }

    @Test func aTerritoryMeansItsUsersAndThoseOfTheTerritoriesBelowIt() throws {
        let (workspace, ids) = try Self.workspace()
        let playbook = try Self.playbook(members: "{ territories: [East] }", control: "{ accounts: [Huaxin Trading] }")
        let groups = try workspace.read { try MeasuredGroups().resolve(playbook, $0) }
        let byKey = Dictionary(uniqueKeysWithValues: groups.map { ($0.0, $0.1) })
        // East holds the East team's user (team territory) and the Shanghai user (own territory, below East).
        #expect(byKey[.pilot("pilot")] == [ids["shanghai"]!, ids["east"]!].sorted())
        // An account selector means the accounts' owners.
        #expect(byKey[.control("pilot")] == [ids["west"]!])
    }

    @Test func theWholeTreeFromItsRoot() throws {
        let (workspace, ids) = try Self.workspace()
        let playbook = try Self.playbook(members: "{ territories: [China] }", control: "{ users: [West Rep] }")
        let groups = try workspace.read { try MeasuredGroups().resolve(playbook, $0) }
        #expect(groups.first { $0.0 == .pilot("pilot") }?.1 == ids.values.sorted())
    }

    @Test func anUnknownTerritoryOrAccountIsRefusedNamingIt() throws {
        let (workspace, _) = try Self.workspace()
        let playbook = try Self.playbook(members: "{ territories: [Esat] }", control: "{ accounts: [Nobody Ltd] }")
        let error = #expect(throws: MetricsError.self) {
            _ = try workspace.read { try MeasuredGroups().resolve(playbook, $0) }
        }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("pilot group of 'pilot' names territory 'Esat', which does not exist in this workspace"))
        #expect(message.contains("control group of 'pilot' names account 'Nobody Ltd', which does not exist in this workspace"))
    }
}
