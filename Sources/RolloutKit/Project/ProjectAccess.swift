import CRMCore
import Engine
import Evaluation
import Foundation
import GRDB
import Playbook

/// The project's writes on behalf of a CRM user (the REST API and the web pages), each behind
/// the permission its role must grant (docs/server.md, "Roles"):
///
/// | write | permission |
/// |---|---|
/// | a gate vote | `gate.approve`, and membership of the organisation role when the playbook names its members |
/// | completing a task, recording a lesson | `task.complete` |
/// | moving the project to a new playbook version | `playbook.edit` |
///
/// The person recorded with the write (the voter, the task's closer, the lesson's author) is
/// the user's name, so the event log and the evaluation report say who it was.
extension ProjectSession {
    /// Records `actor`'s vote on the gate of `phaseID` for the organisation role `role`.
    public func approve(phaseID: String, role: String, decision: GateDecision, note: String?, conditions: [String] = [],
                        as actor: CRMActor, clock: ProjectClock) throws -> ApprovalReport {
        try actor.require(.approveGate, to: "vote on a gate")
        let person = try personName(of: actor)
        if let organisationRole = playbook.organisation.roles.first(where: { $0.id == role }),
           !organisationRole.members.isEmpty
        {
            let names = [person.name, person.email].compactMap { $0?.lowercased() }
            guard organisationRole.members.contains(where: { names.contains($0.lowercased()) }) else {
                throw CRMError.forbidden(
                    "\(actor.label) may not vote for '\(role)': the playbook names its members ("
                        + organisationRole.members.joined(separator: ", ") + ") and \(person.display) is not one of them")
            }
        }
        return try approve(phaseID: phaseID, role: role, by: person.display, decision: decision, note: note,
                           conditions: conditions, clock: clock)
    }

    /// Marks the task done on behalf of `actor`.
    public func completeTask(_ id: String, note: String?, as actor: CRMActor, clock: ProjectClock) throws -> TaskReport {
        try actor.require(.completeTask, to: "complete a task")
        return try completeTask(id, by: try personName(of: actor).display, note: note, clock: clock)
    }

    /// Records a lesson learned on behalf of `actor`.
    @discardableResult
    public func addLesson(phaseID: String, category: LessonLearned.Category, whatHappened: String, delayDays: Int,
                          causedBy: String?, cost: Double?, remedy: String?, as actor: CRMActor, clock: ProjectClock,
                          idempotencyKey: String? = nil) throws -> LessonLearned {
        try actor.require(.completeTask, to: "record a lesson")
        return try addLesson(phaseID: phaseID, category: category, whatHappened: whatHappened, delayDays: delayDays,
                             causedBy: causedBy, cost: cost, remedy: remedy, by: try personName(of: actor).display,
                             clock: clock, idempotencyKey: idempotencyKey)
    }

    /// The user's name and e-mail address; the operator is named by its label.
    func personName(of actor: CRMActor) throws -> (name: String?, email: String?, display: String) {
        guard let userID = actor.userID else { return (actor.label, nil, actor.label) }
        let row = try workspace.database.read { db in
            try Row.fetchOne(db, sql: "SELECT name, email FROM users WHERE id = ?", arguments: [userID])
        }
        guard let row else { throw CRMError.notFound(entity: "user", key: String(userID)) }
        let name: String? = row["name"]
        let email: String? = row["email"]
        return (name, email, name ?? email ?? actor.label)
    }
}

extension Workspace {
    /// Moves the running project to the playbook in `text` on behalf of `actor`, who needs
    /// `playbook.edit`; the same safety rules as `rollout run --upgrade` (`PlaybookUpgrade`).
    public func upgradeProject(toPlaybookText text: String, displayPath: String, as actor: CRMActor,
                               clock: ProjectClock) throws -> UpgradeReport {
        try actor.require(.editPlaybook, to: "change the project's playbook")
        let running = try session(playbookPath: nil)
        let compilation = PlaybookCompiler(context: playbookContext).compile(text: text, path: displayPath)
        guard let new = compilation.playbook, !compilation.hasErrors else {
            throw PlaybookCompilationError(diagnostics: compilation.diagnostics)
        }
        return try running.engine.upgrade(to: new, clock: clock)
    }
}
