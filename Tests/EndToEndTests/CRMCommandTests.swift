import Foundation
import RolloutTesting
import Testing

/// `rollout crm` driven as a user would: the built binary on a workspace file, with the files it
/// writes read back by independent readers (Python's openpyxl and icalendar).
@Suite("rollout crm")
struct CRMCommandTests {
    let directory: TemporaryDirectory
    let db: String

    init() throws {
        directory = try TemporaryDirectory()
        db = directory.file("crm.sqlite")
        let created = try E2E.binary.run(["init", directory.path])
        #expect(created.status == 0, "\(created.stderr)")
        try FileManager.default.moveItem(atPath: directory.file("rollout.sqlite"), toPath: db)
    }

    @discardableResult
    func crm(_ arguments: [String], expect status: Int32 = 0) throws -> RolloutBinary.Result {
        let result = try E2E.binary.run(["crm"] + arguments + ["--db", db])
        #expect(result.status == status, "crm \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    func python<T: Decodable>(_ script: String, _ arguments: [String], as type: T.Type) throws -> T {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BinaryError("python3 failed (install openpyxl and icalendar: .ci/install-deps): \(message)")
        }
        return try JSONDecoder().decode(T.self, from: data)
    }

    @Test func xlsxExportKeepsTextAsTextAndPutsEachAccountOnItsOwnSheet() throws {
        try crm(["add", "account", "name=Huaxin Trading", "industry=2/4"])
        try crm(["add", "account", "name=Donghai [Hangzhou]: Steel", "industry=00123"])
        try crm(["add", "contact", "name=Wang Fang", "account_id=Huaxin Trading", "title=1E5", "phone=+86 138 0013 8000",
                 "created_at=2025-03-04T09:30:00Z"])
        try crm(["add", "contact", "name=Li Lei", "account_id=Donghai [Hangzhou]: Steel", "title=2/4", "created_at=2025-03-05"])
        let file = directory.file("customers.xlsx")
        let export = try crm(["export", "contact", "--format", "xlsx", "--sheet-per", "account", "-o", file])
        #expect(export.stdout.contains("wrote 2 contacts"))
        struct Sheet: Decodable { var name: String; var rows: [[String?]]; var types: [[String]] }
        let sheets = try python("""
            import json, sys, openpyxl
            book = openpyxl.load_workbook(sys.argv[1])
            out = []
            for ws in book.worksheets:
                rows = [[None if c.value is None else str(c.value) for c in r] for r in ws.iter_rows()]
                types = [[type(c.value).__name__ for c in r] for r in ws.iter_rows()]
                out.append({"name": ws.title, "rows": rows, "types": types})
            print(json.dumps(out))
            """, [file], as: [Sheet].self)
        // Sheet names: sorted by account name; Excel forbids [ ] : in names.
        #expect(sheets.map(\.name) == ["Donghai _Hangzhou__ Steel", "Huaxin Trading"])
        let header = try #require(sheets.first?.rows.first)
        let title = try #require(header.firstIndex(of: "title"))
        let phone = try #require(header.firstIndex(of: "phone"))
        let created = try #require(header.firstIndex(of: "created_at"))
        #expect(sheets[0].rows[1][title] == "2/4" && sheets[0].types[1][title] == "str")
        #expect(sheets[1].rows[1][title] == "1E5" && sheets[1].types[1][title] == "str")
        #expect(sheets[1].rows[1][phone] == "+86 138 0013 8000" && sheets[1].types[1][phone] == "str")
        #expect(sheets[1].types[1][created] == "datetime")
        #expect(sheets[1].rows[1][created] == "2025-03-04 09:30:00")
    }

    @Test func icsExportOfAUsersAppointmentsParsesBack() throws {
        try crm(["add", "team", "name=East Sales", "kind=sales"])
        try crm(["add", "user", "name=Wang Fang", "email=wang@x.example", "team_id=East Sales", "job_role=sales_rep"])
        try crm(["add", "appointment", "user_id=wang@x.example", "kind=visit", "title=拜访华信贸易, 讨论续约; 带合同",
                 "starts_at=2025-06-03T01:00:00Z", "ends_at=2025-06-03T02:30:00Z", "location=上海市浦东新区"])
        try crm(["add", "appointment", "user_id=wang@x.example", "kind=delivery", "title=Deliver frames",
                 "starts_at=2025-06-04T06:00:00Z", "ends_at=2025-06-04T07:00:00Z", "status=confirmed"])
        let clash = try crm(["add", "appointment", "user_id=wang@x.example", "kind=call", "title=Overlap",
                             "starts_at=2025-06-04T06:30:00Z", "ends_at=2025-06-04T06:45:00Z"], expect: 1)
        #expect(clash.stderr.contains("already has appointment"))
        let file = directory.file("calendar.ics")
        try crm(["export", "appointment", "--format", "ics", "--where", "user_id=wang@x.example", "-o", file])
        struct Event: Decodable { var uid: String; var summary: String; var start: String; var end: String; var location: String?; var status: String? }
        let events = try python("""
            import json, sys
            from icalendar import Calendar
            cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
            out = []
            for e in cal.walk('VEVENT'):
                out.append({"uid": str(e['UID']), "summary": str(e['SUMMARY']), "start": e['DTSTART'].dt.isoformat(),
                            "end": e['DTEND'].dt.isoformat(), "location": str(e.get('LOCATION')) if e.get('LOCATION') else None,
                            "status": str(e.get('STATUS')) if e.get('STATUS') else None})
            print(json.dumps(out))
            """, [file], as: [Event].self)
        #expect(events.count == 2)
        #expect(events[0].summary == "拜访华信贸易, 讨论续约; 带合同")
        #expect(events[0].location == "上海市浦东新区")
        #expect(events[0].start == "2025-06-03T01:00:00+00:00" && events[0].end == "2025-06-03T02:30:00+00:00")
        #expect(events[1].status == "CONFIRMED")
        #expect(Set(events.map(\.uid)).count == 2)
    }

    @Test func importRefusesABadFileThenImportsAndUndoes() throws {
        try crm(["add", "account", "name=Huaxin Trading"])
        let csv = directory.file("contacts.csv")
        try "name,email,account\nA,a@x.example,Huaxin Trading\nB,b@x.example,Nowhere\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let refused = try crm(["import", "contact", csv], expect: 1)
        #expect(refused.stdout.contains("error: row 3, column C (account): 'Nowhere' no account with name 'Nowhere'"))
        #expect(try crm(["list", "contact", "--json"]).stdout.contains("\"total\" : 0"))
        try "name,email,account\nA,a@x.example,Huaxin Trading\nB,b@x.example,\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try crm(["import", "contact", csv])
        #expect(imported.stdout.contains("as batch 1"))
        #expect(try crm(["list", "contact", "--json"]).stdout.contains("\"total\" : 2"))
        let audit = try crm(["audit", "contact"])
        #expect(audit.stdout.contains("import contact 1 (import batch 1)"))
        try crm(["import", "undo", "1"])
        #expect(try crm(["list", "contact", "--json"]).stdout.contains("\"total\" : 0"))
        let again = try crm(["import", "undo", "1"], expect: 1)
        #expect(again.stderr.contains("already undone"))
    }

    @Test func actingAsAUserAppliesTheirRoleAndTerritory() throws {
        try crm(["add", "territory", "name=East"])
        try crm(["add", "territory", "name=West"])
        try crm(["add", "team", "name=West Sales", "kind=sales", "territory_id=West"])
        try crm(["add", "user", "name=Rep", "email=rep@x.example", "team_id=West Sales", "job_role=sales_rep"])
        try crm(["role", "grant", "rep@x.example", "sales_rep"])
        try crm(["add", "account", "name=East Co", "territory_id=East"])
        try crm(["add", "account", "name=Rep Co", "territory_id=West", "owner_id=rep@x.example"])
        let list = try crm(["list", "account", "--as", "rep@x.example", "--json"])
        #expect(list.stdout.contains("Rep Co") && !list.stdout.contains("East Co"))
        let show = try crm(["show", "account", "1", "--as", "rep@x.example"], expect: 1)
        #expect(show.stderr.contains("no account '1'"))
        let export = try crm(["export", "account", "-o", directory.file("a.csv"), "--as", "rep@x.example"], expect: 1)
        #expect(export.stderr.contains("needs the permission crm.export"))
        let typo = try crm(["role", "grant", "rep@x.example", "sales_mgr"], expect: 1)
        #expect(typo.stderr.contains("no role 'sales_mgr' (did you mean 'sales_rep'?)"))
    }
}
