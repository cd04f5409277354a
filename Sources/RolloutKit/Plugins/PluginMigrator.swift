import Crypto
import Foundation
import GRDBSQLite
import RolloutMetrics
import PluginHost
import PluginKit

/// Applies a plugin's migrations to a workspace, each once, in order, in one transaction with
/// its record in `plugin_migrations`.
///
/// The statements are the plugin's, so they run on a connection of their own under SQLite's
/// authorizer: they may create, change and fill only tables and indexes named `<namespace>_…`
/// and views named `v_<namespace>_…`, and read only those and the published `v_*` views.
/// Anything else (a CRM table, `PRAGMA`, `ATTACH`) stops the migration with what was refused,
/// and its transaction rolls back. The views it creates are recorded in `plugin_views`, which
/// is what publishes them to metrics and queries (the sandbox lets a plugin's view read its
/// plugin's tables only). A migration already applied whose statements changed is an error:
/// migrations are permanent once released.
struct PluginMigrator {
    let databasePath: String

    /// The ids of the migrations applied now (empty when all were applied before).
    @discardableResult
    func apply(_ plugin: any PluginConnection) throws -> [String] {
        let migrations = plugin.declaration.migrations
        guard !migrations.isEmpty else { return [] }
        let connection = try Connection(path: databasePath, namespace: plugin.manifest.namespace)
        var applied: [String] = []
        for migration in migrations {
            let sha = SHA256.hash(data: Data(migration.statements.joined(separator: "\u{0}").utf8))
                .map { String(format: "%02x", $0) }.joined()
            if let recorded = try connection.recordedSHA(plugin: plugin.id, migration: migration.id) {
                guard recorded == sha else {
                    throw PluginError(.load, "plugin '\(plugin.id)': migration '\(migration.id)' was applied to this "
                        + "workspace with other statements; a released migration must not change (add a new one)")
                }
                continue
            }
            try connection.inTransaction {
                for (index, statement) in migration.statements.enumerated() {
                    do {
                        try connection.execute(statement)
                    } catch let error as MigrationRefusal {
                        throw PluginError(.load, "plugin '\(plugin.id)': migration '\(migration.id)', statement "
                            + "\(index + 1), was refused: \(error.message)")
                    }
                }
                try connection.record(plugin: plugin.id, migration: migration.id, sha256: sha)
            }
            applied.append(migration.id)
        }
        return applied
    }
}

struct MigrationRefusal: Error {
    var message: String
}

/// A read-write connection whose authorizer confines statements to one plugin's namespace.
private final class Connection {
    private let handle: OpaquePointer
    private let rules: Rules

    init(path: String, namespace: String) throws {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
              let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw PluginError(.load, "cannot open \(path) to apply a plugin's migrations: \(message)")
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, 10_000)
        rules = Rules(namespace: namespace)
        sqlite3_set_authorizer(handle, { context, action, first, second, _, source in
            Unmanaged<Rules>.fromOpaque(context!).takeUnretainedValue()
                .authorize(action, first.map(String.init(cString:)), second.map(String.init(cString:)),
                           source.map(String.init(cString:)))
        }, Unmanaged.passUnretained(rules).toOpaque())
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func inTransaction(_ body: () throws -> Void) throws {
        try host("BEGIN IMMEDIATE")
        do {
            try body()
            try host("COMMIT")
        } catch {
            try? host("ROLLBACK")
            throw error
        }
    }

    /// One statement of the plugin's, under its rules.
    func execute(_ sql: String) throws {
        rules.refusal = nil
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        let message = error.map { String(cString: $0) } ?? ""
        sqlite3_free(error)
        if let refusal = rules.refusal { throw MigrationRefusal(message: refusal) }
        guard code == SQLITE_OK else { throw MigrationRefusal(message: message) }
    }

    func recordedSHA(plugin: String, migration: String) throws -> String? {
        var result: String?
        try host("SELECT sha256 FROM plugin_migrations WHERE plugin_id = ?1 AND migration_id = ?2", [plugin, migration]) {
            result = String(cString: sqlite3_column_text($0, 0))
        }
        return result
    }

    /// The migration's record and the views the plugin's namespace now has.
    func record(plugin: String, migration: String, sha256: String) throws {
        try host("INSERT INTO plugin_migrations (plugin_id, migration_id, sha256, applied_at) VALUES (?1, ?2, ?3, ?4)",
                 [plugin, migration, sha256, String(Int64(Date().timeIntervalSince1970))])
        try host("DELETE FROM plugin_views WHERE plugin_id = ?1", [plugin])
        try host("""
            INSERT INTO plugin_views (name, plugin_id, namespace)
            SELECT name, ?1, ?2 FROM sqlite_schema WHERE type = 'view' AND name LIKE ?3 ESCAPE '\\'
            """, [plugin, rules.namespace, "v\\_" + rules.namespace.replacingOccurrences(of: "_", with: "\\_") + "\\_%"])
    }

    /// A statement of the host's own, with the rules off.
    private func host(_ sql: String, _ arguments: [String] = [], row: ((OpaquePointer) -> Void)? = nil) throws {
        rules.trusted = true
        defer { rules.trusted = false }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw PluginError(.load, "applying a plugin's migrations: \(String(cString: sqlite3_errmsg(handle)))")
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, argument) in arguments.enumerated() {
            sqlite3_bind_text(statement, Int32(index + 1), argument, -1, transient)
        }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: row?(statement)
            case SQLITE_DONE: return
            default: throw PluginError(.load, "applying a plugin's migrations: \(String(cString: sqlite3_errmsg(handle)))")
            }
        }
    }
}

/// What a plugin's migration may do, as SQLite's authorizer asks it.
private final class Rules {
    let namespace: String
    var trusted = false
    var refusal: String?

    init(namespace: String) {
        self.namespace = namespace
    }

    private func own(_ name: String?) -> Bool {
        guard let name else { return false }
        return name.hasPrefix(namespace + "_") || name.hasPrefix("v_" + namespace + "_")
    }

    private func refuse(_ message: String) -> Int32 {
        if refusal == nil { refusal = message }
        return SQLITE_DENY
    }

    func authorize(_ action: Int32, _ first: String?, _ second: String?, _ source: String?) -> Int32 {
        if trusted { return SQLITE_OK }
        let schema = ["sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_sequence"].contains(first ?? "")
        switch action {
        case SQLITE_SELECT, SQLITE_RECURSIVE, SQLITE_FUNCTION, SQLITE_TRANSACTION, SQLITE_SAVEPOINT, SQLITE_REINDEX,
             SQLITE_ANALYZE:
            if action == SQLITE_FUNCTION && second == "load_extension" { return refuse("it calls load_extension") }
            return SQLITE_OK
        case SQLITE_CREATE_TABLE, SQLITE_DROP_TABLE, SQLITE_CREATE_INDEX, SQLITE_DROP_INDEX, SQLITE_CREATE_TRIGGER,
             SQLITE_DROP_TRIGGER, SQLITE_ALTER_TABLE:
            // A table's name is `first`; an index's or a trigger's `first` is its own name and `second`
            // its table; ALTER TABLE gives the database and the table.
            let table = action == SQLITE_CREATE_TABLE || action == SQLITE_DROP_TABLE ? first : second
            let name = action == SQLITE_ALTER_TABLE ? second : first
            // SQLite names the index of a composite PRIMARY KEY or UNIQUE constraint itself.
            let automatic = action == SQLITE_CREATE_INDEX && name?.hasPrefix("sqlite_autoindex_" + namespace + "_") == true
            guard let name, name.hasPrefix(namespace + "_") || automatic, own(table) else {
                return refuse("it creates or changes \(name ?? "something") (on \(table ?? "?")), outside the plugin's "
                    + "namespace: tables and indexes are named \(namespace)_…")
            }
            return SQLITE_OK
        case SQLITE_CREATE_VIEW, SQLITE_DROP_VIEW:
            guard let first, first.hasPrefix("v_" + namespace + "_") else {
                return refuse("it creates or drops the view \(first ?? "?"); a plugin's views are named v_\(namespace)_…")
            }
            return SQLITE_OK
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            if schema || own(first) { return SQLITE_OK }
            return refuse("it writes to \(first ?? "a table"), which is not the plugin's")
        case SQLITE_READ:
            if schema || own(first) || first.flatMap(PublishedView.named) != nil { return SQLITE_OK }
            if let source, PublishedView.named(source) != nil { return SQLITE_OK }
            return refuse("it reads \(first ?? "a table"), which is neither the plugin's nor a published view")
        default:
            return refuse("it does something a plugin's migration may not (\(action): \(first ?? "") \(second ?? ""))")
        }
    }
}
