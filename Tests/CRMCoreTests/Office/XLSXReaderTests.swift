@testable import CRMCore
import Foundation
import Testing

/// Zips `parts` (path in the package → content) into a file with Python's zipfile, so the
/// package does not come from the code under test.
private func zipParts(_ parts: [String: String], to path: String) throws {
    let json = try JSONSerialization.data(withJSONObject: parts)
    _ = try runOfficeTool(["python3", "-c", """
        import json, sys, zipfile
        parts = json.load(sys.stdin)
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in parts.items():
                z.writestr(name, text)
        """, path], input: json)
}

private let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
private let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/// A workbook as Excel writes one, with the things a reader trips over: rich text and
/// phonetic runs in shared strings, `_xHHHH_` escapes, formulas with cached values, errors,
/// built-in and custom date formats, a currency format that is not a date, cells without
/// references, sparse rows, styled empty cells, a relationship with an absolute target
/// and a sheet whose elements carry a namespace prefix.
private func excelStyleParts(date1904: Bool) -> [String: String] {
    [
        "[Content_Types].xml": #"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>
            """#,
        "_rels/.rels": #"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """#,
        "xl/workbook.xml": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="\(mainNamespace)" xmlns:r="\(relationshipsNamespace)"><workbookPr date1904="\(date1904 ? "1" : "0")"/>
            <sheets><sheet name="Data" sheetId="1" r:id="rId1"/><sheet name="Other" sheetId="2" r:id="rId2"/></sheets></workbook>
            """,
        "xl/_rels/workbook.xml.rels": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="\(relationshipsNamespace)/worksheet" Target="worksheets/sheet1.xml"/>
            <Relationship Id="rId2" Type="\(relationshipsNamespace)/worksheet" Target="/xl/worksheets/sheet2.xml"/>
            <Relationship Id="rId3" Type="\(relationshipsNamespace)/sharedStrings" Target="sharedStrings.xml"/>
            <Relationship Id="rId4" Type="\(relationshipsNamespace)/styles" Target="styles.xml"/>
            </Relationships>
            """,
        "xl/sharedStrings.xml": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="\(mainNamespace)" count="5" uniqueCount="5">
            <si><t>plain</t></si>
            <si><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r></si>
            <si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>
            <si><t>line_x000D_break</t></si>
            <si><t>&lt;tag&gt; &amp; more</t></si>
            </sst>
            """,
        "xl/styles.xml": #"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <numFmts count="3"><numFmt numFmtId="164" formatCode="[$-409]d\-mmm\-yy;@"/><numFmt numFmtId="165" formatCode="#,##0.00\ &quot;€&quot;"/><numFmt numFmtId="166" formatCode="h:mm;@"/></numFmts>
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
            <cellXfs count="7"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/><xf numFmtId="22" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" xfId="0" applyNumberFormat="1"/></cellXfs>
            </styleSheet>
            """#,
        "xl/worksheets/sheet1.xml": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="\(mainNamespace)" xmlns:r="\(relationshipsNamespace)"><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
            <row r="3"><c r="A3"><v>42</v></c><c r="B3" s="4"><v>3.5</v></c><c r="C3" t="b"><v>1</v></c><c r="D3" t="e"><v>#DIV/0!</v></c><c r="E3"><f>A3*2</f><v>84</v></c><c r="F3" t="str"><f>"x"&amp;"y"</f><v>xy</v></c></row>
            <row r="4"><c r="A4" s="1"><v>45326</v></c><c r="B4" s="2"><v>45326.5</v></c><c r="C4" s="3"><v>45326</v></c><c r="D4" s="5"><v>0.75</v></c><c r="E4" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c><c r="F4" t="s"><v>2</v></c><c r="G4" t="s"><v>3</v></c><c r="H4" t="s"><v>4</v></c></row>
            <row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>
            <row r="7"/>
            <row r="8"><c r="Z8" t="inlineStr"><is><t>end</t></is></c></row>
            <row r="9"><c r="A9" s="6"/><c r="B9" s="6"/></row>
            </sheetData></worksheet>
            """,
        "xl/worksheets/sheet2.xml": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <x:worksheet xmlns:x="\(mainNamespace)"><x:sheetData><x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>
            """,
    ]
}

@Suite("XLSXReader")
struct XLSXReaderTests {
    @Test("reads what Excel writes: shared and rich text, formulas' cached values, dates by format, sparse rows",
          arguments: [(false, 8 * 1024 * 1024), (false, 0), (true, 8 * 1024 * 1024)])
    func excelStyleWorkbook(date1904: Bool, inMemoryLimit: Int) throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/excel.xlsx"
            try zipParts(excelStyleParts(date1904: date1904), to: path)
            let reader = try XLSXReader(path: path, inMemoryLimit: inMemoryLimit)
            #expect(reader.sheetNames == ["Data", "Other"])
            let rows = try reader.rows()
            #expect(rows.map(\.number) == [1, 3, 4, 5, 8])
            #expect(rows[0].values == ["plain", "", "Bold and plain"])
            #expect(rows[1].values == ["42", "3.5", "TRUE", "#DIV/0!", "84", "xy"])
            let day = date1904 ? "2028-02-05" : "2024-02-04"
            #expect(rows[2].values == [day, day + "T12:00:00Z", day, "18:00:00", "inline", "東京", "line\rbreak", "<tag> & more"])
            #expect(rows[3].values == ["x", "1"])
            #expect(rows[4].values == Array(repeating: "", count: 25) + ["end"])
            #expect(try reader.rows(inSheet: "Other") == [XLSXRow(number: 2, values: ["", "prefixed"])])
            #expect(try reader.rows(inSheet: "other").count == 1) // names match ignoring case as a fallback
        }
    }

    @Test("reads what openpyxl writes")
    func openpyxlWorkbook() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/openpyxl.xlsx"
            _ = try runOfficeTool(["python3", "-c", """
                import sys, datetime, openpyxl
                from openpyxl.cell.rich_text import CellRichText, TextBlock
                from openpyxl.cell.text import InlineFont
                wb = openpyxl.Workbook()
                ws = wb.active
                ws.title = "Kunden"
                ws.append(["Name", "Seit", "Umsatz", "Aktiv", "Kontakt"])
                ws.append(["Müller, Anna", datetime.date(2023, 12, 1), 1234.56, True, datetime.datetime(2024, 1, 2, 3, 4, 5)])
                ws["A3"] = CellRichText(["Rich ", TextBlock(InlineFont(b=True), "text")])
                ws["D5"] = "2/4"
                ws["B5"] = 7
                wb.create_sheet("Notes")["A1"] = "note"
                wb.save(sys.argv[1])
                """, path])
            let reader = try XLSXReader(path: path)
            #expect(reader.sheetNames == ["Kunden", "Notes"])
            #expect(try reader.rows().map(\.values) == [
                ["Name", "Seit", "Umsatz", "Aktiv", "Kontakt"],
                ["Müller, Anna", "2023-12-01", "1234.56", "TRUE", "2024-01-02T03:04:05Z"],
                ["Rich text"],
                ["", "7", "", "2/4"],
            ])
            #expect(try reader.rows().map(\.number) == [1, 2, 3, 5])
            #expect(try reader.rows(inSheet: "Notes").map(\.values) == [["note"]])
        }
    }

    @Test("a missing sheet is named along with the sheets there are")
    func missingSheet() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/excel.xlsx"
            try zipParts(excelStyleParts(date1904: false), to: path)
            let error = try #require(throws: XLSXError.self) { try XLSXReader(path: path).rows(inSheet: "Kunden") }
            #expect(error.code == .sheetNotFound)
            #expect(error.description == "\(path): there is no sheet named \"Kunden\". The workbook has \"Data\", \"Other\"")
        }
    }

    @Test("files that are not workbooks say what they are")
    func notWorkbooks() throws {
        try withOfficeScratchDirectory { directory in
            let csv = try writeOfficeFixture("name,city\nWang,Beijing\n", named: "customers.xlsx", in: directory)
            let csvError = try #require(throws: XLSXError.self) { try XLSXReader(path: csv) }
            #expect(csvError.code == .notAnXLSXFile)
            #expect(csvError.suggestion?.contains("CSV") == true)

            let xls = try writeOfficeFixture([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504),
                                             named: "old.xls", in: directory)
            let xlsError = try #require(throws: XLSXError.self) { try XLSXReader(path: xls) }
            #expect(xlsError.code == .notAnXLSXFile)
            #expect(xlsError.reason.contains(".xls"))

            let docx = directory + "/letter.docx"
            try zipParts(["word/document.xml": "<w:document/>"], to: docx)
            let docxError = try #require(throws: XLSXError.self) { try XLSXReader(path: docx) }
            #expect(docxError.code == .notAnXLSXFile)
            #expect(docxError.reason.contains("Word document"))

            let missing = try #require(throws: XLSXError.self) { try XLSXReader(path: directory + "/nothing.xlsx") }
            #expect(missing.code == .fileUnreadable)
        }
    }

    @Test("broken XML in a sheet is reported with the sheet's name")
    func brokenSheet() throws {
        try withOfficeScratchDirectory { directory in
            var parts = excelStyleParts(date1904: false)
            parts["xl/worksheets/sheet1.xml"] = "<worksheet xmlns=\"\(mainNamespace)\"><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></row>"
            let path = directory + "/broken.xlsx"
            try zipParts(parts, to: path)
            let error = try #require(throws: XLSXError.self) { try XLSXReader(path: path).rows() }
            #expect(error.code == .malformedWorkbook)
            #expect(error.sheet == "Data")
        }
    }

    @Test("an error thrown while handling a row stops reading and comes back unchanged")
    func callerErrorsPassThrough() throws {
        struct Stop: Error, Equatable {}
        try withOfficeScratchDirectory { directory in
            let path = directory + "/excel.xlsx"
            try zipParts(excelStyleParts(date1904: false), to: path)
            var seen: [Int] = []
            #expect(throws: Stop()) {
                try XLSXReader(path: path).forEachRow { row in
                    seen.append(row.number)
                    if row.number == 3 { throw Stop() }
                }
            }
            #expect(seen == [1, 3])
        }
    }

    @Test("date formats are told from number formats", arguments: [
        ("yyyy-mm-dd", XLSXDateKind.date), ("d/m/yy", .date), ("mmm yyyy", .date), ("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", .date),
        ("yyyy\"年\"m\"月\"d\"日\"", .date), ("yyyy-mm-dd hh:mm", .dateTime), ("m/d/yy h:mm AM/PM", .dateTime),
        ("h:mm", .time), ("[h]:mm:ss", .time), ("mm:ss.0", .time),
        ("General", .notADate), ("0.00", .notADate), ("#,##0.00\\ \"€\"", .notADate), ("0.00E+00", .notADate),
        ("@", .notADate), ("[Red]0.00;[Blue]-0.00", .notADate), ("0\" days\"", .notADate),
    ])
    func dateFormats(code: String, kind: XLSXDateKind) {
        #expect(XLSXDateKind(formatCode: code) == kind)
    }
}
