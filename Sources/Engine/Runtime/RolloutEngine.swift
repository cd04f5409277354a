import CRMCore
import Foundation
import GRDB
import RolloutMetrics
import Playbook

/// An action that threw, with what the engine records about it.
struct ActionFailure: Error {
    var projectID: String
    var phaseID: String
    var phaseName: String
    var position: Int
    var iteration: Int
    var action: String
    var key: String
    var message: String
}

/// Runs a playbook's project on a workspace: starts it, starts phases, runs their actions,
/// evaluates gates, records tasks and votes, and applies gate decisions.
///
/// Every step is one transaction that reads the projections, decides the next step from them,
/// and appends the step's event together with its effects. A crash between steps loses nothing
/// and a rerun continues from the last committed step; a crash inside a step rolls it back.
/// Running a command again when there is nothing new to do appends nothing.
///
/// ```swift
/// let engine = RolloutEngine(database: db, playbook: playbook, measurer: KPIMeasurer(catalog: .builtIn))
/// let report = try engine.run(clock: .fixed(try Timestamp(parsing: "2025-03-03")))
/// print(report.outcome)   // stops at the first gate that needs a decision
/// ```
public struct RolloutEngine: Sendable {
    public let database: WorkspaceDatabase
    public let playbook: Playbook
    public let actions: ActionRegistry
    public let snapshots: SnapshotStore
    /// The playbook's plugins: their checks are gate criteria (their actions are in `actions`).
    public let plugins: (any PluginBridge)?
    private let log = EventLog()

    public init(database: WorkspaceDatabase, playbook: Playbook, measurer: KPIMeasurer,
                actions: ActionRegistry = .builtIn, plugins: (any PluginBridge)? = nil) {
        self.database = database
        self.playbook = playbook
        self.actions = plugins.map { actions.adding($0) } ?? actions
        self.snapshots = SnapshotStore(measurer: measurer)
        self.plugins = plugins
    }

    // MARK: - run

    /// Starts the project, or continues it as far as it can go at `clock.now`.
    public func run(clock: ProjectClock) throws -> RunReport {
        let now = clock.now
        var steps: [String] = []
        // Each phase takes a handful of steps per round; the bound only stops a bug from looping forever.
        let rounds = playbook.cycles.map(\.maxIterations).max() ?? 1
        for _ in 0..<(playbook.phases.count * rounds * 64 + 16) {
            let result: Step
            do {
                result = try database.write({ db in try step(now: now, db) })
            } catch let failure as ActionFailure {
                // The step rolled back; its failure is recorded on its own, and the run stops there.
                let attempt = try database.write { db in try recordFailure(failure, now: now, db) }
                steps.append("\(failure.phaseName): \(failure.action): failed (attempt \(attempt)): \(failure.message)")
                return RunReport(steps: steps, outcome: .actionFailed(phaseID: failure.phaseID, action: failure.action,
                                                                       attempt: attempt, message: failure.message))
            }
            switch result {
            case .progressed(let description):
                steps.append(description)
            case .stopped(let outcome):
                return RunReport(steps: steps, outcome: outcome)
            }
        }
        throw EngineError("the engine did not reach a stable state after \(steps.count) steps; this is a bug")
    }

    private enum Step {
        case progressed(String)
        case stopped(RunOutcome)
    }

    private func step(now: Timestamp, _ db: Database) throws -> Step {
        guard let state = try ProjectState.load(db) else {
            return .progressed(try startProject(now: now, db))
        }
        try checkSamePlaybook(state.project)
        try checkClock(now, state.project)
        let projectID = state.project.id
        switch state.project.status {
        case "completed": return .stopped(.completed)
        case "stopped": return .stopped(.stopped(reason: state.project.stopReason ?? "stopped"))
        default: break
        }
        if let ended = try endCycleIteration(state: state, now: now, db) {
            return .progressed(ended)
        }
        guard let progress = state.currentPhase else {
            try log.append(.projectCompleted(.init(reason: nil)), projectID: projectID, at: now, actor: nil,
                           key: "project:completed", db)
            return .progressed("project completed: all \(playbook.phases.count) phases passed their gates")
        }
        guard let phase = playbook.phase(progress.phaseId) else {
            throw EngineError("the project has a phase '\(progress.phaseId)' that its playbook does not define")
        }

        switch progress.status {
        case "pending":
            let entryFacts = phase.entry.isEmpty ? nil : try facts(state: state, phase: phase, iteration: progress.iteration, db)
            let unmet = entryFacts.map { facts in
                phase.entry.map { GateEvaluator.evaluate($0, of: phase, playbook: playbook, facts: facts) }
                    .filter { $0.status != .passed }
                    .map { "\($0.criterion): \($0.status.rawValue)" + ($0.detail.isEmpty ? "" : " (\($0.detail))") }
            } ?? []
            if !unmet.isEmpty {
                return .stopped(.waitingForEntry(phaseID: phase.id, unmet: unmet))
            }
            return .progressed(try startPhase(phase, iteration: progress.iteration, projectID: projectID, now: now, db))

        case "active":
            let done = Set(state.actions.filter { $0.phaseId == phase.id && $0.iteration == progress.iteration }.map(\.position))
            if let (position, step) = phase.actions.enumerated().first(where: { !done.contains($0.offset) }) {
                return .progressed(try runAction(step, position: position, phase: phase, iteration: progress.iteration,
                                                 projectID: projectID, now: now, db))
            }
            let open = state.tasks(of: phase.id).filter { $0.status == "open" }
            if !open.isEmpty {
                return .stopped(.waitingForTasks(phaseID: phase.id, taskIDs: open.map(\.taskId)))
            }
            guard let gate = phase.gate else {
                try log.append(.phaseCompleted(.init(phaseID: phase.id, decision: nil)), projectID: projectID, at: now,
                               actor: nil, key: Self.phaseKey(phase.id, "completed", iteration: progress.iteration), db)
                return .progressed("\(phase.name): all tasks done; the phase has no gate, so it is complete")
            }
            return .progressed(try evaluateGate(gate, phase: phase, progress: progress, state: state, now: now, db))

        case "awaiting_decision":
            guard let gate = phase.gate, let evaluation = state.evaluation(of: phase.id, attempt: progress.attempt) else {
                throw EngineError("phase '\(phase.id)' awaits a decision but has no gate evaluation; this is a bug")
            }
            if gate.approvers.isEmpty {
                if evaluation.passed {
                    return .progressed(try completePhase(phase, decision: nil, iteration: progress.iteration,
                                                         projectID: projectID, now: now, db))
                }
                return .progressed(try rework(phase, attempt: progress.attempt,
                                              reason: "gate criteria not met: " + failedCriteria(evaluation),
                                              projectID: projectID, now: now, db))
            }
            switch progress.decision {
            case .go?:
                return .progressed(try completePhase(phase, decision: .go, iteration: progress.iteration,
                                                     projectID: projectID, now: now, db))
            case .rework?:
                let notes = state.votes(of: phase.id, attempt: progress.attempt)
                    .filter { $0.decision == .rework }.compactMap(\.note)
                return .progressed(try rework(phase, attempt: progress.attempt,
                                              reason: notes.isEmpty ? "rework requested" : notes.joined(separator: "; "),
                                              projectID: projectID, now: now, db))
            case .noGo?:
                let notes = state.votes(of: phase.id, attempt: progress.attempt)
                    .filter { $0.decision == .noGo }.map { "\($0.role): \($0.note ?? "no-go")" }
                let reason = "no-go at the gate of '\(phase.id)': " + notes.joined(separator: "; ")
                try log.append(.projectStopped(.init(reason: reason)), projectID: projectID, at: now, actor: nil,
                               key: "project:stopped", db)
                return .progressed("project stopped: \(reason)")
            case nil:
                let voted = Set(state.votes(of: phase.id, attempt: progress.attempt).map(\.role))
                let missing = gate.approvers.map(\.id).filter { !voted.contains($0) }
                return .stopped(.awaitingDecision(phaseID: phase.id, attempt: progress.attempt,
                                                  passed: evaluation.passed, missingRoles: missing))
            }

        default:
            return .stopped(.stopped(reason: "phase '\(phase.id)' is \(progress.status)"))
        }
    }

    private func startProject(now: Timestamp, _ db: Database) throws -> String {
        let started = EngineEvent.ProjectStarted(
            title: playbook.title, playbookID: playbook.id, playbookVersion: playbook.version,
            playbookPath: playbook.source.path, playbookSHA256: playbook.source.sha256,
            playbookText: playbook.source.text, phaseIDs: playbook.phases.map(\.id))
        try log.append(.projectStarted(started), projectID: playbook.id, at: now, actor: nil,
                       key: "project:\(playbook.id):started", db)
        // Throws, naming the selector, if a team does not exist: the transaction then rolls back.
        try MeasuredGroups().freeze(projectID: playbook.id, playbook: playbook, db)
        return "started project '\(playbook.id)' (\(playbook.title)), \(playbook.phases.count) phases"
    }

    private func startPhase(_ phase: Phase, iteration: Int, projectID: String, now: Timestamp,
                            _ db: Database) throws -> String {
        let schedule = TaskSchedule(phase: phase, start: now)
        let tasks = phase.tasks.enumerated().map { position, task in
            EngineEvent.OpenedTask(taskID: ProjectState.taskID(task.id, iteration: iteration), position: position,
                                   name: task.name, ownerRole: task.owner.id, deliverableID: task.deliverable?.id,
                                   dueAt: schedule.due[task.id])
        }
        let plannedEnd = now.adding(days: phase.durationDays)
        try log.append(.phaseStarted(.init(phaseID: phase.id, plannedEndAt: plannedEnd, tasks: tasks)),
                       projectID: projectID, at: now, actor: nil, key: Self.phaseKey(phase.id, "started", iteration: iteration), db)
        let round = iteration > 1 ? " (round \(iteration) of its cycle)" : ""
        return "started phase \(phase.name)\(round): \(tasks.count) task\(tasks.count == 1 ? "" : "s"), "
            + "planned to end \(plannedEnd.dateString)"
    }

    /// `phase:ID:started`, and from a cycle's second round on `phase:ID:started:2`.
    static func phaseKey(_ phaseID: String, _ what: String, iteration: Int) -> String {
        "phase:\(phaseID):\(what)" + (iteration > 1 ? ":\(iteration)" : "")
    }

    // MARK: - cycles

    /// When the last phase of a cycle has completed a round, decides whether the cycle runs again:
    /// it ends when its `until:` holds (an unknown input does not make it hold) or after
    /// `max_iterations` rounds; otherwise its phases start again. Nil when no round has just ended.
    private func endCycleIteration(state: ProjectState, now: Timestamp, _ db: Database) throws -> String? {
        for cycle in playbook.cycles {
            guard let lastID = cycle.phases.last?.id, let last = state.phase(lastID), last.status == "completed",
                  !state.cycleIterationEnded(cycle.id, iteration: last.iteration),
                  let lastPhase = playbook.phase(lastID) else { continue }
            let iteration = last.iteration
            var met = false
            var detail = "no 'until' condition: the cycle runs \(cycle.maxIterations) rounds"
            if let until = cycle.until {
                let roundFacts = try facts(state: state, phase: lastPhase, iteration: iteration, db)
                let result = GateEvaluator.evaluate(until, of: lastPhase, playbook: playbook, facts: roundFacts)
                met = result.status == .passed
                detail = "until \(until.text): \(result.status.rawValue)" + (result.detail.isEmpty ? "" : " (\(result.detail))")
            }
            let outcome: EngineEvent.CycleIterationEnded.Outcome = met ? .met
                : iteration >= cycle.maxIterations ? .exhausted : .repeat
            let phaseIDs = cycle.phases.map(\.id)
            try log.append(.cycleIterationEnded(.init(cycleID: cycle.id, iteration: iteration, outcome: outcome,
                                                      detail: detail, phaseIDs: phaseIDs)),
                           projectID: state.project.id, at: now, actor: nil,
                           key: "cycle:\(cycle.id):\(iteration):ended", db)
            switch outcome {
            case .met: return "\(cycle.name): round \(iteration) met the cycle's condition; the project goes on (\(detail))"
            case .exhausted:
                return "\(cycle.name): \(iteration) of \(cycle.maxIterations) rounds run without meeting the condition; "
                    + "the project goes on (\(detail))"
            case .repeat:
                return "\(cycle.name): round \(iteration) ended (\(detail)); round \(iteration + 1) starts at '\(phaseIDs[0])'"
            }
        }
        return nil
    }

    private func runAction(_ step: ActionStep, position: Int, phase: Phase, iteration: Int, projectID: String,
                           now: Timestamp, _ db: Database) throws -> String {
        guard let action = actions.action(step.name.id) else {
            throw EngineError("\(step.name.location): unknown action '\(step.name.id)'")
        }
        let context = ActionContext(projectID: projectID, playbook: playbook, phase: phase, step: step,
                                    position: position, iteration: iteration, at: now, snapshots: snapshots)
        let outcome: ActionOutcome
        do {
            outcome = try action.perform(context, db)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw error  // not the action's failure: the database was busy
        } catch {
            throw ActionFailure(projectID: projectID, phaseID: phase.id, phaseName: phase.name, position: position,
                                iteration: iteration, action: step.name.id, key: context.key, message: "\(error)")
        }
        for (event, suffix) in outcome.events {
            try log.append(event, projectID: projectID, at: now, actor: nil, key: "\(context.key):\(suffix)", db)
        }
        try log.append(.actionCompleted(.init(phaseID: phase.id, position: position, action: step.name.id,
                                              summary: outcome.summary)),
                       projectID: projectID, at: now, actor: nil, key: context.key, db)
        return "\(phase.name): \(step.name.id): \(outcome.summary)"
    }

    /// Appends `action.failed` for a failure whose step rolled back; returns which try it was.
    private func recordFailure(_ failure: ActionFailure, now: Timestamp, _ db: Database) throws -> Int {
        let earlier = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM engine_events WHERE project_id = ?1 AND kind = 'action.failed'
            AND substr(idempotency_key, 1, length(?2)) = ?2
            """, arguments: [failure.projectID, failure.key + ":failed:"]) ?? 0
        let attempt = earlier + 1
        try log.append(.actionFailed(.init(phaseID: failure.phaseID, position: failure.position, action: failure.action,
                                           iteration: failure.iteration, attempt: attempt, message: failure.message)),
                       projectID: failure.projectID, at: now, actor: nil, key: "\(failure.key):failed:\(attempt)", db)
        return attempt
    }

    private func evaluateGate(_ gate: Gate, phase: Phase, progress: ProjectState.PhaseProgress, state: ProjectState,
                              now: Timestamp, _ db: Database) throws -> String {
        let attempt = progress.attempt
        let snapshot = try snapshots.take(projectID: state.project.id, label: "gate:\(phase.id):\(attempt)",
                                          phaseID: phase.id, playbook: playbook, at: now, db)
        let baseline = try snapshots.snapshot(projectID: state.project.id, label: "baseline", db)
        let pilot = try phase.pilot.map {
            try MeasuredGroups().members(projectID: state.project.id, group: .pilot($0.id), db)
        } ?? []
        let key = "gate:\(phase.id):\(attempt)"
        let results = GateEvaluator().evaluate(gate, of: phase, playbook: playbook, snapshot: snapshot,
                                               baseline: baseline, delivered: state.deliveredDeliverables,
                                               tasksDone: state.doneTasks, phasesPassed: state.passedPhases,
                                               lessons: try lessonCount(projectID: state.project.id, db),
                                               iteration: progress.iteration) { criterion in
            guard let plugins else {
                return CriterionResult(criterion: "check \(criterion.check.id)", status: .failed, actual: nil,
                                       detail: "no plugin provides it: install the playbook's plugins")
            }
            let context = PluginStepContext(projectID: state.project.id, phaseID: phase.id, at: now,
                                            key: "\(key):check:\(criterion.check.id)", pilotUserIDs: pilot)
            return GateEvaluator.result(of: criterion, Result {
                try plugins.check(criterion.check.id, arguments: criterion.arguments, context: context)
            })
        }
        let passed = results.allSatisfy { $0.status == .passed }
        try log.append(.gateEvaluated(.init(phaseID: phase.id, attempt: attempt, passed: passed, criteria: results,
                                            snapshotID: snapshot.id, snapshotSHA256: snapshot.contentSHA256)),
                       projectID: state.project.id, at: now, actor: nil, key: "gate:\(phase.id):\(attempt):evaluated", db)
        let met = results.filter { $0.status == .passed }.count
        let verdict = passed ? "passed" : "not passed"
        let waiting = gate.approvers.isEmpty ? "" : "; awaiting decision of " + gate.approvers.map(\.id).joined(separator: ", ")
        return "\(phase.name): gate evaluated (attempt \(attempt)): \(verdict), \(met) of \(results.count) criteria met\(waiting)"
    }

    /// What a phase's entry criteria and a cycle's `until:` read, from the latest snapshot.
    private func facts(state: ProjectState, phase: Phase, iteration: Int, _ db: Database) throws -> ProjectFacts {
        let latest = try snapshots.latest(projectID: state.project.id, db)
        let baseline = try snapshots.snapshot(projectID: state.project.id, label: "baseline", db)
        return GateEvaluator.facts(playbook: playbook, phase: phase, snapshot: latest, baseline: baseline,
                                   delivered: state.deliveredDeliverables, tasksDone: state.doneTasks,
                                   phasesPassed: state.passedPhases,
                                   lessons: try lessonCount(projectID: state.project.id, db), iteration: iteration)
    }

    /// Lessons recorded for the project (the Evaluation module's table), 0 before it exists.
    private func lessonCount(projectID: String, _ db: Database) throws -> Int {
        guard try db.tableExists("lessons") else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM lessons WHERE project_id = ?", arguments: [projectID]) ?? 0
    }

    private func completePhase(_ phase: Phase, decision: GateDecision?, iteration: Int, projectID: String,
                               now: Timestamp, _ db: Database) throws -> String {
        try log.append(.phaseCompleted(.init(phaseID: phase.id, decision: decision)), projectID: projectID, at: now,
                       actor: nil, key: Self.phaseKey(phase.id, "completed", iteration: iteration), db)
        return "\(phase.name): complete" + (decision.map { " (decision: \($0.rawValue))" } ?? "")
    }

    private func rework(_ phase: Phase, attempt: Int, reason: String, projectID: String, now: Timestamp,
                        _ db: Database) throws -> String {
        let next = attempt + 1
        let owner = phase.owner?.id ?? phase.gate?.approvers.first?.id ?? phase.tasks.first?.owner.id ?? "pm"
        let task = EngineEvent.OpenedTask(taskID: "\(phase.id)-rework-\(attempt)", position: 1000 + attempt,
                                          name: "Rework: \(reason)", ownerRole: owner, deliverableID: nil,
                                          dueAt: now.adding(days: 14))
        try log.append(.phaseReworked(.init(phaseID: phase.id, attempt: next, reworkTask: task)), projectID: projectID,
                       at: now, actor: nil, key: "phase:\(phase.id):rework:\(next)", db)
        return "\(phase.name): rework (attempt \(next)); task '\(task.taskID)' opened for \(owner)"
    }

    private func failedCriteria(_ evaluation: ProjectState.GateEvaluation) -> String {
        evaluation.criteria.filter { $0.status != .passed }.map(\.criterion).joined(separator: ", ")
    }

    // MARK: - approve

    /// Records one approver role's vote on the gate of `phaseID`. When every approver role has
    /// voted, the most conservative vote becomes the gate's decision (no-go over rework over go);
    /// the next `run` acts on it.
    ///
    /// A go vote on a gate whose criteria are not all met waives the unmet ones: it needs a note
    /// saying why, and the waiver is recorded with the vote. `conditions` are what a go requires
    /// to happen next; they are recorded with the vote and shown in the reports.
    public func approve(phaseID: String, role: String, by voter: String, decision: GateDecision, note: String?,
                        conditions: [String] = [], clock: ProjectClock) throws -> ApprovalReport {
        let now = clock.now
        return try database.write { db in
            let state = try requireProject(db)
            try checkSamePlaybook(state.project)
            try checkClock(now, state.project)
            let phase = try requirePhase(phaseID)
            guard let gate = phase.gate else {
                throw EngineError("phase '\(phase.id)' has no gate, so there is nothing to approve")
            }
            guard let roleDefinition = playbook.role(role) else {
                throw EngineError("unknown role '\(role)'" + suggestion(role, among: playbook.organisation.roles.map(\.id))
                    + "; the gate of '\(phase.id)' is approved by " + describeRoles(gate.approvers.map(\.id)))
            }
            guard gate.approvers.contains(where: { $0.id == role }) else {
                throw EngineError("role '\(role)' (\(roleDefinition.name)) may not decide the gate of '\(phase.id)': "
                    + "its approvers are " + describeRoles(gate.approvers.map(\.id)))
            }
            if !roleDefinition.members.isEmpty && !roleDefinition.members.contains(voter) {
                throw EngineError("'\(voter)' does not hold role '\(role)'; its members are "
                    + roleDefinition.members.joined(separator: ", "))
            }
            guard let progress = state.phases.first(where: { $0.phaseId == phase.id }) else {
                throw EngineError("phase '\(phase.id)' is not part of the running project")
            }
            if let vote = state.votes(of: phase.id, attempt: progress.attempt).first(where: { $0.role == role }),
               progress.status == "awaiting_decision" || progress.status == "completed" {
                if vote.voter == voter && vote.decision == decision && vote.note == note && vote.conditions == conditions {
                    return ApprovalReport(phaseID: phase.id, attempt: progress.attempt, recorded: false,
                                          decided: progress.decision, missingRoles: [],
                                          message: "already recorded: \(role) voted \(decision.rawValue) on \(vote.at.dateString); nothing changed")
                }
                throw EngineError("\(vote.role) already voted \(vote.decision.rawValue) (by \(vote.voter), "
                    + "\(vote.at.dateString)) on attempt \(progress.attempt) of the gate of '\(phase.id)'; votes are final")
            }
            guard progress.status == "awaiting_decision" else {
                throw EngineError("the gate of '\(phase.id)' is not waiting for a decision: " + describe(progress, state))
            }
            let noteGiven = !(note ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            if decision != .go && !noteGiven {
                throw EngineError("a \(decision.rawValue) decision needs --note saying why, for the record and for the team")
            }
            let conditions = conditions.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if decision != .go && !conditions.isEmpty {
                throw EngineError("conditions go with a go decision (a go, on condition that …); "
                    + "a \(decision.rawValue) says what to change in its --note")
            }
            let unmet = decision == .go
                ? (state.evaluation(of: phase.id, attempt: progress.attempt)?.criteria ?? []).filter { $0.status != .passed }
                : []
            if !unmet.isEmpty && !noteGiven {
                throw EngineError("the gate of '\(phase.id)' has unmet criteria: "
                    + unmet.map { "\($0.criterion) (\($0.status.rawValue))" }.joined(separator: ", ")
                    + "; a go vote waives them, so it needs --note saying why the rollout may go on without them")
            }
            try log.append(.voteRecorded(.init(phaseID: phase.id, attempt: progress.attempt, role: role, by: voter,
                                               decision: decision, note: note,
                                               waived: unmet.isEmpty ? nil : unmet.map(\.criterion),
                                               conditions: conditions.isEmpty ? nil : conditions)),
                           projectID: state.project.id, at: now, actor: voter,
                           key: "gate:\(phase.id):\(progress.attempt):vote:\(role)", db)
            var votes = state.votes(of: phase.id, attempt: progress.attempt).map { ($0.role, $0.decision) }
            votes.append((role, decision))
            let voted = Set(votes.map(\.0))
            let missing = gate.approvers.map(\.id).filter { !voted.contains($0) }
            var decided: GateDecision?
            if missing.isEmpty {
                let outcome = votes.map(\.1).max { $0.severity < $1.severity } ?? .go
                try log.append(.gateDecided(.init(phaseID: phase.id, attempt: progress.attempt, decision: outcome)),
                               projectID: state.project.id, at: now, actor: voter,
                               key: "gate:\(phase.id):\(progress.attempt):decided", db)
                decided = outcome
            }
            let message = decided.map { "gate of '\(phase.id)' decided: \($0.rawValue); run `rollout run` to act on it" }
                ?? "vote recorded; still waiting for " + describeRoles(missing)
            return ApprovalReport(phaseID: phase.id, attempt: progress.attempt, recorded: true, decided: decided,
                                  missingRoles: missing, message: message)
        }
    }

    // MARK: - tasks

    /// Marks a task done. A task already done is left as it is.
    public func completeTask(_ taskID: String, by: String, note: String?, clock: ProjectClock) throws -> TaskReport {
        let now = clock.now
        return try database.write { db in
            let state = try requireProject(db)
            try checkSamePlaybook(state.project)
            try checkClock(now, state.project)
            guard let task = resolveTask(taskID, in: state) else {
                if let phase = playbook.phases.first(where: { $0.tasks.contains { $0.id == taskID } }) {
                    let current = state.currentPhase.map { "the current phase is '\($0.phaseId)'" } ?? "the project is over"
                    throw EngineError("task '\(taskID)' belongs to phase '\(phase.id)', which has not started; \(current)")
                }
                throw EngineError("unknown task '\(taskID)'" + suggestion(taskID, among: state.tasks.map(\.taskId)
                    + playbook.phases.flatMap { $0.tasks.map(\.id) }))
            }
            let instanceID = task.taskId
            if task.status == "done" {
                return TaskReport(taskID: instanceID, recorded: false,
                                  message: "task '\(instanceID)' was already done (\(task.doneAt?.dateString ?? "?"), by \(task.doneBy ?? "?")); nothing changed")
            }
            let openDependencies = playbook.phase(task.phaseId).map { state.openDependencies(of: task, in: $0) } ?? []
            if !openDependencies.isEmpty {
                throw EngineError("task '\(instanceID)' depends on " + openDependencies.map { "'\($0.id)'" }.joined(separator: ", ")
                    + ", still open; finish \(openDependencies.count == 1 ? "it" : "them") first")
            }
            try log.append(.taskCompleted(.init(phaseID: task.phaseId, taskID: instanceID, by: by, note: note)),
                           projectID: state.project.id, at: now, actor: by, key: "task:\(instanceID):done", db)
            let remaining = state.tasks(of: task.phaseId).filter { $0.status == "open" && $0.taskId != instanceID }.count
            let next = remaining == 0 ? "all tasks of '\(task.phaseId)' are done; `rollout run` evaluates its gate"
                : "\(remaining) task\(remaining == 1 ? "" : "s") of '\(task.phaseId)' still open"
            return TaskReport(taskID: instanceID, recorded: true, message: "task '\(instanceID)' done; \(next)")
        }
    }

    /// The task `id` names: an exact task id (`observe-cases@2`), or a playbook task's id, which
    /// means its instance in its phase's current round of a cycle (`observe-cases` → `observe-cases@2`).
    private func resolveTask(_ id: String, in state: ProjectState) -> ProjectState.TaskProgress? {
        if let current = state.currentTasks.first(where: { ProjectState.playbookTaskID($0.taskId) == id }) {
            return current
        }
        return state.tasks.first { $0.taskId == id }
    }

    // MARK: - guards

    private func requireProject(_ db: Database) throws -> ProjectState {
        guard let state = try ProjectState.load(db) else {
            throw EngineError("no project has started in this workspace; start one with `rollout run PLAYBOOK`")
        }
        return state
    }

    private func requirePhase(_ id: String) throws -> Phase {
        guard let phase = playbook.phase(id) else {
            throw EngineError("unknown phase '\(id)'" + suggestion(id, among: playbook.phases.map(\.id)))
        }
        return phase
    }

    func checkSamePlaybook(_ project: ProjectState.Project) throws {
        guard project.playbookId == playbook.id else {
            throw EngineError("""
                this workspace runs project '\(project.id)' (playbook '\(project.playbookId)'), not '\(playbook.id)'; \
                a workspace holds one project: use another --db for '\(playbook.id)'
                """)
        }
        guard project.playbookSha256 == playbook.source.sha256 else {
            throw EngineError("""
                \(playbook.source.path) has changed since the project started (\(project.startedAt.dateString)): \
                the project runs the version recorded then (sha256 \(project.playbookSha256.prefix(12))…, now \
                \(playbook.source.sha256.prefix(12))…). Run without a file to continue with the recorded playbook, \
                or add --upgrade to move the project to the new version (`rollout playbook diff` shows what changes)
                """)
        }
    }

    func checkClock(_ now: Timestamp, _ project: ProjectState.Project) throws {
        guard now >= project.lastEventAt else {
            throw EngineError("""
                the project's latest event is at \(project.lastEventAt.iso8601); \(now.iso8601) is earlier. \
                Time only moves forward in a project: use --as-of \(project.lastEventAt.dateString) or later
                """)
        }
    }

    private func describeRoles(_ ids: [String]) -> String {
        ids.map { id in playbook.role(id).map { "\(id) (\($0.name))" } ?? id }.joined(separator: ", ")
    }

    private func describe(_ progress: ProjectState.PhaseProgress, _ state: ProjectState) -> String {
        switch progress.status {
        case "pending": return "the phase has not started"
        case "active":
            let open = state.tasks(of: progress.phaseId).filter { $0.status == "open" }.count
            return open > 0 ? "the phase is active with \(open) open task\(open == 1 ? "" : "s")"
                : "the phase is active; `rollout run` evaluates its gate"
        case "completed": return "the phase is complete"
        default: return "the phase is \(progress.status)"
        }
    }
}

/// " (did you mean 'x'?)" when a candidate is close to `word`, else "".
func suggestion(_ word: String, among candidates: [String]) -> String {
    var best: (String, Int)?
    for candidate in Set(candidates) {
        let d = editDistance(word, candidate)
        if d <= max(2, word.count / 3), d < (best?.1 ?? .max) || (d == best?.1 && candidate < best!.0) {
            best = (candidate, d)
        }
    }
    return best.map { " (did you mean '\($0.0)'?)" } ?? ""
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
