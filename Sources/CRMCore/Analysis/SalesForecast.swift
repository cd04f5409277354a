import GRDB

/// The weighted forecast of open deals by the period they are expected to close in, per
/// territory, salesperson or forecast category, next to the amount already won in each period.
///
/// ```swift
/// let forecast = try SalesForecast.compute(
///     window: ReportWindow(from: "2025-07-01", to: "2025-12-31"), grain: .quarter, grouping: .category,
///     asOf: .day("2025-07-01"), as: actor, db)
/// forecast.cells       // 2025-Q3 commit: 4 deals, CNY 400,000.00, weighted CNY 300,000.00; …
/// forecast.periods     // the subtotal of each quarter
/// ```
///
/// - Open deals are those open at `asOf` in their stage at `asOf` (see `OpenDeals`) whose
///   `expected_close_on` falls in the window; each lands in the period of that date. Weighted
///   amount = amount × the stage's probability, rounded to the minor unit per cell.
/// - Won deals are deals in a won stage whose `closed_at` falls in the window and is not after
///   `asOf`; each lands in the period of its close.
/// - The forecast category is `forecast_category` when set, else derived from the stage:
///   closed_won → closed, negotiation → commit, proposal → best_case, any other → pipeline.
///   Won deals are always `closed`. Deals marked `omitted` are left out of the cells and
///   totals and counted in `omitted`.
/// - A territory is the deal's account's territory; a salesperson the deal's owner.
public struct SalesForecast: Codable, Sendable, Hashable {
    /// What the rows of each period are.
    public enum Grouping: String, Codable, Sendable, CaseIterable {
        case territory, owner, category
    }

    /// What a cell, a subtotal or the total holds.
    public struct Figures: Codable, Sendable, Hashable {
        public var openDeals: Int
        public var openAmount: Money
        public var weightedAmount: Money
        public var wonDeals: Int
        public var wonAmount: Money

        static func zero(_ currency: String) -> Figures {
            Figures(openDeals: 0, openAmount: .zero(currency), weightedAmount: .zero(currency), wonDeals: 0,
                    wonAmount: .zero(currency))
        }

        static func + (lhs: Figures, rhs: Figures) -> Figures {
            Figures(openDeals: lhs.openDeals + rhs.openDeals, openAmount: lhs.openAmount + rhs.openAmount,
                    weightedAmount: lhs.weightedAmount + rhs.weightedAmount, wonDeals: lhs.wonDeals + rhs.wonDeals,
                    wonAmount: lhs.wonAmount + rhs.wonAmount)
        }
    }

    /// One period and one group (a territory, a salesperson or a category).
    public struct Cell: Codable, Sendable, Hashable {
        public let period: String
        /// The territory's or salesperson's name, or the category.
        public let group: String
        /// The territory's or user's id; nil for categories and for deals without one.
        public let groupID: Int64?
        public let figures: Figures
    }

    /// A period's subtotal over its groups.
    public struct PeriodTotal: Codable, Sendable, Hashable {
        public let period: String
        public let figures: Figures
    }

    /// Deals outside the cells: how many and how much (not weighted).
    public struct LeftOut: Codable, Sendable, Hashable {
        public let deals: Int
        public let amount: Money
    }

    public let asOf: Timestamp
    public let window: ReportWindow
    public let grain: PeriodGrain
    public let grouping: Grouping
    public let currency: String
    public let otherCurrencies: [String]
    /// Cells with any deal, by period, then group.
    public let cells: [Cell]
    /// Every period of the window, empty ones included.
    public let periods: [PeriodTotal]
    public let total: Figures
    /// Open deals with no expected close date: in no period.
    public let undated: LeftOut
    /// Open deals in the window marked `omitted`.
    public let omitted: LeftOut

    /// The categories in the order a forecast reads, least certain first.
    public static let categoryOrder = ["pipeline", "best_case", "commit", "closed"]

    /// SQL for the category of an open deal (alias `d`, with its stage at as-of).
    static let derivedCategory = """
        COALESCE(d.forecast_category, CASE d.stage WHEN 'closed_won' THEN 'closed' WHEN 'negotiation' THEN 'commit' \
        WHEN 'proposal' THEN 'best_case' ELSE 'pipeline' END)
        """

    public static func compute(window: ReportWindow, grain: PeriodGrain, grouping: Grouping, asOf: Timestamp,
                               currency: String? = nil, as actor: CRMActor, _ db: Database) throws -> SalesForecast {
        let scope = try ReportScope(actor, report: "forecast")
        let open = try OpenDeals(asOf: asOf, db)
        let arguments: StatementArguments = ["asOf": asOf, "from": window.from, "to": window.to,
                                             "start": window.start, "end": window.end]
        let openGroup: String, wonGroup: String
        switch grouping {
        case .territory: (openGroup, wonGroup) = ("a.territory_id", "a.territory_id")
        case .owner: (openGroup, wonGroup) = ("d.owner_id", "o.owner_id")
        case .category: (openGroup, wonGroup) = (derivedCategory, "'closed'")
        }
        let accountJoin = grouping == .territory ? "LEFT JOIN accounts a ON a.id = d.account_id" : ""
        let visible = scope.opportunities("o")
        let openRows = try Row.fetchAll(db, sql: """
            SELECT \(grain.sqlLabel(ofDate: "d.expected_close_on")) AS period, \(openGroup) AS grp, d.currency,
                   count(*) AS deals, sum(d.amount_minor) AS amount, sum(d.amount_minor * d.probability) AS weighted
            FROM \(open.sql(where: "o.expected_close_on >= :from AND o.expected_close_on <= :to AND \(visible)")) d
            \(accountJoin)
            WHERE d.forecast_category IS NOT 'omitted'
            GROUP BY period, grp, d.currency
            """, arguments: arguments)
        let wonRows = try Row.fetchAll(db, sql: """
            SELECT \(grain.sqlLabel(ofInstant: "o.closed_at")) AS period, \(wonGroup) AS grp, o.currency,
                   count(*) AS deals, sum(o.amount_minor) AS amount
            FROM opportunities o JOIN opportunity_stages s ON s.name = o.stage AND s.is_won = 1
            \(grouping == .territory ? "LEFT JOIN accounts a ON a.id = o.account_id" : "")
            WHERE o.closed_at >= :start AND o.closed_at < :end AND o.closed_at <= :asOf AND \(visible)
            GROUP BY period, grp, o.currency
            """, arguments: arguments)
        let leftOutRows = try Row.fetchAll(db, sql: """
            SELECT d.expected_close_on IS NULL AS undated, d.currency, count(*) AS deals, sum(d.amount_minor) AS amount
            FROM \(open.sql(where: """
                (o.expected_close_on IS NULL OR (o.forecast_category = 'omitted' AND o.expected_close_on >= :from \
                AND o.expected_close_on <= :to)) AND \(visible)
                """)) d
            GROUP BY undated, d.currency
            """, arguments: arguments)

        let (currency, others) = try ReportCurrency(currency).resolve(
            found: (openRows + wonRows + leftOutRows).map { $0["currency"] as String })
        let names = try ReportNames.load(db)
        struct Key: Hashable { let period: String; let group: DatabaseValue }
        var cells: [Key: Figures] = [:]
        for row in openRows where row["currency"] == currency {
            let key = Key(period: row["period"], group: row["grp"])
            var figures = cells[key] ?? .zero(currency)
            figures.openDeals += row["deals"] as Int
            figures.openAmount = figures.openAmount + Money(minorUnits: row["amount"], currency: currency)
            figures.weightedAmount = figures.weightedAmount + Money(minorUnits: roundedMinor(row["weighted"]), currency: currency)
            cells[key] = figures
        }
        for row in wonRows where row["currency"] == currency {
            let key = Key(period: row["period"], group: row["grp"])
            var figures = cells[key] ?? .zero(currency)
            figures.wonDeals += row["deals"] as Int
            figures.wonAmount = figures.wonAmount + Money(minorUnits: row["amount"], currency: currency)
            cells[key] = figures
        }
        func leftOut(undated: Bool) -> LeftOut {
            let rows = leftOutRows.filter { $0["undated"] == undated && $0["currency"] == currency }
            return LeftOut(deals: rows.reduce(0) { $0 + ($1["deals"] as Int) },
                           amount: Money(minorUnits: rows.reduce(0) { $0 + ($1["amount"] as Int64) }, currency: currency))
        }

        let labelled = cells.map { key, figures -> Cell in
            switch grouping {
            case .territory:
                let id = Int64.fromDatabaseValue(key.group)
                return Cell(period: key.period, group: names.territory(id), groupID: id, figures: figures)
            case .owner:
                let id = Int64.fromDatabaseValue(key.group)
                return Cell(period: key.period, group: names.user(id), groupID: id, figures: figures)
            case .category:
                return Cell(period: key.period, group: String.fromDatabaseValue(key.group) ?? "pipeline", groupID: nil,
                            figures: figures)
            }
        }.sorted { a, b in
            if a.period != b.period { return a.period < b.period }
            if grouping == .category {
                return (categoryOrder.firstIndex(of: a.group) ?? 9, a.group) < (categoryOrder.firstIndex(of: b.group) ?? 9, b.group)
            }
            return (a.group, a.groupID ?? -1) < (b.group, b.groupID ?? -1)
        }
        let periods = window.periods(grain).map { period in
            PeriodTotal(period: period, figures: labelled.filter { $0.period == period }.reduce(.zero(currency)) { $0 + $1.figures })
        }
        return SalesForecast(
            asOf: asOf, window: window, grain: grain, grouping: grouping, currency: currency, otherCurrencies: others,
            cells: labelled, periods: periods, total: periods.reduce(.zero(currency)) { $0 + $1.figures },
            undated: leftOut(undated: true), omitted: leftOut(undated: false))
    }
}
