/// Checks a loaded playbook as a whole: unique ids, references that resolve, pilot comparisons
/// that can be measured, task dependencies without cycles — and warns where the playbook strays
/// from the method it encodes (three KPIs per goal, a control group per pilot, a gate per phase…).
///
/// ```swift
/// let diagnostics = PlaybookValidator(context: PlaybookContext(actions: ["kpi.snapshot"])).validate(playbook)
/// ```
///
/// Problems of shape (types, ranges, unknown keys) are the loader's; use `PlaybookCompiler` to get both.
public struct PlaybookValidator: Sendable {
    public var context: PlaybookContext

    public init(context: PlaybookContext = PlaybookContext()) {
        self.context = context
    }

    /// Every error and warning about `playbook`, in no particular order.
    public func validate(_ playbook: Playbook) -> [PlaybookDiagnostic] {
        var validation = Validation(playbook: playbook, context: context)
        validation.checkReferences()
        validation.checkPilotComparisons()
        validation.checkTaskDependencies()
        validation.checkProcesses()
        validation.checkCycles()
        validation.checkConditions()
        validation.adviseOnMethod()
        return validation.diagnostics
    }
}

/// One run of the validator: the playbook's namespaces, and what has been found so far.
struct Validation {
    let playbook: Playbook
    let context: PlaybookContext
    var diagnostics: [PlaybookDiagnostic] = []

    var roles = Namespace("role")
    var goals = Namespace("goal")
    var kpis = Namespace("KPI")
    var pilotGroups = Namespace("pilot group")
    var phases = Namespace("phase")
    /// Unique across the playbook, so that `rollout task done <id>` needs no phase.
    var tasks = Namespace("task")
    /// Unique across the playbook, so that a later gate can name an earlier phase's deliverable.
    var deliverables = Namespace("deliverable")
    var benefits = Namespace("benefit")
    var processes = Namespace("process")
    var cycles = Namespace("cycle")
    /// The index of the phase that defines each deliverable.
    var deliverablePhase: [String: Int] = [:]
    /// The id of the phase that defines each task.
    var taskPhase: [String: String] = [:]

    init(playbook: Playbook, context: PlaybookContext) {
        self.playbook = playbook
        self.context = context
        defineIdentifiers()
    }

    mutating func report(_ diagnostic: PlaybookDiagnostic?) {
        if let diagnostic { diagnostics.append(diagnostic) }
    }

    private mutating func defineIdentifiers() {
        for role in playbook.organisation.roles { report(roles.define(role.id, at: role.location)) }
        for goal in playbook.goals { report(goals.define(goal.id, at: goal.location)) }
        for kpi in playbook.kpis { report(kpis.define(kpi.id, at: kpi.location)) }
        for group in playbook.pilotGroups { report(pilotGroups.define(group.id, at: group.location)) }
        phases.reserve(playbook.phases.count)
        tasks.reserve(playbook.phases.reduce(0) { $0 + $1.tasks.count })
        deliverables.reserve(playbook.phases.reduce(0) { $0 + $1.deliverables.count })
        taskPhase.reserveCapacity(tasks.ids.count + playbook.phases.reduce(0) { $0 + $1.tasks.count })
        for (index, phase) in playbook.phases.enumerated() {
            report(phases.define(phase.id, at: phase.location))
            for deliverable in phase.deliverables {
                report(deliverables.define(deliverable.id, at: deliverable.location))
                deliverablePhase[deliverable.id] = deliverablePhase[deliverable.id] ?? index
            }
            for task in phase.tasks {
                report(tasks.define(task.id, at: task.location))
                taskPhase[task.id] = taskPhase[task.id] ?? phase.id
            }
        }
        for benefit in playbook.benefits { report(benefits.define(benefit.id, at: benefit.location)) }
        for process in playbook.processes { report(processes.define(process.id, at: process.location)) }
        for cycle in playbook.cycles { report(cycles.define(cycle.id, at: cycle.location)) }
    }
}
