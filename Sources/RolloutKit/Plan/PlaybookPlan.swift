import CRMCore
import Engine
import RolloutMetrics
import Playbook

/// A dry run of a playbook: its timeline, what each phase and gate will check, which KPIs are
/// measured on which groups, and what it costs, optionally with each check judged on today's
/// data of a workspace. Making one writes nothing, anywhere.
///
/// ```swift
/// let plan = try PlaybookPlan.make(playbookAt: "Playbooks/standard-nine-phase.yaml",
///                                  start: try Timestamp(parsing: "2025-03-03"), workspaceAt: "demo/rollout.sqlite",
///                                  asOf: try Timestamp(parsing: "2025-03-03"))
/// plan.checks[4].gate?.criteria.map(\.outcome)   // [.wouldPass, .wouldFail, …, .unknown]
/// ```
public struct PlaybookPlan: Sendable, Hashable, Codable {
    /// Which playbook the plan is of.
    public struct Source: Sendable, Hashable, Codable {
        public var id: String
        public var version: Int
        public var title: String
        public var path: String
        public var sha256: String
    }

    /// The workspace a dry run read, and what it found there.
    public struct DryRun: Sendable, Hashable, Codable {
        /// One measured group and its size.
        public struct Group: Sendable, Hashable, Codable {
            public var group: GroupKey
            public var users: Int
        }

        public var workspace: String
        /// The moment the KPIs were measured at.
        public var asOf: Timestamp
        /// The project of this playbook the workspace runs, if any, and its current phase (nil
        /// when every phase is complete).
        public var projectID: String?
        public var currentPhase: String?
        public var groups: [Group]
        /// What could not be resolved or measured; the checks depending on it are unknown.
        public var problems: [String]
    }

    /// A cycle of phases that may repeat.
    public struct PlannedCycle: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var phases: [String]
        public var maxIterations: Int
        public var until: String?
        /// The most days the repetitions can add to the timeline.
        public var extraDaysAtMost: Int
    }

    public var playbook: Source
    public var timeline: PlanTimeline
    public var cycles: [PlannedCycle]
    public var checks: [PhaseChecks]
    public var kpis: [PlannedKPI]
    public var pilotGroups: [PlannedPilotGroup]
    /// nil when the playbook has no `costs:`.
    public var costs: PlannedCosts?
    /// nil without a workspace.
    public var dryRun: DryRun?

    /// Compiles the playbook as `rollout check` does (errors throw `PlaybookCompilationError`)
    /// and plans it; see `make(playbook:start:workspaceAt:asOf:)`.
    public static func make(playbookAt path: String, parameters: [String: String] = [:], start: Timestamp?,
                            workspaceAt workspacePath: String?, asOf: Timestamp) throws -> PlaybookPlan {
        let compilation = Workspace.check(playbookAt: path, parameters: parameters, pluginDirectories:
            PluginCatalog.directories(explicit: [], databasePath: workspacePath))
        guard let playbook = compilation.playbook else {
            throw PlaybookCompilationError(diagnostics: compilation.diagnostics)
        }
        return try make(playbook: playbook, start: start, workspaceAt: workspacePath, asOf: asOf)
    }

    /// Plans a compiled playbook from `start` (default: the start of the project the workspace
    /// runs, else `asOf`'s day). With a workspace, opens it read-only and judges every check on
    /// its data at `asOf`.
    public static func make(playbook: Playbook, start: Timestamp?, workspaceAt workspacePath: String?,
                            asOf: Timestamp) throws -> PlaybookPlan {
        var data: DryRunData?
        if let workspacePath {
            let workspace = try ReadOnlyWorkspace.open(path: workspacePath)
            // The plugins' metrics, from their declarations; nothing is migrated or written.
            let catalog = playbook.plugins.isEmpty ? MetricCatalog.builtIn : try PluginRuntime.load(
                playbook.plugins.map(\.id), directories: PluginCatalog.directories(explicit: [], databasePath: workspacePath),
                databasePath: nil).catalog
            data = try workspace.read { db in
                try DryRunData.read(playbook: playbook, asOf: asOf, catalog: catalog, db)
            }
        }
        let start = start ?? data?.state?.project.startedAt.startOfDay ?? asOf.startOfDay
        var plan = PlaybookPlan(playbook: playbook, start: start, data: data)
        if let workspacePath, let data {
            plan.dryRun = DryRun(workspace: workspacePath, asOf: asOf, projectID: data.state?.project.id,
                                 currentPhase: data.state?.currentPhase?.phaseId,
                                 groups: data.groups.map { DryRun.Group(group: $0.0, users: $0.1.count) },
                                 problems: data.problems)
        }
        return plan
    }

    init(playbook: Playbook, start: Timestamp, data: DryRunData?) {
        self.playbook = Source(id: playbook.id, version: playbook.version, title: playbook.title,
                               path: playbook.source.path, sha256: playbook.source.sha256)
        let timeline = PlanTimeline(playbook: playbook, start: start)
        self.timeline = timeline
        cycles = playbook.cycles.map { cycle in
            let days = cycle.phases.compactMap { playbook.phase($0.id)?.durationDays }.reduce(0, +)
            return PlannedCycle(id: cycle.id, name: cycle.name, phases: cycle.phases.map(\.id),
                                maxIterations: cycle.maxIterations, until: cycle.until?.text,
                                extraDaysAtMost: days * (cycle.maxIterations - 1))
        }
        checks = PhaseChecks.all(of: playbook, data: data)
        kpis = playbook.kpis.map { PlannedKPI($0, playbook: playbook, snapshot: data?.snapshot) }
        pilotGroups = playbook.pilotGroups.map { PlannedPilotGroup($0, groups: data?.groups) }
        costs = playbook.costs.map {
            PlannedCosts(costs: $0, settings: playbook.evaluation, goLive: timeline.goLive ?? timeline.end)
        }
        dryRun = nil
    }
}
