#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif
import GRDB

/// A prepared statement that bulk work executes hundreds of thousands of times — the demo
/// generator's inserts, an import row's duplicate probe and insert — binding each value straight
/// onto the SQLite statement through GRDB's `StatementBinding`.
///
/// `Statement.execute(arguments:)` builds a `StatementArguments` array of existentials and
/// converts it to `DatabaseValue`s for every row; in the generator that was a quarter of the time.
/// Here a parameter pack binds each value with its own type's `bind(to:at:)`, and GRDB still
/// executes the statement (`execute()`), so its transaction bookkeeping and observers see it.
///
/// ```swift
/// let insert = try BulkStatement(db, sql: "INSERT INTO teams (id, name, kind) VALUES (?, ?, ?)")
/// try insert.execute(Int64(1), "East Sales", "sales")
/// ```
struct BulkStatement {
    private let statement: Statement
    /// The `?` placeholders of the SQL: every execution must bind exactly this many values, or a
    /// value of the previous row would silently stay bound.
    private let parameterCount: Int

    /// - Parameter sql: one statement with positional `?` placeholders only.
    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        parameterCount = sql.reduce(0) { $1 == "?" ? $0 + 1 : $0 }
    }

    func execute<each Value: StatementBinding>(_ values: repeat each Value) throws {
        // Resets the statement (SQLite binds only to a reset statement) and leaves GRDB with no
        // arguments of its own, marked valid, so that `execute()` runs what is bound below.
        statement.setUncheckedArguments([])
        var index: CInt = 1
        for value in repeat each values {
            let code = value.bind(to: statement.sqliteStatement, at: index)
            guard code == ResultCode.SQLITE_OK.rawValue else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind value \(index)",
                                    sql: statement.sql)
            }
            index += 1
        }
        guard Int(index) - 1 == parameterCount else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE,
                                message: "\(index - 1) values for \(parameterCount) parameters", sql: statement.sql)
        }
        try statement.execute()
    }

    /// Executes with values known only at run time (an import's columns vary by file).
    func execute(_ values: [DatabaseValue]) throws {
        try bind(values)
        try statement.execute()
    }

    /// The first column of the first row as an integer, or nil without a row: a probe read
    /// straight from SQLite (a read needs none of GRDB's transaction bookkeeping).
    func integer(_ values: [DatabaseValue]) throws -> Int64? {
        try bind(values)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                                sql: statement.sql)
        }
        return sqlite3_column_type(handle, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 0)
    }

    private func bind(_ values: [DatabaseValue]) throws {
        guard values.count == parameterCount else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(values.count) values for \(parameterCount) parameters",
                                sql: statement.sql)
        }
        statement.setUncheckedArguments([])
        for (index, value) in values.enumerated() {
            let code = value.bind(to: statement.sqliteStatement, at: CInt(index + 1))
            guard code == ResultCode.SQLITE_OK.rawValue else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind value \(index + 1)",
                                    sql: statement.sql)
            }
        }
    }
}
