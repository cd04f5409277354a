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

    /// The category of an open deal: its own, or the one its stage at the as-of instant implies.
    static func category(stage: String, set: String?) -> String {
        if let set { return set }
        switch stage {
        case "closed_won": return "closed"
        case "negotiation": return "commit"
        case "proposal": return "best_case"
        default: return "pipeline"
        }
    }

    public static func compute(window: ReportWindow, grain: PeriodGrain, grouping: Grouping, asOf: Timestamp,
                               currency: String? = nil, as actor: CRMActor, _ db: Database) throws -> SalesForecast {
        let scope = try ReportScope(actor, report: "forecast")
        let open = try OpenDeals(asOf: asOf, db)
        let stages = try PipelineStages(db)
        let (periodTable, periodArguments) = PeriodRange.table(window.periodRanges(grain))
        let arguments = periodArguments + ["asOf": asOf]
        let group: String, accounts: String
        switch grouping {
        case .territory: (group, accounts) = ("a.territory_id", "LEFT JOIN accounts a ON a.id = o.account_id")
        case .owner: (group, accounts) = ("o.owner_id", "")
        case .category: (group, accounts) = ("NULL", "")
        }
        let visible = scope.opportunities("o")
        let dated = try Row.fetchAll(db, sql: open.aggregate(
            select: { stage in
                """
                p.label AS period, \(group) AS grp, \(stage) AS stage, o.forecast_category AS category, o.currency,
                count(*) AS deals, sum(o.amount_minor) AS amount
                """
            },
            from: """
                \(periodTable) p JOIN opportunities o ON o.expected_close_on >= p.first_day AND o.expected_close_on <= p.last_day
                \(accounts)
                """,
            where: visible, groupBy: "1, 2, 3, 4, 5"),
            arguments: arguments)
        let undated = try Row.fetchAll(db, sql: open.aggregate(
            select: { "\($0) AS stage, o.currency, count(*) AS deals, sum(o.amount_minor) AS amount" },
            where: "o.expected_close_on IS NULL AND \(visible)", groupBy: "1, 2"), arguments: ["asOf": asOf])
        let won = try Row.fetchAll(db, sql: """
            SELECT p.label AS period, \(group) AS grp, o.currency, count(*) AS deals, sum(o.amount_minor) AS amount
            FROM \(periodTable) p JOIN opportunities o ON o.closed_at >= p.start AND o.closed_at < p."end"
            \(accounts)
            WHERE o.stage IN \(PipelineStages.wonSQL) AND o.closed_at <= :asOf AND \(visible)
            GROUP BY 1, 2, 3
            """, arguments: arguments)

        let (currency, others) = try ReportCurrency(currency).resolve(
            found: (dated + undated + won).map { $0["currency"] as String })
        let names = try ReportNames.load(db)
        struct Key: Hashable { let period: String; let group: DatabaseValue }
        var cells: [Key: (figures: Figures, weighted: Double)] = [:]
        var omitted = (deals: 0, amount: Int64(0)), undatedSum = (deals: 0, amount: Int64(0))
        for row in dated where row["currency"] == currency {
            guard let stage = stages.open(row["stage"]) else { continue }
            let deals: Int = row["deals"], amount: Int64 = row["amount"]
            let category = category(stage: stage.name, set: row["category"])
            if category == "omitted" {
                omitted = (omitted.deals + deals, omitted.amount + amount)
                continue
            }
            let key = Key(period: row["period"], group: grouping == .category ? category.databaseValue : row["grp"])
            var cell = cells[key] ?? (.zero(currency), 0)
            cell.figures.openDeals += deals
            cell.figures.openAmount = cell.figures.openAmount + Money(minorUnits: amount, currency: currency)
            cell.weighted += Double(amount) * stage.probability
            cells[key] = cell
        }
        for row in undated where row["currency"] == currency && stages.open(row["stage"]) != nil {
            undatedSum = (undatedSum.deals + row["deals"], undatedSum.amount + row["amount"])
        }
        for row in won where row["currency"] == currency {
            let key = Key(period: row["period"], group: grouping == .category ? "closed".databaseValue : row["grp"])
            var cell = cells[key] ?? (.zero(currency), 0)
            cell.figures.wonDeals += row["deals"] as Int
            cell.figures.wonAmount = cell.figures.wonAmount + Money(minorUnits: row["amount"], currency: currency)
            cells[key] = cell
        }

        let labelled = cells.map { key, cell -> Cell in
            var figures = cell.figures
            figures.weightedAmount = Money(minorUnits: roundedMinor(cell.weighted), currency: currency)
            let id = Int64.fromDatabaseValue(key.group)
            switch grouping {
            case .territory: return Cell(period: key.period, group: names.territory(id), groupID: id, figures: figures)
            case .owner: return Cell(period: key.period, group: names.user(id), groupID: id, figures: figures)
            case .category:
                return Cell(period: key.period, group: String.fromDatabaseValue(key.group) ?? "", groupID: nil, figures: figures)
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
        func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: currency) }
        return SalesForecast(
            asOf: asOf, window: window, grain: grain, grouping: grouping, currency: currency, otherCurrencies: others,
            cells: labelled, periods: periods, total: periods.reduce(.zero(currency)) { $0 + $1.figures },
            undated: LeftOut(deals: undatedSum.deals, amount: money(undatedSum.amount)),
            omitted: LeftOut(deals: omitted.deals, amount: money(omitted.amount)))
    }
}
