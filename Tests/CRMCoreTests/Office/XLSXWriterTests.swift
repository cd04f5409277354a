@testable import CRMCore
import Foundation
import Testing

/// Texts a spreadsheet program would turn into dates, numbers or formulas if it were guessing.
let xlsxTrickyTexts = [
    "2/4", "00123", "1E5", "+86 138 0013 8000", "=SUM(A1)", "TRUE", "3.14", "-7",
    " padded ", "line one\nline two", "<b>&\"'</b>", "_x0041_", "王芳",
]

/// A workbook with every kind of value on a first sheet and a second sheet whose name
/// Excel would refuse.
private func writeSampleWorkbook(at path: String) throws -> [String] {
    let book = try XLSXWriter(path: path)
    let first = try book.addSheet(named: "Customers/2024: [Q1]*?", columns: [
        XLSXColumn(header: "Text"),
        XLSXColumn(header: "Since", kind: .date),
        XLSXColumn(header: "Last contact", kind: .dateTime),
        XLSXColumn(header: "Orders", kind: .integer, width: 9),
        XLSXColumn(header: "Revenue", kind: .decimal(places: 2)),
        XLSXColumn(header: "Active", kind: .boolean),
    ])
    for (index, text) in xlsxTrickyTexts.enumerated() {
        try book.appendRow([
            .text(text),
            .date(year: 2024, month: 2, day: 4),
            .dateTime(secondsSince1970: 1_741_080_600), // 2025-03-04T09:30:00Z
            .integer(Int64(index) - 3),
            .decimal(1234.5),
            .boolean(index.isMultiple(of: 2)),
        ])
    }
    try book.appendRow([.text("sparse"), .empty, .empty, .integer(42)])
    let second = try book.addSheet(named: "customers_2024_ _q1___", columns: [XLSXColumn(header: "Note")])
    try book.appendRow([.text("second sheet")])
    let third = try book.addSheet(named: "History", columns: [])
    try book.close()
    return [first, second, third]
}

@Suite("XLSXWriter")
struct XLSXWriterTests {
    @Test("openpyxl reads text as str, dates as datetime, numbers as numbers, and the sheet layout")
    func openpyxlReadsTypes() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/sample.xlsx"
            let names = try writeSampleWorkbook(at: path)
            #expect(names == ["Customers_2024_ _Q1___", "customers_2024_ _q1___ (2)", "History (2)"])

            struct Cell: Decodable { var type: String; var value: String; var format: String }
            struct Sheet: Decodable {
                var rows: [[Cell]]
                var freeze: String?
                var filter: String?
                var headerBold: Bool
                var widths: [String: Double]
            }
            struct Book: Decodable { var names: [String]; var sheets: [Sheet] }
            let script = """
                import json, sys, openpyxl
                wb = openpyxl.load_workbook(sys.argv[1])
                sheets = []
                for ws in wb.worksheets:
                    rows = [[{"type": type(c.value).__name__, "value": str(c.value), "format": c.number_format} for c in row]
                            for row in ws.iter_rows()]
                    sheets.append({"rows": rows, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
                                   "headerBold": bool(ws["A1"].font.b),
                                   "widths": {k: v.width for k, v in ws.column_dimensions.items()}})
                print(json.dumps({"names": wb.sheetnames, "sheets": sheets}))
                """
            let book = try runOfficePython(script, arguments: [path], as: Book.self)
            #expect(book.names == names)
            let sheet = try #require(book.sheets.first)
            #expect(sheet.rows.count == 1 + xlsxTrickyTexts.count + 1)
            #expect(sheet.rows[0].map(\.value) == ["Text", "Since", "Last contact", "Orders", "Revenue", "Active"])
            #expect(sheet.headerBold)
            #expect(sheet.freeze == "A2")
            #expect(sheet.filter == "A1:F15")
            #expect(sheet.widths["D"] == 9)
            for (index, text) in xlsxTrickyTexts.enumerated() {
                let row = sheet.rows[index + 1]
                #expect(row[0].type == "str", "\(text) should stay text")
                // openpyxl does not undo the `_xHHHH_` escapes of ECMA-376; Excel and LibreOffice do.
                #expect(row[0].value == (text == "_x0041_" ? "_x005F_x0041_" : text))
                #expect(row[0].format == "@")
                #expect(row[1].type == "datetime")
                #expect(row[1].value == "2024-02-04 00:00:00")
                #expect(row[1].format == "yyyy-mm-dd")
                #expect(row[2].type == "datetime")
                #expect(row[2].value == "2025-03-04 09:30:00")
                #expect(row[2].format == "yyyy-mm-dd hh:mm")
                #expect(row[3].type == "int")
                #expect(row[3].value == String(index - 3))
                #expect(row[4].type == "float")
                #expect(row[4].value == "1234.5")
                #expect(row[4].format == "0.00")
                #expect(row[5].type == "bool")
            }
            let sparse = try #require(sheet.rows.last)
            #expect(sparse.map(\.type) == ["str", "NoneType", "NoneType", "int", "NoneType", "NoneType"])
            #expect(book.sheets[1].rows.map { $0.map(\.value) } == [["Note"], ["second sheet"]])
        }
    }

    @Test("our reader gets back exactly what was written")
    func roundTrip() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/sample.xlsx"
            let names = try writeSampleWorkbook(at: path)
            let reader = try XLSXReader(path: path)
            #expect(reader.sheetNames == names)
            let rows = try reader.rows()
            #expect(rows.map(\.number) == Array(1...15))
            #expect(rows[0].values == ["Text", "Since", "Last contact", "Orders", "Revenue", "Active"])
            for (index, text) in xlsxTrickyTexts.enumerated() {
                #expect(rows[index + 1].values == [text, "2024-02-04", "2025-03-04T09:30:00Z", String(index - 3), "1234.5",
                                                   index.isMultiple(of: 2) ? "TRUE" : "FALSE"])
            }
            #expect(rows[14].values == ["sparse", "", "", "42"])
            #expect(try reader.rows(inSheet: names[1]).map(\.values) == [["Note"], ["second sheet"]])
            #expect(try reader.rows(inSheet: names[2]).isEmpty)
        }
    }

    @Test("the package has the parts Excel expects, and nothing is left behind")
    func packageParts() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/sample.xlsx"
            _ = try writeSampleWorkbook(at: path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["sample.xlsx"])
            struct Parts: Decodable { var names: [String]; var styles: String; var workbook: String; var sheet: String }
            let parts = try runOfficePython("""
                import json, sys, zipfile
                z = zipfile.ZipFile(sys.argv[1])
                assert z.testzip() is None
                print(json.dumps({"names": z.namelist(), "styles": z.read("xl/styles.xml").decode(),
                                  "workbook": z.read("xl/workbook.xml").decode(),
                                  "sheet": z.read("xl/worksheets/sheet1.xml").decode()}))
                """, arguments: [path], as: Parts.self)
            #expect(parts.names == [
                "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
            ])
            #expect(parts.styles.contains(#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#))
            #expect(parts.styles.contains(#"<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>"#))
            #expect(parts.workbook.contains(#"<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">&apos;Customers_2024_ _Q1___&apos;!$A$1:$F$15</definedName>"#))
            #expect(parts.sheet.contains(#"<dimension ref="A1:F15"/>"#))
            // An underscore that would start an Excel escape is itself escaped.
            #expect(parts.sheet.contains("<t>_x005F_x0041_</t>"))
            #expect(parts.sheet.contains(#"<t xml:space="preserve"> padded </t>"#))
        }
    }

    @Test("sheet names follow Excel's rules", arguments: [
        ("Customers", "Customers"),
        ("a/b\\c[d]e:f*g?h", "a_b_c_d_e_f_g_h"),
        ("'quoted'", "quoted"),
        ("   ", "Sheet1"),
        ("History", "History (2)"),
        ("An account name that is far too long for a tab", "An account name that is far too"),
        ("王芳的客户关系管理工作簿第一季度销售数据汇总表格与分析报告附件和备注", "王芳的客户关系管理工作簿第一季度销售数据汇总表格与分析报告附件"),
        ("𠮷野家", "𠮷野家"),
        (String(repeating: "𠮷", count: 16), String(repeating: "𠮷", count: 15)), // two UTF-16 units each
    ])
    func sheetNameRules(proposed: String, expected: String) {
        var names = XLSXSheetNames()
        let name = names.claim(proposed, fallbackNumber: 1)
        #expect(name == expected)
        #expect(name.utf16.count <= 31)
    }

    @Test("a taken name, in any case, gets a number that still fits 31 characters")
    func sheetNameDuplicates() {
        var names = XLSXSheetNames()
        let long = String(repeating: "x", count: 40)
        #expect(names.claim("Acme", fallbackNumber: 1) == "Acme")
        #expect(names.claim("ACME", fallbackNumber: 2) == "ACME (2)")
        #expect(names.claim("acme", fallbackNumber: 3) == "acme (3)")
        #expect(names.claim(long, fallbackNumber: 4) == String(repeating: "x", count: 31))
        #expect(names.claim(long, fallbackNumber: 5) == String(repeating: "x", count: 27) + " (2)")
    }

    @Test("a refused value names its sheet, row and column, and the row is not written")
    func refusedValues() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/refused.xlsx"
            let book = try XLSXWriter(path: path)
            #expect(throws: XLSXError.self) { try book.appendRow([.text("before any sheet")]) }
            try book.addSheet(named: "Deals", columns: [XLSXColumn(header: "Name"), XLSXColumn(header: "Closed", kind: .date)])
            let badDate = try #require(throws: XLSXError.self) {
                try book.appendRow([.text("Acme"), .date(year: 2025, month: 2, day: 30)])
            }
            #expect(badDate.code == .invalidValue)
            #expect(badDate.description == "\(path), sheet \"Deals\", row 2, column B: 2025-2-30 is not a calendar date")
            let notFinite = try #require(throws: XLSXError.self) { try book.appendRow([.text("x"), .empty]) ; try book.appendRow([.decimal(.nan)]) }
            #expect(notFinite.row == 3)
            let tooWide = try #require(throws: XLSXError.self) { try book.appendRow([.empty, .empty, .empty]) }
            #expect(tooWide.code == .invalidValue)
            let tooLong = try #require(throws: XLSXError.self) {
                try book.appendRow([.text(String(repeating: "长", count: XLSXSheetStream.maxTextLength + 1))])
            }
            #expect(tooLong.reason.contains("32767"))
            try book.appendRow([.text("Beta"), .date(year: 2025, month: 2, day: 28)])
            let badColumns = try #require(throws: XLSXError.self) {
                try book.addSheet(named: "Wide", columns: [XLSXColumn(header: "A"), XLSXColumn(header: "B", width: 300)])
            }
            #expect(badColumns.code == .invalidColumns)
            #expect(badColumns.column == 2)
            try book.close()
            #expect(throws: XLSXError.self) { try book.appendRow([.text("after close")]) }

            let rows = try XLSXReader(path: path).rows()
            #expect(rows.map(\.values) == [["Name", "Closed"], ["x"], ["Beta", "2025-02-28"]])
        }
    }

    @Test("dates around Excel's 1900 leap-year bug keep their day; dates before 1900 become ISO text")
    func earlyDates() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/early.xlsx"
            let book = try XLSXWriter(path: path)
            try book.addSheet(named: "Dates", columns: [XLSXColumn(header: "Day", kind: .date)])
            let days = [(1899, 12, 31), (1900, 1, 1), (1900, 2, 28), (1900, 3, 1), (1970, 1, 1), (9999, 12, 31)]
            for (year, month, day) in days { try book.appendRow([.date(year: year, month: month, day: day)]) }
            try book.close()
            #expect(try XLSXReader(path: path).rows().dropFirst().map(\.values) ==
                        [["1899-12-31"], ["1900-01-01"], ["1900-02-28"], ["1900-03-01"], ["1970-01-01"], ["9999-12-31"]])
            #expect(XLSXSheetStream.serialDay(daysSince1970: OfficeGregorian.daysSince1970(year: 1900, month: 1, day: 1)) == 1)
            #expect(XLSXSheetStream.serialDay(daysSince1970: OfficeGregorian.daysSince1970(year: 1900, month: 3, day: 1)) == 61)
            #expect(XLSXSheetStream.serialDay(daysSince1970: 0) == 25_569)

            struct Cell: Decodable { var type: String; var value: String }
            let cells = try runOfficePython("""
                import json, sys, openpyxl
                ws = openpyxl.load_workbook(sys.argv[1]).active
                print(json.dumps([{"type": type(r[0].value).__name__, "value": str(r[0].value)} for r in ws.iter_rows(min_row=2)]))
                """, arguments: [path], as: [Cell].self)
            #expect(cells.map(\.type) == ["str", "datetime", "datetime", "datetime", "datetime", "datetime"])
            #expect(cells.map(\.value).dropFirst().map { String($0.prefix(10)) } == ["1900-01-01", "1900-02-28", "1900-03-01", "1970-01-01", "9999-12-31"])
        }
    }

    @Test("a workbook dropped without close leaves no file, and one closed without sheets has one empty sheet")
    func discardedAndEmptyWorkbooks() throws {
        try withOfficeScratchDirectory { directory in
            do {
                let book = try XLSXWriter(path: directory + "/dropped.xlsx")
                try book.addSheet(named: "S", columns: [XLSXColumn(header: "A")])
                try book.appendRow([.text("x")])
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)

            let path = directory + "/empty.xlsx"
            try XLSXWriter(path: path).close()
            let reader = try XLSXReader(path: path)
            #expect(reader.sheetNames == ["Sheet1"])
            #expect(try reader.rows().isEmpty)
        }
    }

    @Test("100,000 rows stream through temporary files and read back complete")
    func manyRows() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/many.xlsx"
            let book = try XLSXWriter(path: path)
            try book.addSheet(named: "Customers", columns: [
                XLSXColumn(header: "ID", kind: .integer), XLSXColumn(header: "Name"), XLSXColumn(header: "Since", kind: .date),
            ])
            let count = 100_000
            for id in 1...count {
                try book.appendRow([.integer(Int64(id)), .text("Customer \(id)"), .date(year: 2020 + id % 5, month: 1 + id % 12, day: 1 + id % 28)])
            }
            try book.close()
            var seen = 0
            var last = XLSXRow(number: 0, values: [])
            try XLSXReader(path: path, inMemoryLimit: 1024).forEachRow { row in
                seen += 1
                last = row
            }
            #expect(seen == count + 1)
            #expect(last == XLSXRow(number: count + 1, values: ["100000", "Customer 100000", "2020-05-13"]))
        }
    }
}

@Suite("XLSXMarkup")
struct XLSXMarkupTests {
    @Test("XML escaping drops what XML 1.0 cannot hold and keeps CR and Excel escapes intact")
    func escaping() {
        var out: [UInt8] = []
        XLSXMarkup.appendEscaped("a<b>&\"'\u{01}\u{FFFE}c\r\nd\t_x0041_", to: &out, protectingExcelEscapes: true)
        #expect(String(decoding: out, as: UTF8.self) == "a&lt;b&gt;&amp;&quot;&apos;c&#13;\nd\t_x005F_x0041_")
        #expect(XLSXMarkup.escaped("a\tb\nc", inAttribute: true) == "a&#9;b&#10;c")
        #expect(XLSXMarkup.unescapingExcelEscapes("_x005F_x0041_ and _x000D_ and _xZZZZ_") == "_x0041_ and \r and _xZZZZ_")
    }
}
