import CRMCore
import Engine
import Evaluation
import Foundation
import GRDB
import RolloutMetrics

extension ProjectSession {
    /// Records a judgement on `topic`. An outcome evaluation needs a verdict and is recorded
    /// with a KPI snapshot taken now (`outcome:<n>`), fixed by its content hash.
    @discardableResult
    public func addJudgement(topic: Judgement.Topic, verdict: Judgement.Verdict?, text: String, phaseID: String?,
                             by: String, clock: ProjectClock, idempotencyKey: String? = nil) throws -> Judgement {
        if let phaseID, playbook.phase(phaseID) == nil {
            throw EngineError("unknown phase '\(phaseID)'; the phases are " + playbook.phases.map(\.id).joined(separator: ", "))
        }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw EngineError("say what you judge (--text)") }
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw EngineError("say who judges (--by)") }
        let evaluations: Set<Judgement.Topic> = [.performance, .outcome]
        if verdict == nil && topic == .outcome {
            throw EngineError("an outcome evaluation needs --verdict achieved, partly or not-achieved")
        }
        if verdict != nil && !evaluations.contains(topic) {
            throw EngineError("--verdict belongs to the performance and outcome evaluations, not to '\(topic.rawValue)'")
        }
        return try workspace.database.write { db in
            let project = try projectID(db)
            var judgement = Judgement(projectID: project.id, phaseID: phaseID, topic: topic, verdict: verdict, text: text,
                                      recordedBy: by, recordedAt: clock.now)
            let log = JudgementLog()
            if let key = idempotencyKey, let existing = try log.judgement(idempotencyKey: key, db) { return existing }
            if topic == .outcome {
                let count = try log.judgements(projectID: project.id, topic: .outcome, db).count
                let snapshot = try SnapshotStore(measurer: KPIMeasurer(catalog: catalog))
                    .take(projectID: project.id, label: "outcome:\(count + 1)", phaseID: nil, playbook: playbook,
                          at: clock.now, db)
                judgement.snapshotLabel = snapshot.label
                judgement.snapshotSHA256 = snapshot.contentSHA256
            }
            return try log.add(judgement, idempotencyKey: idempotencyKey, db)
        }
    }

    /// The project's judgements, oldest first, optionally on one topic.
    public func judgements(topic: Judgement.Topic? = nil) throws -> [Judgement] {
        try workspace.database.read { db in
            try JudgementLog().judgements(projectID: try projectID(db).id, topic: topic, db)
        }
    }
}
