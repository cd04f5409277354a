import CRMCore
import Foundation
import RolloutMetrics
import Playbook

/// Checks a gate's criteria against a KPI snapshot, the baseline and the deliverables produced.
public struct GateEvaluator: Sendable {
    public init() {}

    public func evaluate(_ gate: Gate, of phase: Phase, playbook: Playbook, snapshot: KPISnapshot?,
                         baseline: KPISnapshot?, delivered: Set<String>?, tasksDone: Set<String>? = nil,
                         phasesPassed: Set<String>? = nil, lessons: Int? = nil, iteration: Int = 1,
                         check: (CheckCriterion) -> CriterionResult = GateEvaluator.notYetChecked) -> [CriterionResult] {
        let facts = Self.facts(playbook: playbook, phase: phase, snapshot: snapshot, baseline: baseline, delivered: delivered,
                               tasksDone: tasksDone, phasesPassed: phasesPassed, lessons: lessons, iteration: iteration)
        return gate.criteria.map { criterion in
            switch criterion {
            case .deliverable(let ref, _):
                let name = playbook.phases.lazy.flatMap(\.deliverables).first { $0.id == ref.id }?.name ?? ref.id
                guard let delivered else {
                    return CriterionResult(criterion: "deliverable '\(name)'", status: .unknown, actual: nil,
                                           detail: "not known before the project runs")
                }
                let done = delivered.contains(ref.id)
                return CriterionResult(criterion: "deliverable '\(name)'", status: done ? .passed : .failed, actual: nil,
                                       detail: done ? "delivered" : "not delivered: its task is not done")
            case .condition(let condition):
                return Self.evaluate(condition, of: phase, playbook: playbook, facts: facts)
            case .kpi(let c):
                return evaluate(c, phase: phase, playbook: playbook, snapshot: snapshot, baseline: baseline)
            case .check(let c):
                return check(c)
            }
        }
    }

    /// A plugin's check before the gate is evaluated (a dry run): unknown.
    public static func notYetChecked(_ criterion: CheckCriterion) -> CriterionResult {
        CriterionResult(criterion: "check \(criterion.check.id)", status: .unknown, actual: nil,
                        detail: "the plugin checks it when the gate is evaluated")
    }

    /// A plugin's check as the plugin answered it; a check that fails to run is failed, with why.
    public static func result(of criterion: CheckCriterion, _ outcome: Result<PluginCheckOutcome, any Error>)
        -> CriterionResult
    {
        let name = "check \(criterion.check.id)"
        switch outcome {
        case .success(let answer):
            let status: CriterionResult.Status = answer.passed.map { $0 ? .passed : .failed } ?? .unknown
            return CriterionResult(criterion: name, status: status, actual: nil, detail: answer.detail)
        case .failure(let error):
            return CriterionResult(criterion: name, status: .failed, actual: nil, detail: "the check failed to run: \(error)")
        }
    }

    /// A condition criterion: holds, fails, unknown (an input not known yet), or fails with the
    /// reason when its value is not boolean.
    public static func evaluate(_ condition: Condition, of phase: Phase?, playbook: Playbook,
                                facts: ProjectFacts) -> CriterionResult {
        let lookup = facts.lookup(in: playbook, phase: phase)
        let inputs = condition.expression.names.map { path -> String in
            switch lookup(path) {
            case .number(let n): "\(path) = \(format(n))"
            case .bool(let b): "\(path) = \(b)"
            case .unknown: "\(path) unknown"
            default: "\(path)"
            }
        }
        let detail = inputs.isEmpty ? "" : inputs.joined(separator: ", ")
        switch condition.evaluate(lookup) {
        case .holds: return CriterionResult(criterion: condition.text, status: .passed, actual: nil, detail: detail)
        case .fails: return CriterionResult(criterion: condition.text, status: .failed, actual: nil, detail: detail)
        case .unknown: return CriterionResult(criterion: condition.text, status: .unknown, actual: nil, detail: detail)
        case .error(let message):
            return CriterionResult(criterion: condition.text, status: .failed, actual: nil, detail: "error: \(message)")
        }
    }

    /// What conditions read, from a KPI snapshot and baseline and the project's progress.
    public static func facts(playbook: Playbook, phase: Phase?, snapshot: KPISnapshot?, baseline: KPISnapshot?, delivered: Set<String>?,
                             tasksDone: Set<String>?, phasesPassed: Set<String>?, lessons: Int?,
                             iteration: Int) -> ProjectFacts {
        @Sendable func key(_ group: String) -> GroupKey? {
            switch group {
            case "all": return .all
            case "pilot", "control":
                // The phase's pilot group, else the playbook's first: conditions name the side, not the group.
                guard let pilot = phase?.pilot?.id ?? playbook.pilotGroups.first?.id else { return nil }
                return group == "pilot" ? .pilot(pilot) : .control(pilot)
            default: return nil
            }
        }
        return ProjectFacts(
            kpi: { id, group in key(group).flatMap { snapshot?.value(id, $0) } },
            baseline: { id, group in
                if case .value(let v)? = playbook.kpi(id)?.baseline { return v }
                return key(group).flatMap { baseline?.value(id, $0) }
            },
            delivered: delivered, tasksDone: tasksDone, phasesPassed: phasesPassed, lessons: lessons,
            iteration: iteration)
    }

    /// The group a criterion measures: its own `group:`, else the phase's pilot, else everyone.
    public static func groupKey(for criterion: KPICriterion, in phase: Phase) -> GroupKey? {
        let side = criterion.group ?? (phase.pilot == nil ? .all : .pilot)
        switch side {
        case .all: return .all
        case .pilot: return phase.pilot.map { .pilot($0.id) }
        case .control: return phase.pilot.map { .control($0.id) }
        }
    }

    private func evaluate(_ c: KPICriterion, phase: Phase, playbook: Playbook, snapshot: KPISnapshot?,
                          baseline: KPISnapshot?) -> CriterionResult {
        guard let kpi = playbook.kpi(c.kpi.id) else {
            return CriterionResult(criterion: c.kpi.id, status: .unknown, actual: nil, detail: "unknown KPI")
        }
        guard let group = Self.groupKey(for: c, in: phase) else {
            return CriterionResult(criterion: c.kpi.id, status: .unknown, actual: nil,
                                   detail: "the phase has no pilot group to measure")
        }
        let unit = kpi.unit.map { " \($0)" } ?? ""
        let value = snapshot?.value(kpi.id, group)
        func baselineValue(_ g: GroupKey) -> Double? {
            switch kpi.baseline {
            case .value(let v): return v
            case .measure: return baseline?.value(kpi.id, g)
            }
        }
        func result(_ what: String, _ ok: Bool?, _ detail: String) -> CriterionResult {
            CriterionResult(criterion: "\(kpi.id) (\(group)) \(what)",
                            status: ok.map { $0 ? .passed : .failed } ?? .unknown, actual: value, detail: detail)
        }
        guard let value else {
            return result(describe(c.comparison, kpi: kpi), nil, "no data: nothing to measure in the window")
        }
        let better: (Double, Double) -> Bool = kpi.direction == .higherIsBetter ? { $0 >= $1 } : { $0 <= $1 }
        switch c.comparison {
        case .atMost(let limit):
            return result("at most \(format(limit))\(unit)", value <= limit, "measured \(format(value))\(unit)")
        case .atLeast(let limit):
            return result("at least \(format(limit))\(unit)", value >= limit, "measured \(format(value))\(unit)")
        case .meetsTarget:
            guard let target = kpi.target else {
                return result("meets target", nil, "the KPI has no target")
            }
            return result("meets target \(format(target))\(unit)", better(value, target),
                          "measured \(format(value))\(unit), target \(format(target))\(unit)")
        case .improvesByPercent(let percent):
            guard let base = baselineValue(group), base != 0 else {
                return result("improves by \(format(percent)) %", nil, "no baseline measured for \(group)")
            }
            let change = (kpi.direction == .higherIsBetter ? value - base : base - value) / abs(base) * 100
            return result("improves by \(format(percent)) %", change >= percent,
                          "from \(format(base)) to \(format(value))\(unit): \(format(change)) % better")
        case .beatsControl:
            guard let pilot = phase.pilot?.id,
                  let control = snapshot?.value(kpi.id, .control(pilot)),
                  let pilotBase = baselineValue(.pilot(pilot)), let controlBase = baselineValue(.control(pilot)),
                  let pilotNow = snapshot?.value(kpi.id, .pilot(pilot))
            else {
                return result("beats control", nil, "pilot, control or their baselines not measured")
            }
            let pilotChange = pilotNow - pilotBase, controlChange = control - controlBase
            let wins = kpi.direction == .higherIsBetter ? pilotChange > controlChange : pilotChange < controlChange
            return CriterionResult(
                criterion: "\(kpi.id) pilot beats control", status: wins ? .passed : .failed, actual: pilotNow,
                detail: "pilot \(format(pilotBase)) → \(format(pilotNow))\(unit) (\(signed(pilotChange))), "
                    + "control \(format(controlBase)) → \(format(control))\(unit) (\(signed(controlChange)))")
        }
    }

    private func describe(_ comparison: KPICriterion.Comparison, kpi: KPIDefinition) -> String {
        switch comparison {
        case .atMost(let x): "at most \(format(x))"
        case .atLeast(let x): "at least \(format(x))"
        case .meetsTarget: "meets target"
        case .improvesByPercent(let p): "improves by \(format(p)) %"
        case .beatsControl: "beats control"
        }
    }
}

/// `12`, `12.5`, `0.33`: at most two decimals, no trailing zeros.
func format(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    var text = String(format: "%.2f", rounded)
    while text.hasSuffix("0") { text.removeLast() }
    return text
}

func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + format(value) }
