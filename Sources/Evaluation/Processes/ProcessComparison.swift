import CRMCore
import RolloutMetrics
import Playbook

/// A process's cycle times before and after it changed, for the pilot group, its control group
/// and everyone: did the new way make records go through faster?
///
/// The change is the process's first activation. A record belongs to the period in which it
/// started (entered its first state), and to the pilot or control side when its owner is one
/// of that side's frozen members.
public struct CycleTimeComparison: Sendable, Hashable, Codable {
    /// The process's first activation; nil when it has not run yet.
    public var changeAt: Timestamp?
    /// The pilot group whose two sides are compared; nil when the project has none.
    public var pilotGroup: String?
    /// Pilot, control (when there is a pilot group), then everyone.
    public var groups: [GroupCycleTimes]
    /// (pilot after − pilot before) − (control after − control before), in median hours; nil
    /// unless all four medians are known. Negative: the pilot sped up more than the control.
    public var medianDifferenceInDifferences: Double?
    public var notes: [String]

    /// The users on each side of a pilot group.
    public struct Sides: Sendable {
        public var pilotGroup: String
        public var pilot: Set<Int64>
        public var control: Set<Int64>

        public init(pilotGroup: String, pilot: Set<Int64>, control: Set<Int64>) {
            self.pilotGroup = pilotGroup
            self.pilot = pilot
            self.control = control
        }
    }

    /// Compares `records` (each trace with the variant it is measured on) before and after
    /// `changeAt`.
    public static func compare(_ records: [(trace: ProcessTrace, variant: ProcessVariant)], changeAt: Timestamp?,
                               sides: Sides?) -> CycleTimeComparison {
        let cycles = records.compactMap { Cycle($0.trace.restricted(to: $0.variant), $0.variant) }
        var populations: [(label: String, key: GroupKey, members: Set<Int64>?)] = []
        if let sides {
            populations.append(("pilot", .pilot(sides.pilotGroup), sides.pilot))
            populations.append(("control", .control(sides.pilotGroup), sides.control))
        }
        populations.append(("everyone", .all, nil))
        let groups = populations.map { label, key, members -> GroupCycleTimes in
            let mine = cycles.filter { cycle in members.map { m in cycle.owner.map(m.contains) ?? false } ?? true }
            let before = CycleTimes(mine.filter { cycle in changeAt.map { cycle.startedAt < $0 } ?? true })
            let after = changeAt.map { change in CycleTimes(mine.filter { $0.startedAt >= change }) }
            return GroupCycleTimes(label: label, group: key.description, before: before, after: after,
                                   medianChangeHours: after?.medianHours.flatMap { a in before.medianHours.map { a - $0 } })
        }
        var notes: [String] = []
        if changeAt == nil {
            notes.append("The process has not been activated yet: every record counts as before the change, and there is no after to compare with.")
        }
        if sides == nil {
            notes.append("The project has no pilot group, so only everyone is compared.")
        }
        let did = groups.count == 3 ? groups[0].medianChangeHours.flatMap { p in groups[1].medianChangeHours.map { p - $0 } } : nil
        return CycleTimeComparison(changeAt: changeAt, pilotGroup: sides?.pilotGroup, groups: groups,
                                   medianDifferenceInDifferences: did, notes: notes)
    }
}

/// One population's cycle times before and after the change.
public struct GroupCycleTimes: Sendable, Hashable, Codable {
    /// `pilot`, `control` or `everyone`.
    public var label: String
    /// `pilot:<id>`, `control:<id>` or `all`.
    public var group: String
    public var before: CycleTimes
    /// nil while the process has not been activated.
    public var after: CycleTimes?
    /// after − before, in median hours.
    public var medianChangeHours: Double?
}

/// The cycle times of the records that started in one period.
///
/// A cycle runs from the record's entering the initial state to its first entering a final
/// state, in elapsed hours. Records still open have no cycle time yet; they count in
/// `records` but not in `reachedFinal`.
public struct CycleTimes: Sendable, Hashable, Codable {
    /// Records that started in the period, in the initial state.
    public var records: Int
    public var reachedFinal: Int
    /// 100 × reachedFinal / records; nil without records.
    public var reachedFinalPercent: Double?
    public var medianHours: Double?
    public var p75Hours: Double?
    /// Records that started in the period in another state: they have no cycle to measure.
    public var notStartedInInitial: Int

    init(_ cycles: [Cycle]) {
        let measured = cycles.filter(\.startsInInitial)
        let hours = measured.compactMap(\.hours)
        records = measured.count
        reachedFinal = hours.count
        reachedFinalPercent = measured.isEmpty ? nil : 100 * Double(hours.count) / Double(measured.count)
        medianHours = KPIDefinition.Aggregate.percentile(0.5, of: hours)
        p75Hours = KPIDefinition.Aggregate.percentile(0.75, of: hours)
        notStartedInInitial = cycles.count - measured.count
    }
}

/// One record's way through its variant: when it started, whether in the initial state, and
/// how long it took to reach a final state.
struct Cycle {
    var owner: Int64?
    var startedAt: Timestamp
    var startsInInitial: Bool
    /// Hours from the start to the first final state; nil while the record is open.
    var hours: Double?

    /// nil for a trace with no state of the variant.
    init?(_ trace: ProcessTrace, _ variant: ProcessVariant) {
        guard let first = trace.steps.first else { return nil }
        owner = trace.ownerID
        startedAt = first.at
        startsInInitial = first.state == variant.initialState?.id
        let finals = Set(variant.finalStates.map(\.id))
        hours = trace.steps.first { finals.contains($0.state) }.map { Double(first.at.seconds(until: $0.at)) / 3600 }
    }
}
