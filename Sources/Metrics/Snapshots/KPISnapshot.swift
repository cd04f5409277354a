import CRMCore
import Crypto
import Foundation
import GRDB
import Playbook

/// Every KPI of a project measured on every group at one moment, fixed by a content hash so a
/// report can prove which figures a decision was taken on.
public struct KPISnapshot: Sendable, Hashable, Codable {
    public var id: Int64
    public var projectID: String
    /// `baseline`, `phase-start:<phase>`, `gate:<phase>:<attempt>`, `on-demand:<n>`.
    public var label: String
    public var phaseID: String?
    public var takenAt: Timestamp
    public var contentSHA256: String
    public var measurements: [KPIMeasurement]

    /// A snapshot as `SnapshotStore` stores it, or one held only in memory (`rollout plan`'s
    /// dry run, which must not write).
    public init(id: Int64, projectID: String, label: String, phaseID: String?, takenAt: Timestamp,
                measurements: [KPIMeasurement]) {
        self.init(id: id, projectID: projectID, label: label, phaseID: phaseID, takenAt: takenAt,
                  contentSHA256: Self.contentHash(of: measurements), measurements: measurements)
    }

    init(id: Int64, projectID: String, label: String, phaseID: String?, takenAt: Timestamp, contentSHA256: String,
         measurements: [KPIMeasurement]) {
        self.id = id
        self.projectID = projectID
        self.label = label
        self.phaseID = phaseID
        self.takenAt = takenAt
        self.contentSHA256 = contentSHA256
        self.measurements = measurements
    }

    public func measurement(_ kpiID: String, _ group: GroupKey) -> KPIMeasurement? {
        measurements.first { $0.kpiID == kpiID && $0.group == group }
    }

    public func value(_ kpiID: String, _ group: GroupKey) -> Double? {
        measurement(kpiID, group)?.value
    }

    /// The SHA-256 of the measurements' canonical JSON (sorted keys, sorted rows).
    static func contentHash(of measurements: [KPIMeasurement]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let rows = measurements.sorted { ($0.kpiID, $0.group) < ($1.kpiID, $1.group) }
        // Encoding plain value types cannot fail.
        let data = try! encoder.encode(rows)
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// Takes and reads KPI snapshots.
public struct SnapshotStore: Sendable {
    public var measurer: KPIMeasurer

    public init(measurer: KPIMeasurer) {
        self.measurer = measurer
    }

    /// Measures every KPI of `playbook` on every frozen group of the project at `at` and stores
    /// the snapshot under `label`. If a snapshot with that label exists it is returned unchanged,
    /// so a step retried after a crash never measures twice.
    public func take(projectID: String, label: String, phaseID: String?, playbook: Playbook, at: Timestamp,
                     _ db: Database) throws -> KPISnapshot {
        if let existing = try snapshot(projectID: projectID, label: label, db) { return existing }
        let groups = try MeasuredGroups().groups(projectID: projectID, db)
        var measurements: [KPIMeasurement] = []
        for kpi in playbook.kpis {
            for group in groups {
                let users = try MeasuredGroups().members(projectID: projectID, group: group, db)
                measurements.append(try measurer.measure(kpi, users: users, group: group, at: at, db))
            }
        }
        let hash = KPISnapshot.contentHash(of: measurements)
        try db.execute(sql: """
            INSERT INTO kpi_snapshots (project_id, label, phase_id, taken_at, content_sha256) VALUES (?, ?, ?, ?, ?)
            """, arguments: [projectID, label, phaseID, at, hash])
        let id = db.lastInsertedRowID
        for m in measurements {
            try db.execute(sql: """
                INSERT INTO kpi_measurements (snapshot_id, kpi_id, group_key, value, sample_size, window_from, window_to)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, m.kpiID, m.group.description, m.value, m.sampleSize, m.windowFrom, m.windowTo])
        }
        return KPISnapshot(id: id, projectID: projectID, label: label, phaseID: phaseID, takenAt: at,
                           contentSHA256: hash, measurements: measurements)
    }

    public func snapshot(projectID: String, label: String, _ db: Database) throws -> KPISnapshot? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM kpi_snapshots WHERE project_id = ? AND label = ?",
                                         arguments: [projectID, label]) else { return nil }
        return try snapshot(from: row, db)
    }

    public func snapshot(id: Int64, _ db: Database) throws -> KPISnapshot? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM kpi_snapshots WHERE id = ?", arguments: [id])
        else { return nil }
        return try snapshot(from: row, db)
    }

    /// The project's most recent snapshot, if any.
    public func latest(projectID: String, _ db: Database) throws -> KPISnapshot? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT * FROM kpi_snapshots WHERE project_id = ? ORDER BY taken_at DESC, id DESC LIMIT 1
            """, arguments: [projectID]) else { return nil }
        return try snapshot(from: row, db)
    }

    /// All snapshots of a project, oldest first.
    public func snapshots(projectID: String, _ db: Database) throws -> [KPISnapshot] {
        try Row.fetchAll(db, sql: "SELECT * FROM kpi_snapshots WHERE project_id = ? ORDER BY taken_at, id",
                         arguments: [projectID]).map { try snapshot(from: $0, db) }
    }

    private func snapshot(from row: Row, _ db: Database) throws -> KPISnapshot {
        let id: Int64 = row["id"]
        let measurements = try Row.fetchAll(db, sql: """
            SELECT * FROM kpi_measurements WHERE snapshot_id = ? ORDER BY kpi_id, group_key
            """, arguments: [id]).map { m in
                KPIMeasurement(kpiID: m["kpi_id"], group: GroupKey(m["group_key"] as String) ?? .all, value: m["value"],
                               sampleSize: m["sample_size"], windowFrom: m["window_from"], windowTo: m["window_to"])
            }
        return KPISnapshot(id: id, projectID: row["project_id"], label: row["label"], phaseID: row["phase_id"],
                           takenAt: row["taken_at"], contentSHA256: row["content_sha256"], measurements: measurements)
    }
}
