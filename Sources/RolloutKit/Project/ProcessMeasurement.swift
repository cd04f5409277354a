import CRMCore
import Engine
import Evaluation

extension ProjectSession {
    /// The statistics of the playbook's processes (`processID`, or all when nil) on this
    /// workspace's data up to `asOf` (nil: all of it): what `rollout process stats` prints.
    public func processStatistics(processID: String?, asOf: Timestamp?) throws -> [ProcessStatistics] {
        try workspace.database.read { db in
            let project = try ProjectState.load(db)?.project
            return try ProcessStatisticsBuilder(playbook: playbook, projectID: project?.id)
                .measure(db, processID: processID, asOf: asOf)
        }
    }
}
