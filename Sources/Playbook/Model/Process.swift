/// A business-process model (S0 §4 "business process design"; A6): the states a CRM record
/// of one entity goes through and the transitions between them, as it is done today (`as_is`)
/// and as the rollout wants it done (`to_be`).
///
/// ```yaml
/// processes:
///   - id: lead-handling
///     name: Lead handling
///     entity: lead
///     to_be:
///       states:
///         - { id: new, name: New, initial: true }
///         - { id: contacted, name: Contacted, sla: 24h }
///         - { id: converted, name: Converted, final: true }
///       transitions:
///         - { from: new, to: contacted, event: activity_logged, sla: 4h,
///             escalate: { after: 8h, to: sales_manager }, assign: { strategy: round_robin, role: sales_rep } }
///         - { from: contacted, to: converted, action: convert, by: sales_rep, guard: "record.score >= 50" }
/// ```
public struct ProcessModel: Sendable, Hashable {
    public var id: String
    public var name: String
    public var description: String?
    /// The CRM entity whose records run through the process: `lead`, `opportunity`, `ticket`…
    public var entity: Reference
    /// The role that owns the process design.
    public var owner: Reference?
    public var asIs: ProcessVariant?
    public var toBe: ProcessVariant?
    public var location: SourceLocation

    public init(id: String, name: String, description: String? = nil, entity: Reference, owner: Reference? = nil,
                asIs: ProcessVariant?, toBe: ProcessVariant?, location: SourceLocation) {
        self.id = id
        self.name = name
        self.description = description
        self.entity = entity
        self.owner = owner
        self.asIs = asIs
        self.toBe = toBe
        self.location = location
    }

    /// The variants written, as-is first.
    public var variants: [ProcessVariant] { [asIs, toBe].compactMap { $0 } }
}

/// One way of running a process: its states and transitions.
public struct ProcessVariant: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case asIs = "as_is"
        case toBe = "to_be"
    }

    public var kind: Kind
    public var states: [ProcessState]
    public var transitions: [ProcessTransition]
    public var location: SourceLocation

    public init(kind: Kind, states: [ProcessState], transitions: [ProcessTransition], location: SourceLocation) {
        self.kind = kind
        self.states = states
        self.transitions = transitions
        self.location = location
    }

    public func state(_ id: String) -> ProcessState? { states.first { $0.id == id } }
    /// The state marked `initial: true` (the validator requires exactly one).
    public var initialState: ProcessState? { states.first { $0.initial } }
    public var finalStates: [ProcessState] { states.filter(\.final) }
}

public struct ProcessState: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Where every record starts; exactly one state is initial.
    public var initial: Bool
    /// A record that reaches a final state leaves the process.
    public var final: Bool
    /// How long a record may stay in this state, in hours (business hours on the SLA calendar).
    public var slaHours: Double?
    public var location: SourceLocation

    public init(id: String, name: String, initial: Bool = false, final: Bool = false, slaHours: Double? = nil,
                location: SourceLocation) {
        self.id = id
        self.name = name
        self.initial = initial
        self.final = final
        self.slaHours = slaHours
        self.location = location
    }
}

/// A move from one state to another, and what makes it happen.
public struct ProcessTransition: Sendable, Hashable {
    /// What fires a transition: a CRM event on the record, time passing, or a user's action.
    public enum Trigger: Sendable, Hashable {
        /// `event: field_changed` (with `field: status`), `created`, `activity_logged`, `updated`.
        case event(ProcessEvent, field: String?)
        /// `after: 48h`: time in the source state, in hours on the SLA calendar.
        case timer(hours: Double)
        /// `action: qualify` taken by a user holding role `by:` (any user when nil).
        case action(String, by: Reference?)
    }

    public var from: Reference
    public var to: Reference
    public var trigger: Trigger
    /// Fires only when this condition holds on the record (strictly boolean).
    public var guardCondition: Condition?
    /// How long the transition may take once its source state is entered, in hours.
    public var slaHours: Double?
    /// Raised when the transition's source state has been held this long without the move.
    public var escalation: Escalation?
    /// Who must make the move: applied when the record enters the transition's source state.
    public var assignment: Assignment?
    /// What the runtime does, in order, when the transition fires (`do:`).
    public var effects: [ProcessEffect]
    public var location: SourceLocation

    public init(from: Reference, to: Reference, trigger: Trigger, guardCondition: Condition? = nil,
                slaHours: Double? = nil, escalation: Escalation? = nil, assignment: Assignment? = nil,
                effects: [ProcessEffect] = [], location: SourceLocation) {
        self.from = from
        self.to = to
        self.trigger = trigger
        self.guardCondition = guardCondition
        self.slaHours = slaHours
        self.escalation = escalation
        self.assignment = assignment
        self.effects = effects
        self.location = location
    }
}

/// Something the process runtime does when a transition fires:
///
/// ```yaml
/// do:
///   - { set: { status: contacted } }                       # fields of the record
///   - { notify: { to: sales-manager, subject: Lead contacted } }
///   - { activity: { kind: note, subject: Qualification call booked } }
/// ```
public enum ProcessEffect: Sendable, Hashable {
    /// Sets fields of the record (values as a user types them), as a change in the audit trail.
    case set(fields: [String: String], location: SourceLocation)
    /// Queues a message in the outbox to the holders of a role (a later delivery step sends it).
    case notify(to: Reference, subject: String, location: SourceLocation)
    /// Logs an activity on the record, owned by its assignee (else its owner).
    case activity(kind: String, subject: String, location: SourceLocation)
    /// An action a plugin provides (#7): its name and arguments.
    case plugin(name: String, arguments: [String: String], location: SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .set(_, let location), .notify(_, _, let location), .activity(_, _, let location), .plugin(_, _, let location):
            location
        }
    }
}

/// The CRM events a process transition can wait for.
public enum ProcessEvent: String, Sendable, Hashable, Codable, CaseIterable {
    case created
    case updated
    case fieldChanged = "field_changed"
    case activityLogged = "activity_logged"
    case deleted
}

/// `escalate: { after: 8h, to: sales_manager }`: when the transition has not happened after
/// `afterHours`, the record is escalated to the role.
public struct Escalation: Sendable, Hashable {
    public var afterHours: Double
    public var to: Reference
    public var location: SourceLocation

    public init(afterHours: Double, to: Reference, location: SourceLocation) {
        self.afterHours = afterHours
        self.to = to
        self.location = location
    }
}

/// `assign: { strategy: round_robin, role: sales_rep }`: who must make the transition happen. The
/// runtime assigns the record when it enters the transition's source state (a new lead goes to
/// the next sales rep at once), and sets the record's owner to that user.
public struct Assignment: Sendable, Hashable {
    public enum Strategy: String, Sendable, Hashable, Codable, CaseIterable {
        case roundRobin = "round_robin"
        case territory
        case load
        case owner
    }

    public var strategy: Strategy
    /// The role whose holders share the work; nil: the record's current owner's team.
    public var role: Reference?
    public var location: SourceLocation

    public init(strategy: Strategy, role: Reference? = nil, location: SourceLocation) {
        self.strategy = strategy
        self.role = role
        self.location = location
    }
}

/// S1's six-step iterative method as a cycle: the phases from `phases.first` to `phases.last`
/// repeat until `until` holds or `maxIterations` is reached.
public struct Cycle: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Consecutive phases, in playbook order.
    public var phases: [Reference]
    /// The cycle ends when this holds at the last phase's gate; nil: it runs `maxIterations` times.
    public var until: Condition?
    public var maxIterations: Int
    public var location: SourceLocation

    public init(id: String, name: String, phases: [Reference], until: Condition?, maxIterations: Int,
                location: SourceLocation) {
        self.id = id
        self.name = name
        self.phases = phases
        self.until = until
        self.maxIterations = maxIterations
        self.location = location
    }
}

/// A value a playbook leaves open, with its default: `parameters: { pilot_weeks: { default: 6 } }`,
/// used as `${pilot_weeks}` in any scalar.
public struct PlaybookParameter: Sendable, Hashable {
    public var name: String
    public var defaultValue: String?
    public var description: String?
    /// The value used: from the command line, an extending playbook, or the default.
    public var value: String?
    public var location: SourceLocation

    public init(name: String, defaultValue: String?, description: String? = nil, value: String?,
                location: SourceLocation) {
        self.name = name
        self.defaultValue = defaultValue
        self.description = description
        self.value = value
        self.location = location
    }
}
