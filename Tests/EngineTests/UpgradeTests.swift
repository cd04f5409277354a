import CRMCore
import Engine
import Foundation
import GRDB
import Playbook
import RolloutKit
import RolloutTesting
import Testing

/// `RolloutEngine.upgrade(to:)`: a running project moves to a new playbook version only when
/// nothing done or started would change; a refusal names every unsafe change and writes nothing.
@Suite struct UpgradeTests {
    /// The fixture with `edit` applied, compiled as a new version in the harness's directory.
    func version(_ h: EngineHarness, _ edit: (String) -> String) throws -> Playbook {
        let fixture = Bundle.module.url(forResource: "two-phase", withExtension: "yaml", subdirectory: "Fixtures")!
        let text = edit(try String(contentsOf: fixture, encoding: .utf8))
        let path = try h.directory.write("two-phase-next.yaml", text)
        let compilation = h.workspace.compile(playbookAt: path)
        return try #require(compilation.playbook, "\(compilation.diagnostics.map(\.description))")
    }

    /// Replaces `old` (which must occur) with `new`.
    func replacing(_ old: String, with new: String) -> (String) -> String {
        { text in
            precondition(text.contains(old), "the fixture has no '\(old)'")
            return text.replacingOccurrences(of: old, with: new)
        }
    }

    /// The fixture without its first phase.
    func withoutPreparation(_ text: String) -> String {
        let start = text.range(of: "  - id: preparation")!.lowerBound
        let end = text.range(of: "  - id: pilot")!.lowerBound
        return text.replacingCharacters(in: start..<end, with: "")
    }

    /// Runs the upgrade, expects it refused with every one of `messages`, and the database untouched.
    func expectRefused(_ h: EngineHarness, to playbook: Playbook, on day: String, naming messages: [String]) throws {
        let before = try h.dump()
        let error = #expect(throws: EngineError.self) {
            try h.session.engine.upgrade(to: playbook, clock: .on(day))
        }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("cannot move project 'two-phase' from version 1 to version"))
        for message in messages {
            #expect(text.contains("  - " + message), "\(text)")
        }
        #expect(text.contains("Nothing was changed."))
        #expect(try h.dump() == before)
    }

    // MARK: - refusals

    @Test func removingACompletedPhaseIsRefused() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        let next = try version(h, withoutPreparation)
        try expectRefused(h, to: next, on: "2025-03-18", naming: ["removing phase 'preparation', which is completed"])
    }

    @Test func removingTheActivePhaseIsRefused() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        let next = try version(h, withoutPreparation)
        try expectRefused(h, to: next, on: "2025-03-04", naming: ["removing phase 'preparation', which is active"])
    }

    @Test func reshapingACompletedPhaseIsRefusedNamingEachChange() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        let next = try version(h, replacing("owner: pm, duration: 5d, deliverable: charter", with: "owner: pm, duration: 6d, deliverable: charter"))
        try expectRefused(h, to: next, on: "2025-03-18", naming: [
            "reshaping completed phase 'preparation': task 'write-charter' of phase 'preparation': duration 5 days → 6 days",
        ])
    }

    @Test func aCycleOverPhasesAlreadyStartedIsRefusedButItsConditionMayChange() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        let added = try version(h) { text in
            text.replacingOccurrences(of: "version: 1", with: "version: 2")
                + "cycles:\n  - { id: again, name: Again, phases: [preparation, pilot], max_iterations: 2 }\n"
        }
        try expectRefused(h, to: added, on: "2025-03-18", naming: [
            "adding cycle 'again' over phases already started: preparation, pilot",
        ])
        // A cycle over the pilot alone, added before the pilot starts, is safe.
        let h2 = try EngineHarness()
        _ = try h2.session.run(clock: .on("2025-03-03"))
        let safe = try version(h2) { text in
            text.replacingOccurrences(of: "version: 1", with: "version: 2")
                + "cycles:\n  - { id: again, name: Again, phases: [pilot], max_iterations: 2 }\n"
        }
        let report = try h2.session.engine.upgrade(to: safe, clock: .on("2025-03-04"))
        #expect(report.recorded)
    }

    @Test func reorderingPhasesAlreadyStartedIsRefused() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        let next = try version(h, replacing("phases:\n", with: """
            phases:
              - id: scoping
                name: Scoping
                owner: pm
                duration: 1w
                tasks: [ { id: scope, name: Scope the project, owner: pm, duration: 2d } ]

            """))
        try expectRefused(h, to: next, on: "2025-03-04", naming: [
            "reordering phases already started: preparation must stay first, in this order; the new version has scoping, preparation, pilot",
        ])
    }

    @Test func removingADoneTaskIsRefused() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        _ = try h.session.completeTask("write-charter", by: "Zhou", note: nil, clock: .on("2025-03-07"))
        _ = try h.session.completeTask("approve-scope", by: "Chen", note: nil, clock: .on("2025-03-12"))
        let next = try version(h, replacing(
            "      - { id: approve-scope, name: Agree the scope, owner: steering, duration: 3d, depends_on: [write-charter] }\n",
            with: ""))
        try expectRefused(h, to: next, on: "2025-03-13", naming: ["removing task 'approve-scope' of phase 'preparation', which is done"])
    }

    @Test func changingThePilotGroupsSelectorsAfterThePilotStartedIsRefused() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        let next = try version(h, replacing("members: { teams: [East Sales] }", with: "members: { teams: [East Sales], users: [West 1] }"))
        try expectRefused(h, to: next, on: "2025-03-18", naming: [
            "changing the members selector of pilot group 'east' (teams East Sales → teams East Sales; users West 1) "
                + "after its pilot phase 'pilot' has started: the groups frozen then would no longer match",
        ])
    }

    @Test func everyUnsafeChangeIsNamedInOneRefusal() throws {
        let h = try EngineHarness()
        try h.finishPreparation()
        let next = try version(h) { text in
            self.replacing("members: { teams: [East Sales] }", with: "members: { teams: [East Sales], users: [West 1] }")(
                self.replacing("approvers: [steering]\n", with: "approvers: [steering, pm]\n")(text))
        }
        try expectRefused(h, to: next, on: "2025-03-18", naming: [
            "reshaping completed phase 'preparation': gate of phase 'preparation': approvers steering → steering, pm",
            "changing the members selector of pilot group 'east'",
        ])
    }

    // MARK: - a safe upgrade

    /// Version 2: a task added to the active phase, a KPI target, the pilot's duration, a new last phase.
    func safeVersion(_ h: EngineHarness) throws -> Playbook {
        try version(h) { text in
            var t = text.replacingOccurrences(of: "version: 1", with: "version: 2")
            t = t.replacingOccurrences(of: "target: 8, unit: h", with: "target: 6, unit: h")
            t = t.replacingOccurrences(of: "    duration: 4w", with: "    duration: 6w")
            t = t.replacingOccurrences(of: "depends_on: [write-charter] }\n", with: """
                depends_on: [write-charter] }
                      - { id: review-risks, name: Review the risks with the customer, owner: pm, duration: 4d }

                """)
            return t + """
                  - id: rollout
                    name: Company-wide rollout
                    owner: pm
                    duration: 3w
                    tasks: [ { id: train-everyone, name: Train everyone, owner: key-users, duration: 10d } ]

                """
        }
    }

    @Test func aSafeUpgradeIsAppliedOnceAndTheProjectContinuesOnTheNewVersion() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        let v2 = try safeVersion(h)
        let events = try h.eventCount()

        let report = try h.session.engine.upgrade(to: v2, clock: .on("2025-03-04"))
        #expect(report.recorded)
        #expect(report.fromVersion == 1 && report.toVersion == 2)
        #expect(report.openedTasks == ["review-risks"])
        #expect(report.changes.contains("KPI 'lead_response_hours': target 8 → 6"))
        #expect(report.changes.contains("phase 'pilot': duration 28 days → 42 days"))
        #expect(try h.eventCount() == events + 1)

        let state = try #require(try h.workspace.database.read { try ProjectState.load($0) })
        #expect(state.project.playbookVersion == 2)
        #expect(state.project.playbookSha256 == v2.source.sha256)
        #expect(state.project.playbookText == v2.source.text)
        #expect(state.phases.map { "\($0.phaseId):\($0.status)" } == ["preparation:active", "pilot:pending", "rollout:pending"])
        let opened = try #require(state.tasks.first { $0.taskId == "review-risks" })
        #expect(opened.status == "open" && opened.ownerRole == "pm" && opened.phaseId == "preparation")
        #expect(opened.dueAt == .day("2025-03-07"))   // the phase started 2025-03-03; the task takes 4 days

        // The same upgrade again appends nothing.
        let after = try h.dump()
        let again = try h.session.engine.upgrade(to: v2, clock: .on("2025-03-05"))
        #expect(again.recorded == false)
        #expect(try h.dump() == after)

        // The log alone rebuilds the same projections.
        try h.workspace.database.write { try Projector().rebuild(projectID: "two-phase", $0) }
        #expect(try h.dump() == after)

        // The project continues on version 2: the recorded playbook is the new one, the old file is refused.
        let session = try h.workspace.session(playbookPath: nil)
        #expect(session.playbook.version == 2)
        #expect(throws: EngineError.self) { try h.session.run(clock: .on("2025-03-05")) }
        _ = try session.completeTask("write-charter", by: "Zhou", note: nil, clock: .on("2025-03-07"))
        _ = try session.completeTask("approve-scope", by: "Chen", note: nil, clock: .on("2025-03-12"))
        let waiting = try session.run(clock: .on("2025-03-12"))
        #expect(waiting.outcome == .waitingForTasks(phaseID: "preparation", taskIDs: ["review-risks"]))
        _ = try session.completeTask("review-risks", by: "Zhou", note: nil, clock: .on("2025-03-13"))
        let gate = try session.run(clock: .on("2025-03-17"))
        #expect(gate.outcome == .awaitingDecision(phaseID: "preparation", attempt: 1, passed: true, missingRoles: ["steering"]))
        #expect(try session.versionHistory().map { "\($0.fromVersion)→\($0.toVersion):\($0.openedTasks)" } == ["1→2:[\"review-risks\"]"])
    }

    @Test func changingAPilotGroupBeforeItsPilotStartsFreezesItsNewMembers() throws {
        let h = try EngineHarness()
        _ = try h.session.run(clock: .on("2025-03-03"))
        let members = { (key: String) in
            try h.workspace.database.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM measured_group_members WHERE group_key = ?", arguments: [key]) ?? 0
            }
        }
        #expect(try members("pilot:east") == 3)
        let allBefore = try members("all")
        let next = try version(h, replacing("members: { teams: [East Sales] }", with: "members: { teams: [East Sales], users: [West 1] }"))
        let report = try h.session.engine.upgrade(to: next, clock: .on("2025-03-04"))
        #expect(report.recorded)
        #expect(try members("pilot:east") == 4)
        #expect(try members("all") == allBefore)
    }

    @Test func upgradingBeforeTheProjectStartsIsRefusedWithWhatToDoInstead() throws {
        let h = try EngineHarness()
        let next = try safeVersion(h)
        let error = #expect(throws: EngineError.self) { try h.session.engine.upgrade(to: next, clock: .on("2025-03-03")) }
        #expect(error?.description == "no project has started in this workspace; start it with `rollout run PLAYBOOK` (no --upgrade needed)")
    }
}
