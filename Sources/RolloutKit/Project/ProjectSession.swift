import CRMCore
import Engine
import Evaluation
import Foundation
import GRDB
import RolloutMetrics
import Playbook

/// The running project of a workspace with its playbook: what `run`, `approve`, `task`,
/// `status`, `lesson`, `roi` and `report` work on.
///
/// Commands other than `run FILE` use the playbook text recorded when the project started, so
/// a new consultant can pick a project up from the workspace alone (S2 key point 2).
public struct ProjectSession: Sendable {
    public let workspace: Workspace
    public let playbook: Playbook
    public let engine: RolloutEngine
    /// The plugins the playbook names (`plugins:`), loaded, their migrations applied; nil when
    /// it names none.
    public let plugins: PluginRuntime?

    init(workspace: Workspace, playbook: Playbook) throws {
        self.workspace = workspace
        self.playbook = playbook
        plugins = playbook.plugins.isEmpty ? nil : try PluginRuntime.load(
            playbook.plugins.map(\.id), directories: workspace.pluginDirectories, databasePath: workspace.database.path)
        engine = RolloutEngine(database: workspace.database, playbook: playbook,
                               measurer: KPIMeasurer(catalog: plugins?.catalog ?? workspace.catalog),
                               actions: workspace.actions, plugins: plugins)
    }

    /// The KPI catalog: the built-in metrics and the plugins'.
    public var catalog: MetricCatalog { plugins?.catalog ?? workspace.catalog }
}

extension Workspace {
    /// The session for `playbookPath` (compiled; errors throw `PlaybookCompilationError`), or,
    /// without a path, for the playbook recorded by the project already running here.
    public func session(playbookPath: String?) throws -> ProjectSession {
        if let playbookPath {
            let compilation = compile(playbookAt: playbookPath)
            guard let playbook = compilation.playbook else {
                throw PlaybookCompilationError(diagnostics: compilation.diagnostics)
            }
            return try ProjectSession(workspace: self, playbook: playbook)
        }
        guard let project = try database.read({ try ProjectState.load($0) })?.project else {
            throw EngineError("no project has started in this workspace; start one with `rollout run PLAYBOOK`")
        }
        let compilation = PlaybookCompiler(context: playbookContext)
            .compile(text: project.playbookText, path: project.playbookPath)
        guard let playbook = compilation.playbook else {
            throw PlaybookCompilationError(diagnostics: compilation.diagnostics)
        }
        return try ProjectSession(workspace: self, playbook: playbook)
    }
}

extension Workspace {
    /// The session for a playbook given as text; `displayPath` is what diagnostics and the
    /// project record call it.
    public func session(playbookText text: String, displayPath: String) throws -> ProjectSession {
        let compilation = PlaybookCompiler(context: playbookContext).compile(text: text, path: displayPath)
        guard let playbook = compilation.playbook else {
            throw PlaybookCompilationError(diagnostics: compilation.diagnostics)
        }
        return try ProjectSession(workspace: self, playbook: playbook)
    }
}

extension ProjectSession {
    public func run(clock: ProjectClock) throws -> RunReport {
        try engine.run(clock: clock)
    }

    public func approve(phaseID: String, role: String, by: String, decision: GateDecision, note: String?,
                        conditions: [String] = [], clock: ProjectClock) throws -> ApprovalReport {
        try engine.approve(phaseID: phaseID, role: role, by: by, decision: decision, note: note, conditions: conditions,
                           clock: clock)
    }

    public func completeTask(_ id: String, by: String, note: String?, clock: ProjectClock) throws -> TaskReport {
        try engine.completeTask(id, by: by, note: note, clock: clock)
    }

    public func status(clock: ProjectClock) throws -> ProjectStatus {
        try workspace.database.read { db in
            guard let state = try ProjectState.load(db) else {
                throw EngineError("no project has started in this workspace; start one with `rollout run PLAYBOOK`")
            }
            return ProjectStatus(state: state, playbook: playbook, asOf: max(clock.now, state.project.lastEventAt),
                                 versions: try EventLog().versionHistory(projectID: state.project.id, db))
        }
    }

    /// The project's id; throws when the project has not started.
    func projectID(_ db: Database) throws -> ProjectState.Project {
        guard let project = try ProjectState.load(db)?.project else {
            throw EngineError("no project has started in this workspace; start one with `rollout run PLAYBOOK`")
        }
        return project
    }
}

extension ProjectSession {
    /// The project's tasks in phase order; open ones only unless `includeDone`.
    public func tasks(includeDone: Bool) throws -> [ProjectState.TaskProgress] {
        try workspace.database.read { db in
            guard let state = try ProjectState.load(db) else { return [] }
            return includeDone ? state.tasks : state.tasks.filter { $0.status == "open" }
        }
    }
}
