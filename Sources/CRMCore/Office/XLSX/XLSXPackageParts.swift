/// The fixed parts of a workbook package around its sheets, in the form Excel writes them.
enum XLSXPackageParts {
    static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func sheetPath(_ number: Int) -> String { "xl/worksheets/sheet\(number).xml" }

    static func contentTypes(sheetCount: Int) -> String {
        let sheets = (1...sheetCount).map {
            #"<Override PartName="/\#(sheetPath($0))" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }
        return header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
            + sheets.joined()
            + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
            + #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
            + #"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
            + "</Types>"
    }

    static let packageRelationships = header
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
        + #"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#
        + "</Relationships>"

    static func appProperties(sheetNames: [String]) -> String {
        let titles = sheetNames.map { "<vt:lpstr>\(XLSXMarkup.escaped($0))</vt:lpstr>" }.joined()
        return header
            + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#
            + "<Application>Rollout</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
            + #"<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>"#
            + "<vt:variant><vt:i4>\(sheetNames.count)</vt:i4></vt:variant></vt:vector></HeadingPairs>"
            + #"<TitlesOfParts><vt:vector size="\#(sheetNames.count)" baseType="lpstr">\#(titles)</vt:vector></TitlesOfParts>"#
            + "</Properties>"
    }

    /// `created` is an ISO 8601 UTC moment such as `2025-03-04T09:30:00Z`.
    static func coreProperties(created: String) -> String {
        header
            + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#
            + #"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#
            + #"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
            + "<dc:creator>Rollout</dc:creator>"
            + #"<dcterms:created xsi:type="dcterms:W3CDTF">\#(created)</dcterms:created>"#
            + #"<dcterms:modified xsi:type="dcterms:W3CDTF">\#(created)</dcterms:modified>"#
            + "</cp:coreProperties>"
    }

    /// The sheet list, and for each sheet with a header the range its autofilter covers,
    /// which Excel keeps in a hidden defined name.
    static func workbook(sheets: [XLSXSheetStream.Finished]) -> String {
        var xml = header + #"<workbook xmlns="\#(mainNamespace)" xmlns:r="\#(relationshipsNamespace)">"#
            + "<workbookPr/>"
            + #"<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="17600" activeTab="0"/></bookViews>"#
            + "<sheets>"
        for (index, sheet) in sheets.enumerated() {
            xml += #"<sheet name="\#(XLSXMarkup.escaped(sheet.name, inAttribute: true))" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }
        xml += "</sheets>"
        let filters = sheets.enumerated().compactMap { index, sheet -> String? in
            guard let range = sheet.filterRange else { return nil }
            // In a formula a sheet name is quoted with apostrophes, and an apostrophe in it doubled.
            let quotedName = sheet.name.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''")
            let reference = "'" + quotedName + "'!" + range
            return #"<definedName name="_xlnm._FilterDatabase" localSheetId="\#(index)" hidden="1">"#
                + XLSXMarkup.escaped(reference) + "</definedName>"
        }
        if !filters.isEmpty { xml += "<definedNames>" + filters.joined() + "</definedNames>" }
        return xml + "</workbook>"
    }

    static func workbookRelationships(sheetCount: Int) -> String {
        var xml = header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for number in 1...sheetCount {
            xml += #"<Relationship Id="rId\#(number)" Type="\#(relationshipsNamespace)/worksheet" Target="worksheets/sheet\#(number).xml"/>"#
        }
        xml += #"<Relationship Id="rId\#(sheetCount + 1)" Type="\#(relationshipsNamespace)/styles" Target="styles.xml"/>"#
        return xml + "</Relationships>"
    }
}
