import CRMCore
import Foundation
import GRDB

/// Every row of every table as text, tables and rows in a fixed order: two databases with
/// the same dump hold the same state. Used to prove that an interrupted and resumed run ends
/// exactly where an uninterrupted one does.
public enum DatabaseDump {
    public static func dump(_ db: Database) throws -> String {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name
            """)
        var out = ""
        for table in tables {
            out += "## \(table)\n"
            let columns = try db.columns(in: table).map(\.name)
            let order = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY \(order)") {
                out += columns.map { row[$0].map { "\($0)" } ?? "NULL" }.map { (v: String) in v }.joined(separator: "|") + "\n"
            }
        }
        return out
    }

    /// The dump of the database file at `path`, opened read-only.
    public static func dump(path: String) throws -> String {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: config)
        return try queue.read { try dump($0) }
    }
}
