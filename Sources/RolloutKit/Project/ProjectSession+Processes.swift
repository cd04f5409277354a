import CRMCore
import Engine
import Foundation

extension ProjectSession {
    /// The id of the project running in the workspace.
    func projectID() throws -> String {
        guard let id = try workspace.database.read({ try ProjectState.load($0) })?.project.id else {
            throw EngineError("no project has started in this workspace; start one with `rollout run PLAYBOOK`")
        }
        return id
    }

    /// A worker for the project's business processes (`rollout worker`).
    public func processWorker(holder: String? = nil) throws -> ProcessWorker {
        var worker = ProcessWorker(database: workspace.database, playbook: playbook, projectID: try projectID(),
                                   holder: holder)
        worker.plugins = plugins
        return worker
    }

    /// Users' actions and the processes' state (`rollout process act|status`).
    public func processDesk() throws -> ProcessDesk {
        var desk = ProcessDesk(database: workspace.database, playbook: playbook, projectID: try projectID())
        desk.plugins = plugins
        return desk
    }
}
