import CRMCore
import Engine
import Foundation
import GRDB
import Playbook
import RolloutKit
import RolloutTesting

/// A workspace with the two-phase fixture playbook and a small CRM: East Sales (pilot) answers
/// leads in 2 hours, West Sales (control) in 20 hours, before and during the project.
struct EngineHarness {
    let directory: TemporaryDirectory
    let workspace: Workspace
    let session: ProjectSession

    init(pilotHours: Double = 2, controlHours: Double = 20, teams: (String, String) = ("East Sales", "West Sales"),
         playbookText: String? = nil) throws {
        directory = try TemporaryDirectory("engine")
        workspace = try Workspace.openOrCreate(databasePath: directory.file("rollout.sqlite"))
        let fixture = Bundle.module.url(forResource: "two-phase", withExtension: "yaml", subdirectory: "Fixtures")!
        let text = try playbookText ?? String(contentsOf: fixture, encoding: .utf8)
        let path = try directory.write("two-phase.yaml", text)
        session = try workspace.session(playbookPath: path)
        try workspace.database.write { db in
            var crm = CRMBuilder(db)
            let east = try crm.team(teams.0), west = try crm.team(teams.1)
            let eastReps = try (1...3).map { try crm.user("East \($0)", team: east) }
            let westReps = try (1...3).map { try crm.user("West \($0)", team: west) }
            var day = Timestamp.day("2025-01-06")
            while day < .day("2025-06-30") {
                for rep in eastReps { try crm.lead(owner: rep, createdAt: day.adding(hours: 9), firstResponseAfterHours: pilotHours) }
                for rep in westReps { try crm.lead(owner: rep, createdAt: day.adding(hours: 9), firstResponseAfterHours: controlHours) }
                day = day.adding(days: 1)
            }
        }
    }

    func eventCount() throws -> Int {
        try workspace.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM engine_events") ?? 0 }
    }

    func dump() throws -> String {
        try workspace.database.read { try DatabaseDump.dump($0) }
    }

    /// Runs the preparation phase to its gate's decision.
    func finishPreparation() throws {
        _ = try session.run(clock: .on("2025-03-03"))
        _ = try session.completeTask("write-charter", by: "Zhou", note: nil, clock: .on("2025-03-07"))
        _ = try session.completeTask("approve-scope", by: "Chen", note: nil, clock: .on("2025-03-12"))
        _ = try session.run(clock: .on("2025-03-17"))
        _ = try session.approve(phaseID: "preparation", role: "steering", by: "Chen", decision: .go, note: nil,
                                clock: .on("2025-03-17"))
        _ = try session.run(clock: .on("2025-03-17"))
    }
}
