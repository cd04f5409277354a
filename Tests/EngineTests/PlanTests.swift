import CRMCore
import Engine
import Evaluation
import Foundation
import Playbook
import RolloutKit
import RolloutTesting
import Testing

/// `PlaybookPlan`: the dry run of a playbook, on the engine harness's workspace (East Sales, the
/// pilot, answers leads in 2 hours; West Sales, the control, in 20).
@Suite struct PlanTests {
    static let standardPlaybook = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Playbooks/standard-nine-phase.yaml").path

    func plan(_ h: EngineHarness, asOf: String = "2025-03-03", playbook: String? = nil) throws -> PlaybookPlan {
        try PlaybookPlan.make(playbookAt: playbook ?? h.directory.file("two-phase.yaml"), start: nil,
                              workspaceAt: h.directory.file("rollout.sqlite"), asOf: .day(asOf))
    }

    func criteria(_ plan: PlaybookPlan, phase: String) -> [PlannedCheck] {
        plan.checks.first { $0.phaseID == phase }?.gate?.criteria ?? []
    }

    @Test func tasksStartWhenTheTasksTheyDependOnEndAndPhasesFollowEachOther() throws {
        let compiled = try #require(Workspace.check(playbookAt: Self.standardPlaybook).playbook)
        let timeline = PlanTimeline(playbook: compiled, start: .day("2025-03-03"))
        #expect(timeline.phases.map(\.id) == compiled.phases.map(\.id))
        var day = 0
        for (phase, planned) in zip(compiled.phases, timeline.phases) {
            #expect(planned.span.startDay == day)
            #expect(planned.span.endDay == day + phase.durationDays)
            for task in phase.tasks {
                let bar = try #require(planned.tasks.first { $0.id == task.id })
                let after = task.dependsOn.compactMap { dep in planned.tasks.first { $0.id == dep.id }?.span.endDay }
                #expect(bar.span.startDay == (after.max() ?? day), "\(task.id)")
                #expect(bar.span.endDay == bar.span.startDay + task.durationDays)
                #expect(bar.span.startWeek == bar.span.startDay / 7 + 1)
            }
            day += phase.durationDays
        }
        #expect(timeline.totalDays == day)
        #expect(timeline.end == Timestamp.day("2025-03-03").adding(days: day))
        let cutOver = try #require(timeline.phases.first { $0.actions.contains("project.go-live") })
        #expect(timeline.goLive == cutOver.span.start)
    }

    @Test func costsOfTheFirstTwelveMonthsAddUpToEvaluationsFirstYear() throws {
        let compiled = try #require(Workspace.check(playbookAt: Self.standardPlaybook).playbook)
        let costs = try #require(try PlaybookPlan.make(playbookAt: Self.standardPlaybook, start: .day("2025-03-03"),
                                                       workspaceAt: nil, asOf: .day("2025-03-03")).costs)
        let tco = TotalCostOfOwnership(costs: try #require(compiled.costs), horizonYears: compiled.evaluation.horizonYears)
        #expect(costs.tco == tco)
        #expect(costs.initial == tco.columns[0].costs)
        #expect(costs.months.count == 12)
        let year = costs.months.map(\.costs.total).reduce(0, +)
        #expect(abs(year - tco.columns[1].costs.total) < 0.005)
        #expect(tco.columns[1].costs.total > 0)
    }

    @Test func beforeTheProjectStartsKPICriteriaAreJudgedOnTodaysDataAndBaselineOnesAreUnknown() throws {
        let h = try EngineHarness()
        let before = try h.dump()
        let plan = try plan(h)
        let pilot = criteria(plan, phase: "pilot")
        #expect(pilot.map(\.outcome) == [.wouldPass, .unknown, .wouldPass])
        #expect(pilot[0].value == 2)
        #expect(pilot[0].criterion == "lead_response_hours (pilot:east) at most 8")
        #expect(pilot[1].detail == "pilot, control or their baselines not measured")
        #expect(pilot[2].value == 20)
        // The charter is a deliverable of a phase the project has not reached: unknown, not failed.
        #expect(criteria(plan, phase: "preparation").map(\.outcome) == [.unknown])
        #expect(plan.dryRun?.groups.map(\.users) == [6, 3, 3])
        #expect(try h.dump() == before)
        #expect(try h.eventCount() == 0)
    }

    @Test func aPilotSlowerThanTheLimitWouldFailWithItsMeasuredValue() throws {
        let h = try EngineHarness(pilotHours: 30)
        let pilot = criteria(try plan(h), phase: "pilot")
        #expect(pilot[0].outcome == .wouldFail)
        #expect(pilot[0].value == 30)
        #expect(pilot[0].detail == "measured 30 h")
    }

    @Test func aRunningProjectsDeliverablesAndBaselineAreUsedForThePhasesItReached() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        let before = try h.dump()
        let plan = try plan(h, asOf: "2025-03-20")
        #expect(plan.dryRun?.projectID == "two-phase")
        #expect(plan.dryRun?.currentPhase == "pilot")
        #expect(plan.timeline.start == .day("2025-03-03"))
        #expect(plan.checks.map(\.projectStatus) == ["completed", "active"])
        #expect(criteria(plan, phase: "preparation").map(\.outcome) == [.wouldPass])
        // With the baseline measured at the start, pilot-versus-control is known: neither changed.
        let beats = criteria(plan, phase: "pilot")[1]
        #expect(beats.outcome == .wouldFail)
        #expect(beats.detail?.contains("pilot 2 → 2 h (+0)") == true)
        #expect(try h.dump() == before)
    }

    @Test func conditionsUseThreeValuedLogicSoUnknownInputsNeverFail() throws {
        let text = try String(contentsOf: Bundle.module.url(forResource: "two-phase", withExtension: "yaml",
                                                            subdirectory: "Fixtures")!, encoding: .utf8)
            .replacingOccurrences(of: "    pilot: east\n", with: """
                    pilot: east
                    entry:
                      - "deliverable.charter and kpi.lead_response_hours.pilot <= 8"
                      - "kpi.lead_response_hours.pilot > 100 and deliverable.charter"
                      - "kpi.lead_response_hours.pilot <= 8 or deliverable.charter"

                """)
            + "cycles:\n  - { id: improve, name: Improve, phases: [pilot], max_iterations: 3 }\n"
        let h = try EngineHarness(playbookText: text)
        let plan = try plan(h)
        let entry = try #require(plan.checks.first { $0.phaseID == "pilot" }?.entry)
        #expect(entry.map(\.outcome) == [.unknown, .wouldFail, .wouldPass])
        #expect(entry[0].detail == "deliverable.charter unknown, kpi.lead_response_hours.pilot = 2")
        let pilot = try #require(plan.timeline.phases.last)
        #expect(pilot.cycle?.maxIterations == 3)
        #expect(plan.timeline.phases.first?.cycle == nil)
        #expect(plan.cycles.first?.extraDaysAtMost == 2 * pilot.durationDays)
    }

    @Test func aWorkspaceThatDoesNotExistIsRefusedAndNotCreated() throws {
        let directory = try TemporaryDirectory("plan-missing")
        let path = directory.file("nowhere/rollout.sqlite")
        let playbook = try directory.write("two-phase.yaml", try String(
            contentsOf: Bundle.module.url(forResource: "two-phase", withExtension: "yaml", subdirectory: "Fixtures")!,
            encoding: .utf8))
        #expect(throws: WorkspaceError.self) {
            try PlaybookPlan.make(playbookAt: playbook, start: nil, workspaceAt: path, asOf: .day("2025-03-03"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("nowhere")))
    }
}
