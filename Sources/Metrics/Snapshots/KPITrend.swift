import CRMCore

/// One KPI of one group across the project's snapshots, oldest first: what `rollout snapshot
/// trend` prints and the report's trend charts draw.
public struct KPITrend: Sendable, Hashable, Codable {
    public struct Point: Sendable, Hashable, Codable {
        public var label: String
        public var takenAt: Timestamp
        public var value: Double?
        public var sampleSize: Int
    }

    public var kpiID: String
    public var group: String
    public var points: [Point]

    /// Each group's values of `kpiID` across `snapshots`, in their order.
    public static func trends(of kpiID: String, in snapshots: [KPISnapshot]) -> [KPITrend] {
        var groups: [String] = []
        for snapshot in snapshots {
            for m in snapshot.measurements where m.kpiID == kpiID && !groups.contains(m.group.description) {
                groups.append(m.group.description)
            }
        }
        // Pilot, control, everyone: the order every table of the report uses.
        func rank(_ group: String) -> Int { group.hasPrefix("pilot") ? 0 : group.hasPrefix("control") ? 1 : 2 }
        groups.sort { (rank($0), $0) < (rank($1), $1) }
        return groups.map { group in
            KPITrend(kpiID: kpiID, group: group, points: snapshots.compactMap { snapshot in
                snapshot.measurements.first { $0.kpiID == kpiID && $0.group.description == group }.map {
                    .init(label: snapshot.label, takenAt: snapshot.takenAt, value: $0.value, sampleSize: $0.sampleSize)
                }
            })
        }
    }
}
