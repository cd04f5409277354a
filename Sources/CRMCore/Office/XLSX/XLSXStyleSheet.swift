/// The cell formats of a workbook we write, and `xl/styles.xml` for them.
///
/// A fixed set (header, text, integer, date, date-time) plus one format per number of
/// decimal places a column asks for. Custom number formats start at id 164, as Excel's do.
struct XLSXStyleSheet {
    /// Indexes into `cellXfs`, the `s` attribute of a cell.
    static let general = 0
    static let header = 1
    static let text = 2
    static let integer = 3
    static let date = 4
    static let dateTime = 5

    static let dateFormat = "yyyy-mm-dd"
    static let dateTimeFormat = "yyyy-mm-dd hh:mm"

    /// Decimal places → style index, in the order they were asked for.
    private var decimalStyles: [(places: Int, style: Int)] = []

    /// The style a column's cells and its `<col>` get.
    mutating func style(for kind: XLSXColumnKind) -> Int {
        switch kind {
        case .text: Self.text
        case .integer: Self.integer
        case .decimal(let places): decimalStyle(places: places)
        case .date: Self.date
        case .dateTime: Self.dateTime
        case .boolean: Self.general
        }
    }

    private mutating func decimalStyle(places: Int) -> Int {
        if let existing = decimalStyles.first(where: { $0.places == places }) { return existing.style }
        let style = Self.dateTime + 1 + decimalStyles.count
        decimalStyles.append((places, style))
        return style
    }

    var xml: String {
        // Built-in formats: 0 General, 1 "0", 2 "0.00", 49 "@".
        var customFormats = [(id: 164, code: Self.dateFormat), (id: 165, code: Self.dateTimeFormat)]
        var decimalFormatIDs: [Int] = []
        for (places, _) in decimalStyles {
            switch places {
            case 0: decimalFormatIDs.append(1)
            case 2: decimalFormatIDs.append(2)
            default:
                let id = 164 + customFormats.count
                customFormats.append((id, "0." + String(repeating: "0", count: places)))
                decimalFormatIDs.append(id)
            }
        }
        var cellFormats = [
            #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
            #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
            #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
            #"<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
            #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
            #"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
        ]
        for id in decimalFormatIDs {
            cellFormats.append(#"<xf numFmtId="\#(id)" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#)
        }
        let numberFormats = customFormats.map {
            #"<numFmt numFmtId="\#($0.id)" formatCode="\#(XLSXMarkup.escaped($0.code, inAttribute: true))"/>"#
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <numFmts count="\(numberFormats.count)">\(numberFormats.joined())</numFmts>\
            <fonts count="2">\
            <font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
            <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
            </fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="\(cellFormats.count)">\(cellFormats.joined())</cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
            <dxfs count="0"/>\
            <tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>\
            </styleSheet>
            """
    }
}
