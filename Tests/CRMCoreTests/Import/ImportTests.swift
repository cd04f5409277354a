import CRMCore
import Foundation
import GRDB
import RolloutTesting
import Testing

@Suite("Import: mapping, encodings, duplicates, bad rows, undo")
struct ImportTests {
    let world: CRMWorld
    let directory: TemporaryDirectory
    let admin = CRMActor.operatorActor()

    init() throws {
        world = try CRMWorld()
        directory = try TemporaryDirectory()
    }

    func importFile(_ name: String, _ bytes: [UInt8], entity: EntityDescriptor = EntityCatalog.contact, encoding: CSVTextEncoding = .utf8,
                    dryRun: Bool = false, skipBadRows: Bool = false, merge: MergePolicy = .fill,
                    columns: [String: String] = [:]) throws -> ImportReport {
        let path = directory.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let options = ImportOptions(entity: entity, columns: columns, mergePolicy: merge, skipBadRows: skipBadRows,
                                    rejectsPath: path + ".rejects.csv", dryRun: dryRun, sourceDigest: try ImportOptions.digest(ofFile: path))
        return try world.database.write { db in
            try CRMImporter(store: world.store).run(try CSVImportSource(path: path, encoding: encoding), options: options, as: admin, db)
        }
    }

    func contacts() throws -> [Row] {
        try world.database.read { try Row.fetchAll($0, sql: "SELECT * FROM contacts ORDER BY id") }
    }

    @Test func aBOMChineseHeadersQuotedCommasAndEmbeddedNewlinesImport() throws {
        let csv = "\u{FEFF}姓名,邮箱,手机,客户\r\n\"Li, Lei\",li.lei@x.example,+86 138 0013 8000,East Paper\r\n"
            + "\"Wang\nFang\",wang@x.example,,\r\nZhou Na,zhou@x.example,139 0000 0000,Shanghai Steel\r\n"
        let report = try importFile("c.csv", Array(csv.utf8))
        #expect(report.applied && report.created == 3 && report.rejected == 0)
        #expect(report.mapping == ["姓名": "name", "邮箱": "email", "手机": "phone", "客户": "account_id"])
        let rows = try contacts().suffix(3)
        #expect(rows.map { $0["name"] as String } == ["Li, Lei", "Wang\nFang", "Zhou Na"])
        #expect(rows.first?["account_id"] as Int64? == world.ids["East Paper"])
    }

    @Test func gb18030FilesImportWithTheEncodingOption() throws {
        // "姓名,邮箱\n王芳,wf@x.example\n" in GB18030: 姓 D0D5 名 C3FB 邮 D3CA 箱 CFE4 王 CDF5 芳 B7BC.
        let bytes: [UInt8] = [0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0xD3, 0xCA, 0xCF, 0xE4, 0x0A, 0xCD, 0xF5, 0xB7, 0xBC, 0x2C]
            + Array("wf@x.example\n".utf8)
        let report = try importFile("gb.csv", bytes, encoding: .gb18030)
        #expect(report.created == 1)
        #expect(try contacts().last?["name"] as String? == "王芳")
        // Read as UTF-8, the same bytes are refused with a hint, and nothing is written.
        #expect(throws: (any Error).self) { try importFile("gb2.csv", bytes) }
    }

    @Test func aBadRowInTheMiddleRefusesTheWholeFileAndListsEveryBadRow() throws {
        let before = try contacts().count
        let csv = "name,email,account,created_at\nA,a@x.example,East Paper,2025-01-02\nB,b@x.example,Nowhere Ltd,2025-01-02\n"
            + "C,c@x.example,East Paper,2025-13-45\nD,d@x.example,East Paper,2025-01-02\n"
        let report = try importFile("bad.csv", Array(csv.utf8))
        #expect(!report.applied)
        #expect(report.rejected == 2)
        #expect(report.problems.map(\.row) == [3, 4])
        #expect(report.problems.map(\.column) == ["C (account)", "D (created_at)"])
        #expect(report.problems[0].reason == "no account with name 'Nowhere Ltd'")
        #expect(try contacts().count == before)
        #expect(try world.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM import_batches") } == 0)
    }

    @Test func skipBadRowsImportsTheRestAndWritesTheRejects() throws {
        let csv = "name,email,account\nA,a@x.example,East Paper\nB,b@x.example,Nowhere Ltd\nC,c@x.example,\n"
        let report = try importFile("skip.csv", Array(csv.utf8), skipBadRows: true)
        #expect(report.applied && report.created == 2 && report.rejected == 1)
        let rejects = try String(contentsOfFile: directory.file("skip.csv.rejects.csv"), encoding: .utf8)
        #expect(rejects.split(whereSeparator: \.isNewline) == ["row,column,reason,name,email,account",
                                                              "3,C (account),no account with name 'Nowhere Ltd',B,b@x.example,Nowhere Ltd"])
    }

    @Test func duplicatesInsideTheFileAndAgainstTheDatabaseAreMergedWithReasons() throws {
        // The world has "Contact of East Paper" <east.paper@example.com>.
        let csv = "name,email,phone,title\nContact of East Paper,EAST.PAPER@example.com,,Buyer\n"
            + "Li Lei,li@x.example,13800138000,\nLi Lei,,+86 138-0013-8000,Engineer\nZhang Wei,other@x.example,13800138000,\n"
        let dry = try importFile("dup.csv", Array(csv.utf8), dryRun: true)
        #expect(!dry.applied && dry.created == 2 && dry.updated == 1 && dry.mergedWithinFile == 1)
        #expect(try contacts().count == 3)
        let report = try importFile("dup.csv", Array(csv.utf8))
        #expect(report.created == 2 && report.updated == 1 && report.mergedWithinFile == 1)
        let decisions = Dictionary(uniqueKeysWithValues: report.duplicates.map { ($0.row, $0) })
        #expect(decisions[2]?.outcome == "merged")
        #expect(decisions[2]?.reasons.first == "e-mail equal (+0.70)")
        #expect(decisions[4]?.outcome == "merged")
        #expect(decisions[4]?.reasons.contains("phone equal (+0.50)") == true)
        // Same phone, different name: created, and reported as a possible duplicate.
        #expect(decisions[5]?.outcome == "created")
        #expect(decisions[5].map { $0.score < 0.70 && $0.score >= 0.45 } == true)
        let rows = try contacts()
        #expect(rows.first { $0["email"] == "east.paper@example.com" }?["title"] as String? == "Buyer")
        #expect(rows.first { $0["email"] == "li@x.example" }?["title"] as String? == "Engineer")
    }

    @Test func undoRevertsCreationsAndRestoresUpdates() throws {
        let original = try contacts()
        let csv = "name,email,title\nContact of East Paper,east.paper@example.com,Head of Purchasing\nNew Person,new@x.example,\n"
        let report = try importFile("undo.csv", Array(csv.utf8), merge: .update)
        #expect(report.created == 1 && report.updated == 1)
        let batch = try #require(report.batchID)
        let result = try world.database.write { db in try ImportUndo(store: world.store).undo(batchID: batch, as: admin, db) }
        #expect(result.deleted == 1 && result.restored == 1)
        let after = try contacts()
        #expect(after.count == original.count)
        #expect(after.map { $0["title"] as String? } == original.map { $0["title"] as String? })
        #expect(throws: CRMError.self) {
            try world.database.write { db in try ImportUndo(store: world.store).undo(batchID: batch, as: admin, db) }
        }
        let actions = try world.database.read { db in try AuditTrail.entries(db, entity: "contact").map(\.action) }
        #expect(actions.prefix(3) == ["undo", "update", "import"] || actions.prefix(4) == ["undo", "update", "update", "import"])
    }

    @Test func undoRefusesWhenAnUpdatedRecordChangedSince() throws {
        let csv = "name,email,title\nContact of East Paper,east.paper@example.com,Director\n"
        let report = try importFile("later.csv", Array(csv.utf8))
        let id = try #require(try contacts().first { $0["email"] == "east.paper@example.com" }?["id"] as Int64?)
        try world.database.write { db in
            try world.store.update(EntityCatalog.contact, id: id, fields: ["title": "CEO"], as: admin, db)
        }
        #expect(throws: CRMError.self) {
            try world.database.write { db in try ImportUndo(store: world.store).undo(batchID: report.batchID!, as: admin, db) }
        }
    }

    @Test func headersThatMatchNoFieldAreAnErrorWithASuggestion() throws {
        let csv = "name,emial\nA,a@x.example\n"
        do {
            _ = try importFile("h.csv", Array(csv.utf8))
            Issue.record("an unknown header was accepted")
        } catch let CRMError.invalid(_, errors) {
            #expect(errors.first?.reason.contains("did you mean 'email'?") == true)
        }
        let mapped = try importFile("h2.csv", Array(csv.utf8), columns: ["emial": "email"])
        #expect(mapped.created == 1)
    }

    @Test func xlsxWorkbooksImportWithSheetRowNumbersInErrors() throws {
        let path = directory.file("contacts.xlsx")
        let book = try XLSXWriter(path: path)
        try book.addSheet(named: "Contacts", columns: [XLSXColumn(header: "Name"), XLSXColumn(header: "E-mail"),
                                                       XLSXColumn(header: "Account"), XLSXColumn(header: "Created", kind: .date)])
        try book.appendRow([.text("Zhou Na"), .text("zhou@x.example"), .text("East Paper"), .date(year: 2025, month: 3, day: 4)])
        try book.appendRow([.text("Sun Jun"), .text("sun@x.example"), .text("Atlantis"), .date(year: 2025, month: 3, day: 5)])
        try book.close()
        let options = ImportOptions(entity: EntityCatalog.contact, sourceDigest: try ImportOptions.digest(ofFile: path))
        let refused = try world.database.write { db in
            try CRMImporter(store: world.store).run(try XLSXImportSource(path: path), options: options, as: admin, db)
        }
        #expect(!refused.applied)
        #expect(refused.problems.map(\.description) == ["row 3, column C (Account): 'Atlantis' no account with name 'Atlantis'"])
        var skipping = options
        skipping.skipBadRows = true
        skipping.rejectsPath = directory.file("rejects.csv")
        let report = try world.database.write { db in
            try CRMImporter(store: world.store).run(try XLSXImportSource(path: path), options: skipping, as: admin, db)
        }
        #expect(report.created == 1)
        let row = try #require(try contacts().last)
        #expect(row["name"] as String == "Zhou Na")
        #expect(row["created_at"] as Int64 == Timestamp.day("2025-03-04").secondsSinceEpoch)
    }

    @Test func aManagerCannotImportIntoAnotherTerritoryAndARepMayNotImportAtAll() throws {
        let csv = "name,email,account\nIn East,in@x.example,East Paper\nIn West,out@x.example,Chengdu Foods\n"
        let path = directory.file("scoped.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let options = ImportOptions(entity: EntityCatalog.contact, skipBadRows: true, rejectsPath: path + ".rejects",
                                    sourceDigest: try ImportOptions.digest(ofFile: path))
        let manager = try world.actor("manager")
        let report = try world.database.write { db in
            try CRMImporter(store: world.store).run(try CSVImportSource(path: path), options: options, as: manager, db)
        }
        #expect(report.created == 1 && report.rejected == 1)
        #expect(report.problems.first?.row == 3)
        #expect(report.problems.first?.reason.hasPrefix("forbidden") == true)
        #expect(try contacts().contains { $0["email"] == "out@x.example" } == false)
        let rep = try world.actor("rep.east")
        #expect(throws: CRMError.self) {
            try world.database.write { db in
                try CRMImporter(store: world.store).run(try CSVImportSource(path: path), options: options, as: rep, db)
            }
        }
    }

    @Test func accountsMatchByNameWithoutLegalFormOrCase() throws {
        try world.database.write { db in
            try db.execute(sql: "INSERT INTO accounts (name, created_at) VALUES ('华信贸易', 0), ('Huaxin Trading', 0)")
        }
        let csv = "name,industry\n华信贸易有限公司,贸易\n\"HUAXIN TRADING CO., LTD.\",Trade\nhuaxin trading,Retail\nHuaxin Textiles,Textiles\n"
        // Merge policy fill: the CRM's names stay; empty industries are filled by the first match.
        let report = try importFile("accounts.csv", Array(csv.utf8), entity: EntityCatalog.account)
        #expect(report.created == 1 && report.updated == 2 && report.unchanged == 1)
        let decisions = Dictionary(uniqueKeysWithValues: report.duplicates.map { ($0.row, $0) })
        #expect(decisions[2]?.score == 0.9)
        #expect(decisions[3]?.score == 0.9)
        #expect(decisions[4]?.reasons == ["name equal"])
        #expect(decisions[5] == nil)
        let industries = try world.database.read { db in
            try String.fetchAll(db, sql: "SELECT industry FROM accounts WHERE name IN ('华信贸易', 'Huaxin Trading') ORDER BY name")
        }
        #expect(industries == ["Trade", "贸易"])
    }
}
