import Foundation
import GRDB

/// A module that owns tables in the workspace database and contributes their migrations.
///
/// Each module registers named migrations (`crm.v1.core`, `engine.v1.event-log`, …); the
/// workspace composes them in dependency order, so a module never edits another's tables.
public protocol SchemaModule {
    static func registerMigrations(in migrator: inout DatabaseMigrator)
}

/// What went wrong opening or migrating a workspace, in words a user can act on.
public struct WorkspaceError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The single SQLite database of a workspace: CRM records and engine state side by side, in
/// WAL mode, so a KPI and the engine event that used it commit together.
///
/// ```swift
/// let db = try WorkspaceDatabase.open(at: "rollout.sqlite", modules: Workspace.modules, create: true)
/// try db.write { db in try Team(name: "East Sales", kind: .sales).insert(db) }
/// ```
public final class WorkspaceDatabase: Sendable {
    /// GRDB's writer; reads go through `read`, writes through `write` (which honours crash points).
    public let writer: any DatabaseWriter
    /// The database file, or nil for an in-memory database.
    public let path: String?

    init(writer: any DatabaseWriter, path: String?) {
        self.writer = writer
        self.path = path
    }

    /// Opens (and, when `create` is true, creates) the workspace database at `path` and applies
    /// every pending migration.
    public static func open(at path: String, modules: [any SchemaModule.Type], create: Bool) throws -> WorkspaceDatabase {
        let url = URL(fileURLWithPath: path)
        let exists = FileManager.default.fileExists(atPath: url.path)
        if !exists && !create {
            throw WorkspaceError("""
                no workspace database at \(path)
                  create one with `rollout init DIR`, or point to one with --db PATH (or ROLLOUT_DB)
                """)
        }
        if !exists {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: url.path, configuration: configuration())
        } catch let error as DatabaseError {
            throw WorkspaceError("cannot open \(path) as a workspace database: \(error.message ?? "\(error)")")
        }
        let database = WorkspaceDatabase(writer: pool, path: url.path)
        try database.migrate(modules: modules)
        return database
    }

    /// A private in-memory database with the full schema, for tests and dry runs.
    public static func inMemory(modules: [any SchemaModule.Type]) throws -> WorkspaceDatabase {
        let queue = try DatabaseQueue(configuration: configuration())
        let database = WorkspaceDatabase(writer: queue, path: nil)
        try database.migrate(modules: modules)
        return database
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Several processes (CLI, worker, server) may share one workspace: wait, don't fail.
        config.busyMode = .timeout(10)
        let trace = SQLTraceFile.fromEnvironment
        config.prepareDatabase { db in
            // FULL: a committed gate decision survives a power cut, not only a process crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if let trace {
                db.trace { event in
                    if case .statement(let statement) = event { trace.append(statement.expandedSQL) }
                }
            }
        }
        return config
    }

    static func migrator(modules: [any SchemaModule.Type]) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for module in modules { module.registerMigrations(in: &migrator) }
        return migrator
    }

    func migrate(modules: [any SchemaModule.Type]) throws {
        let migrator = Self.migrator(modules: modules)
        if try writer.read(migrator.hasBeenSuperseded) {
            throw WorkspaceError("""
                \(path ?? "the database") was written by a newer version of rollout (it has migrations this \
                binary does not know); upgrade rollout to use it
                """)
        }
        try migrator.migrate(writer)
    }

    /// The names of the migrations applied to this database, in order.
    public func appliedMigrations(modules: [any SchemaModule.Type]) throws -> [String] {
        let migrator = Self.migrator(modules: modules)
        return try writer.read { try migrator.appliedMigrations($0) }
    }

    /// Runs `updates` in one transaction. A crash point configured for tests
    /// (`ROLLOUT_CRASH_POINT`) may kill the process just before or just after the commit.
    public func write<T>(_ updates: (Database) throws -> T) throws -> T {
        let result = try writer.write { db -> T in
            let value = try updates(db)
            CrashPoint.reached(.beforeCommit)
            return value
        }
        CrashPoint.reached(.afterCommit)
        return result
    }

    /// Runs `value` in a read-only snapshot.
    public func read<T>(_ value: (Database) throws -> T) throws -> T {
        try writer.read(value)
    }
}

/// `ROLLOUT_SQL_TRACE=FILE` appends every statement the process runs, with its arguments, to
/// FILE as a script the `sqlite3` shell can run again: how benchmarks measure the raw floor of
/// a command (the same SQL on the same data, without Swift), and a way to see what a command
/// does to the database. Statements a trigger runs appear as `--` comments.
final class SQLTraceFile: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    static let fromEnvironment: SQLTraceFile? = {
        guard let path = ProcessInfo.processInfo.environment["ROLLOUT_SQL_TRACE"], !path.isEmpty else { return nil }
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        handle.seekToEndOfFile()
        return SQLTraceFile(handle: handle)
    }()

    private init(handle: FileHandle) {
        self.handle = handle
    }

    func append(_ sql: String) {
        let line = sql.hasPrefix("--") ? sql + "\n" : sql + ";\n"
        lock.lock()
        defer { lock.unlock() }
        handle.write(Data(line.utf8))
    }
}
