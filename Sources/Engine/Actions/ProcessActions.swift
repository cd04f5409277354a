import CRMCore
import GRDB
import RolloutMetrics
import Playbook

/// `process.start: { process: lead-handling, variant: to_be, scope: pilot }`: the process runs
/// on the records created from now on: those of the phase's pilot group (scope `pilot`, the
/// default in a phase with a pilot: S0 §4's prototype test), or everyone's (scope `everyone`,
/// the default otherwise: the cut-over). A running activation of the same process ends.
struct ProcessStartAction: EngineAction {
    let name = "process.start"
    let summary = "run a business process on new CRM records of the pilot group or of everyone"

    func perform(_ context: ActionContext, _ db: Database) throws -> ActionOutcome {
        guard let processID = context.step.arguments["process"] else {
            throw EngineError("process.start in phase '\(context.phase.id)' names no process (add `process: ID`)")
        }
        guard let process = context.playbook.process(processID) else {
            throw EngineError("process.start in phase '\(context.phase.id)' names unknown process '\(processID)'")
        }
        let variantName = context.step.arguments["variant"] ?? "to_be"
        guard let kind = ProcessVariant.Kind(rawValue: variantName),
              let variant = kind == .asIs ? process.asIs : process.toBe else {
            throw EngineError("process '\(processID)' has no variant '\(variantName)' (it has \(process.variants.map(\.kind.rawValue).joined(separator: ", ")))")
        }
        let scope = context.step.arguments["scope"] ?? (context.phase.pilot == nil ? "everyone" : "pilot")
        guard scope == "pilot" || scope == "everyone" else {
            throw EngineError("process.start's scope is 'pilot' or 'everyone', not '\(scope)'")
        }
        let pilot = scope == "pilot" ? context.phase.pilot?.id : nil
        if scope == "pilot" && pilot == nil {
            throw EngineError("process.start with scope pilot in phase '\(context.phase.id)', which names no pilot group (add `pilot:`)")
        }
        let at = context.at.secondsSinceEpoch
        try db.execute(sql: """
            UPDATE process_activations SET ended_at = ? WHERE project_id = ? AND process_id = ? AND ended_at IS NULL
            AND idempotency_key <> ?
            """, arguments: [at, context.projectID, processID, context.key])
        try db.execute(sql: """
            INSERT INTO process_activations (project_id, process_id, variant, entity, scope, pilot_group_id, started_at, idempotency_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING
            """, arguments: [context.projectID, processID, variant.kind.rawValue, process.entity.id, scope, pilot, at, context.key])
        try db.execute(sql: "INSERT OR IGNORE INTO process_watch (entity) VALUES (?), ('activity')", arguments: [process.entity.id])
        let who = pilot.map { "pilot group '\($0)'" } ?? "everyone"
        return ActionOutcome(summary: "\(kind == .toBe ? "to-be" : "as-is") process '\(processID)' runs on new \(process.entity.id) records of \(who)")
    }
}

/// `process.stop: { process: lead-handling }`: new records no longer enter the process; those
/// in it finish their way.
struct ProcessStopAction: EngineAction {
    let name = "process.stop"
    let summary = "stop a business process taking new records"

    func perform(_ context: ActionContext, _ db: Database) throws -> ActionOutcome {
        guard let processID = context.step.arguments["process"] else {
            throw EngineError("process.stop in phase '\(context.phase.id)' names no process (add `process: ID`)")
        }
        try db.execute(sql: """
            UPDATE process_activations SET ended_at = ? WHERE project_id = ? AND process_id = ? AND ended_at IS NULL
            """, arguments: [context.at.secondsSinceEpoch, context.projectID, processID])
        return ActionOutcome(summary: "process '\(processID)' takes no new records (\(db.changesCount) activation\(db.changesCount == 1 ? "" : "s") ended)")
    }
}
