import Foundation
import Playbook
import struct Playbook.SourceLocation
import Testing

/// `PlaybookDiff`: each kind of change between two versions of the standard playbook is named
/// by id, in words; identical playbooks, and the same playbook written elsewhere in the file, differ in nothing.
@Suite struct PlaybookDiffTests {
    static let path = Fixture.repositoryRoot.appendingPathComponent("Playbooks/standard-nine-phase.yaml").path
    let base: Playbook
    let here = SourceLocation(file: "edited.yaml", line: 1, column: 1)

    init() throws {
        base = try #require(PlaybookCompiler(context: Fixture.context).compile(path: Self.path).playbook)
    }

    func reference(_ id: String) -> Reference { Reference(id, at: here) }

    func diff(_ edit: (inout Playbook) -> Void) -> [String] {
        var edited = base
        edit(&edited)
        return PlaybookDiff(from: base, to: edited).summary
    }

    func index(ofPhase id: String, in playbook: Playbook) throws -> Int {
        try #require(playbook.phases.firstIndex { $0.id == id })
    }

    @Test func theSamePlaybookTwiceHasNoChanges() throws {
        let again = try #require(PlaybookCompiler(context: Fixture.context).compile(path: Self.path).playbook)
        let diff = PlaybookDiff(from: base, to: again)
        #expect(diff.isEmpty)
        #expect(diff.changes == [])
    }

    @Test func theSamePlaybookMovedDownTheFileUnderAnotherNameHasNoChanges() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let moved = try #require(PlaybookCompiler(context: Fixture.context)
            .compile(text: "# a new header\n#\n# and a comment\n\n" + text, path: "elsewhere/moved.yaml").playbook)
        // Every location differs, and so does the text's hash: none of that is a change.
        #expect(moved.phases[0].location != base.phases[0].location)
        #expect(moved.phases[0].tasks[0].owner.location != base.phases[0].tasks[0].owner.location)
        #expect(moved.source.sha256 != base.source.sha256)
        #expect(PlaybookDiff(from: base, to: moved).changes == [])
    }

    @Test func phasesAddedRemovedAndReorderedAreNamedByID() throws {
        let changes = diff { p in
            p.phases.removeAll { $0.id == "cut-over" }
            p.phases.swapAt(1, 2)
            p.phases.append(Phase(id: "hypercare", name: "Hypercare", owner: reference("vendor-pm"), durationDays: 14,
                                  location: here))
        }
        #expect(changes.contains { $0.hasPrefix("phase 'cut-over' removed (was: name Cut-over") })
        #expect(changes.contains("phases reordered: project-preparation, project-kick-off, analysis-and-diagnosis, "
            + "process-design, prototype-test, secondary-development, end-user-training, new-system-support → "
            + "project-preparation, analysis-and-diagnosis, project-kick-off, process-design, prototype-test, "
            + "secondary-development, end-user-training, new-system-support"))
        #expect(changes.contains { $0.hasPrefix("phase 'hypercare' added: name Hypercare; owner vendor-pm; duration 14 days") })
        #expect(changes.count == 3)
    }

    @Test func aPhasesNameDurationOwnerPilotActionsAndEntryCriteriaAreCompared() throws {
        let i = try index(ofPhase: "project-kick-off", in: base)
        let changes = diff { p in
            p.phases[i].name = "Kick-off"
            p.phases[i].durationDays = 14
            p.phases[i].owner = reference("vendor-pm")
            p.phases[i].pilot = reference("east-pilot")
            p.phases[i].actions = [ActionStep(name: reference("kpi.snapshot"))]
            p.phases[i].entry = [Condition(text: "lessons.count >= 1", expression: .literal(.bool(true)), location: here)]
        }
        #expect(changes == [
            "phase 'project-kick-off': name Project kick-off → Kick-off",
            "phase 'project-kick-off': owner customer-pm → vendor-pm",
            "phase 'project-kick-off': duration 7 days → 14 days",
            "phase 'project-kick-off': pilot none → east-pilot",
            "phase 'project-kick-off': actions notify (subject: The CRM project has started, to: steering) → kpi.snapshot",
            "phase 'project-kick-off': entry criteria none → lessons.count >= 1",
        ])
    }

    @Test func tasksAddedRemovedAndChangedInOwnerDurationDependenciesAndDeliverable() throws {
        let i = try index(ofPhase: "project-preparation", in: base)
        let changes = diff { p in
            p.phases[i].tasks.removeAll { $0.id == "set-up-organisation" }
            p.phases[i].tasks[0].owner = reference("customer-pm")
            p.phases[i].tasks[0].durationDays = 8
            p.phases[i].tasks[0].deliverable = nil
            p.phases[i].tasks[1].dependsOn = [reference("define-goals-and-scope")]
            p.phases[i].tasks.append(PhaseTask(id: "brief-sponsors", name: "Brief the sponsors", owner: reference("vendor-pm"),
                                               durationDays: 1, location: here))
        }
        #expect(changes == [
            "task 'set-up-organisation' of phase 'project-preparation' removed (was: name Set up the project organisation; "
                + "owner customer-pm; duration 3 days)",
            "task 'define-goals-and-scope' of phase 'project-preparation': owner steering → customer-pm",
            "task 'define-goals-and-scope' of phase 'project-preparation': duration 5 days → 8 days",
            "task 'define-goals-and-scope' of phase 'project-preparation': deliverable project-charter → none",
            "task 'draft-phase-and-training-plan' of phase 'project-preparation': dependencies "
                + "define-goals-and-scope, set-up-organisation → define-goals-and-scope",
            "task 'brief-sponsors' of phase 'project-preparation' added: name Brief the sponsors; owner vendor-pm; duration 1 day",
        ])
    }

    @Test func deliverablesAndTheGatesApproversAndCriteriaAreCompared() throws {
        let i = try index(ofPhase: "project-preparation", in: base)
        let k = try index(ofPhase: "project-kick-off", in: base)
        let changes = diff { p in
            p.phases[i].deliverables[0].name = "Charter"
            p.phases[i].gate?.approvers = [reference("steering"), reference("customer-pm")]
            p.phases[i].gate?.criteria.removeLast()
            p.phases[k].gate = nil
        }
        #expect(changes.contains("deliverable 'project-charter' of phase 'project-preparation': name "
            + "Project charter (goals and scope) → Charter"))
        #expect(changes.contains("gate of phase 'project-preparation': approvers steering → steering, customer-pm"))
        #expect(changes.contains("gate of phase 'project-preparation': criteria deliverable project-charter; "
            + "deliverable preparation-plan → deliverable project-charter"))
        #expect(changes.contains { $0.hasPrefix("gate of phase 'project-kick-off' removed (was: approvers ") })
        #expect(changes.count == 4)
    }

    @Test func kpiMetricWindowDirectionBaselineTargetAndGroupsAreCompared() throws {
        let changes = diff { p in
            p.kpis[0].target = 6
            p.kpis[0].windowDays = 60
            p.kpis[0].direction = .higherIsBetter
            p.kpis[0].baseline = .value(12)
            p.kpis[0].groups = [.pilot, .control]
            p.kpis[1].metric = nil
            p.kpis[1].sql = KPIDefinition.SQLMetric(query: "SELECT user_id, at, value FROM v_leads", location: here)
        }
        #expect(changes == [
            "KPI 'lead_response_hours': groups every group → pilot, control",
            "KPI 'lead_response_hours': window 30 days → 60 days",
            "KPI 'lead_response_hours': direction lower is better → higher is better",
            "KPI 'lead_response_hours': baseline measured at the start → 12",
            "KPI 'lead_response_hours': target 8 → 6",
            "KPI 'lead_conversion_rate': metric lead.conversion_rate → none",
            "KPI 'lead_conversion_rate': sql none → SELECT user_id, at, value FROM v_leads",
        ])
    }

    @Test func goalsPilotGroupSelectorsProcessesAndCyclesAreCompared() throws {
        let changes = diff { p in
            p.goals[0].kpis = [reference("win_rate")]
            p.pilotGroups[0].members.teams = ["East Sales"]
            p.pilotGroups[0].members.users = ["Chen Jing"]
            p.processes.append(ProcessModel(
                id: "lead-handling", name: "Lead handling", entity: reference("lead"), asIs: nil,
                toBe: ProcessVariant(kind: .toBe, states: [ProcessState(id: "new", name: "New", initial: true, location: here),
                                                            ProcessState(id: "won", name: "Won", final: true, location: here)],
                                     transitions: [ProcessTransition(from: reference("new"), to: reference("won"),
                                                                     trigger: .timer(hours: 48), location: here)],
                                     location: here),
                location: here))
            p.cycles.append(Cycle(id: "improve", name: "Improvement cycle",
                                  phases: [reference("prototype-test"), reference("secondary-development")],
                                  until: nil, maxIterations: 3, location: here))
        }
        #expect(changes == [
            "goal 'sales-follow-up': KPIs lead_response_hours, lead_conversion_rate, win_rate → win_rate",
            "pilot group 'east-pilot': members teams East Sales, East Service → teams East Sales; users Chen Jing",
            "process 'lead-handling' added: name Lead handling; entity lead; "
                + "to-be states new New (initial); won Won (final); to-be transitions new → won after 48 h",
            "cycle 'improve' added: name Improvement cycle; phases prototype-test, secondary-development; at most 3 iterations",
        ])
    }

    @Test func processStatesAndTransitionsChangesAreNamed() throws {
        var before = base
        let process = ProcessModel(
            id: "tickets", name: "Tickets", entity: reference("ticket"), asIs: nil,
            toBe: ProcessVariant(kind: .toBe, states: [ProcessState(id: "open", name: "Open", initial: true, location: here)],
                                 transitions: [], location: here),
            location: here)
        before.processes = [process]
        var after = before
        after.processes[0].toBe?.states.append(ProcessState(id: "closed", name: "Closed", final: true, slaHours: 24, location: here))
        after.processes[0].toBe?.transitions.append(ProcessTransition(
            from: reference("open"), to: reference("closed"), trigger: .action("close", by: reference("key-users")),
            location: here))
        #expect(PlaybookDiff(from: before, to: after).summary == [
            "process 'tickets': to-be states open Open (initial) → open Open (initial); closed Closed (final, SLA 24 h)",
            "process 'tickets': to-be transitions none → open → closed action close by key-users",
        ])
    }

    @Test func costsBenefitsEvaluationVersionAndTitleAreCompared() throws {
        let changes = diff { p in
            p.version = 2
            p.title = "Standard rollout, second edition"
            p.costs?.implementation = 400_000
            p.costs?.licence?.users = 90
            p.benefits[0].confidence = 0.8
            p.benefits.removeLast()
            p.evaluation.discountRate = 0.08
        }
        #expect(changes == [
            "playbook: version 1 → 2",
            "playbook: title Standard CRM rollout in nine phases → Standard rollout, second edition",
            "costs: licence 1200 per user a year for 80 users → 1200 per user a year for 90 users",
            "costs: implementation 350000 → 400000",
            "benefit 'more-conversions' removed (was: name More leads converted; value improvement of "
                + "lead_conversion_rate worth 25000 a unit a year; ramp-up 0.5, 1; confidence 0.75)",
            "benefit 'sales-rep-time': confidence 0.9 → 0.8",
            "evaluation settings: discount rate 0.1 → 0.08",
        ])
    }

    @Test func theDiffEncodesAsJSONWithStructuredChanges() throws {
        let diff = PlaybookDiff(from: base, to: { var p = base; p.version = 3; return p }())
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(diff)) as? [String: Any]
        let changes = try #require(json?["changes"] as? [[String: Any]])
        #expect(changes.count == 1)
        #expect(changes[0]["subject"] as? String == "playbook")
        #expect(changes[0]["field"] as? String == "version")
        #expect(changes[0]["old"] as? String == "1")
        #expect(changes[0]["new"] as? String == "3")
    }
}
