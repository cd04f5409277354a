/// How big a demo CRM to generate: the head count of each team, and with it every volume.
///
/// `small` is what `rollout demo` and the tests use (about 210 000 rows over two years);
/// `medium` has three times the people; `large` ten times, plus a customer base of small
/// customers (`DemoCustomerBase`) that brings it to the product's volumes: about 100 000
/// accounts, 300 000 contacts, a million activities, 200 000 tickets and 500 000 orders.
public enum DemoScale: String, CaseIterable, Sendable, Codable {
    case small, medium, large

    /// People per team relative to `small`.
    var headcountMultiplier: Int {
        switch self {
        case .small: 1
        case .medium: 3
        case .large: 10
        }
    }
}

/// What demo CRM history to generate: its size, its seed, and the project's timeline that the
/// staff's behaviour follows.
///
/// The two East teams are the pilot group and change their way of working from `pilotStart`;
/// everyone, the West control teams too, changes from `cutover`. The same plan always gives the
/// same data, row for row.
///
/// ```swift
/// let plan = DemoDataPlan(scale: .small, seed: 42,
///                         historyStart: try Timestamp(parsing: "2024-03-04"),
///                         end: try Timestamp(parsing: "2026-01-05"),
///                         pilotStart: try Timestamp(parsing: "2025-05-05"),
///                         cutover: try Timestamp(parsing: "2025-09-01"))
/// ```
public struct DemoDataPlan: Sendable, Hashable, Codable {
    public var scale: DemoScale
    public var seed: UInt64
    /// The first instant of data: nothing is dated before it.
    public var historyStart: Timestamp
    /// No record is dated at or after this instant; work still under way then stays open.
    public var end: Timestamp
    /// The pilot teams (East Sales, East Service) work the new way from here, ramping in over 21 days.
    public var pilotStart: Timestamp
    /// Everyone works the new way from here, ramping in over 28 days.
    public var cutover: Timestamp
    /// The ISO 4217 code of opportunity amounts.
    public var currency: String

    public init(scale: DemoScale = .small, seed: UInt64 = 42, historyStart: Timestamp, end: Timestamp,
                pilotStart: Timestamp, cutover: Timestamp, currency: String = "CNY") {
        self.scale = scale
        self.seed = seed
        self.historyStart = historyStart
        self.end = end
        self.pilotStart = pilotStart
        self.cutover = cutover
        self.currency = currency
    }

    /// The teams that change at `pilotStart`: the pilot ("model") group.
    public static let pilotTeams = ["East Sales", "East Service"]
    /// The teams that change only at `cutover`: the control group.
    public static let controlTeams = ["West Sales", "West Service"]

    /// Throws when the plan cannot describe a history: an empty span, a pilot after the
    /// cut-over, a currency that is not a three-letter code.
    public func validate() throws {
        var problems: [String] = []
        if end <= historyStart {
            problems.append("end (\(end)) must be after historyStart (\(historyStart))")
        }
        if pilotStart < historyStart {
            problems.append("pilotStart (\(pilotStart)) must not be before historyStart (\(historyStart)): "
                + "there would be no history before the pilot to compare with")
        }
        if cutover < pilotStart {
            problems.append("cutover (\(cutover)) must not be before pilotStart (\(pilotStart))")
        }
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            problems.append("currency '\(currency)' is not an ISO 4217 code such as CNY")
        }
        if !problems.isEmpty {
            throw DemoDataError(.invalidPlan(problems))
        }
    }
}

/// Why demo data could not be generated, in words a user can act on.
public struct DemoDataError: Error, CustomStringConvertible, Sendable, Hashable {
    enum Reason: Sendable, Hashable {
        /// Tables that already hold rows, with their counts, in schema order.
        case crmNotEmpty([TableCount])
        case invalidPlan([String])
    }

    struct TableCount: Sendable, Hashable {
        var table: String
        var rows: Int
    }

    let reason: Reason

    init(_ reason: Reason) {
        self.reason = reason
    }

    /// True when the CRM already held data, so nothing was generated.
    public var crmWasNotEmpty: Bool {
        if case .crmNotEmpty = reason { return true }
        return false
    }

    public var description: String {
        switch reason {
        case .crmNotEmpty(let tables):
            let list = tables.map { "\($0.table): \($0.rows)" }.joined(separator: ", ")
            return """
                demo data is generated only into an empty CRM, and this one already holds rows (\(list)); \
                nothing was written — use a new workspace for the demo
                """
        case .invalidPlan(let problems):
            return "invalid demo data plan: " + problems.joined(separator: "; ")
        }
    }
}
