#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif
import GRDB

/// A prepared statement run through SQLite's C API — bind, step, reset — for the hot loops of
/// bulk work (an import row's duplicate probe and insert), where GRDB's per-call conveniences
/// (argument validation, cursors, row objects) cost more than SQLite's own work.
struct RawStatement {
    let statement: Statement
    let database: Database

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        database = db
    }

    /// Runs a statement that writes; throws `DatabaseError` (constraint violations included).
    func execute(_ values: [DatabaseValue]) throws {
        try bind(values)
        defer { sqlite3_reset(statement.sqliteStatement) }
        let code = sqlite3_step(statement.sqliteStatement)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw error(code) }
    }

    /// The first column of the first row as an integer, or nil without a row.
    func integer(_ values: [DatabaseValue]) throws -> Int64? {
        try bind(values)
        defer { sqlite3_reset(statement.sqliteStatement) }
        let code = sqlite3_step(statement.sqliteStatement)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw error(code) }
        if sqlite3_column_type(statement.sqliteStatement, 0) == SQLITE_NULL { return nil }
        return sqlite3_column_int64(statement.sqliteStatement, 0)
    }

    private func bind(_ values: [DatabaseValue]) throws {
        let handle = statement.sqliteStatement
        for (index, value) in values.enumerated() {
            let code = value.bind(to: handle, at: CInt(index + 1))
            guard code == SQLITE_OK else { throw error(code) }
        }
    }

    private func error(_ code: CInt) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: database.lastErrorMessage, sql: statement.sql)
    }
}
