/// One sheet being written: its rows go to a temporary file as they come, so a sheet of half
/// a million rows costs disk, not memory. The XML before and after the rows (dimension,
/// column widths, autofilter) is made at the end, when the rows are known.
final class XLSXSheetStream {
    /// Why a value cannot go into a cell; the writer adds the workbook, sheet and row.
    struct CellProblem: Error {
        var column: Int?
        var reason: String
        var suggestion: String?
    }

    /// A sheet whose rows are all written: the XML that goes before and after its rows file.
    struct Finished {
        var name: String
        var rowsPath: String
        var prefix: String
        var suffix: String
        /// The range of the header's autofilter, e.g. `$A$1:$F$15`; nil without a header.
        var filterRange: String?
    }

    let name: String
    let columns: [XLSXColumn]
    let rowsPath: String
    /// The last sheet row written; the header is row 1.
    private(set) var lastRow = 0

    private let columnStyles: [Int]
    private let columnLetters: [[UInt8]]
    private let output: OfficeFileOutput
    /// Widest value seen per column, in character widths, over the header and the first rows.
    private var measuredWidths: [Int]
    private var row: [UInt8] = []
    private static let measuredRows = 1000
    /// Excel's limit for the text of one cell, in UTF-16 units.
    static let maxTextLength = 32_767

    init(name: String, columns: [XLSXColumn], styles: inout XLSXStyleSheet, rowsPath: String) throws {
        self.name = name
        self.columns = columns
        self.rowsPath = rowsPath
        columnStyles = columns.map { styles.style(for: $0.kind) }
        columnLetters = columns.indices.map { Array(XLSXCellReference.letters(column: $0 + 1).utf8) }
        measuredWidths = columns.map { Self.displayWidth($0.header) + 2 } // room for the filter button
        output = try OfficeFileOutput(path: rowsPath)
        row.reserveCapacity(1024)
        if !columns.isEmpty {
            try append(columns.map { .text($0.header) }, style: XLSXStyleSheet.header)
        }
    }

    /// Writes one row; nothing is written when a value is refused.
    func append(_ values: [XLSXValue]) throws {
        guard values.count <= columns.count else {
            throw CellProblem(reason: "the row has \(values.count) values but the sheet has \(columns.count) columns")
        }
        try append(values, style: nil)
    }

    /// Closes the rows file and makes the XML that goes before and after it.
    func finish(isFirstSheet: Bool) throws -> Finished {
        try output.close()
        let lastColumn = XLSXCellReference.letters(column: max(columns.count, 1))
        let range = "A1:\(lastColumn)\(max(lastRow, 1))"
        var prefix = XLSXPackageParts.header
            + #"<worksheet xmlns="\#(XLSXPackageParts.mainNamespace)" xmlns:r="\#(XLSXPackageParts.relationshipsNamespace)">"#
            + #"<dimension ref="\#(columns.isEmpty && lastRow == 0 ? "A1" : range)"/>"#
            + #"<sheetViews><sheetView workbookViewId="0"\#(isFirstSheet ? #" tabSelected="1""# : "")>"#
        if !columns.isEmpty {
            // The header row stays in view while scrolling.
            prefix += #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
                + #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>"#
        }
        prefix += #"</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>"#
        if !columns.isEmpty {
            prefix += "<cols>"
            for (index, column) in columns.enumerated() {
                let width = column.width ?? Double(min(max(measuredWidths[index], 8), 60))
                prefix += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" style="\#(columnStyles[index])" customWidth="1"/>"#
            }
            prefix += "</cols>"
        }
        prefix += "<sheetData>"
        var suffix = "</sheetData>"
        let filterRange = columns.isEmpty ? nil : "$A$1:$\(lastColumn)$\(max(lastRow, 1))"
        if !columns.isEmpty { suffix += #"<autoFilter ref="\#(range)"/>"# }
        suffix += #"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#
        return Finished(name: name, rowsPath: rowsPath, prefix: prefix, suffix: suffix, filterRange: filterRange)
    }

    // MARK: - Cells

    private func append(_ values: [XLSXValue], style headerStyle: Int?) throws {
        guard lastRow < XLSXCellReference.maxRow else {
            throw CellProblem(reason: "a sheet holds at most \(XLSXCellReference.maxRow) rows",
                              suggestion: "Split the export over several sheets")
        }
        let rowNumber = lastRow + 1
        let rowDigits = Array(String(rowNumber).utf8)
        row.removeAll(keepingCapacity: true)
        appendASCII(#"<row r=""#)
        row.append(contentsOf: rowDigits)
        appendASCII(#"">"#)
        let measuring = rowNumber <= Self.measuredRows + 1
        for (index, value) in values.enumerated() {
            do {
                try appendCell(value, column: index, rowDigits: rowDigits, headerStyle: headerStyle)
            } catch var problem as CellProblem {
                problem.column = index + 1
                throw problem
            }
            if measuring { measuredWidths[index] = max(measuredWidths[index], Self.displayWidth(value)) }
        }
        appendASCII("</row>")
        try output.append(row)
        lastRow = rowNumber
    }

    private func appendCell(_ value: XLSXValue, column: Int, rowDigits: [UInt8], headerStyle: Int?) throws {
        let kind = columns[column].kind
        let decimalStyle: Int? = if case .decimal = kind { columnStyles[column] } else { nil }
        switch value {
        case .empty:
            return
        case .text(let text):
            try appendText(text, column: column, rowDigits: rowDigits, style: headerStyle ?? XLSXStyleSheet.text)
        case .integer(let number):
            appendNumber(String(number), column: column, rowDigits: rowDigits, style: decimalStyle ?? XLSXStyleSheet.integer)
        case .decimal(let number):
            guard number.isFinite else { throw CellProblem(reason: "\(number) is not a number Excel can hold") }
            appendNumber(number.description, column: column, rowDigits: rowDigits, style: decimalStyle ?? XLSXStyleSheet.general)
        case .date(let year, let month, let day):
            guard OfficeGregorian.isValid(year: year, month: month, day: day) else {
                throw CellProblem(reason: "\(year)-\(month)-\(day) is not a calendar date")
            }
            let days = OfficeGregorian.daysSince1970(year: year, month: month, day: day)
            if let serial = Self.serialDay(daysSince1970: days) {
                appendNumber(String(serial), column: column, rowDigits: rowDigits, style: XLSXStyleSheet.date)
            } else {
                try appendText(OfficeGregorian.isoDate(year: year, month: month, day: day),
                               column: column, rowDigits: rowDigits, style: XLSXStyleSheet.text)
            }
        case .dateTime(let seconds):
            let (days, secondOfDay) = OfficeGregorian.split(secondsSince1970: seconds)
            guard days <= Self.lastExcelDay else { throw CellProblem(reason: "Excel cannot hold moments after 9999-12-31") }
            if let serial = Self.serialDay(daysSince1970: days) {
                let fraction = Double(secondOfDay) / 86_400
                appendNumber((Double(serial) + fraction).description, column: column, rowDigits: rowDigits,
                             style: XLSXStyleSheet.dateTime)
            } else {
                try appendText(OfficeGregorian.isoDateTime(secondsSince1970: seconds),
                               column: column, rowDigits: rowDigits, style: XLSXStyleSheet.text)
            }
        case .boolean(let flag):
            appendCellStart(column: column, rowDigits: rowDigits, style: XLSXStyleSheet.general, type: "b")
            appendASCII(flag ? "<v>1</v></c>" : "<v>0</v></c>")
        }
    }

    private func appendText(_ text: String, column: Int, rowDigits: [UInt8], style: Int) throws {
        // A cheap bound first: UTF-16 is never longer than UTF-8.
        if text.utf8.count > Self.maxTextLength, text.utf16.count > Self.maxTextLength {
            throw CellProblem(reason: "the text has \(text.utf16.count) characters; an Excel cell holds at most \(Self.maxTextLength)",
                              suggestion: "Shorten the text before exporting it")
        }
        appendCellStart(column: column, rowDigits: rowDigits, style: style, type: "inlineStr")
        let preserve = text.first.map(\.isWhitespace) == true || text.last.map(\.isWhitespace) == true
        appendASCII(preserve ? #"<is><t xml:space="preserve">"# : "<is><t>")
        XLSXMarkup.appendEscaped(text, to: &row, protectingExcelEscapes: true)
        appendASCII("</t></is></c>")
    }

    private func appendNumber(_ digits: String, column: Int, rowDigits: [UInt8], style: Int) {
        appendCellStart(column: column, rowDigits: rowDigits, style: style, type: nil)
        appendASCII("<v>")
        row.append(contentsOf: digits.utf8)
        appendASCII("</v></c>")
    }

    private func appendCellStart(column: Int, rowDigits: [UInt8], style: Int, type: StaticString?) {
        appendASCII(#"<c r=""#)
        row.append(contentsOf: columnLetters[column])
        row.append(contentsOf: rowDigits)
        if style != XLSXStyleSheet.general {
            appendASCII(#"" s=""#)
            row.append(contentsOf: String(style).utf8)
        }
        if let type {
            appendASCII(#"" t=""#)
            appendASCII(type)
        }
        appendASCII(#"">"#)
    }

    private func appendASCII(_ text: StaticString) {
        row.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    // MARK: - Dates and widths

    /// Days from 1970-01-01 to 9999-12-31, the last day Excel shows.
    static let lastExcelDay = OfficeGregorian.daysSince1970(year: 9999, month: 12, day: 31)
    private static let firstExcelDay = OfficeGregorian.daysSince1970(year: 1900, month: 1, day: 1)
    private static let march1900 = OfficeGregorian.daysSince1970(year: 1900, month: 3, day: 1)

    /// Excel's serial number for a day, or nil before 1900 where Excel has none. Excel counts
    /// from 1899-12-30 but, copying Lotus 1-2-3, believes 1900 had a February 29th, so days
    /// before March 1900 are one less.
    static func serialDay(daysSince1970 days: Int) -> Int? {
        guard days >= firstExcelDay else { return nil }
        return days + 25_569 - (days < march1900 ? 1 : 0)
    }

    private static func displayWidth(_ value: XLSXValue) -> Int {
        switch value {
        case .text(let text): displayWidth(text)
        case .integer(let number): String(number).utf8.count
        case .decimal(let number): min(number.description.utf8.count, 15)
        case .date: 10
        case .dateTime: 16
        case .boolean: 5
        case .empty: 0
        }
    }

    /// Roughly how many digit widths the text takes: East Asian characters take two.
    private static func displayWidth(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD: width += 2
            default: width += 1
            }
            if width > 60 { break }
        }
        return width
    }
}
