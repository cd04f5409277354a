import CRMCore
import Engine
import Evaluation
import Foundation
import Playbook

extension ProjectSession {
    /// Records a lesson learned on a phase of the project. `cost` is in major units of the
    /// playbook's currency.
    @discardableResult
    public func addLesson(phaseID: String, category: LessonLearned.Category, whatHappened: String, delayDays: Int,
                          causedBy: String?, cost: Double?, remedy: String?, by: String?, clock: ProjectClock,
                          idempotencyKey: String? = nil) throws -> LessonLearned {
        guard playbook.phase(phaseID) != nil else {
            throw EngineError("unknown phase '\(phaseID)'; the phases are " + playbook.phases.map(\.id).joined(separator: ", "))
        }
        guard !whatHappened.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw EngineError("say what happened (--what)")
        }
        guard delayDays >= 0 else { throw EngineError("--delay-days cannot be negative") }
        if let cost, cost < 0 { throw EngineError("--cost cannot be negative") }
        let currency = playbook.costs?.currency ?? "CNY"
        return try workspace.database.write { db in
            let project = try projectID(db)
            let lesson = LessonLearned(projectID: project.id, phaseID: phaseID, category: category,
                                       whatHappened: whatHappened, delayDays: delayDays, causedBy: causedBy,
                                       cost: cost.map { Money(major: $0, currency: currency) }, remedy: remedy,
                                       recordedBy: by, recordedAt: clock.now)
            return try LessonLog().add(lesson, idempotencyKey: idempotencyKey, db)
        }
    }

    /// The summary of `lessons`, phases in the playbook's order.
    public func summary(of lessons: [LessonLearned]) -> LessonSummary {
        LessonLog().summary(of: lessons, phaseOrder: playbook.phases.map(\.id))
    }

    /// The project's lessons, optionally of one phase or category, and their summary.
    public func lessons(phaseID: String? = nil, category: LessonLearned.Category? = nil) throws
        -> (lessons: [LessonLearned], summary: LessonSummary)
    {
        try workspace.database.read { db in
            let project = try projectID(db)
            let lessons = try LessonLog().lessons(projectID: project.id, phaseID: phaseID, category: category, db)
            return (lessons, LessonLog().summary(of: lessons, phaseOrder: playbook.phases.map(\.id)))
        }
    }
}
