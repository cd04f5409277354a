import CRMCore
import Foundation
import GRDB

extension Benchmark {
    /// Writes `rows` contacts as CSV (name, email, phone, title, created_at, owner_id): unique
    /// e-mail addresses and phone numbers, Chinese and Latin names, a deterministic sequence.
    public func writeContactsCSV(rows: Int, to path: String) throws {
        let writer = try CSVWriter(path: path, lineEnding: .lf)
        try writer.write(["name", "email", "phone", "title", "created_at", "owner_id"])
        let surnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "王", "李", "张"]
        let titles = ["Buyer", "Purchasing Manager", "CFO", "IT Director", "采购经理", "Engineer"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<rows {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let surname = surnames[Int(state >> 33) % surnames.count]
            try writer.write(["\(surname) Person\(i)", "person\(i)@bulk.example", "+86 13\(String(format: "%09d", i))",
                              titles[Int(state >> 40) % titles.count], "2025-01-02", ""])
        }
        try writer.close()
    }

    /// Imports the contacts CSV at `csv` into the workspace with duplicate detection on (every row
    /// is looked up by e-mail and by phone), as `rollout crm import contact` does.
    public func importContacts(_ workspace: Workspace, csv: String) throws -> Figure {
        let store = CRMStore(clock: .system)
        let options = ImportOptions(entity: EntityCatalog.contact, sourceDigest: try ImportOptions.digest(ofFile: csv))
        let (report, seconds) = try Self.time {
            try workspace.database.write { db in
                try CRMImporter(store: store).run(try CSVImportSource(path: csv), options: options, as: .operatorActor(), db)
            }
        }
        guard report.applied else {
            throw DemoError("the benchmark import was refused: \(report.problems.first?.description ?? "?")")
        }
        return Figure(name: "import contacts", seconds: seconds, iterations: 1, work: Double(report.rowsRead), unit: "rows",
                      note: "CSV → contacts, duplicate detection on (e-mail and phone lookups), one transaction")
    }

    /// The sqlite3 shell script of the raw floor: `.import` of the same file, then the same rows
    /// into the same table with the same indexes, in one transaction.
    public static func importFloorScript(csv: String) -> String {
        """
        .bail on
        BEGIN;
        CREATE TABLE bench_staging (name TEXT, email TEXT, phone TEXT, title TEXT, created_at TEXT, owner_id TEXT);
        .import --csv --skip 1 \(csv) bench_staging
        INSERT INTO contacts (name, email, phone, title, created_at, owner_id)
            SELECT name, email, phone, title, unixepoch(created_at), NULLIF(owner_id, '') FROM bench_staging;
        DROP TABLE bench_staging;
        COMMIT;

        """
    }
}
