import CRMCore
import Foundation
import GRDB
import PluginHost
import PluginKit

/// Applies the writes a plugin's action returned, in the caller's transaction, after checking
/// each against the plugin's manifest:
///
/// - `insert`, `update`, `delete` on the plugin's own tables (`<namespace>_…`), or on a table a
///   `write:TABLE` permission names; the host builds the SQL from the table and column names,
///   which must exist, and binds every value. Each row changed is in the audit trail with the
///   plugin as actor.
/// - `create` of a CRM record through `CRMStore` (validation, the entity's rules, audit trail,
///   process triggers), with the permission `create:ENTITY`.
///
/// A write that is not allowed or does not fit the table throws, and the step's transaction
/// rolls back with everything the action wrote.
struct PluginWrites {
    let manifest: PluginManifest
    let at: Timestamp

    private var actor: String { "plugin:\(manifest.id)" }

    /// A summary of what was applied ("3 rows inserted, 1 activity created"), empty for nothing.
    func apply(_ writes: [PluginWrite], _ db: Database) throws -> String {
        var counts: [String: Int] = [:]
        var checked: Set<String> = []
        // An action often writes hundreds of rows to one table: check each table once.
        func checkTable(_ table: String) throws {
            if checked.insert(table).inserted { try self.checkTable(table, db) }
        }
        for write in writes {
            switch write {
            case .insert(let table, let values, let onConflict):
                try checkTable(table)
                let columns = try checkColumns(Array(values.keys), of: table, db)
                let verb = switch onConflict {
                case nil: "INSERT"
                case "ignore": "INSERT OR IGNORE"
                case "replace": "INSERT OR REPLACE"
                default: throw refusal("on_conflict is ignore or replace, not '\(onConflict!)'")
                }
                try db.execute(sql: "\(verb) INTO \(table.quotedDatabaseIdentifier) ("
                    + columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ") + ") VALUES ("
                    + columns.map { _ in "?" }.joined(separator: ", ") + ")",
                    arguments: StatementArguments(columns.map { Self.databaseValue(values[$0]!) }))
                if db.changesCount > 0 {
                    counts["inserted", default: 0] += 1
                    try audit(table, action: "create", recordID: db.lastInsertedRowID, values: values, db)
                }
            case .update(let table, let set, let match):
                try checkTable(table)
                let columns = try checkColumns(Array(set.keys), of: table, db)
                let keys = try checkColumns(Array(match.keys), of: table, db)
                guard !keys.isEmpty else { throw refusal("an update of \(table) needs a `where`") }
                try db.execute(sql: "UPDATE \(table.quotedDatabaseIdentifier) SET "
                    + columns.map { "\($0.quotedDatabaseIdentifier) = ?" }.joined(separator: ", ") + " WHERE "
                    + keys.map { "\($0.quotedDatabaseIdentifier) IS ?" }.joined(separator: " AND "),
                    arguments: StatementArguments(columns.map { Self.databaseValue(set[$0]!) }
                        + keys.map { Self.databaseValue(match[$0]!) }))
                if db.changesCount > 0 {
                    counts["updated", default: 0] += db.changesCount
                    try audit(table, action: "update", recordID: nil, values: set.merging(match) { a, _ in a }, db)
                }
            case .delete(let table, let match):
                try checkTable(table)
                let keys = try checkColumns(Array(match.keys), of: table, db)
                guard !keys.isEmpty else { throw refusal("a delete from \(table) needs a `where`") }
                try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier) WHERE "
                    + keys.map { "\($0.quotedDatabaseIdentifier) IS ?" }.joined(separator: " AND "),
                    arguments: StatementArguments(keys.map { Self.databaseValue(match[$0]!) }))
                if db.changesCount > 0 {
                    counts["deleted", default: 0] += db.changesCount
                    try audit(table, action: "delete", recordID: nil, values: match, db)
                }
            case .create(let name, let fields):
                guard let entity = EntityCatalog.entity(named: name) else {
                    throw refusal("cannot create a '\(name)': no such CRM entity")
                }
                guard manifest.permits("create", entity.name) else {
                    throw refusal("may not create a \(entity.name): its plugin.yaml does not grant `create:\(entity.name)`")
                }
                try CRMStore(clock: .fixed(at)).create(entity, fields: fields,
                                                       as: .operatorActor(named: actor), db)
                counts["\(entity.name) created", default: 0] += 1
            }
        }
        return counts.sorted { $0.key < $1.key }.map { key, count in
            key.hasSuffix("created") ? "\(count) \(key)" : "\(count) row\(count == 1 ? "" : "s") \(key)"
        }.joined(separator: ", ")
    }

    private func refusal(_ message: String) -> PluginError {
        PluginError(.call, "plugin '\(manifest.id)': \(message)")
    }

    /// Its own tables, or another plugin's that a `write:` permission names; never a view, and
    /// never a table of Rollout's own (CRM records are created through the CRM's rules; the
    /// engine's and the audit trail's tables are not a plugin's to write).
    private func checkTable(_ table: String, _ db: Database) throws {
        if !table.hasPrefix(manifest.namespace + "_") {
            guard manifest.permits("write", table) else {
                throw refusal("may not write to \(table): a plugin writes its own tables (\(manifest.namespace)_…) and "
                    + "those of other plugins its plugin.yaml grants with `write:TABLE`; CRM records are created with `create`")
            }
            let namespaces = try String.fetchAll(db, sql: "SELECT DISTINCT plugin_id FROM plugin_migrations")
                .map(PluginDeclaration.namespace(of:))
            guard namespaces.contains(where: { table.hasPrefix($0 + "_") }) else {
                throw refusal("may not write to \(table) even with `write:\(table)`: it is not a plugin's table; "
                    + "CRM records are created with `create`")
            }
        }
        guard try String.fetchOne(db, sql: "SELECT type FROM sqlite_schema WHERE name = ?", arguments: [table]) == "table"
        else {
            throw refusal("writes to \(table), which is no table of this workspace (are its migrations applied?)")
        }
    }

    private func checkColumns(_ names: [String], of table: String, _ db: Database) throws -> [String] {
        let columns = Set(try db.columns(in: table).map(\.name))
        for name in names where !columns.contains(name) {
            throw refusal("\(table) has no column '\(name)' (it has \(columns.sorted().joined(separator: ", ")))")
        }
        return names.sorted()
    }

    private func audit(_ table: String, action: String, recordID: Int64?, values: [String: JSONValue],
                       _ db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(values), as: UTF8.self)
        try AuditTrail.recordChange(db, at: at, actor: actor, entity: table, recordID: recordID, action: action,
                                    before: action == "delete" ? json : nil, after: action == "delete" ? nil : json)
    }

    static func databaseValue(_ value: JSONValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .bool(let v): (v ? 1 : 0).databaseValue
        case .int(let v): v.databaseValue
        case .double(let v): v.databaseValue
        case .string(let v): v.databaseValue
        case .array, .object:
            String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self).databaseValue
        }
    }
}
