/// Warnings that teach the method the playbook encodes: they do not stop a project, but each
/// points at something S0 and S1 say a rollout should have.
extension Validation {
    mutating func adviseOnMethod() {
        adviseOnGoalsAndKPIs()
        adviseOnPhases()
        for group in playbook.pilotGroups where group.control == nil {
            report(.warning(.pilotWithoutControl, "pilot group '\(group.id)' has no control group, so its results cannot "
                            + "be compared with teams that keep working the old way", at: group.location))
        }
        for rate in playbook.costs?.maintenance?.rates ?? [] where rate.rate > 0.05 {
            report(.warning(.expensiveMaintenance, "maintenance at \(percent(rate.rate)) of the contract value a year is "
                            + "expensive: above 5 % a year, negotiate the rate", at: rate.location))
        }
    }

    /// S1 step 2: "for each goal define three key metrics"; a KPI that no goal or gate uses is not steering anything.
    private mutating func adviseOnGoalsAndKPIs() {
        for goal in playbook.goals where goal.kpis.count != 3 {
            let count = goal.kpis.isEmpty ? "no KPIs" : goal.kpis.count == 1 ? "1 KPI" : "\(goal.kpis.count) KPIs"
            report(.warning(.goalKPICount, "goal '\(goal.id)' has \(count); define three key metrics for each goal, "
                            + "and how they are measured", at: goal.location))
        }
        let gateKPIs = playbook.phases.flatMap { phase in
            (phase.gate?.criteria ?? []).compactMap { if case .kpi(let c) = $0 { c.kpi.id } else { nil } }
        }
        // A KPI a condition reads (`kpi.win_rate.pilot`), or a benefit values, steers something too.
        let conditions = playbook.phases.flatMap { phase in
            phase.entry + (phase.gate?.criteria ?? []).compactMap { if case .condition(let c) = $0 { c } else { nil } }
        } + playbook.cycles.compactMap(\.until)
        let conditionKPIs = conditions.flatMap { $0.expression.names }
            .compactMap { $0.components.count >= 2 && $0.components[0] == "kpi" ? $0.components[1] : nil }
        let benefitKPIs = playbook.benefits.compactMap { benefit -> String? in
            if case .kpiImprovement(let kpi, _) = benefit.kind { kpi.id } else { nil }
        }
        let used = Set(playbook.goals.flatMap { $0.kpis.map(\.id) } + gateKPIs + conditionKPIs + benefitKPIs)
        for kpi in playbook.kpis where !used.contains(kpi.id) {
            report(.warning(.unusedKPI, "KPI '\(kpi.id)' is used by no goal and no gate", at: kpi.location))
        }
    }

    private mutating func adviseOnPhases() {
        for phase in playbook.phases {
            if let gate = phase.gate {
                if gate.approvers.isEmpty {
                    report(.warning(.gateWithoutApprovers, "gate of phase '\(phase.id)' has no approvers: it passes on "
                                    + "its criteria alone, without a go/no-go decision", at: gate.location))
                }
            } else {
                report(.warning(.phaseWithoutGate, "phase '\(phase.id)' has no gate: the project moves on without a "
                                + "go/no-go decision", at: phase.location))
            }
            let produced = Set(phase.tasks.compactMap(\.deliverable?.id))
            for deliverable in phase.deliverables where !produced.contains(deliverable.id) {
                report(.warning(.deliverableNotProduced, "no task of phase '\(phase.id)' produces deliverable "
                                + "'\(deliverable.id)', so it can never be delivered", at: deliverable.location))
            }
        }
    }

    /// `0.08` → `8 %`, `0.045` → `4.5 %`.
    private func percent(_ rate: Double) -> String {
        let value = (rate * 1000).rounded() / 10
        return (value == value.rounded() ? String(Int(value)) : String(value)) + " %"
    }
}
