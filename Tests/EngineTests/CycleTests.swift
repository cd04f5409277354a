import CRMCore
import Engine
import Foundation
import GRDB
import Playbook
import RolloutKit
import RolloutTesting
import Testing

/// A cycle's phases run again, round after round, until its `until:` holds or it has run
/// `max_iterations` rounds (S1: the six steps repeat).
@Suite struct CycleTests {
    /// The two-phase fixture with its pilot phase in a cycle.
    static func harness(until: String?, maxIterations: Int) throws -> EngineHarness {
        let fixture = Bundle.module.url(forResource: "two-phase", withExtension: "yaml", subdirectory: "Fixtures")!
        var text = try String(contentsOf: fixture, encoding: .utf8)
        text += """

            cycles:
              - id: pilot-rounds
                name: Pilot rounds
                phases: [pilot]
            \(until.map { "    until: \"\($0)\"\n" } ?? "")    max_iterations: \(maxIterations)

            """
        return try EngineHarness(playbookText: text)
    }

    /// Completes the pilot's task, evaluates its gate and has both approvers say go.
    static func finishPilotRound(_ h: EngineHarness, on day: String) throws -> RunReport {
        _ = try h.session.completeTask("run-pilot", by: "Sun", note: nil, clock: .on(day))
        _ = try h.session.run(clock: .on(day))
        for role in ["steering", "pm"] {
            _ = try h.session.approve(phaseID: "pilot", role: role, by: role, decision: .go, note: "Going on, waiving what is not met", clock: .on(day))
        }
        return try h.session.run(clock: .on(day))
    }

    static func rounds(_ h: EngineHarness) throws -> [String] {
        try h.workspace.database.read {
            try String.fetchAll($0, sql: """
                SELECT iteration || ' ' || outcome FROM engine_cycle_iterations ORDER BY iteration
                """)
        }
    }

    @Test func theCyclesPhasesRunAgainUntilItsConditionHolds() throws {
        let h = try Self.harness(until: "cycle.iteration >= 2", maxIterations: 3)
        try h.finishPreparation()

        // Round 1 ends with the condition false: the pilot phase starts again, its tasks reopen
        // under round-2 ids, and its actions run again (the pilot goes on; a second notice).
        let first = try Self.finishPilotRound(h, on: "2025-04-10")
        #expect(first.outcome == .waitingForTasks(phaseID: "pilot", taskIDs: ["run-pilot@2"]))
        #expect(first.steps.contains { $0.contains("round 1 ended") && $0.contains("round 2 starts at 'pilot'") })
        #expect(try Self.rounds(h) == ["1 repeat"])
        let status = try h.session.status(clock: .on("2025-04-10"))
        #expect(status.phases[1].iteration == 2)
        #expect(status.phases[1].status == "active")
        #expect(status.phases[1].tasksDone == 0 && status.phases[1].tasksTotal == 1)

        // The playbook's task id means the current round's task.
        let second = try Self.finishPilotRound(h, on: "2025-05-12")
        #expect(second.outcome == .completed)
        #expect(try Self.rounds(h) == ["1 repeat", "2 met"])

        try h.workspace.database.read { db in
            let tasks = try String.fetchAll(db, sql: """
                SELECT task_id || ' ' || iteration || ' ' || status FROM engine_tasks WHERE phase_id = 'pilot' ORDER BY opened_at
                """)
            #expect(tasks == ["run-pilot 1 done", "run-pilot@2 2 done"])
            let attempts = try Int.fetchAll(db, sql: """
                SELECT attempt FROM engine_gate_evaluations WHERE phase_id = 'pilot' ORDER BY attempt
                """)
            #expect(attempts == [1, 2])
            let outbox = try String.fetchAll(db, sql: "SELECT subject FROM engine_outbox ORDER BY id")
            #expect(outbox == ["Pilot started", "Pilot started"])
            let pilots = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM engine_pilots") ?? 0
            #expect(pilots == 1)
        }
    }

    @Test func aCycleWhoseConditionNeverHoldsEndsAfterItsMaximumRounds() throws {
        let h = try Self.harness(until: "lessons.count >= 100", maxIterations: 2)
        try h.finishPreparation()
        _ = try Self.finishPilotRound(h, on: "2025-04-10")
        let last = try Self.finishPilotRound(h, on: "2025-05-12")
        #expect(last.outcome == .completed)
        #expect(try Self.rounds(h) == ["1 repeat", "2 exhausted"])
        let detail = try h.workspace.database.read {
            try String.fetchOne($0, sql: "SELECT detail FROM engine_cycle_iterations WHERE iteration = 2")
        }
        #expect(detail == "until lessons.count >= 100: failed (lessons.count = 0)")
        #expect(last.steps.contains { $0.contains("2 of 2 rounds run without meeting the condition") })
    }

    @Test func aCycleWithoutAConditionRunsItsMaximumRounds() throws {
        let h = try Self.harness(until: nil, maxIterations: 2)
        try h.finishPreparation()
        #expect(try Self.finishPilotRound(h, on: "2025-04-10").outcome
            == .waitingForTasks(phaseID: "pilot", taskIDs: ["run-pilot@2"]))
        #expect(try Self.finishPilotRound(h, on: "2025-05-12").outcome == .completed)
        #expect(try Self.rounds(h) == ["1 repeat", "2 exhausted"])
    }

    @Test func roundsAreRecordedOnceAndTheLogAloneRebuildsThem() throws {
        let h = try Self.harness(until: "cycle.iteration >= 3", maxIterations: 3)
        try h.finishPreparation()
        _ = try Self.finishPilotRound(h, on: "2025-04-10")
        let events = try h.eventCount()
        let again = try h.session.run(clock: .on("2025-04-11"))
        #expect(again.steps.isEmpty)
        #expect(try h.eventCount() == events)
        // Done twice: the second time changes nothing.
        _ = try h.session.completeTask("run-pilot", by: "Sun", note: nil, clock: .on("2025-04-12"))
        let repeated = try h.session.completeTask("run-pilot", by: "Sun", note: nil, clock: .on("2025-04-12"))
        #expect(repeated.recorded == false)
        #expect(repeated.taskID == "run-pilot@2")
        let before = try h.dump()
        try h.workspace.database.write { db in try Projector().rebuild(projectID: "two-phase", db) }
        #expect(try h.dump() == before)
    }
}
