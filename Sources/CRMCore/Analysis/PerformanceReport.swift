import GRDB

/// Sales performance by region, period and salesperson, OLAP-style: every territory with the
/// figures of its whole subtree (a parent includes its children), every salesperson, each split
/// by period, with period subtotals and a grand total.
///
/// ```swift
/// let performance = try PerformanceReport.compute(
///     window: ReportWindow(from: "2025-01-01", to: "2025-12-31"), grain: .quarter, as: actor, db)
/// performance.territories[0]    // China: Q1 … Q4 and the year, East and North included
/// performance.salespeople       // the same measures per deal, order, activity and lead owner
/// ```
///
/// The measures, over the window:
/// - won deals and won amount: opportunities in a won stage with `closed_at` in the window;
/// - orders and orders revenue: orders not cancelled (open or fulfilled) with `ordered_at` in
///   the window, `total_minor` summed;
/// - activities: activities with `at` in the window;
/// - leads converted: leads with status `converted` and `converted_at` in the window.
///
/// A record's territory is that of its account (the lead's converted account); its salesperson
/// is its owner. Records without a territory roll up into a line of their own, `(no territory)`.
/// Only records the actor may see count. Territories are listed when their subtree has any
/// figure, and, for an actor limited to territories, when they are the actor's.
public struct PerformanceReport: Codable, Sendable, Hashable {
    public struct Measures: Codable, Sendable, Hashable {
        public var wonDeals = 0
        public var wonAmount: Money
        public var orders = 0
        public var ordersRevenue: Money
        public var activities = 0
        public var leadsConverted = 0

        init(currency: String) {
            wonAmount = .zero(currency)
            ordersRevenue = .zero(currency)
        }

        var isEmpty: Bool { wonDeals == 0 && orders == 0 && activities == 0 && leadsConverted == 0 }

        static func + (lhs: Measures, rhs: Measures) -> Measures {
            var sum = lhs
            sum.wonDeals += rhs.wonDeals
            sum.wonAmount = sum.wonAmount + rhs.wonAmount
            sum.orders += rhs.orders
            sum.ordersRevenue = sum.ordersRevenue + rhs.ordersRevenue
            sum.activities += rhs.activities
            sum.leadsConverted += rhs.leadsConverted
            return sum
        }
    }

    public struct PeriodMeasures: Codable, Sendable, Hashable {
        public let period: String
        public let measures: Measures
    }

    /// A territory (with its subtree) or a salesperson, per period and in total.
    public struct Line: Codable, Sendable, Hashable {
        /// The territory or user; nil for `(no territory)` and `(no owner)`.
        public let id: Int64?
        public let name: String
        /// For territories: the parent's id, and the depth in the tree (0 for a top territory).
        public let parentID: Int64?
        public let depth: Int
        /// One entry per period of the window, empty ones included.
        public let byPeriod: [PeriodMeasures]
        public let total: Measures
        /// For territories: the records of this territory's own accounts, children excluded.
        public let ownTotal: Measures?
    }

    public let window: ReportWindow
    public let grain: PeriodGrain
    public let currency: String
    public let otherCurrencies: [String]
    /// Territories depth-first (parents first, siblings by name), then `(no territory)`.
    public let territories: [Line]
    /// Salespeople by name, then `(no owner)`.
    public let salespeople: [Line]
    /// The subtotal of each period over everything.
    public let periods: [PeriodMeasures]
    public let total: Measures

    private struct FactKey: Hashable {
        let territoryID: Int64?
        let ownerID: Int64?
        let period: String
    }

    public static func compute(window: ReportWindow, grain: PeriodGrain, currency: String? = nil, as actor: CRMActor,
                               _ db: Database) throws -> PerformanceReport {
        let scope = try ReportScope(actor, report: "performance")
        let arguments: StatementArguments = ["start": window.start, "end": window.end]
        func facts(_ sql: String) throws -> [Row] { try Row.fetchAll(db, sql: sql, arguments: arguments) }
        let won = try facts("""
            SELECT a.territory_id, o.owner_id, \(grain.sqlLabel(ofInstant: "o.closed_at")) AS period, o.currency,
                   count(*) AS n, sum(o.amount_minor) AS amount
            FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id
            WHERE o.stage IN \(PipelineStages.wonSQL) AND o.closed_at >= :start AND o.closed_at < :end AND \(scope.opportunities("o"))
            GROUP BY 1, 2, 3, 4
            """)
        let orders = try facts("""
            SELECT a.territory_id, o.owner_id, \(grain.sqlLabel(ofInstant: "o.ordered_at")) AS period, o.currency,
                   count(*) AS n, sum(o.total_minor) AS amount
            FROM orders o LEFT JOIN accounts a ON a.id = o.account_id
            WHERE o.ordered_at >= :start AND o.ordered_at < :end AND o.status <> 'cancelled' AND \(scope.orders("o"))
            GROUP BY 1, 2, 3, 4
            """)
        let activities = try facts("""
            SELECT a.territory_id, x.owner_id, \(grain.sqlLabel(ofInstant: "x.at")) AS period, count(*) AS n
            FROM activities x LEFT JOIN accounts a ON a.id = x.account_id
            WHERE x.at >= :start AND x.at < :end AND \(scope.activities("x"))
            GROUP BY 1, 2, 3
            """)
        let leads = try facts("""
            SELECT a.territory_id, l.owner_id, \(grain.sqlLabel(ofInstant: "l.converted_at")) AS period, count(*) AS n
            FROM leads l LEFT JOIN accounts a ON a.id = l.converted_account_id
            WHERE l.status = 'converted' AND l.converted_at >= :start AND l.converted_at < :end AND \(scope.leads("l"))
            GROUP BY 1, 2, 3
            """)
        let (currency, others) = try ReportCurrency(currency).resolve(found: (won + orders).map { $0["currency"] as String })

        var cube: [FactKey: Measures] = [:]
        func add(_ rows: [Row], _ apply: (inout Measures, Row) -> Void) {
            for row in rows {
                let key = FactKey(territoryID: row["territory_id"], ownerID: row["owner_id"], period: row["period"])
                var measures = cube[key] ?? Measures(currency: currency)
                apply(&measures, row)
                cube[key] = measures
            }
        }
        add(won.filter { $0["currency"] == currency }) {
            $0.wonDeals += $1["n"] as Int
            $0.wonAmount = $0.wonAmount + Money(minorUnits: $1["amount"], currency: currency)
        }
        add(orders.filter { $0["currency"] == currency }) {
            $0.orders += $1["n"] as Int
            $0.ordersRevenue = $0.ordersRevenue + Money(minorUnits: $1["amount"], currency: currency)
        }
        add(activities) { $0.activities += $1["n"] as Int }
        add(leads) { $0.leadsConverted += $1["n"] as Int }

        let periods = window.periods(grain)
        let empty = Measures(currency: currency)
        func perPeriod(_ cells: [FactKey: Measures]) -> [PeriodMeasures] {
            var sums: [String: Measures] = [:]
            for (key, measures) in cells { sums[key.period] = (sums[key.period] ?? empty) + measures }
            return periods.map { PeriodMeasures(period: $0, measures: sums[$0] ?? empty) }
        }
        func total(_ cells: [FactKey: Measures]) -> Measures { cells.values.reduce(empty, +) }

        // Territories: each fact counts in its territory and every territory above it.
        let tree = try TerritoryTree.load(db)
        var subtree: [Int64: [FactKey: Measures]] = [:]
        var own: [Int64?: [FactKey: Measures]] = [:]
        for (key, measures) in cube {
            own[key.territoryID, default: [:]][key] = measures
            for id in key.territoryID.map(tree.selfAndAncestors(of:)) ?? [] { subtree[id, default: [:]][key] = measures }
        }
        var territories = tree.ordered.compactMap { node, depth -> Line? in
            let cells = subtree[node.id] ?? [:]
            guard !cells.isEmpty || scope.isEverything || scope.scope.territoryIDs.contains(node.id) else { return nil }
            return Line(id: node.id, name: node.name, parentID: node.parentID, depth: depth, byPeriod: perPeriod(cells),
                        total: total(cells), ownTotal: total(own[node.id] ?? [:]))
        }
        // Facts whose territory is unknown to the tree (none, or a dangling id) form one more line.
        let listed = Set(tree.ordered.map(\.node.id))
        let homeless = cube.filter { key, _ in key.territoryID.map { !listed.contains($0) } ?? true }
        if !homeless.isEmpty {
            territories.append(Line(id: nil, name: ReportNames.noTerritory, parentID: nil, depth: 0,
                                    byPeriod: perPeriod(homeless), total: total(homeless), ownTotal: total(homeless)))
        }

        let names = try ReportNames.load(db)
        var byOwner: [Int64?: [FactKey: Measures]] = [:]
        for (key, measures) in cube { byOwner[key.ownerID, default: [:]][key] = measures }
        let salespeople = byOwner.keys.sorted { ($0 == nil ? 1 : 0, names.user($0)) < ($1 == nil ? 1 : 0, names.user($1)) }
            .map { owner -> Line in
                let cells = byOwner[owner]!
                return Line(id: owner, name: names.user(owner), parentID: nil, depth: 0, byPeriod: perPeriod(cells),
                            total: total(cells), ownTotal: nil)
            }
        return PerformanceReport(window: window, grain: grain, currency: currency, otherCurrencies: others,
                                 territories: territories, salespeople: salespeople, periods: perPeriod(cube),
                                 total: total(cube))
    }
}
