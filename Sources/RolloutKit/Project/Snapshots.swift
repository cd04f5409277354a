import CRMCore
import Engine
import Foundation
import GRDB
import RolloutMetrics
import Playbook

extension ProjectSession {
    /// Measures every KPI on every group now and stores it as `on-demand:<label>` (or
    /// `on-demand:<n>`), fixed by its content hash. Taking a label that exists returns that
    /// snapshot unchanged.
    public func takeSnapshot(label: String?, clock: ProjectClock) throws -> KPISnapshot {
        if let label, label.isEmpty || label.contains(where: { $0.isWhitespace || $0 == ":" }) {
            throw EngineError("a snapshot label is one word without spaces or colons, such as `q3-review`")
        }
        return try workspace.database.write { db in
            let project = try projectID(db)
            let name: String
            if let label {
                name = "on-demand:\(label)"
            } else {
                let taken = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM kpi_snapshots WHERE project_id = ? AND label LIKE 'on-demand:%'
                    """, arguments: [project.id]) ?? 0
                name = "on-demand:\(taken + 1)"
            }
            return try SnapshotStore(measurer: KPIMeasurer(catalog: catalog))
                .take(projectID: project.id, label: name, phaseID: nil, playbook: playbook, at: clock.now, db)
        }
    }

    /// The project's snapshots, oldest first.
    public func snapshots() throws -> [KPISnapshot] {
        try workspace.database.read { db in
            let project = try projectID(db)
            return try SnapshotStore(measurer: KPIMeasurer(catalog: catalog)).snapshots(projectID: project.id, db)
        }
    }

    /// The snapshot labelled `label` (`baseline`, `gate:pilot:1`, `on-demand:2`, or the part
    /// after `on-demand:`).
    public func snapshot(_ label: String) throws -> KPISnapshot {
        let all = try snapshots()
        if let found = all.first(where: { $0.label == label || $0.label == "on-demand:\(label)" }) { return found }
        throw EngineError("no snapshot '\(label)'; the project has " + (all.isEmpty ? "none yet"
            : all.map(\.label).joined(separator: ", ")))
    }

    /// Each group's values of `kpiID` across the snapshots.
    public func trend(kpiID: String) throws -> [KPITrend] {
        guard playbook.kpi(kpiID) != nil else {
            throw EngineError("unknown KPI '\(kpiID)'; the playbook's KPIs are "
                + playbook.kpis.map(\.id).joined(separator: ", "))
        }
        return KPITrend.trends(of: kpiID, in: try snapshots())
    }
}
