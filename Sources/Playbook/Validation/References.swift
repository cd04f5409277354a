/// Every id a playbook writes must name something that exists: in the playbook, in the metric
/// catalog or among the engine's actions. An unknown id is reported where it is written, with
/// the nearest existing id as suggestion.
extension Validation {
    mutating func checkReferences() {
        for goal in playbook.goals {
            for kpi in goal.kpis { resolve(kpi, in: kpis, .unknownKPI, "goal '\(goal.id)' uses unknown KPI '\(kpi.id)'") }
        }
        if let metrics = context.metrics {
            for kpi in playbook.kpis {
                guard let metric = kpi.metric, !metric.id.isEmpty, metrics[metric.id] == nil else { continue }
                report(.error(.unknownMetric, "KPI '\(kpi.id)' measures unknown metric '\(metric.id)'",
                              at: metric.location,
                              suggestion: Suggestion.closest(to: metric.id, among: metrics.keys.sorted())))
            }
        }
        for (index, phase) in playbook.phases.enumerated() {
            checkReferences(of: phase, at: index)
        }
        for benefit in playbook.benefits {
            if case .kpiImprovement(let kpi, _) = benefit.kind {
                resolve(kpi, in: kpis, .unknownKPI, "benefit '\(benefit.id)' uses unknown KPI '\(kpi.id)'")
            }
        }
    }

    private mutating func checkReferences(of phase: Phase, at index: Int) {
        let phaseID = phase.id
        var name: String { "phase '\(phaseID)'" }
        if let owner = phase.owner {
            resolve(owner, in: roles, .unknownRole, "\(name) is owned by unknown role '\(owner.id)'")
        }
        if let pilot = phase.pilot {
            resolve(pilot, in: pilotGroups, .unknownPilotGroup, "\(name) runs unknown pilot group '\(pilot.id)'")
        }
        let ownTasks = phase.tasks.map(\.id)
        let ownDeliverables = phase.deliverables.map(\.id)
        for task in phase.tasks {
            var taskName: String { "task '\(task.id)' of \(name)" }
            resolve(task.owner, in: roles, .unknownRole, "\(taskName) is owned by unknown role '\(task.owner.id)'")
            if let approver = task.approver {
                resolve(approver, in: roles, .unknownRole, "\(taskName) is approved by unknown role '\(approver.id)'")
            }
            for role in task.consulted + task.informed {
                resolve(role, in: roles, .unknownRole, "\(taskName) names unknown role '\(role.id)'")
            }
            for dependency in task.dependsOn where !ownTasks.contains(dependency.id) {
                let message = if let other = taskPhase[dependency.id] {
                    "\(taskName) depends on task '\(dependency.id)' of phase '\(other)'; "
                        + "a task depends only on tasks of its own phase"
                } else {
                    "\(taskName) depends on unknown task '\(dependency.id)'"
                }
                report(.error(.unknownTask, message, at: dependency.location,
                              suggestion: Suggestion.closest(to: dependency.id, among: ownTasks)))
            }
            if let deliverable = task.deliverable, !ownDeliverables.contains(deliverable.id) {
                let message = if let other = deliverablePhase[deliverable.id] {
                    "\(taskName) produces deliverable '\(deliverable.id)' of phase '\(playbook.phases[other].id)'; "
                        + "a task produces a deliverable of its own phase"
                } else {
                    "\(taskName) produces unknown deliverable '\(deliverable.id)'"
                }
                report(.error(.unknownDeliverable, message, at: deliverable.location,
                              suggestion: Suggestion.closest(to: deliverable.id, among: ownDeliverables)))
            }
        }
        if let actions = context.actions {
            for step in phase.actions where !actions.contains(step.name.id) {
                report(.error(.unknownAction, "\(name) runs unknown action '\(step.name.id)'", at: step.name.location,
                              suggestion: Suggestion.closest(to: step.name.id, among: actions.sorted())))
            }
        }
        for step in phase.actions where step.name.id == "process.start" || step.name.id == "process.stop" {
            guard let process = step.arguments["process"] else {
                report(.error(.missingKey, "\(name) runs \(step.name.id) without 'process:' (which process?)", at: step.name.location))
                continue
            }
            if playbook.process(process) == nil {
                report(.error(.unknownProcess, "\(name) runs \(step.name.id) on unknown process '\(process)'", at: step.name.location,
                              suggestion: Suggestion.closest(to: process, among: playbook.processes.map(\.id))))
            }
        }
        guard let gate = phase.gate else { return }
        for approver in gate.approvers {
            resolve(approver, in: roles, .unknownRole, "gate of \(name) names unknown role '\(approver.id)' as approver")
        }
        for role in gate.consulted + gate.informed {
            resolve(role, in: roles, .unknownRole, "gate of \(name) names unknown role '\(role.id)'")
        }
        for criterion in gate.criteria {
            switch criterion {
            case .kpi(let kpi):
                resolve(kpi.kpi, in: kpis, .unknownKPI, "gate of \(name) uses unknown KPI '\(kpi.kpi.id)'")
            case .deliverable(let deliverable, _):
                checkGateDeliverable(deliverable, of: phase, at: index)
            case .condition:
                break  // checked with every other condition (checkConditions)
            case .check(let check):
                if let checks = context.checks, !checks.contains(check.check.id) {
                    report(.error(.unknownCheck, "gate of \(name) uses unknown check '\(check.check.id)'"
                                  + (checks.isEmpty ? " (no plugin providing checks is installed)" : ""),
                                  at: check.check.location,
                                  suggestion: Suggestion.closest(to: check.check.id, among: checks.sorted())))
                }
            }
        }
    }

    /// A gate may require a deliverable of its own phase or of an earlier one, never of a later one.
    private mutating func checkGateDeliverable(_ deliverable: Reference, of phase: Phase, at index: Int) {
        let definedIn = deliverablePhase[deliverable.id]
        if let definedIn, definedIn <= index { return }
        let available = playbook.phases[...index].flatMap { $0.deliverables.map(\.id) }
        let message = if let definedIn {
            "gate of phase '\(phase.id)' requires deliverable '\(deliverable.id)' of the later phase "
                + "'\(playbook.phases[definedIn].id)'"
        } else {
            "gate of phase '\(phase.id)' requires unknown deliverable '\(deliverable.id)'"
        }
        report(.error(.unknownDeliverable, message, at: deliverable.location,
                      suggestion: Suggestion.closest(to: deliverable.id, among: available)))
    }

    /// Reports `reference` unless `namespace` defines it.
    /// Reports `reference` when `namespace` does not define it. The message is only built then:
    /// building it for every reference was a fifth of validating a large playbook.
    mutating func resolve(_ reference: Reference, in namespace: Namespace, _ code: DiagnosticCode,
                          _ message: @autoclosure () -> String) {
        guard !reference.id.isEmpty, !namespace.contains(reference.id) else { return }
        report(.error(code, message(), at: reference.location,
                      suggestion: Suggestion.closest(to: reference.id, among: namespace.ids)))
    }
}

/// A gate criterion on the pilot or the control group can only be measured when the phase runs
/// a pilot group, and one with a control group.
extension Validation {
    mutating func checkPilotComparisons() {
        for phase in playbook.phases {
            // The engine's pilot.start starts the phase's pilot group; without one it has nothing to start.
            if phase.pilot == nil {
                for step in phase.actions where step.name.id == "pilot.start" {
                    report(.error(.pilotStartWithoutPilot, "phase '\(phase.id)' runs pilot.start but names no pilot "
                                  + "group (add 'pilot:')", at: step.name.location))
                }
            }
            for case .kpi(let criterion) in phase.gate?.criteria ?? [] {
                let comparesWithControl = criterion.group == .control || criterion.comparison == .beatsControl
                let subject = "gate of phase '\(phase.id)' measures KPI '\(criterion.kpi.id)'"
                guard let pilot = phase.pilot else {
                    if comparesWithControl {
                        report(.error(.noControlGroup, "\(subject) against the control group, but the phase runs no "
                                      + "pilot group (add 'pilot:')", at: criterion.location))
                    } else if criterion.group == .pilot {
                        report(.error(.noPilotGroup, "\(subject) on the pilot group, but the phase runs no pilot group "
                                      + "(add 'pilot:')", at: criterion.location))
                    }
                    continue
                }
                guard comparesWithControl, let group = playbook.pilotGroup(pilot.id), group.control == nil else { continue }
                report(.error(.noControlGroup, "\(subject) against the control group, but pilot group '\(pilot.id)' "
                              + "has no control group (add 'control:')", at: criterion.location))
            }
        }
    }
}
