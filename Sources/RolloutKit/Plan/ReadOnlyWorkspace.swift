import CRMCore
import Foundation
import GRDB

/// A workspace database opened so that nothing can be written to it, not even SQLite's own
/// files: what `rollout plan` reads today's data from.
///
/// `Workspace.open` migrates and keeps a WAL pool; this opens one read-only connection instead.
/// A read-only connection to a WAL database creates the `-wal` and `-shm` files when they do
/// not exist (no other connection is open) and leaves them behind. In that case the database
/// file alone holds every committed transaction, so it is opened `immutable` and SQLite creates
/// nothing; when they exist, another process has the workspace open and SQLite reads through them.
struct ReadOnlyWorkspace {
    let queue: DatabaseQueue
    let path: String

    static func open(path: String) throws -> ReadOnlyWorkspace {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw WorkspaceError("""
                no workspace database at \(path)
                  `rollout plan --db` reads an existing workspace and never creates one; \
                create one with `rollout init DIR` or `rollout demo seed --db PATH`, or leave --db out to plan without data
                """)
        }
        let inUse = FileManager.default.fileExists(atPath: url.path + "-wal")
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let encoded = url.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? url.path
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: "file:\(encoded)?mode=ro" + (inUse ? "" : "&immutable=1"),
                                      configuration: config)
        } catch let error as DatabaseError {
            throw WorkspaceError("cannot open \(path) read-only as a workspace database: \(error.message ?? "\(error)")")
        }
        let workspace = ReadOnlyWorkspace(queue: queue, path: path)
        try workspace.checkSchema()
        return workspace
    }

    func read<T>(_ value: (Database) throws -> T) throws -> T {
        try queue.read(value)
    }

    /// A dry run cannot migrate: the schema must be the one this binary writes.
    private func checkSchema() throws {
        var migrator = DatabaseMigrator()
        for module in Workspace.modules { module.registerMigrations(in: &migrator) }
        let (superseded, complete) = try read { db in
            (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
        }
        if superseded {
            throw WorkspaceError("\(path) was written by a newer version of rollout; upgrade rollout to plan on it")
        }
        if !complete {
            throw WorkspaceError("""
                \(path) is not a workspace of this version of rollout (its schema is older or missing); \
                `rollout plan` never migrates a workspace: upgrade it with `rollout init DIR` on its directory first
                """)
        }
    }
}
