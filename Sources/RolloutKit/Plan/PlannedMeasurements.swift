import RolloutMetrics
import Playbook

/// A KPI as the plan shows it: what it measures (a catalog metric or the playbook's own SQL),
/// on which groups, against which baseline and target, and today's values in a dry run.
public struct PlannedKPI: Sendable, Hashable, Codable {
    /// One group's value today.
    public struct Value: Sendable, Hashable, Codable {
        public var group: GroupKey
        /// nil: nothing to measure in the window.
        public var value: Double?
        public var sampleSize: Int
    }

    public var id: String
    public var name: String
    /// The catalog metric; nil for an SQL metric.
    public var metric: String?
    /// True when the playbook measures it with its own SQL.
    public var isSQL: Bool
    public var aggregate: String?
    public var windowDays: Int
    public var direction: KPIDefinition.Direction
    /// nil: measured on the CRM data when the project starts (`baseline: measure`).
    public var baseline: Double?
    public var target: Double?
    public var unit: String?
    /// The groups the playbook measures it on (`groups:`; every group when it names none).
    public var groups: [GroupKey]
    /// Today's values on every group, in a dry run on a workspace.
    public var today: [Value]?

    init(_ kpi: KPIDefinition, playbook: Playbook, snapshot: KPISnapshot?) {
        id = kpi.id
        name = kpi.name
        metric = kpi.metric?.id
        isSQL = kpi.sql != nil
        aggregate = kpi.aggregate?.rawValue
        windowDays = kpi.windowDays
        direction = kpi.direction
        if case .value(let value) = kpi.baseline { baseline = value }
        target = kpi.target
        unit = kpi.unit
        let sides = kpi.groups.isEmpty ? MeasuredGroup.allCases : kpi.groups
        groups = Self.groups(of: playbook).filter { key in
            sides.contains { side in side.rawValue == key.side.rawValue }
        }
        today = snapshot.map { snapshot in
            snapshot.measurements.filter { $0.kpiID == kpi.id }
                .map { Value(group: $0.group, value: $0.value, sampleSize: $0.sampleSize) }
        }
    }

    /// Every group of a playbook: everyone, then each pilot group's pilot and control sides.
    static func groups(of playbook: Playbook) -> [GroupKey] {
        [.all] + playbook.pilotGroups.flatMap { pilot in
            [.pilot(pilot.id)] + (pilot.control == nil ? [] : [.control(pilot.id)])
        }
    }
}

/// A pilot group as the plan shows it: whom its pilot and control sides select, and how many
/// users they hold in the workspace of a dry run.
public struct PlannedPilotGroup: Sendable, Hashable, Codable {
    /// The selector of one side: teams, users, territories, accounts.
    public struct Selector: Sendable, Hashable, Codable, CustomStringConvertible {
        public var teams: [String]
        public var users: [String]
        public var territories: [String]
        public var accounts: [String]

        init(_ selector: GroupSelector) {
            teams = selector.teams
            users = selector.users
            territories = selector.territories
            accounts = selector.accounts
        }

        /// `teams East Sales, East Service; users Li Lei`.
        public var description: String {
            [("teams", teams), ("users", users), ("territories", territories), ("accounts", accounts)]
                .filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
        }
    }

    public var id: String
    public var name: String
    public var members: Selector
    public var control: Selector?
    /// Users on each side in the workspace; nil without one.
    public var memberCount: Int?
    public var controlCount: Int?

    init(_ pilot: PilotGroup, groups: [(GroupKey, [Int64])]?) {
        id = pilot.id
        name = pilot.name
        members = Selector(pilot.members)
        control = pilot.control.map(Selector.init)
        memberCount = groups?.first { $0.0 == .pilot(pilot.id) }?.1.count
        controlCount = pilot.control == nil ? nil : groups?.first { $0.0 == .control(pilot.id) }?.1.count
    }
}
