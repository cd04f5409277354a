import CRMCore
import Engine
import Foundation
import Playbook

extension Workspace {
    /// What changes between two playbook files, each compiled as `rollout check` compiles it;
    /// throws `PlaybookCompilationError` with the diagnostics of the first that has errors.
    public static func diff(playbookAt oldPath: String, and newPath: String) throws -> PlaybookDiff {
        func compiled(_ path: String) throws -> Playbook {
            let compilation = check(playbookAt: path)
            guard let playbook = compilation.playbook, !compilation.hasErrors else {
                throw PlaybookCompilationError(diagnostics: compilation.diagnostics)
            }
            return playbook
        }
        return PlaybookDiff(from: try compiled(oldPath), to: try compiled(newPath))
    }

    /// Moves the running project to the playbook at `path` when that is safe (see
    /// `PlaybookUpgrade`); nil when no project has started yet, so the run starts it on that version.
    public func upgradeProject(toPlaybookAt path: String, clock: ProjectClock) throws -> UpgradeReport? {
        guard try database.read({ try ProjectState.load($0) }) != nil else { return nil }
        let running = try session(playbookPath: nil)
        let compilation = compile(playbookAt: path)
        guard let new = compilation.playbook else {
            throw PlaybookCompilationError(diagnostics: compilation.diagnostics)
        }
        return try running.engine.upgrade(to: new, clock: clock)
    }
}

extension ProjectSession {
    /// The project's playbook upgrades, oldest first.
    public func versionHistory() throws -> [PlaybookVersionChange] {
        try workspace.database.read { db in
            guard let project = try ProjectState.load(db)?.project else { return [] }
            return try EventLog().versionHistory(projectID: project.id, db)
        }
    }
}
