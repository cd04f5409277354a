import GRDB

/// What each salesperson earned in commission per period, from `commission_rules`, with the
/// rules that applied.
///
/// ```swift
/// let statement = try CommissionStatement.compute(
///     window: ReportWindow(from: "2025-01-01", to: "2025-03-31"), grain: .month, as: actor, db)
/// statement.salespeople[0].total.commission   // CNY 12,400.00
/// ```
///
/// - The orders: fulfilled orders with `ordered_at` in the window, by owner and period.
/// - The rule of an order: among the rules valid on the order's date (UTC; `valid_from_on` and
///   `valid_to_on` both included, NULL meaning open) that apply to its owner, the most specific
///   wins: a rule naming the user and the user's job role > one naming the user > one naming the
///   job role > one for everyone. Among equally specific rules, the one valid from the latest
///   date, then the highest id. A rule naming a user and a job role applies only when both match.
/// - The basis: revenue = `total_minor`; margin = `total_minor − cost_minor`.
/// - Commission = basis × `rate_percent` / 100, summed per salesperson, period and rule, then
///   rounded half away from zero to the minor unit; subtotals add the rounded amounts.
/// - Orders no rule applies to earn nothing and are counted in `ordersWithoutRule`.
public struct CommissionStatement: Codable, Sendable, Hashable {
    public struct Figures: Codable, Sendable, Hashable {
        public var orders = 0
        public var revenue: Money
        public var margin: Money
        public var commission: Money
        public var ordersWithoutRule = 0

        init(currency: String) {
            revenue = .zero(currency)
            margin = .zero(currency)
            commission = .zero(currency)
        }

        static func + (lhs: Figures, rhs: Figures) -> Figures {
            var sum = lhs
            sum.orders += rhs.orders
            sum.revenue = sum.revenue + rhs.revenue
            sum.margin = sum.margin + rhs.margin
            sum.commission = sum.commission + rhs.commission
            sum.ordersWithoutRule += rhs.ordersWithoutRule
            return sum
        }
    }

    /// The orders one rule paid commission on, in one period.
    public struct RuleLine: Codable, Sendable, Hashable {
        public let ruleID: Int64
        public let rule: String
        /// `revenue` or `margin`.
        public let basis: String
        public let ratePercent: Double
        public let orders: Int
        public let basisAmount: Money
        public let commission: Money
    }

    public struct PeriodLine: Codable, Sendable, Hashable {
        public let period: String
        public let figures: Figures
        /// By rule id.
        public let rules: [RuleLine]
    }

    public struct Salesperson: Codable, Sendable, Hashable {
        /// Nil for orders without an owner.
        public let id: Int64?
        public let name: String
        public let jobRole: String?
        /// Periods with orders, in order.
        public let periods: [PeriodLine]
        public let total: Figures
    }

    public let window: ReportWindow
    public let grain: PeriodGrain
    public let currency: String
    public let otherCurrencies: [String]
    /// By name; orders without an owner last.
    public let salespeople: [Salesperson]
    public let total: Figures

    public static func compute(window: ReportWindow, grain: PeriodGrain, currency: String? = nil, as actor: CRMActor,
                               _ db: Database) throws -> CommissionStatement {
        let scope = try ReportScope(actor, report: "commission")
        let orderDate = "date(o.ordered_at, 'unixepoch')"
        let rows = try Row.fetchAll(db, sql: """
            SELECT o.owner_id, \(grain.sqlLabel(ofInstant: "o.ordered_at")) AS period, o.currency,
                   (SELECT r.id FROM commission_rules r
                    WHERE (r.user_id IS NULL OR r.user_id = o.owner_id)
                      AND (r.job_role IS NULL OR r.job_role = u.job_role)
                      AND (r.valid_from_on IS NULL OR r.valid_from_on <= \(orderDate))
                      AND (r.valid_to_on IS NULL OR r.valid_to_on >= \(orderDate))
                    ORDER BY (r.user_id IS NOT NULL) * 2 + (r.job_role IS NOT NULL) DESC, r.valid_from_on DESC, r.id DESC
                    LIMIT 1) AS rule_id,
                   count(*) AS orders, sum(o.total_minor) AS revenue, sum(o.total_minor - o.cost_minor) AS margin
            FROM orders o LEFT JOIN users u ON u.id = o.owner_id
            WHERE o.status = 'fulfilled' AND o.ordered_at >= :start AND o.ordered_at < :end AND \(scope.orders("o"))
            GROUP BY 1, 2, 3, 4
            """, arguments: ["start": window.start, "end": window.end])
        let (currency, others) = try ReportCurrency(currency).resolve(found: rows.map { $0["currency"] as String })
        let rules = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
            SELECT id, name, basis, rate_percent FROM commission_rules
            """).map { ($0["id"] as Int64, $0) })
        let people = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, name, job_role FROM users")
            .map { ($0["id"] as Int64, (name: $0["name"] as String, jobRole: $0["job_role"] as String)) })

        struct Key: Hashable { let owner: Int64?; let period: String }
        var lines: [Key: (figures: Figures, rules: [RuleLine])] = [:]
        for row in rows where row["currency"] == currency {
            let key = Key(owner: row["owner_id"], period: row["period"])
            var line = lines[key] ?? (Figures(currency: currency), [])
            let orders: Int = row["orders"]
            let revenue = Money(minorUnits: row["revenue"], currency: currency)
            let margin = Money(minorUnits: row["margin"], currency: currency)
            line.figures.orders += orders
            line.figures.revenue = line.figures.revenue + revenue
            line.figures.margin = line.figures.margin + margin
            if let ruleID: Int64 = row["rule_id"], let rule = rules[ruleID] {
                let basis: String = rule["basis"]
                let rate: Double = rule["rate_percent"]
                let basisAmount = basis == "margin" ? margin : revenue
                let commission = Money(minorUnits: roundedMinor(Double(basisAmount.minorUnits) * rate / 100), currency: currency)
                line.figures.commission = line.figures.commission + commission
                line.rules.append(RuleLine(ruleID: ruleID, rule: rule["name"], basis: basis, ratePercent: rate, orders: orders,
                                           basisAmount: basisAmount, commission: commission))
            } else {
                line.figures.ordersWithoutRule += orders
            }
            lines[key] = line
        }

        let byOwner = Dictionary(grouping: lines, by: \.key.owner)
        func name(_ owner: Int64?) -> String { owner.flatMap { people[$0]?.name } ?? ReportNames.noOwner }
        let salespeople = byOwner.keys.sorted { ($0 == nil ? 1 : 0, name($0), $0 ?? 0) < ($1 == nil ? 1 : 0, name($1), $1 ?? 0) }
            .map { owner -> Salesperson in
                let periods = byOwner[owner]!.sorted { $0.key.period < $1.key.period }.map {
                    PeriodLine(period: $0.key.period, figures: $0.value.figures, rules: $0.value.rules.sorted { $0.ruleID < $1.ruleID })
                }
                return Salesperson(id: owner, name: name(owner), jobRole: owner.flatMap { people[$0]?.jobRole },
                                   periods: periods, total: periods.reduce(Figures(currency: currency)) { $0 + $1.figures })
            }
        return CommissionStatement(window: window, grain: grain, currency: currency, otherCurrencies: others,
                                   salespeople: salespeople,
                                   total: salespeople.reduce(Figures(currency: currency)) { $0 + $1.total })
    }
}
