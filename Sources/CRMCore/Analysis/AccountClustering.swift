import GRDB

/// A number the clustering can describe an account by, counted over the analysis window.
public enum AccountAttribute: String, Codable, Sendable, CaseIterable {
    /// Orders not cancelled.
    case orders
    /// Σ `total_minor` of those orders, in major units.
    case revenue
    /// Σ (`total_minor` − `cost_minor`) of those orders, in major units.
    case margin
    /// Tickets created.
    case tickets
    /// Activities logged on the account.
    case activities
    /// Deals won (closed in a won stage).
    case wonDeals = "won_deals"

    /// What the attribute counts, for help texts and documentation.
    public var meaning: String {
        switch self {
        case .orders: "orders not cancelled"
        case .revenue: "revenue of those orders, in major units"
        case .margin: "their margin, total − cost, in major units"
        case .tickets: "tickets created"
        case .activities: "activities logged on the account"
        case .wonDeals: "deals won"
        }
    }

    /// The set used when none is chosen: what a customer buys, earns the company and costs it in service.
    public static let standard: [AccountAttribute] = [.orders, .revenue, .margin, .tickets]
}

/// The actor's accounts clustered by k-means on chosen attributes (`KMeans`): groups of similar
/// customers, described by their mean attributes.
///
/// ```swift
/// let clustering = try AccountClustering.compute(attributes: [.orders, .revenue, .tickets], k: 4, seed: 7,
///                                                asOf: .day("2025-07-01"), as: actor, db)
/// clustering.clusters[2]     // 310 accounts (31 %): 14 orders, revenue 220,000, 1.2 tickets on average
/// ```
///
/// The attributes are counted over orders, tickets, activities and deals dated at or before
/// `asOf` (and at or after `since`, when given); order attributes count only orders in the
/// report's currency. Every account the actor may see with at least one non-zero attribute is
/// clustered (an account with no data on any attribute says nothing about itself). Attributes
/// are standardised to z-scores before clustering, so that revenue in yuan does not outweigh a
/// ticket count; centroids are reported in the attributes' own units.
public struct AccountClustering: Codable, Sendable, Hashable {
    public struct Cluster: Codable, Sendable, Hashable {
        /// 0-based; cluster 0 holds the first account by id.
        public let number: Int
        public let accounts: Int
        /// `accounts` over all accounts clustered.
        public let share: Double
        /// The mean of each attribute over the cluster's accounts, by attribute name.
        public let centroid: [String: Double]
    }

    public struct Member: Codable, Sendable, Hashable {
        public let accountID: Int64
        public let account: String
        public let cluster: Int
        public let values: [String: Double]
    }

    public let asOf: Timestamp
    public let since: Timestamp?
    public let attributes: [AccountAttribute]
    public let k: Int
    public let seed: UInt64
    public let currency: String
    public let otherCurrencies: [String]
    public let clusters: [Cluster]
    /// By account id.
    public let members: [Member]
    /// The within-cluster sum of squared distances, in standardised units.
    public let inertia: Double
    public let iterations: Int
    public let converged: Bool

    public static func compute(attributes: [AccountAttribute] = AccountAttribute.standard, k: Int, seed: UInt64,
                               asOf: Timestamp, since: Timestamp? = nil, currency requested: String? = nil,
                               as actor: CRMActor, _ db: Database) throws -> AccountClustering {
        let scope = try ReportScope(actor, report: "clustering")
        guard !attributes.isEmpty, Set(attributes).count == attributes.count else {
            throw AnalysisError("choose one or more different attributes among \(AccountAttribute.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let arguments: StatementArguments = ["asOf": asOf, "since": since?.secondsSinceEpoch ?? Int64.min]
        var values: [Int64: [Double]] = [:]
        func set(_ attribute: AccountAttribute, _ account: Int64, _ value: Double) {
            guard let index = attributes.firstIndex(of: attribute) else { return }
            values[account, default: Array(repeating: 0, count: attributes.count)][index] = value
        }

        var currency = requested ?? ReportCurrency.fallback, others: [String] = []
        if !Set(attributes).isDisjoint(with: [.orders, .revenue, .margin]) {
            let rows = try Row.fetchAll(db, sql: """
                SELECT o.account_id, o.currency, count(*) AS orders, sum(o.total_minor) AS revenue,
                       sum(o.total_minor - o.cost_minor) AS margin
                FROM orders o
                WHERE o.status <> 'cancelled' AND o.ordered_at <= :asOf AND o.ordered_at >= :since
                  AND \(scope.accountIDs("o.account_id"))
                GROUP BY o.currency, o.account_id
                """, arguments: arguments)
            (currency, others) = try ReportCurrency(requested).resolve(found: rows.map { $0["currency"] as String })
            let scale = Double(Money.scale(of: currency))
            for row in rows where row["currency"] == currency {
                set(.orders, row["account_id"], row["orders"])
                set(.revenue, row["account_id"], Double(row["revenue"] as Int64) / scale)
                set(.margin, row["account_id"], Double(row["margin"] as Int64) / scale)
            }
        }
        let counts: [(AccountAttribute, String)] = [
            (.tickets, """
                SELECT t.account_id AS id, count(*) AS n FROM tickets t
                WHERE t.created_at <= :asOf AND t.created_at >= :since AND \(scope.accountIDs("t.account_id"))
                GROUP BY t.account_id
                """),
            (.activities, """
                SELECT x.account_id AS id, count(*) AS n FROM activities x
                WHERE x.at <= :asOf AND x.at >= :since AND \(scope.accountIDs("x.account_id")) GROUP BY x.account_id
                """),
            (.wonDeals, """
                SELECT o.account_id AS id, count(*) AS n FROM opportunities o
                WHERE o.stage IN \(PipelineStages.wonSQL) AND o.closed_at <= :asOf AND o.closed_at >= :since
                  AND \(scope.accountIDs("o.account_id")) GROUP BY o.account_id
                """),
        ]
        for (attribute, sql) in counts where attributes.contains(attribute) {
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) { set(attribute, row["id"], row["n"]) }
        }

        let accounts = values.keys.filter { values[$0]!.contains { $0 != 0 } }.sorted()
        let clustering = try KMeans(k: k, seed: seed).cluster(accounts.map { values[$0]! },
                                                             featureNames: attributes.map(\.rawValue))
        let names = try accountNames(accounts, db)
        func named(_ row: [Double]) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: zip(attributes.map(\.rawValue), row))
        }
        return AccountClustering(
            asOf: asOf, since: since, attributes: attributes, k: k, seed: seed, currency: currency, otherCurrencies: others,
            clusters: clustering.centroids.indices.map {
                Cluster(number: $0, accounts: clustering.sizes[$0],
                        share: Double(clustering.sizes[$0]) / Double(max(accounts.count, 1)),
                        centroid: named(clustering.centroids[$0]))
            },
            members: zip(accounts, clustering.assignments).map { account, cluster in
                Member(accountID: account, account: names[account] ?? "", cluster: cluster, values: named(values[account]!))
            },
            inertia: clustering.inertia, iterations: clustering.iterations, converged: clustering.converged)
    }
}

/// The names of the given accounts.
func accountNames(_ ids: [Int64], _ db: Database) throws -> [Int64: String] {
    guard !ids.isEmpty else { return [:] }
    var names: [Int64: String] = [:]
    // Chunks keep each statement under SQLite's limit on bound parameters.
    for start in stride(from: 0, to: ids.count, by: 500) {
        let chunk = Array(ids[start..<min(start + 500, ids.count)])
        for row in try Row.fetchAll(db, sql: """
            SELECT id, name FROM accounts WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
            """, arguments: StatementArguments(chunk)) {
            names[row["id"]] = row["name"]
        }
    }
    return names
}
