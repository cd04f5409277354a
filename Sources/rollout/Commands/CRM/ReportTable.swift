import CRMCore
import Foundation

/// A text table for reports: a header, rows, optional rule lines, numbers right-aligned.
///
/// ```swift
/// var table = ReportTable(["Stage", "Deals>", "Amount>"])   // ">" right-aligns a column
/// table.row(["proposal", "14", "1,120,000.00"])
/// print(table.rendered())
/// ```
struct ReportTable {
    private let titles: [String]
    private let rightAligned: [Bool]
    private var rows: [[String]?] = []   // nil: a rule line

    init(_ columns: [String]) {
        titles = columns.map { $0.hasSuffix(">") ? String($0.dropLast()) : $0 }
        rightAligned = columns.map { $0.hasSuffix(">") }
    }

    mutating func row(_ cells: [String]) { rows.append(cells) }
    mutating func rule() { rows.append(nil) }

    func rendered(indent: String = "  ") -> String {
        var widths = titles.map(\.count)
        for row in rows.compactMap({ $0 }) {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return rightAligned[i] ? pad + cell : cell + pad
            }
            return indent + padded.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let ruleLine = indent + String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        return ([line(titles), ruleLine] + rows.map { $0.map(line) ?? ruleLine }).joined(separator: "\n")
    }
}

/// How reports write numbers for people.
enum ReportText {
    /// `1,234,567.89`: the amount without its currency, which the report's title names.
    static func amount(_ money: Money) -> String {
        money.formatted.replacingOccurrences(of: money.currency + " ", with: "")
    }

    static func amount(_ money: Money?) -> String { money.map(amount) ?? "-" }

    /// `62.5 %`, or `-` when unknown.
    static func percent(_ share: Double?) -> String {
        share.map { String(format: "%.1f %%", $0 * 100) } ?? "-"
    }

    /// `1.85`, or `-` when unknown.
    static func ratio(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? "-"
    }

    /// `488,460.8`: a mean or other measured quantity, to one decimal.
    static func decimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded(.toNearestOrAwayFromZero))
        let sign = tenths < 0 ? "-" : ""
        return sign + count(abs(tenths) / 10) + "." + String(abs(tenths) % 10)
    }

    /// `12,345`.
    static func count(_ value: Int) -> String {
        var digits = String(value.magnitude), grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return (value < 0 ? "-" : "") + digits + grouped
    }

    /// A note naming the currencies left out, or nothing.
    static func otherCurrencies(_ others: [String]) -> String {
        others.isEmpty ? "" : "\n  (records in \(others.joined(separator: ", ")) are not included: choose with --currency)"
    }
}
