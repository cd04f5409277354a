import CRMCore
import Engine
import Foundation
import GRDB
import Playbook
import RolloutKit
import RolloutTesting
import Testing

@Suite struct RolloutEngineTests {
    @Test func runStartsTheProjectRunsThePhasesActionsAndWaitsForItsTasks() throws {
        let h = try EngineHarness()
        let report = try h.session.run(clock: .on("2025-03-03"))
        #expect(report.outcome == .waitingForTasks(phaseID: "preparation", taskIDs: ["write-charter", "approve-scope"]))
        #expect(report.steps.count == 3)   // project started, phase started, kpi.baseline
        let baseline = try h.workspace.database.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM kpi_measurements m JOIN kpi_snapshots s ON s.id = m.snapshot_id WHERE s.label = 'baseline'")
        }
        #expect(baseline == 3 * 3)   // three KPIs on all, pilot and control
    }

    @Test func runningTheSameCommandTwiceChangesNothingTheSecondTime() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        let before = try h.dump()
        let again = try h.session.run(clock: .on("2025-03-03"))
        #expect(again.steps.isEmpty)
        #expect(try h.dump() == before)
    }

    @Test func theGateIsEvaluatedOnceTheTasksAreDoneAndStopsForTheApprovers() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        _ = try h.session.completeTask("write-charter", by: "Zhou", note: nil, clock: .on("2025-03-07"))
        _ = try h.session.completeTask("approve-scope", by: "Chen", note: nil, clock: .on("2025-03-12"))
        let report = try h.session.run(clock: .on("2025-03-17"))
        #expect(report.outcome == .awaitingDecision(phaseID: "preparation", attempt: 1, passed: true, missingRoles: ["steering"]))
    }

    @Test func aTaskCannotBeDoneBeforeTheTasksItDependsOn() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        #expect(throws: EngineError.self) {
            try h.session.completeTask("approve-scope", by: "Chen", note: nil, clock: .on("2025-03-04"))
        }
    }

    @Test func approvalByARoleTheGateDoesNotNameIsRefusedAndChangesNothing() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        _ = try h.session.completeTask("write-charter", by: "Zhou", note: nil, clock: .on("2025-03-07"))
        _ = try h.session.completeTask("approve-scope", by: "Chen", note: nil, clock: .on("2025-03-12"))
        _ = try h.session.run(clock: .on("2025-03-17"))
        let before = try h.dump()
        let error = #expect(throws: EngineError.self) {
            try h.session.approve(phaseID: "preparation", role: "pm", by: "Zhou", decision: .go, note: nil,
                                  clock: .on("2025-03-17"))
        }
        #expect(error?.description.contains("role 'pm' (Project manager) may not decide the gate of 'preparation'") == true)
        #expect(error?.description.contains("steering (Steering committee)") == true)
        #expect(try h.dump() == before)
    }

    @Test func theSameVoteTwiceIsRecordedOnceAndAChangedVoteIsRefused() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        let events = try h.eventCount()
        let again = try h.session.approve(phaseID: "preparation", role: "steering", by: "Chen", decision: .go, note: nil,
                                          clock: .on("2025-03-18"))
        #expect(again.recorded == false)
        #expect(try h.eventCount() == events)
        #expect(throws: EngineError.self) {
            try h.session.approve(phaseID: "preparation", role: "steering", by: "Chen", decision: .noGo, note: "changed my mind",
                                  clock: .on("2025-03-18"))
        }
    }

    @Test func timeOnlyMovesForward() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        _ = try h.session.completeTask("write-charter", by: "Zhou", note: nil, clock: .on("2025-03-07"))
        let error = #expect(throws: EngineError.self) {
            try h.session.completeTask("approve-scope", by: "Chen", note: nil, clock: .on("2025-03-05"))
        }
        #expect(error?.description.contains("earlier") == true)
    }

    @Test func aPilotGateComparesThePilotWithTheControlAndEveryApproverVotes() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        _ = try h.session.completeTask("run-pilot", by: "Sun", note: nil, clock: .on("2025-04-10"))
        let report = try h.session.run(clock: .on("2025-04-14"))
        guard case .awaitingDecision(_, _, let passed, let missing) = report.outcome else {
            Issue.record("expected to stop at the gate, got \(report.outcome)")
            return
        }
        // Pilot answers in 2 h (≤ 8), control in 20 h (≥ 10); equal before and during, so the
        // pilot does not beat the control's change: the gate is not passed.
        #expect(passed == false)
        #expect(missing == ["steering", "pm"])
        let status = try h.session.status(clock: .on("2025-04-14"))
        let criteria = status.phases[1].gate!.criteria
        #expect(criteria.map(\.status) == [.passed, .failed, .passed])
        #expect(criteria[0].actual == 2)
        #expect(criteria[2].actual == 20)
        // The most conservative vote decides: go + rework = rework.
        _ = try h.session.approve(phaseID: "pilot", role: "steering", by: "Chen", decision: .go,
                                  note: "The control's figure is seasonal", clock: .on("2025-04-14"))
        let decided = try h.session.approve(phaseID: "pilot", role: "pm", by: "Zhou", decision: .rework,
                                            note: "Pilot has not improved on the control", clock: .on("2025-04-14"))
        #expect(decided.decided == .rework)
        let after = try h.session.run(clock: .on("2025-04-14"))
        #expect(after.outcome == .waitingForTasks(phaseID: "pilot", taskIDs: ["pilot-rework-1"]))
        let open = try h.session.tasks(includeDone: false)
        #expect(open.map(\.name) == ["Rework: Pilot has not improved on the control"])
        #expect(open.first?.ownerRole == "pm")
    }

    @Test func aGoOnUnmetCriteriaWaivesThemWithItsNoteAndKeepsItsConditions() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        _ = try h.session.completeTask("run-pilot", by: "Sun", note: nil, clock: .on("2025-04-10"))
        _ = try h.session.run(clock: .on("2025-04-14"))
        // Criterion 2 of the pilot's gate is not met (see the test above).
        #expect {
            try h.session.approve(phaseID: "pilot", role: "steering", by: "Chen", decision: .go, note: nil,
                                  clock: .on("2025-04-14"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("has unmet criteria") && text.contains("(failed)") && text.contains("needs --note")
        }
        #expect(throws: EngineError.self) {
            try h.session.approve(phaseID: "pilot", role: "pm", by: "Zhou", decision: .rework, note: "Not yet",
                                  conditions: ["Train first"], clock: .on("2025-04-14"))
        }
        _ = try h.session.approve(phaseID: "pilot", role: "steering", by: "Chen", decision: .go,
                                  note: "The control's figure is seasonal",
                                  conditions: ["Train the West team before cut-over", " "], clock: .on("2025-04-14"))
        // The same vote again changes nothing; with other conditions it is a second vote, refused.
        let again = try h.session.approve(phaseID: "pilot", role: "steering", by: "Chen", decision: .go,
                                          note: "The control's figure is seasonal",
                                          conditions: ["Train the West team before cut-over"], clock: .on("2025-04-14"))
        #expect(again.recorded == false)
        let status = try h.session.status(clock: .on("2025-04-14"))
        let gate = try #require(status.phases[1].gate)
        let vote = try #require(gate.votes.first)
        let failed = gate.criteria.filter { $0.status != .passed }.map(\.criterion)
        #expect(failed.count == 1)
        #expect(vote.waived == failed)
        #expect(vote.conditions == ["Train the West team before cut-over"])
        // A go on a gate whose criteria are all met waives nothing.
        let preparation = try #require(status.phases[0].gate?.votes.first)
        #expect(preparation.waived.isEmpty)
        // The projection is rebuilt from the event log with the same waivers and conditions.
        let before = try h.dump()
        try h.workspace.database.write { db in
            try Projector().rebuild(projectID: status.project.id, db)
        }
        #expect(try h.dump() == before)
    }

    @Test func aNoGoStopsTheProject() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        _ = try h.session.completeTask("run-pilot", by: "Sun", note: nil, clock: .on("2025-04-10"))
        _ = try h.session.run(clock: .on("2025-04-14"))
        _ = try h.session.approve(phaseID: "pilot", role: "steering", by: "Chen", decision: .noGo,
                                  note: "The pilot does not justify a rollout", clock: .on("2025-04-14"))
        _ = try h.session.approve(phaseID: "pilot", role: "pm", by: "Zhou", decision: .go, note: "Good enough",
                                  clock: .on("2025-04-14"))
        let report = try h.session.run(clock: .on("2025-04-15"))
        guard case .stopped(let reason) = report.outcome else {
            Issue.record("expected a stopped project, got \(report.outcome)")
            return
        }
        #expect(reason.contains("The pilot does not justify a rollout"))
        #expect(try h.session.status(clock: .on("2025-04-15")).project.status == "stopped")
    }

    @Test func aGoAtTheLastGateCompletesTheProject() throws {
        let h = try EngineHarness(pilotHours: 2, controlHours: 20)
        try h.finishPreparation()
        _ = try h.session.completeTask("run-pilot", by: "Sun", note: nil, clock: .on("2025-04-10"))
        _ = try h.session.run(clock: .on("2025-04-14"))
        for role in ["steering", "pm"] {
            _ = try h.session.approve(phaseID: "pilot", role: role, by: role, decision: .go, note: "Accepted as it is", clock: .on("2025-04-14"))
        }
        let report = try h.session.run(clock: .on("2025-04-14"))
        #expect(report.outcome == .completed)
        let outbox = try h.workspace.database.read {
            try String.fetchAll($0, sql: "SELECT recipient_role || ': ' || subject FROM engine_outbox")
        }
        #expect(outbox == ["steering: Pilot started"])
    }

    @Test func theProjectionsAreExactlyWhatReplayingTheEventLogGives() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        _ = try h.session.completeTask("run-pilot", by: "Sun", note: "done early", clock: .on("2025-04-10"))
        _ = try h.session.run(clock: .on("2025-04-14"))
        _ = try h.session.approve(phaseID: "pilot", role: "steering", by: "Chen", decision: .rework, note: "more data",
                                  clock: .on("2025-04-14"))
        let before = try h.dump()
        try h.workspace.database.write { db in try Projector().rebuild(projectID: "two-phase", db) }
        #expect(try h.dump() == before)
    }

    @Test func theEventLogRefusesUpdatesAndDeletes() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        #expect(throws: DatabaseError.self) {
            try h.workspace.database.write { try $0.execute(sql: "UPDATE engine_events SET kind = 'x'") }
        }
        #expect(throws: DatabaseError.self) {
            try h.workspace.database.write { try $0.execute(sql: "DELETE FROM engine_events") }
        }
    }

    @Test func aPilotGroupNamingAMissingTeamIsRefusedBeforeAnythingIsWritten() throws {
        let h = try EngineHarness(teams: ("East Sales", "Western Sales"))
        let error = #expect(throws: (any Error).self) { try h.session.run(clock: .on("2025-03-03")) }
        #expect("\(error!)".contains("names team 'West Sales', which does not exist"))
        #expect(try h.eventCount() == 0)
        #expect(try h.workspace.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM projects") } == 0)
    }

    @Test func aChangedPlaybookFileIsRefusedForARunningProject() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        let fixture = Bundle.module.url(forResource: "two-phase", withExtension: "yaml", subdirectory: "Fixtures")!
        let edited = try String(contentsOf: fixture, encoding: .utf8).replacingOccurrences(of: "Write the charter", with: "Draft the charter")
        let path = try h.directory.write("edited.yaml", edited)
        let session = try h.workspace.session(playbookPath: path)
        let error = #expect(throws: EngineError.self) { try session.run(clock: .on("2025-03-04")) }
        #expect(error?.description.contains("has changed since the project started") == true)
    }

    @Test func commandsWithoutAFileUseThePlaybookRecordedWhenTheProjectStarted() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        let resumed = try h.workspace.session(playbookPath: nil)
        #expect(resumed.playbook.source.sha256 == h.session.playbook.source.sha256)
        #expect(try resumed.status(clock: .on("2025-03-03")).openTasks.map(\.id) == ["write-charter", "approve-scope"])
    }
}
