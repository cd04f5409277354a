/// The names a condition may read, by where it is written.
///
/// Gate criteria, phase entry criteria and a cycle's `until:` read the project's state:
///
/// | name | type | value |
/// |---|---|---|
/// | `kpi.ID` | number | the KPI on the phase's group (its pilot, else everyone) |
/// | `kpi.ID.pilot`, `kpi.ID.control`, `kpi.ID.all` | number | the KPI on that group |
/// | `kpi.ID.baseline`, `kpi.ID.baseline.GROUP` | number | the baseline of the KPI |
/// | `kpi.ID.target` | number | the KPI's target |
/// | `deliverable.ID` | boolean | the deliverable has been produced |
/// | `task.ID` | boolean | the task is done |
/// | `phase.ID` | boolean | the phase's gate has passed |
/// | `lessons.count` | number | lessons recorded in the project |
/// | `cycle.iteration` | number | 1 in the first pass of a cycle, 2 in the second… |
///
/// A process transition's `guard:` reads the record: `record.FIELD` (typed by the CRM's field
/// list when the checker knows it) and `event.field` (the field whose change fired the transition).
public enum ConditionNames {
    public static let groups = ["pilot", "control", "all"]

    /// Resolves a name of the project scope (gates, entry criteria, cycles) in `playbook`.
    static func project(_ playbook: Playbook) -> (Expression.Path) -> NameResolution {
        let kpis = playbook.kpis.map(\.id)
        let deliverables = playbook.phases.flatMap { $0.deliverables.map(\.id) }
        let tasks = playbook.phases.flatMap { $0.tasks.map(\.id) }
        let phases = playbook.phases.map(\.id)
        return { path in
            let c = path.components
            func unknown(_ kind: String, _ id: String, among ids: [String]) -> NameResolution {
                .unknown("unknown \(kind) '\(id)' in '\(path)'", suggestion: Suggestion.closest(to: id, among: ids))
            }
            switch c.first {
            case "kpi":
                guard c.count >= 2 else { return .unknown("'kpi' needs a KPI id: 'kpi.ID'", suggestion: nil) }
                guard kpis.contains(c[1]) else { return unknown("KPI", c[1], among: kpis) }
                let rest = Array(c.dropFirst(2))
                switch rest.count {
                case 0: return .type(.number)
                case 1 where groups.contains(rest[0]) || rest[0] == "baseline" || rest[0] == "target": return .type(.number)
                case 2 where rest[0] == "baseline" && groups.contains(rest[1]): return .type(.number)
                default:
                    let last = rest.last ?? ""
                    return .unknown("'\(path)' is not a KPI value; write kpi.\(c[1]), kpi.\(c[1]).pilot|control|all, "
                                    + "kpi.\(c[1]).baseline[.GROUP] or kpi.\(c[1]).target",
                                    suggestion: Suggestion.closest(to: last, among: groups + ["baseline", "target"]))
                }
            case "deliverable":
                guard c.count == 2 else { return .unknown("write 'deliverable.ID'", suggestion: nil) }
                return deliverables.contains(c[1]) ? .type(.boolean) : unknown("deliverable", c[1], among: deliverables)
            case "task":
                guard c.count == 2 else { return .unknown("write 'task.ID'", suggestion: nil) }
                return tasks.contains(c[1]) ? .type(.boolean) : unknown("task", c[1], among: tasks)
            case "phase":
                guard c.count == 2 else { return .unknown("write 'phase.ID'", suggestion: nil) }
                return phases.contains(c[1]) ? .type(.boolean) : unknown("phase", c[1], among: phases)
            case "lessons":
                return c == ["lessons", "count"] ? .type(.number) : .unknown("write 'lessons.count'", suggestion: nil)
            case "cycle":
                return c == ["cycle", "iteration"] ? .type(.number) : .unknown("write 'cycle.iteration'", suggestion: nil)
            default:
                let roots = ["kpi", "deliverable", "task", "phase", "lessons", "cycle"]
                return .unknown("unknown name '\(path)'; a condition here reads kpi., deliverable., task., phase., "
                                + "lessons.count or cycle.iteration",
                                suggestion: Suggestion.closest(to: c.first ?? "", among: roots))
            }
        }
    }

    /// Resolves a name in a transition guard of a process on `entity`; `fields` are the entity's
    /// field names and types when known (nil: any field, typed at run time).
    static func record(entity: String, fields: [String: ConditionType]?) -> (Expression.Path) -> NameResolution {
        { path in
            let c = path.components
            switch c.first {
            case "record" where c.count == 2:
                guard let fields else { return .type(.any) }
                if let type = fields[c[1]] { return .type(type) }
                return .unknown("\(entity) has no field '\(c[1])'", suggestion: Suggestion.closest(to: c[1], among: fields.keys.sorted()))
            case "event" where c == ["event", "field"]:
                return .type(.text)
            default:
                return .unknown("unknown name '\(path)'; a guard reads record.FIELD or event.field",
                                suggestion: Suggestion.closest(to: c.first ?? "", among: ["record", "event"]))
            }
        }
    }
}

/// The state of a project that conditions of the project scope read. The engine fills it from
/// its event log and KPI snapshots; `rollout plan` fills what today's data can tell and leaves
/// the rest unknown.
public struct ProjectFacts: Sendable {
    /// A KPI's value on a group (`pilot`, `control`, `all`); nil: not measured yet.
    public var kpi: @Sendable (_ id: String, _ group: String) -> Double?
    public var baseline: @Sendable (_ id: String, _ group: String) -> Double?
    /// nil for each set: not known (a dry run before the project started).
    public var delivered: Set<String>?
    public var tasksDone: Set<String>?
    public var phasesPassed: Set<String>?
    public var lessons: Int?
    public var iteration: Int

    public init(kpi: @escaping @Sendable (String, String) -> Double?, baseline: @escaping @Sendable (String, String) -> Double?,
                delivered: Set<String>?, tasksDone: Set<String>?, phasesPassed: Set<String>?, lessons: Int?,
                iteration: Int = 1) {
        self.kpi = kpi
        self.baseline = baseline
        self.delivered = delivered
        self.tasksDone = tasksDone
        self.phasesPassed = phasesPassed
        self.lessons = lessons
        self.iteration = iteration
    }

    /// The value of a project-scope name for a condition of `phase` in `playbook`.
    public func lookup(in playbook: Playbook, phase: Phase?) -> (Expression.Path) -> ConditionValue {
        let defaultGroup = phase?.pilot == nil ? "all" : "pilot"
        return { path in
            let c = path.components
            func known(_ value: Double?) -> ConditionValue { value.map { .number($0) } ?? .unknown }
            func member(_ set: Set<String>?, _ id: String) -> ConditionValue { set.map { .bool($0.contains(id)) } ?? .unknown }
            switch (c.first, c.count) {
            case ("kpi", 2): return known(kpi(c[1], defaultGroup))
            case ("kpi", 3) where c[2] == "target": return known(playbook.kpi(c[1])?.target)
            case ("kpi", 3) where c[2] == "baseline": return known(baseline(c[1], defaultGroup))
            case ("kpi", 3): return known(kpi(c[1], c[2]))
            case ("kpi", 4): return known(baseline(c[1], c[3]))
            case ("deliverable", 2): return member(delivered, c[1])
            case ("task", 2): return member(tasksDone, c[1])
            case ("phase", 2): return member(phasesPassed, c[1])
            case ("lessons", 2): return lessons.map { .number(Double($0)) } ?? .unknown
            case ("cycle", 2): return .number(Double(iteration))
            default: return .failure("unknown name '\(path)'")
            }
        }
    }
}
