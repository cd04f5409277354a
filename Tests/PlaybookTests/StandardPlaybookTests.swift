import Playbook
import struct Playbook.SourceLocation
import Testing

/// `Playbooks/standard-nine-phase.yaml`, the playbook the demo runs: S0's nine phases, S1's
/// three KPIs per goal and pilot group, S2's maintenance schedule.
@Suite struct StandardPlaybookTests {
    let compilation = PlaybookCompiler(context: Fixture.context)
        .compile(path: Fixture.repositoryRoot.appendingPathComponent("Playbooks/standard-nine-phase.yaml").path)

    @Test func compilesWithNoErrorAndNoWarning() throws {
        #expect(compilation.diagnostics.map(\.description) == [])
        #expect(compilation.playbook != nil)
    }

    @Test func hasTheNinePhasesOfS0InOrderWithTheirPlannedDurations() throws {
        let playbook = try #require(compilation.playbook)
        #expect(playbook.phases.map { "\($0.id):\($0.durationDays)" } == [
            "project-preparation:14", "project-kick-off:7", "analysis-and-diagnosis:28", "process-design:28",
            "prototype-test:56", "secondary-development:42", "end-user-training:21", "cut-over:14",
            "new-system-support:84",
        ])
    }

    @Test func everyPhaseHasTasksDeliverablesAndAnApprovedGate() throws {
        let playbook = try #require(compilation.playbook)
        for phase in playbook.phases {
            #expect((2...5).contains(phase.tasks.count), "\(phase.id)")
            #expect(!phase.deliverables.isEmpty, "\(phase.id)")
            let gate = try #require(phase.gate, "\(phase.id)")
            #expect(!gate.approvers.isEmpty && !gate.criteria.isEmpty, "\(phase.id)")
            #expect(phase.tasks.allSatisfy { $0.durationDays <= phase.durationDays }, "\(phase.id)")
        }
    }

    @Test func hasTheProjectOrganisationOfS0OnBothSides() throws {
        let roles = try #require(compilation.playbook).organisation.roles
        #expect(roles.filter { $0.side == .vendor }.map(\.id)
            == ["vendor-pm", "biz-consultant", "product-consultant", "tech-consultant"])
        #expect(roles.filter { $0.side == .customer }.map(\.id)
            == ["steering", "customer-pm", "impl-team", "tech-team", "key-users", "end-users"])
        #expect(roles.allSatisfy { !$0.duties.isEmpty })
    }

    @Test func definesTheKPIsTheEngineAndDemoRelyOn() throws {
        let playbook = try #require(compilation.playbook)
        let described = playbook.kpis.map { kpi in
            [kpi.id, kpi.metric?.id ?? "sql", kpi.aggregate?.rawValue ?? "-", "\(kpi.windowDays)", kpi.direction.rawValue,
             kpi.target.map { "\(Int($0))" } ?? "-", kpi.unit ?? "-"].joined(separator: " ")
        }
        #expect(described == [
            "lead_response_hours lead.first_response_hours median 30 lower_is_better 8 h",
            "lead_conversion_rate lead.conversion_rate - 90 higher_is_better 24 %",
            "win_rate opportunity.win_rate - 90 higher_is_better 33 %",
            "sales_cycle_days opportunity.sales_cycle_days median 90 lower_is_better 38 days",
            "ticket_sla_compliance ticket.first_response_sla_compliance - 30 higher_is_better 90 %",
            "ticket_resolution_hours ticket.resolution_hours median 30 lower_is_better 20 h",
            "active_adoption user.active_adoption - 30 higher_is_better 80 %",
            "contact_completeness contact.record_completeness - 30 higher_is_better 90 %",
        ])
        #expect(playbook.kpis.allSatisfy { $0.baseline == .measure })
    }

    @Test func everyGoalHasThreeKPIsAtTheLevelsOfS0() throws {
        let goals = try #require(compilation.playbook).goals
        #expect(goals.map { "\($0.level.rawValue):\($0.kpis.map(\.id).joined(separator: ","))" } == [
            "department:lead_response_hours,lead_conversion_rate,win_rate",
            "department:ticket_sla_compliance,ticket_resolution_hours,contact_completeness",
            "collaboration:active_adoption,contact_completeness,sales_cycle_days",
        ])
    }

    @Test func prototypeTestRunsThePilotAgainstTheWestControlGroup() throws {
        let playbook = try #require(compilation.playbook)
        let pilot = try #require(playbook.pilotGroup("east-pilot"))
        #expect(pilot.members.teams == ["East Sales", "East Service"])
        #expect(pilot.control?.teams == ["West Sales", "West Service"])
        let phase = try #require(playbook.phase("prototype-test"))
        #expect(phase.pilot?.id == "east-pilot")
        #expect(phase.actions.map(\.name.id) == ["pilot.start", "kpi.snapshot"])
        let criteria = try #require(phase.gate).criteria.map { criterion -> String in
            switch criterion {
            case .deliverable(let id, _): "deliverable \(id)"
            case .kpi(let kpi): "\(kpi.kpi) \(kpi.group?.rawValue ?? "-") \(kpi.comparison)"
            case .condition(let condition): "condition \(condition.text)"
            case .check(let check): "check \(check.check.id)"
            }
        }
        #expect(criteria == [
            "lead_response_hours pilot atMost(12.0)", "ticket_sla_compliance pilot atLeast(85.0)",
            "active_adoption pilot atLeast(75.0)", "win_rate - beatsControl", "deliverable pilot-test-report",
        ])
    }

    @Test func runsTheEngineActionsAtTheRightPhases() throws {
        let playbook = try #require(compilation.playbook)
        let actions = Dictionary(uniqueKeysWithValues: playbook.phases.map { ($0.id, $0.actions.map(\.name.id)) })
        #expect(actions["project-preparation"] == ["kpi.baseline"])
        #expect(actions["secondary-development"] == ["pilot.end"])
        #expect(actions["cut-over"] == ["project.go-live"])
        #expect(playbook.phase("project-kick-off")?.actions.first?.arguments["to"] == "steering")
    }

    @Test func costsFollowTheMaintenanceScheduleOfS2() throws {
        let playbook = try #require(compilation.playbook)
        let costs = try #require(playbook.costs)
        #expect(costs.currency == "CNY")
        #expect(costs.licence == Licence(perUserPerYear: 1200, users: 80))
        #expect([costs.implementation, costs.internalStaffInitial, costs.internalStaffPerYear, costs.training]
            == [350_000, 120_000, 60_000, 40_000])
        let maintenance = try #require(costs.maintenance)
        #expect(maintenance.contractValue == 500_000)
        #expect((1...5).map { maintenance.rate(forYear: $0) } == [0, 0.04, 0.04, 0.03, 0.03])
    }

    @Test func valuesTimeSavedAndKPIImprovementsWithRampUpAndConfidence() throws {
        let playbook = try #require(compilation.playbook)
        #expect(playbook.benefits.map(\.kind) == [
            .timeSaved(role: "sales-rep", hoursPerWeek: 2, hourlyCost: 150, headcount: 40),
            .timeSaved(role: "service-agent", hoursPerWeek: 1.5, hourlyCost: 120, headcount: 30),
            .kpiImprovement(kpi: Reference("win_rate", at: playbook.benefits[2].kindLocation), valuePerUnit: 60_000),
            .kpiImprovement(kpi: Reference("lead_conversion_rate", at: playbook.benefits[3].kindLocation),
                            valuePerUnit: 25_000),
        ])
        #expect(playbook.benefits.map(\.confidence) == [0.9, 0.9, 0.75, 0.75])
        #expect(playbook.benefits.allSatisfy { $0.rampUp == [0.5, 1.0] })
        #expect(playbook.evaluation == EvaluationSettings())
    }
}

private extension Benefit {
    /// Where a KPI benefit's `kpi:` is written, so that expected values can carry the same location.
    var kindLocation: SourceLocation {
        if case .kpiImprovement(let kpi, _) = kind { kpi.location } else { location }
    }
}
