/// One phase of the rollout (S0 §4): its tasks, deliverables, the actions the engine runs when
/// it starts, and the exit gate that decides whether the project moves on.
public struct Phase: Sendable, Hashable {
    public var id: String
    public var name: String
    public var description: String?
    /// The role accountable for the phase; rework tasks go to it.
    public var owner: Reference?
    /// Planned length in days (`duration: 2w` is 14).
    public var durationDays: Int
    /// The pilot group this phase runs (S1 step 3), if any.
    public var pilot: Reference?
    public var tasks: [PhaseTask]
    public var deliverables: [Deliverable]
    /// Run in order when the phase starts, each exactly once.
    public var actions: [ActionStep]
    /// Conditions that must hold before the phase may start (entry criteria).
    public var entry: [Condition]
    public var gate: Gate?
    public var location: SourceLocation

    public init(id: String, name: String, description: String? = nil, owner: Reference? = nil, durationDays: Int,
                pilot: Reference? = nil, tasks: [PhaseTask] = [], deliverables: [Deliverable] = [],
                actions: [ActionStep] = [], entry: [Condition] = [], gate: Gate? = nil, location: SourceLocation) {
        self.id = id
        self.name = name
        self.description = description
        self.owner = owner
        self.durationDays = durationDays
        self.pilot = pilot
        self.tasks = tasks
        self.deliverables = deliverables
        self.actions = actions
        self.entry = entry
        self.gate = gate
        self.location = location
    }
}

/// A piece of work in a phase, owned by a role, that may produce a deliverable.
public struct PhaseTask: Sendable, Hashable {
    public var id: String
    public var name: String
    /// A role id of the organisation: who is responsible (RACI's R).
    public var owner: Reference
    /// The role that signs the task off (RACI's A); nil: the owner.
    public var approver: Reference?
    /// Roles asked before the task is done (RACI's C).
    public var consulted: [Reference]
    /// Roles told when it is done (RACI's I).
    public var informed: [Reference]
    public var durationDays: Int
    /// Tasks of the same phase that must be done first.
    public var dependsOn: [Reference]
    /// The deliverable this task produces; it counts as delivered when the task is done.
    public var deliverable: Reference?
    public var location: SourceLocation

    public init(id: String, name: String, owner: Reference, approver: Reference? = nil, consulted: [Reference] = [],
                informed: [Reference] = [], durationDays: Int, dependsOn: [Reference] = [],
                deliverable: Reference? = nil, location: SourceLocation) {
        self.id = id
        self.name = name
        self.owner = owner
        self.approver = approver
        self.consulted = consulted
        self.informed = informed
        self.durationDays = durationDays
        self.dependsOn = dependsOn
        self.deliverable = deliverable
        self.location = location
    }
}

/// A document a phase must produce (S0 §4: "each phase's results are documented").
public struct Deliverable: Sendable, Hashable {
    public var id: String
    public var name: String
    public var location: SourceLocation

    public init(id: String, name: String, location: SourceLocation) {
        self.id = id
        self.name = name
        self.location = location
    }
}

/// An engine action a phase runs when it starts, e.g. `kpi.snapshot` or `pilot.start`.
public struct ActionStep: Sendable, Hashable {
    public var name: Reference
    public var arguments: [String: String]

    public init(name: Reference, arguments: [String: String] = [:]) {
        self.name = name
        self.arguments = arguments
    }
}

/// The exit gate of a phase: the criteria checked on the data and the roles whose decision is needed.
public struct Gate: Sendable, Hashable {
    /// Role ids; every one of them votes. Empty: the gate passes on its criteria alone.
    public var approvers: [Reference]
    /// Roles asked for their view before the decision (RACI's C).
    public var consulted: [Reference]
    /// Roles told of the decision (RACI's I).
    public var informed: [Reference]
    public var criteria: [GateCriterion]
    public var location: SourceLocation

    public init(approvers: [Reference], consulted: [Reference] = [], informed: [Reference] = [],
                criteria: [GateCriterion], location: SourceLocation) {
        self.approvers = approvers
        self.consulted = consulted
        self.informed = informed
        self.criteria = criteria
        self.location = location
    }
}

/// One thing a gate checks.
public enum GateCriterion: Sendable, Hashable {
    /// A KPI measured on a group compared with a threshold.
    case kpi(KPICriterion)
    /// A deliverable has been produced (its task is done).
    case deliverable(Reference, location: SourceLocation)
    /// `{ condition: "kpi.win_rate.pilot >= 0.3 and lessons.count >= 5" }`: any boolean condition.
    case condition(Condition)
    /// `{ check: financial-services.kyc-complete, with: { min_percent: "98" } }`: a plugin's check.
    case check(CheckCriterion)

    public var location: SourceLocation {
        switch self {
        case .kpi(let criterion): criterion.location
        case .deliverable(_, let location): location
        case .condition(let condition): condition.location
        case .check(let check): check.location
        }
    }
}

/// A check a plugin provides, evaluated by the plugin when the gate is evaluated: passed,
/// failed, or unknown when its input cannot be known yet.
public struct CheckCriterion: Sendable, Hashable {
    public var check: Reference
    /// `with:`, as text.
    public var arguments: [String: String]
    public var location: SourceLocation

    public init(check: Reference, arguments: [String: String] = [:], location: SourceLocation) {
        self.check = check
        self.arguments = arguments
        self.location = location
    }
}

/// `{ kpi: lead_response_hours, group: pilot, at_most: 24 }` and its relatives.
public struct KPICriterion: Sendable, Hashable {
    public enum Comparison: Sendable, Hashable {
        /// `at_most: x`: the measured value is ≤ x.
        case atMost(Double)
        /// `at_least: x`: the measured value is ≥ x.
        case atLeast(Double)
        /// `improves_by_percent: p`: better than the group's baseline by at least p % (direction-aware).
        case improvesByPercent(Double)
        /// `beats_control: true`: the pilot's change from baseline is better than the control's.
        case beatsControl
        /// `meets_target: true`: at least as good as the KPI's target (direction-aware).
        case meetsTarget
    }

    public var kpi: Reference
    /// nil: the phase's pilot group if it has one, else everyone.
    public var group: MeasuredGroup?
    public var comparison: Comparison
    public var location: SourceLocation

    public init(kpi: Reference, group: MeasuredGroup? = nil, comparison: Comparison, location: SourceLocation) {
        self.kpi = kpi
        self.group = group
        self.comparison = comparison
        self.location = location
    }
}
