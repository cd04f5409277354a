import CRMCore
import Foundation
import GRDB
import RolloutTesting
import Testing

@Suite("Access rules: who sees which accounts")
struct AccessRuleTests {
    @Test func aManagerSeesTheTerritorySubtreeAndARepOnlyOwnAccounts() throws {
        let world = try CRMWorld()
        #expect(try world.visibleAccountNames(world.actor("manager")) == ["Shanghai Steel", "East Paper"])
        #expect(try world.visibleAccountNames(world.actor("rep.east")) == ["Shanghai Steel"])
        #expect(try world.visibleAccountNames(world.actor("rep.west")) == ["Chengdu Foods"])
        // service_agent has team scope: the accounts East Sales members own.
        #expect(try world.visibleAccountNames(world.actor("agent")) == ["Shanghai Steel", "East Paper"])
        // A user without a role may not read at all.
        #expect(throws: CRMError.self) { try world.visibleAccountNames(world.actor("nobody")) }
        #expect(try world.visibleAccountNames(.operatorActor()).count == 3)
    }

    @Test func recordsOfInvisibleAccountsAreHiddenInListsShowsExportsAndCounts() throws {
        let world = try CRMWorld()
        let rep = try world.actor("rep.west")
        let hiddenAccount = try #require(world.ids["Shanghai Steel"])
        try world.database.read { db in
            let contacts = try world.store.list(EntityCatalog.contact, as: rep, db).map { $0["account_id"] as Int64 }
            #expect(contacts == [world.ids["Chengdu Foods"]!])
            #expect(try world.store.count(EntityCatalog.contact, as: rep, db) == 1)
            #expect(throws: CRMError.notFound(entity: "account", key: String(hiddenAccount))) {
                try world.store.get(EntityCatalog.account, id: hiddenAccount, as: rep, db)
            }
            // Filtering by the hidden account's id finds nothing rather than leaking it.
            #expect(try world.store.list(EntityCatalog.contact, filters: ["account_id": String(hiddenAccount)], as: rep, db).isEmpty)
        }
        // Exports follow the same rule (a rep may not export; the East manager exports East only).
        let directory = try TemporaryDirectory()
        let path = directory.file("contacts.csv")
        #expect(throws: CRMError.self) {
            try world.database.read { db in
                try CRMExporter(store: world.store).export(ExportOptions(entity: EntityCatalog.contact, format: .csv, path: path), as: rep, db)
            }
        }
        let manager = try world.actor("manager")
        for format in [ExportFormat.csv, .xlsx] {
            let file = directory.file("contacts.\(format.rawValue)")
            let report = try world.database.read { db in
                try CRMExporter(store: world.store).export(ExportOptions(entity: EntityCatalog.contact, format: format, path: file,
                                                                         sheetPerAccount: format == .xlsx), as: manager, db)
            }
            #expect(report.records == 2)
        }
        let text = try String(contentsOfFile: directory.file("contacts.csv"), encoding: .utf8)
        #expect(text.contains("shanghai.steel@example.com") && text.contains("east.paper@example.com"))
        #expect(!text.contains("chengdu.foods@example.com"))
        let sheets = try XLSXReader(path: directory.file("contacts.xlsx")).sheetNames
        #expect(sheets == ["East Paper", "Shanghai Steel"])
    }

    @Test func aRepCannotCreateOrMoveRecordsIntoAnotherTerritory() throws {
        let world = try CRMWorld()
        let rep = try world.actor("rep.west")
        #expect(throws: CRMError.self) {
            try world.database.write { db in
                try world.store.create(EntityCatalog.contact, fields: ["name": "Sneaky", "account_id": "Shanghai Steel"], as: rep, db)
            }
        }
        let own = try #require(world.ids["Chengdu Foods"])
        #expect(throws: CRMError.self) {
            try world.database.write { db in
                try world.store.update(EntityCatalog.account, id: own, fields: ["owner_id": "rep.east@example.com"], as: rep, db)
            }
        }
        let count = try world.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM contacts WHERE name = 'Sneaky'") }
        #expect(count == 0)
    }

    @Test func permissionsDecideWhatARoleMayDo() throws {
        let world = try CRMWorld()
        let rep = try world.actor("rep.west")
        let own = try #require(world.ids["Chengdu Foods"])
        do {
            try world.database.write { db in try world.store.delete(EntityCatalog.account, id: own, as: rep, db) }
            Issue.record("a sales rep deleted an account")
        } catch let error as CRMError {
            #expect(error.code == "forbidden")
            #expect(error.description.contains("crm.delete"))
        }
        #expect(!rep.may(.export))
        #expect(try world.actor("manager").may(.approveGate))
    }
}
