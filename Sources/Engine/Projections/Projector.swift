import CRMCore
import Foundation
import GRDB

/// Derives the projection tables (`projects`, `engine_phases`, `engine_tasks`, …) from events.
///
/// `apply` is the only code that writes projections; `rebuild` replays a project's log into
/// empty projections, which is how a test proves the log alone determines the state.
public struct Projector: Sendable {
    public init() {}

    public func apply(_ event: EngineEvent, projectID: String, at: Timestamp, actor: String?, _ db: Database) throws {
        switch event {
        case .projectStarted(let e):
            try db.execute(sql: """
                INSERT INTO projects (id, title, playbook_id, playbook_version, playbook_path, playbook_sha256,
                                      playbook_text, status, started_at, last_event_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)
                """, arguments: [projectID, e.title, e.playbookID, e.playbookVersion, e.playbookPath,
                                 e.playbookSHA256, e.playbookText, at, at])
            for (position, phaseID) in e.phaseIDs.enumerated() {
                try db.execute(sql: """
                    INSERT INTO engine_phases (project_id, phase_id, position, status) VALUES (?, ?, ?, 'pending')
                    """, arguments: [projectID, phaseID, position])
            }

        case .phaseStarted(let e):
            try db.execute(sql: """
                UPDATE engine_phases SET status = 'active', started_at = ?, planned_end_at = ?
                WHERE project_id = ? AND phase_id = ?
                """, arguments: [at, e.plannedEndAt, projectID, e.phaseID])
            for task in e.tasks {
                try openTask(task, phaseID: e.phaseID, projectID: projectID, at: at, db)
            }

        case .actionCompleted(let e):
            try db.execute(sql: """
                INSERT INTO engine_actions (project_id, phase_id, iteration, position, action, done_at, summary)
                SELECT ?, ?, iteration, ?, ?, ?, ? FROM engine_phases WHERE project_id = ? AND phase_id = ?
                """, arguments: [projectID, e.phaseID, e.position, e.action, at, e.summary, projectID, e.phaseID])

        case .actionFailed:
            break  // the action stays to do; status and the log show the failure

        case .taskCompleted(let e):
            try db.execute(sql: """
                UPDATE engine_tasks SET status = 'done', done_at = ?, done_by = ?, note = ?
                WHERE project_id = ? AND task_id = ?
                """, arguments: [at, e.by, e.note, projectID, e.taskID])

        case .gateEvaluated(let e):
            let criteria = String(decoding: try EngineEvent.encoder.encode(e.criteria), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO engine_gate_evaluations (project_id, phase_id, attempt, evaluated_at, passed, snapshot_id,
                                                     snapshot_sha256, criteria)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [projectID, e.phaseID, e.attempt, at, e.passed, e.snapshotID, e.snapshotSHA256, criteria])
            try db.execute(sql: """
                UPDATE engine_phases SET status = 'awaiting_decision' WHERE project_id = ? AND phase_id = ?
                """, arguments: [projectID, e.phaseID])

        case .voteRecorded(let e):
            try db.execute(sql: """
                INSERT INTO engine_votes (project_id, phase_id, attempt, role, voter, decision, note, at, waived, conditions)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [projectID, e.phaseID, e.attempt, e.role, e.by, e.decision.rawValue, e.note, at,
                                 try Self.jsonText(e.waived ?? []), try Self.jsonText(e.conditions ?? [])])

        case .gateDecided(let e):
            try db.execute(sql: "UPDATE engine_phases SET decision = ? WHERE project_id = ? AND phase_id = ?",
                           arguments: [e.decision.rawValue, projectID, e.phaseID])

        case .phaseReworked(let e):
            try db.execute(sql: """
                UPDATE engine_phases SET status = 'active', attempt = ?, decision = NULL WHERE project_id = ? AND phase_id = ?
                """, arguments: [e.attempt, projectID, e.phaseID])
            try openTask(e.reworkTask, phaseID: e.phaseID, projectID: projectID, at: at, db)

        case .phaseCompleted(let e):
            try db.execute(sql: """
                UPDATE engine_phases SET status = 'completed', ended_at = ?, decision = COALESCE(?, decision)
                WHERE project_id = ? AND phase_id = ?
                """, arguments: [at, e.decision?.rawValue, projectID, e.phaseID])

        case .pilotStarted(let e):
            try db.execute(sql: """
                INSERT INTO engine_pilots (project_id, pilot_group_id, phase_id, started_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (project_id, pilot_group_id) DO UPDATE SET ended_at = NULL   -- restarted by a cycle's next round
                """, arguments: [projectID, e.pilotGroupID, e.phaseID, at])

        case .pilotEnded(let e):
            try db.execute(sql: "UPDATE engine_pilots SET ended_at = ? WHERE project_id = ? AND pilot_group_id = ?",
                           arguments: [at, projectID, e.pilotGroupID])

        case .wentLive:
            try db.execute(sql: "UPDATE projects SET go_live_at = ? WHERE id = ?", arguments: [at, projectID])

        case .projectCompleted:
            try db.execute(sql: "UPDATE projects SET status = 'completed', ended_at = ? WHERE id = ?",
                           arguments: [at, projectID])

        case .projectStopped(let e):
            try db.execute(sql: "UPDATE projects SET status = 'stopped', ended_at = ?, stop_reason = ? WHERE id = ?",
                           arguments: [at, e.reason, projectID])
            try db.execute(sql: """
                UPDATE engine_phases SET status = 'stopped', ended_at = ?
                WHERE project_id = ? AND status IN ('active', 'awaiting_decision')
                """, arguments: [at, projectID])

        case .playbookUpgraded(let e):
            try applyUpgrade(e, projectID: projectID, at: at, db)

        case .cycleIterationEnded(let e):
            try db.execute(sql: """
                INSERT INTO engine_cycle_iterations (project_id, cycle_id, iteration, ended_at, outcome, detail)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [projectID, e.cycleID, e.iteration, at, e.outcome.rawValue, e.detail])
            guard e.outcome == .repeat else { break }
            // The next round: the phases start again from pending; gate attempts keep counting,
            // so each round's evaluations and votes stay in the log under their own attempt.
            for phaseID in e.phaseIDs {
                try db.execute(sql: """
                    UPDATE engine_phases SET status = 'pending', iteration = ?, attempt = attempt + 1, decision = NULL,
                                             started_at = NULL, planned_end_at = NULL, ended_at = NULL
                    WHERE project_id = ? AND phase_id = ?
                    """, arguments: [e.iteration + 1, projectID, phaseID])
            }
        }
        try db.execute(sql: "UPDATE projects SET last_event_at = MAX(last_event_at, ?) WHERE id = ?",
                       arguments: [at, projectID])
    }

    private func openTask(_ task: EngineEvent.OpenedTask, phaseID: String, projectID: String, at: Timestamp,
                          _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO engine_tasks (project_id, task_id, phase_id, position, name, owner_role, deliverable_id, status,
                                      opened_at, due_at, iteration)
            SELECT ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, iteration FROM engine_phases WHERE project_id = ? AND phase_id = ?
            """, arguments: [projectID, task.taskID, phaseID, task.position, task.name, task.ownerRole, task.deliverableID,
                             at, task.dueAt, projectID, phaseID])
    }

    /// Points the project at the new playbook version: its phases in the new order (pending
    /// phases it dropped removed, phases it added pending), the active phase's new tasks open.
    private func applyUpgrade(_ e: EngineEvent.PlaybookUpgraded, projectID: String, at: Timestamp,
                              _ db: Database) throws {
        try db.execute(sql: """
            UPDATE projects SET title = ?, playbook_version = ?, playbook_path = ?, playbook_sha256 = ?, playbook_text = ?
            WHERE id = ?
            """, arguments: [e.title, e.toVersion, e.playbookPath, e.toSHA256, e.playbookText, projectID])
        let kept = Set(e.phaseIDs)
        for phaseID in try String.fetchAll(db, sql: "SELECT phase_id FROM engine_phases WHERE project_id = ?",
                                           arguments: [projectID]) where !kept.contains(phaseID) {
            try db.execute(sql: "DELETE FROM engine_phases WHERE project_id = ? AND phase_id = ? AND status = 'pending'",
                           arguments: [projectID, phaseID])
        }
        for (position, phaseID) in e.phaseIDs.enumerated() {
            try db.execute(sql: """
                INSERT INTO engine_phases (project_id, phase_id, position, status) VALUES (?, ?, ?, 'pending')
                ON CONFLICT (project_id, phase_id) DO UPDATE SET position = excluded.position
                """, arguments: [projectID, phaseID, position])
        }
        guard let phaseID = e.activePhaseID else { return }
        for task in e.openedTasks {
            try openTask(task, phaseID: phaseID, projectID: projectID, at: at, db)
        }
        for task in e.changedTasks {
            try db.execute(sql: """
                UPDATE engine_tasks SET name = ?, owner_role = ?, deliverable_id = ?, due_at = ?
                WHERE project_id = ? AND task_id = ? AND status = 'open'
                """, arguments: [task.name, task.ownerRole, task.deliverableID, task.dueAt, projectID, task.taskID])
        }
    }

    static func jsonText(_ strings: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
    }

    /// The projection tables this projector owns, children first.
    static let tables = ["engine_cycle_iterations", "engine_votes", "engine_gate_evaluations", "engine_actions", "engine_tasks",
                         "engine_pilots", "engine_phases"]

    /// Deletes a project's projections and replays its event log into them.
    public func rebuild(projectID: String, _ db: Database) throws {
        let events = try EventLog().events(projectID: projectID, db)
        // The outbox references the project row; keep it, and recreate the row in place.
        try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        for table in Self.tables {
            try db.execute(sql: "DELETE FROM \(table) WHERE project_id = ?", arguments: [projectID])
        }
        try db.execute(sql: "DELETE FROM projects WHERE id = ?", arguments: [projectID])
        for logged in events {
            try apply(logged.event, projectID: projectID, at: logged.at, actor: logged.actor, db)
        }
    }
}
