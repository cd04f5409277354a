import GRDB

/// The days a report covers: from its first day to its last, both included, in UTC.
///
/// ```swift
/// let q1 = try ReportWindow(from: "2025-01-01", to: "2025-03-31")
/// q1.periods(.month)      // ["2025-01", "2025-02", "2025-03"]
/// ```
///
/// Instants belong to the window when `start <= t < end`, where `end` is midnight after the last
/// day; calendar dates (`expected_close_on`) when `from <= date <= to`.
public struct ReportWindow: Codable, Sendable, Hashable {
    /// The first day, `YYYY-MM-DD`.
    public let from: String
    /// The last day, `YYYY-MM-DD`, included.
    public let to: String

    public init(from: Timestamp, to: Timestamp) throws {
        guard from.startOfDay <= to.startOfDay else {
            throw AnalysisError("the window ends (\(to.dateString)) before it starts (\(from.dateString))")
        }
        self.from = from.dateString
        self.to = to.dateString
    }

    /// A window from two dates written `YYYY-MM-DD`.
    public init(from: String, to: String) throws {
        try self.init(from: Timestamp(parsing: from), to: Timestamp(parsing: to))
    }

    /// Midnight UTC of the first day.
    public var start: Timestamp { Self.midnight(from) }
    /// Midnight UTC after the last day: the first instant outside the window.
    public var end: Timestamp { Self.midnight(to).adding(days: 1) }

    /// The labels of every period of `grain` the window touches, in order; a report lists them
    /// all, empty ones included, so that tables line up.
    public func periods(_ grain: PeriodGrain) -> [String] {
        var labels: [String] = []
        var cursor = grain.start(of: start)
        while cursor < end {
            labels.append(grain.label(of: cursor))
            cursor = grain.next(after: cursor)
        }
        return labels
    }

    /// The periods of `grain` the window touches, each clipped to the window.
    func periodRanges(_ grain: PeriodGrain) -> [PeriodRange] {
        var ranges: [PeriodRange] = []
        var cursor = grain.start(of: start)
        while cursor < end {
            let next = grain.next(after: cursor)
            let (from, to) = (max(cursor, start), min(next, end))
            ranges.append(PeriodRange(label: grain.label(of: cursor), start: from, end: to,
                                      firstDay: from.dateString, lastDay: to.adding(days: -1).dateString))
            cursor = next
        }
        return ranges
    }

    private static func midnight(_ date: String) -> Timestamp {
        // `from` and `to` were produced by `Timestamp.dateString`, so they always parse.
        (try? Timestamp(parsing: date)) ?? Timestamp(secondsSinceEpoch: 0)
    }
}

/// One period of a report's window: instants `start ..< end`, dates `firstDay ... lastDay`.
struct PeriodRange {
    let label: String
    let start: Timestamp
    let end: Timestamp
    let firstDay: String
    let lastDay: String

    /// The periods as an SQL table `p(label, start, end, first_day, last_day)` with its arguments:
    /// joined by range (`o.closed_at >= p.start AND o.closed_at < p.end`), each period is one index
    /// range scan and no date is computed per row.
    static func table(_ ranges: [PeriodRange]) -> (sql: String, arguments: StatementArguments) {
        var arguments: [String: (any DatabaseValueConvertible)?] = [:]
        let rows = ranges.enumerated().map { index, range in
            arguments["p\(index)"] = range.label
            arguments["p\(index)s"] = range.start
            arguments["p\(index)e"] = range.end
            arguments["p\(index)f"] = range.firstDay
            arguments["p\(index)l"] = range.lastDay
            return "SELECT :p\(index) AS label, :p\(index)s AS start, :p\(index)e AS \"end\", :p\(index)f AS first_day, :p\(index)l AS last_day"
        }
        return ("(" + rows.joined(separator: " UNION ALL ") + ")", StatementArguments(arguments))
    }
}

/// The length of the periods a report groups by: calendar months, quarters or years, in UTC.
///
/// Labels sort in time order: `2025-03`, `2025-Q1`, `2025`.
public enum PeriodGrain: String, Codable, Sendable, CaseIterable {
    case month, quarter, year

    /// The label of the period holding `instant`.
    public func label(of instant: Timestamp) -> String {
        let (year, month, _) = instant.civil
        switch self {
        case .month: return String(format: "%04d-%02d", year, month)
        case .quarter: return String(format: "%04d-Q%d", year, (month + 2) / 3)
        case .year: return String(format: "%04d", year)
        }
    }

    /// Midnight UTC of the first day of the period holding `instant`.
    public func start(of instant: Timestamp) -> Timestamp {
        let (year, month, _) = instant.civil
        switch self {
        case .month: return Timestamp(year: year, month: month, day: 1)
        case .quarter: return Timestamp(year: year, month: (month - 1) / 3 * 3 + 1, day: 1)
        case .year: return Timestamp(year: year, month: 1, day: 1)
        }
    }

    /// The start of the period after the one starting at `start`.
    public func next(after start: Timestamp) -> Timestamp {
        start.adding(months: months)
    }

    var months: Int {
        switch self {
        case .month: 1
        case .quarter: 3
        case .year: 12
        }
    }

    /// SQL for the label of the period holding the calendar date `date` (an expression yielding
    /// `YYYY-MM-DD` text).
    func sqlLabel(ofDate date: String) -> String {
        switch self {
        case .month: "substr(\(date), 1, 7)"
        case .quarter: "(substr(\(date), 1, 4) || '-Q' || ((CAST(substr(\(date), 6, 2) AS INTEGER) + 2) / 3))"
        case .year: "substr(\(date), 1, 4)"
        }
    }

    /// SQL for the label of the period holding the instant `instant` (Unix seconds), in UTC.
    func sqlLabel(ofInstant instant: String) -> String {
        sqlLabel(ofDate: "date(\(instant), 'unixepoch')")
    }
}
