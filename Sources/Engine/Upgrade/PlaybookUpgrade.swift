import CRMCore
import GRDB
import RolloutMetrics
import Playbook

/// Whether a running project can move to another version of its playbook without derailing,
/// and what moving it does: the new phase order, the tasks the active phase gains.
///
/// Work already done stays true: a phase that has started keeps its place at the front, a
/// completed phase keeps its tasks, deliverables and gate, a done task stays, and pilot groups
/// keep the members frozen when their pilot started. Everything ahead of the project (pending
/// phases, KPI targets, costs, benefits, texts) may change, and the active phase may gain tasks.
///
/// ```swift
/// let upgrade = PlaybookUpgrade(from: running, to: edited, state: state)
/// if !upgrade.isSafe { print(upgrade.refusals.joined(separator: "\n")) }
/// ```
public struct PlaybookUpgrade: Sendable, Hashable {
    public var diff: PlaybookDiff
    /// Each change that would derail the project, in words; empty when the upgrade is safe.
    public var refusals: [String]
    /// The phase that is active (tasks open or gate pending) when the upgrade is checked.
    public var activePhaseID: String?
    /// Tasks the new version adds to the active phase; they open with the upgrade.
    public var openedTasks: [EngineEvent.OpenedTask]
    /// Open tasks of the active phase whose name, owner, deliverable or due date change.
    public var changedTasks: [EngineEvent.OpenedTask]

    public var isSafe: Bool { refusals.isEmpty }

    public init(from old: Playbook, to new: Playbook, state: ProjectState) {
        diff = PlaybookDiff(from: old, to: new)
        let progress = Dictionary(state.phases.map { ($0.phaseId, $0) }, uniquingKeysWith: { first, _ in first })
        // Tasks by their playbook id, in their phase's current round of a cycle.
        let tasks = Dictionary(state.currentTasks.map { (ProjectState.playbookTaskID($0.taskId), $0) },
                               uniquingKeysWith: { first, _ in first })
        var refusals: [String] = []

        if new.id != old.id {
            refusals.append("the new file is playbook '\(new.id)', but the project runs playbook '\(old.id)'; "
                + "a workspace holds one project: start '\(new.id)' in another --db")
        }
        for change in diff.changes {
            if let reason = Self.refusal(change, old: old, new: new, progress: progress, tasks: tasks) {
                refusals.append(reason)
            }
        }
        let started = state.phases.filter { $0.status != "pending" }.map(\.phaseId)
        let newOrder = new.phases.map(\.id)
        if started.allSatisfy(newOrder.contains), Array(newOrder.prefix(started.count)) != started {
            refusals.append("reordering phases already started: \(started.joined(separator: ", ")) must stay first, "
                + "in this order; the new version has \(newOrder.joined(separator: ", "))")
        }
        self.refusals = refusals

        let active = state.phases.first { $0.status == "active" }
        activePhaseID = active?.phaseId
        var opened: [EngineEvent.OpenedTask] = [], changed: [EngineEvent.OpenedTask] = []
        if let active, let startedAt = active.startedAt, let phase = new.phase(active.phaseId) {
            let schedule = TaskSchedule(phase: phase, start: startedAt)
            for (position, task) in phase.tasks.enumerated() {
                let planned = EngineEvent.OpenedTask(taskID: ProjectState.taskID(task.id, iteration: active.iteration),
                                                     position: position, name: task.name,
                                                     ownerRole: task.owner.id, deliverableID: task.deliverable?.id,
                                                     dueAt: schedule.due[task.id])
                guard let current = tasks[task.id] else {
                    opened.append(planned)
                    continue
                }
                if current.status == "open", current.phaseId == phase.id,
                   (current.name, current.ownerRole, current.deliverableId, current.dueAt)
                    != (planned.name, planned.ownerRole, planned.deliverableID, planned.dueAt) {
                    changed.append(planned)
                }
            }
        }
        openedTasks = opened
        changedTasks = changed
    }

    /// Why `change` would derail the project, or nil when it is safe.
    private static func refusal(_ change: PlaybookDiff.Change, old: Playbook, new: Playbook,
                                progress: [String: ProjectState.PhaseProgress],
                                tasks: [String: ProjectState.TaskProgress]) -> String? {
        switch (change.subject, change.kind) {
        case (.phase, .removed):
            guard let id = change.id, let status = progress[id]?.status, status != "pending" else { return nil }
            return "removing phase '\(id)', which is \(status == "completed" ? "completed" : "active")"
        case (.phase, .changed) where change.field == "actions" || change.field == "pilot":
            guard let id = change.id, let status = progress[id]?.status, status != "pending" else { return nil }
            return "changing the \(change.field ?? "") of phase '\(id)', which has started: "
                + "\(change.old ?? "none") → \(change.new ?? "none")"
        case (.cycle, .added), (.cycle, .changed):
            guard change.kind == .added || change.field == "phases" else { return nil }
            // A new or reshaped cycle over phases already started would run work done again, or
            // leave a round half inside and half outside the cycle. `until` and `max_iterations`
            // may change: they are read when the current round ends.
            guard let id = change.id, let cycle = new.cycles.first(where: { $0.id == id }) else { return nil }
            let started = cycle.phases.map(\.id).filter { (progress[$0]?.status ?? "pending") != "pending" }
            guard !started.isEmpty else { return nil }
            return (change.kind == .added ? "adding cycle '\(id)'" : "changing the phases of cycle '\(id)'")
                + " over phases already started: " + started.joined(separator: ", ")
        case (.task, .removed):
            guard let id = change.id, let task = tasks[id] else { break }
            if task.status == "done" {
                return "removing task '\(id)' of phase '\(task.phaseId)', which is done"
            }
            return "removing task '\(id)' of phase '\(task.phaseId)', which is open: "
                + "mark it done with `rollout task done \(id)` first, or keep it"
        case (.pilotGroup, .changed) where change.field == "members" || change.field == "control",
             (.pilotGroup, .removed):
            guard let id = change.id,
                  let phase = old.phases.first(where: { $0.pilot?.id == id && (progress[$0.id]?.status ?? "pending") != "pending" })
            else { return nil }
            let what = change.kind == .removed ? "removing pilot group '\(id)'"
                : "changing the \(change.field ?? "") selector of pilot group '\(id)' (\(change.old ?? "none") → \(change.new ?? "none"))"
            return "\(what) after its pilot phase '\(phase.id)' has started: the groups frozen then would no longer match"
        default:
            break
        }
        guard [PlaybookDiff.Change.Subject.task, .deliverable, .gate].contains(change.subject), let phaseID = change.phaseID,
              let status = progress[phaseID]?.status else { return nil }
        switch status {
        case "completed":
            return "reshaping completed phase '\(phaseID)': \(change)"
        case "awaiting_decision":
            return "reshaping phase '\(phaseID)', whose gate has been evaluated and awaits a decision: \(change)"
        default:
            return nil
        }
    }
}

/// The result of `RolloutEngine.upgrade(to:)`.
public struct UpgradeReport: Sendable, Hashable, Codable {
    /// False when the project already ran this version (nothing changed).
    public var recorded: Bool
    public var fromVersion: Int
    public var toVersion: Int
    /// What changed, in words.
    public var changes: [String]
    /// Tasks opened in the active phase.
    public var openedTasks: [String]
    public var message: String
}

/// One move of a project to another playbook version, as `rollout status` and the hand-over pack list it.
public struct PlaybookVersionChange: Sendable, Hashable, Codable {
    public var at: Timestamp
    public var fromVersion: Int
    public var fromSHA256: String
    public var toVersion: Int
    public var toSHA256: String
    public var openedTasks: [String]
    public var changes: [String]
}

extension EventLog {
    /// A project's moves to other playbook versions, one per upgrade, oldest first.
    public func versionHistory(projectID: String, _ db: Database) throws -> [PlaybookVersionChange] {
        try events(projectID: projectID, db).compactMap { logged in
            guard case .playbookUpgraded(let e) = logged.event else { return nil }
            return PlaybookVersionChange(at: logged.at, fromVersion: e.fromVersion, fromSHA256: e.fromSHA256,
                                         toVersion: e.toVersion, toSHA256: e.toSHA256,
                                         openedTasks: e.openedTasks.map(\.taskID), changes: e.changes)
        }
    }
}

extension RolloutEngine {
    /// Moves the running project from its recorded playbook (this engine's) to `newPlaybook`, when
    /// `PlaybookUpgrade` finds it safe, as one `playbook.upgraded` event in one transaction.
    /// Refuses, naming every unsafe change, and writes nothing otherwise. Upgrading to the version
    /// the project already runs changes nothing.
    public func upgrade(to newPlaybook: Playbook, clock: ProjectClock) throws -> UpgradeReport {
        let now = clock.now
        return try database.write { db in
            guard let state = try ProjectState.load(db) else {
                throw EngineError("no project has started in this workspace; start it with `rollout run PLAYBOOK` (no --upgrade needed)")
            }
            let project = state.project
            // Checked before the engine's own playbook: a retried upgrade (by an engine still
            // holding the old version) finds the project already moved and changes nothing.
            if project.playbookId == newPlaybook.id, project.playbookSha256 == newPlaybook.source.sha256 {
                return UpgradeReport(recorded: false, fromVersion: project.playbookVersion,
                                     toVersion: project.playbookVersion, changes: [], openedTasks: [],
                                     message: "the project already runs this playbook (version \(project.playbookVersion), "
                                        + "sha256 \(project.playbookSha256.prefix(12))…); nothing changed")
            }
            try checkSamePlaybook(project)
            guard project.status == "active" else {
                throw EngineError("the project is \(project.status); the playbook of a finished project cannot change")
            }
            try checkClock(now, project)
            let upgrade = PlaybookUpgrade(from: playbook, to: newPlaybook, state: state)
            guard upgrade.isSafe else {
                throw EngineError("""
                    cannot move project '\(project.id)' from version \(playbook.version) to version \(newPlaybook.version) \
                    of its playbook: \(upgrade.refusals.count == 1 ? "this change" : "these \(upgrade.refusals.count) changes") \
                    would derail it:
                    \(upgrade.refusals.map { "  - " + $0 }.joined(separator: "\n"))
                    Nothing was changed. Keep those parts as the running version has them \
                    (`rollout playbook diff` lists every change), then run again.
                    """)
            }
            let prior = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM engine_events WHERE project_id = ? AND kind = 'playbook.upgraded'
                """, arguments: [project.id]) ?? 0
            let event = EngineEvent.PlaybookUpgraded(
                fromVersion: project.playbookVersion, fromSHA256: project.playbookSha256,
                toVersion: newPlaybook.version, toSHA256: newPlaybook.source.sha256, title: newPlaybook.title,
                playbookPath: newPlaybook.source.path, playbookText: newPlaybook.source.text,
                phaseIDs: newPlaybook.phases.map(\.id), activePhaseID: upgrade.activePhaseID,
                openedTasks: upgrade.openedTasks, changedTasks: upgrade.changedTasks, changes: upgrade.diff.summary)
            // The count makes the key unique per upgrade, so moving back to an earlier version is
            // a new event, while a retried upgrade (same count, same target) is a no-op.
            let recorded = try EventLog().append(.playbookUpgraded(event), projectID: project.id, at: now, actor: nil,
                                                 key: "playbook:upgrade:\(prior + 1):\(newPlaybook.source.sha256)", db)
            if recorded {
                try refreezePilotGroups(upgrade.diff, newPlaybook: newPlaybook, projectID: project.id, db)
            }
            let opened = upgrade.openedTasks.map(\.taskID)
            return UpgradeReport(
                recorded: recorded, fromVersion: project.playbookVersion, toVersion: newPlaybook.version,
                changes: upgrade.diff.summary, openedTasks: opened,
                message: "project '\(project.id)' moved from version \(project.playbookVersion) to version "
                    + "\(newPlaybook.version) of its playbook: \(upgrade.diff.changes.count) change"
                    + (upgrade.diff.changes.count == 1 ? "" : "s")
                    + (opened.isEmpty ? "" : "; opened \(opened.map { "'\($0)'" }.joined(separator: ", "))"))
        }
    }

    /// Pilot groups whose selectors changed (or that are new) are frozen again with the new
    /// selectors: the safety check only lets that through before their pilot starts. The
    /// members of `all` and of unchanged groups stay as frozen when the project started.
    private func refreezePilotGroups(_ diff: PlaybookDiff, newPlaybook: Playbook, projectID: String,
                                     _ db: Database) throws {
        let changed = Set(diff.changes.filter { change in
            change.subject == .pilotGroup
                && (change.kind == .added || (change.kind == .changed && ["members", "control"].contains(change.field)))
        }.compactMap(\.id))
        try MeasuredGroups().refreeze(pilotGroups: changed, projectID: projectID, playbook: newPlaybook, db)
    }
}
