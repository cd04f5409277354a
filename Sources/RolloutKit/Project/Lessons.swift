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

    /// How `lessons(…)` orders them: as recorded, or largest cost or delay first.
    public enum LessonOrder: String, Sendable, CaseIterable {
        case recorded, cost, delay
    }

    /// The project's lessons, optionally of one phase, category or cause (any case), in `order`,
    /// and the summary of those lessons.
    public func lessons(phaseID: String? = nil, category: LessonLearned.Category? = nil, causedBy: String? = nil,
                        order: LessonOrder = .recorded) throws -> (lessons: [LessonLearned], summary: LessonSummary)
    {
        try workspace.database.read { db in
            let project = try projectID(db)
            var lessons = try LessonLog().lessons(projectID: project.id, phaseID: phaseID, category: category, db)
            if let causedBy {
                lessons = lessons.filter { $0.causedBy?.lowercased() == causedBy.lowercased() }
            }
            switch order {
            case .recorded: break
            case .cost: lessons.sort { ($0.cost?.minorUnits ?? 0, $0.delayDays) > ($1.cost?.minorUnits ?? 0, $1.delayDays) }
            case .delay: lessons.sort { ($0.delayDays, $0.cost?.minorUnits ?? 0) > ($1.delayDays, $1.cost?.minorUnits ?? 0) }
            }
            return (lessons, LessonLog().summary(of: lessons, phaseOrder: playbook.phases.map(\.id)))
        }
    }
}
