import CRMCore
import Foundation
import GRDB
import GRDBSQLite
import Playbook

/// One KPI measured on one group over one window.
public struct KPIMeasurement: Sendable, Hashable, Codable {
    public var kpiID: String
    public var group: GroupKey
    /// nil when the group had no unit of analysis in the window (no leads, no tickets…).
    public var value: Double?
    /// How many units (leads, tickets, users) the value is computed from.
    public var sampleSize: Int
    public var windowFrom: Timestamp
    public var windowTo: Timestamp

    public init(kpiID: String, group: GroupKey, value: Double?, sampleSize: Int, windowFrom: Timestamp, windowTo: Timestamp) {
        self.kpiID = kpiID
        self.group = group
        self.value = value
        self.sampleSize = sampleSize
        self.windowFrom = windowFrom
        self.windowTo = windowTo
    }
}

/// What went wrong measuring a KPI.
public struct MetricsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Measures playbook KPIs on the CRM data of a workspace.
///
/// ```swift
/// let measurer = KPIMeasurer(catalog: .builtIn)
/// let m = try measurer.measure(kpi, users: [1, 2, 3], group: .all, at: now, db)
/// ```
public struct KPIMeasurer: Sendable {
    public var catalog: MetricCatalog
    /// How long a custom SQL metric may run before the sandbox stops it.
    public var sqlTimeLimit: TimeInterval

    public init(catalog: MetricCatalog, sqlTimeLimit: TimeInterval = 10) {
        self.catalog = catalog
        self.sqlTimeLimit = sqlTimeLimit
    }

    /// The per-unit values of `kpi`'s metric for `users` in the window ending at `at`.
    public func unitValues(of kpi: KPIDefinition, users: [Int64], at: Timestamp, _ db: Database) throws
        -> (values: [Double], from: Timestamp, to: Timestamp)
    {
        let from = at.adding(days: -kpi.windowDays)
        if let sql = kpi.sql {
            return (try sqlValues(sql, of: kpi, users: users, from: from, to: at, db), from, at)
        }
        guard let metricID = kpi.metric?.id, let metric = catalog.metric(metricID) else {
            throw MetricsError("KPI '\(kpi.id)' uses metric '\(kpi.metric?.id ?? "")', which is not in the catalog")
        }
        if case .plugin(let plugin) = metric.source {
            let sql = KPIDefinition.SQLMetric(query: metric.sql, location: kpi.metric?.location ?? kpi.location)
            return (try sqlValues(sql, of: kpi, users: users, from: from, to: at, db,
                                  origin: "metric '\(metric.id)' of plugin '\(plugin)'"), from, at)
        }
        let parameters: [String: any DatabaseValueConvertible] = [
            "from": from.secondsSinceEpoch,
            "to": at.secondsSinceEpoch,
            "users": Self.jsonArray(users),
            "working_days": max(1, Self.workingDays(from: from, to: at)),
        ]
        // Metrics use only the parameters they need; SQLite rejects unknown names, so pass the
        // ones the statement declares.
        let statement = try db.cachedStatement(sql: metric.sql)
        let declared = Set((0..<sqlite3_bind_parameter_count(statement.sqliteStatement)).compactMap { index in
            sqlite3_bind_parameter_name(statement.sqliteStatement, index + 1).map { String(String(cString: $0).dropFirst()) }
        })
        let used = parameters.filter { declared.contains($0.key) }
        // A unit whose value is NULL (nothing to compute it from) is left out, like an absent unit.
        let values = try Double?.fetchAll(statement, arguments: StatementArguments(used)).compactMap { $0 }
        return (values, from, at)
    }

    /// `kpi` measured for `users` over its window ending at `at`.
    public func measure(_ kpi: KPIDefinition, users: [Int64], group: GroupKey, at: Timestamp, _ db: Database) throws
        -> KPIMeasurement
    {
        let (values, from, to) = try unitValues(of: kpi, users: users, at: at, db)
        let aggregate = kpi.aggregate ?? kpi.metric.flatMap { catalog.metric($0.id) }?.defaultAggregate ?? .mean
        return KPIMeasurement(kpiID: kpi.id, group: group, value: aggregate.apply(to: values),
                              sampleSize: values.count, windowFrom: from, windowTo: to)
    }

    /// A custom SQL metric's values: its rows (`user_id`, `at`, `value`) of the group's users in
    /// the window, read in the `SQLSandbox` (read-only, published `v_*` views only, time limit).
    private func sqlValues(_ sql: KPIDefinition.SQLMetric, of kpi: KPIDefinition, users: [Int64], from: Timestamp,
                           to: Timestamp, _ db: Database, origin: String? = nil) throws -> [Double] {
        let wrapped = Self.wrapped(sql.query)
        func failure(_ reason: String) -> MetricsError {
            MetricsError("\(sql.location): the SQL of KPI '\(kpi.id)'" + (origin.map { " (\($0))" } ?? "") + " \(reason)")
        }
        guard let path = Self.databaseFile(db) else {
            throw failure("cannot run: custom SQL metrics run on a read-only connection to a workspace file, "
                          + "and this database is in memory")
        }
        do {
            let sandbox = try SQLSandbox(path: path, timeLimit: sqlTimeLimit)
            return try sandbox.doubles(wrapped, arguments: [
                "users": .text(Self.jsonArray(users)), "from": .integer(from.secondsSinceEpoch),
                "to": .integer(to.secondsSinceEpoch),
            ])
        } catch let error as SQLSandboxError {
            switch error.kind {
            case .refused, .timeLimit, .unavailable:
                throw failure("was refused: \(error.message)")
            case .invalid:
                throw failure("failed: \(error.message) (it must be one SELECT on the published v_* views "
                              + "returning the columns user_id, at and value)")
            }
        }
    }

    /// A custom metric's query as it runs: its rows of the group's users in the window.
    public static func wrapped(_ query: String) -> String {
        """
        SELECT CAST(metric.value AS REAL) FROM (
        \(withoutTrailingSemicolons(query))
        ) AS metric
        WHERE metric.value IS NOT NULL
          AND metric.user_id IN (SELECT value FROM json_each(:users))
          AND metric.at >= :from AND metric.at < :to
        """
    }

    /// The file of the main database of `db`; nil when it is in memory.
    static func databaseFile(_ db: Database) -> String? {
        guard let name = sqlite3_db_filename(db.sqliteConnection, "main") else { return nil }
        let path = String(cString: name)
        return path.isEmpty ? nil : path
    }

    static func withoutTrailingSemicolons(_ query: String) -> String {
        var query = Substring(query)
        while let last = query.last, last.isWhitespace || last == ";" { query = query.dropLast() }
        return String(query)
    }

    /// Monday-to-Friday days in `[from, to)`, counted by calendar day in UTC.
    public static func workingDays(from: Timestamp, to: Timestamp) -> Int {
        var count = 0
        var day = from.startOfDay
        if day < from { day = day.adding(days: 1) }
        while day < to {
            if day.isoWeekday <= 5 { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    static func jsonArray(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }
}
