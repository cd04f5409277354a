import Foundation
import GRDBSQLite

/// Why the sandbox refused or stopped a query, in words the playbook's author can act on.
public struct SQLSandboxError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The query does something other than read the published views.
        case refused
        /// It ran past the time limit and was stopped.
        case timeLimit
        /// SQLite rejected it (a syntax error, an unknown column).
        case invalid
        /// The workspace could not be opened read-only.
        case unavailable
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// Runs untrusted SQL — a playbook's custom metric, a plugin's metric — on a read-only
/// connection of its own, where SQLite's authorizer allows only `SELECT` on the published
/// `v_*` views and a progress handler stops it at a time limit.
///
/// The connection is opened with `SQLITE_OPEN_READONLY`, so even a statement the authorizer
/// missed could not write; the authorizer is what makes the refusals clear and keeps the query
/// away from tables that are not published (the audit log, the engine's state, personal data).
/// It sees the last committed state of the workspace.
///
/// ```swift
/// let sandbox = try SQLSandbox(path: "rollout.sqlite", timeLimit: 5)
/// let values = try sandbox.doubles("SELECT value FROM (SELECT 1.0 AS value FROM v_leads)", arguments: [:])
/// ```
public final class SQLSandbox {
    /// A value bound to a named parameter (`:users`, `:from`).
    public enum Argument: Sendable, Hashable {
        case integer(Int64)
        case real(Double)
        case text(String)
    }

    public let timeLimit: TimeInterval
    private let connection: OpaquePointer
    private let guardState: Guard

    /// A value of a result row.
    public enum Value: Sendable, Hashable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
    }

    /// Opens the workspace database at `path` read-only. With `namespace` (a plugin's, for its
    /// queries), the plugin's own tables (`<namespace>_…`) are readable too.
    public init(path: String, timeLimit: TimeInterval, namespace: String? = nil) throws {
        self.timeLimit = timeLimit
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw SQLSandboxError(kind: .unavailable, message: "cannot open \(path) read-only: \(message)")
        }
        connection = handle
        sqlite3_busy_timeout(handle, 10_000)
        let guardState = Guard()
        guardState.namespace = namespace
        self.guardState = guardState
        // Setting an authorizer makes SQLite read the schema again, so it is set while the guard
        // still allows everything; the names of the real tables then tell a table from a common
        // table expression's name.
        sqlite3_set_authorizer(handle, { context, action, first, second, _, source in
            Unmanaged<Guard>.fromOpaque(context!).takeUnretainedValue()
                .authorize(action, first.map(String.init(cString:)), second.map(String.init(cString:)),
                           source.map(String.init(cString:)))
        }, Unmanaged.passUnretained(guardState).toOpaque())
        // Every stored property is set: if this throws, deinit closes the connection.
        let statement = try Self.prepare(handle, "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')")
        defer { sqlite3_finalize(statement) }
        while sqlite3_step(statement) == SQLITE_ROW {
            guardState.tables.insert(String(cString: sqlite3_column_text(statement, 0)))
        }
        // The views plugins published (their migrations record them), with each one's namespace.
        if guardState.tables.contains("plugin_views") {
            let views = try Self.prepare(handle, "SELECT name, namespace FROM plugin_views")
            defer { sqlite3_finalize(views) }
            while sqlite3_step(views) == SQLITE_ROW {
                guardState.pluginViews[String(cString: sqlite3_column_text(views, 0))] =
                    String(cString: sqlite3_column_text(views, 1))
            }
        }
        guardState.strict = true
        sqlite3_progress_handler(handle, 1_000, { context in
            Unmanaged<Guard>.fromOpaque(context!).takeUnretainedValue().pastDeadline ? 1 : 0
        }, Unmanaged.passUnretained(guardState).toOpaque())
    }

    deinit {
        sqlite3_close_v2(connection)
    }

    /// The first column of every row of `sql`, as numbers; NULLs are skipped.
    public func doubles(_ sql: String, arguments: [String: Argument]) throws -> [Double] {
        var values: [Double] = []
        try run(sql, arguments: arguments) { statement in
            if sqlite3_column_type(statement, 0) != SQLITE_NULL {
                values.append(sqlite3_column_double(statement, 0))
            }
        }
        return values
    }

    /// Every row of `sql` with its column names: what a plugin's query gets.
    public func rows(_ sql: String, arguments: [String: Argument], limit: Int = 100_000) throws
        -> (columns: [String], rows: [[Value]])
    {
        var columns: [String] = []
        var rows: [[Value]] = []
        try run(sql, arguments: arguments) { statement in
            let count = sqlite3_column_count(statement)
            if columns.isEmpty {
                columns = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
            }
            guard rows.count < limit else { return }
            rows.append((0..<count).map { index in
                switch sqlite3_column_type(statement, index) {
                case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, index))
                case SQLITE_FLOAT: .real(sqlite3_column_double(statement, index))
                case SQLITE_NULL: .null
                default: .text(String(cString: sqlite3_column_text(statement, index)))
                }
            })
        }
        if rows.count >= limit {
            throw SQLSandboxError(kind: .refused, message: "it returned more than \(limit) rows; aggregate in SQL or page "
                + "with LIMIT/OFFSET")
        }
        return (columns, rows)
    }

    /// Compiles `sql` under the sandbox's rules without running it: what `rollout check` asks.
    public func check(_ sql: String) throws {
        guardState.reset()
        do {
            sqlite3_finalize(try Self.prepare(connection, sql))
        } catch let error as SQLSandboxError {
            if let refusal = guardState.refusal { throw SQLSandboxError(kind: .refused, message: refusal) }
            throw error
        }
    }

    private func run(_ sql: String, arguments: [String: Argument], row: (OpaquePointer) -> Void) throws {
        guardState.reset()
        let statement: OpaquePointer
        do {
            statement = try Self.prepare(connection, sql)
        } catch let error as SQLSandboxError {
            if let refusal = guardState.refusal {
                throw SQLSandboxError(kind: .refused, message: refusal)
            }
            throw error
        }
        defer { sqlite3_finalize(statement) }
        try bind(arguments, to: statement)
        guardState.deadline = Date().addingTimeInterval(timeLimit)
        defer { guardState.deadline = nil }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                row(statement)
            case SQLITE_DONE:
                return
            case SQLITE_INTERRUPT:
                throw SQLSandboxError(kind: .timeLimit, message: "it ran longer than the time limit of "
                    + "\(Self.seconds(timeLimit)) and was stopped")
            default:
                throw SQLSandboxError(kind: .invalid, message: String(cString: sqlite3_errmsg(connection)))
            }
        }
    }

    private func bind(_ arguments: [String: Argument], to statement: OpaquePointer) throws {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for index in 0..<sqlite3_bind_parameter_count(statement) {
            guard let raw = sqlite3_bind_parameter_name(statement, index + 1) else { continue }
            let name = String(String(cString: raw).dropFirst())
            guard let argument = arguments[name] else {
                throw SQLSandboxError(kind: .invalid, message: "it uses the parameter :\(name), which is not one "
                    + "of \(arguments.keys.sorted().map { ":" + $0 }.joined(separator: ", "))")
            }
            switch argument {
            case .integer(let v): sqlite3_bind_int64(statement, index + 1, v)
            case .real(let v): sqlite3_bind_double(statement, index + 1, v)
            case .text(let v): sqlite3_bind_text(statement, index + 1, v, -1, transient)
            }
        }
    }

    /// Prepares exactly one statement: anything after it but blanks and comments is refused, so
    /// a query cannot smuggle a second statement past a wrapper.
    private static func prepare(_ connection: OpaquePointer, _ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        var rest = ""
        let code = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(connection, text, -1, &statement, &tail)
            if let tail { rest = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            let message = code == SQLITE_OK ? "there is no statement" : String(cString: sqlite3_errmsg(connection))
            throw SQLSandboxError(kind: .invalid, message: message)
        }
        if !Self.isBlank(rest) {
            sqlite3_finalize(statement)
            throw SQLSandboxError(kind: .refused, message: "it holds more than one statement; a metric is one SELECT")
        }
        return statement
    }

    /// True when `sql` holds only whitespace, semicolons and comments.
    static func isBlank(_ sql: String) -> Bool {
        var rest = Substring(sql)
        while let first = rest.first {
            if first.isWhitespace || first == ";" {
                rest = rest.dropFirst()
            } else if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*"), let end = rest.range(of: "*/") {
                rest = rest[end.upperBound...]
            } else {
                return false
            }
        }
        return true
    }

    static func seconds(_ interval: TimeInterval) -> String {
        interval == interval.rounded() ? "\(Int(interval)) s" : String(format: "%.2f s", interval)
    }
}

/// The sandbox's authorizer and deadline: what SQLite asks while it compiles and runs a query.
private final class Guard {
    var tables: Set<String> = []
    /// Views published by plugins → the plugin's namespace.
    var pluginViews: [String: String] = [:]
    /// A plugin's namespace when the sandbox runs that plugin's queries.
    var namespace: String?
    /// False while the sandbox reads the schema on opening.
    var strict = false
    var deadline: Date?
    /// The first thing refused while compiling the current query.
    var refusal: String?
    /// Tables read through a published view: a bare row count of them (`COUNT(*)`) is allowed.
    private var readThroughViews: Set<String> = []

    /// SQLite rereads the schema (an internal update of sqlite_schema, then a read of its rowid)
    /// when another connection changed it; that is allowed, on a connection that cannot write.
    private var readingSchema = false

    func reset() {
        refusal = nil
        readThroughViews = []
    }

    var pastDeadline: Bool {
        deadline.map { Date() > $0 } ?? false
    }

    func authorize(_ action: Int32, _ first: String?, _ second: String?, _ source: String?) -> Int32 {
        guard strict else { return SQLITE_OK }
        if action == SQLITE_UPDATE && (first == "sqlite_master" || first == "sqlite_schema") {
            readingSchema = true
            return SQLITE_OK
        }
        if readingSchema && action == SQLITE_READ && first == "sqlite_master" && second == "ROWID" {
            readingSchema = false
            return SQLITE_OK
        }
        switch action {
        case SQLITE_SELECT, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_FUNCTION:
            if second == "load_extension" { return refuse("it calls load_extension") }
            return SQLITE_OK
        case SQLITE_READ:
            return read(table: first ?? "", column: second ?? "", source: source)
        case SQLITE_PRAGMA:
            return refuse("it runs PRAGMA \(first ?? ""); a metric may only read the published v_* views")
        case SQLITE_ATTACH, SQLITE_DETACH:
            return refuse("it attaches or detaches a database; a metric may only read the published v_* views "
                + "of its workspace")
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            let verb = action == SQLITE_INSERT ? "inserts into" : action == SQLITE_UPDATE ? "updates" : "deletes from"
            return refuse("it \(verb) \(first ?? "a table"); a metric is read-only")
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            return refuse("it controls a transaction; a metric is one SELECT")
        default:
            return refuse("it changes the database (action \(action)); a metric is one SELECT on the published "
                + "v_* views")
        }
    }

    private func read(table: String, column: String, source: String?) -> Int32 {
        if PublishedView.named(table) != nil || pluginViews[table] != nil { return SQLITE_OK }
        if let source, PublishedView.named(source) != nil {
            readThroughViews.insert(table)
            return SQLITE_OK
        }
        // A plugin's view may read its plugin's tables, nothing else unpublished.
        if let source, let owner = pluginViews[source] {
            guard table.hasPrefix(owner + "_") else {
                return refuse("the plugin view \(source) reads \(table), which is neither its plugin's table nor a "
                    + "published view")
            }
            readThroughViews.insert(table)
            return SQLITE_OK
        }
        if let namespace, table.hasPrefix(namespace + "_") { return SQLITE_OK }
        if column.isEmpty && readThroughViews.contains(table) { return SQLITE_OK }
        if table == "json_each" || table == "json_tree" { return SQLITE_OK }
        // A common table expression's or subquery's name is no table of the schema.
        if !tables.contains(table) && !table.hasPrefix("sqlite_") && !table.hasPrefix("pragma_") { return SQLITE_OK }
        if table.hasPrefix("pragma_") {
            return refuse("it runs PRAGMA \(table.dropFirst(7)); a metric may only read the published v_* views")
        }
        var message = "it reads \(table), which is not a published view; a metric may only read the v_* views"
        if PublishedView.named("v_" + table) != nil { message += " (use v_\(table))" }
        return refuse(message)
    }

    private func refuse(_ message: String) -> Int32 {
        if refusal == nil { refusal = message }
        return SQLITE_DENY
    }
}
