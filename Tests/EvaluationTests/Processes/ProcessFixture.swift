import CRMCore
import Engine
import Evaluation
import GRDB
import Playbook
import RolloutKit
import RolloutTesting
import Testing

/// A running project on an in-memory workspace, for measuring processes: teams East (the pilot
/// group `east`), West (its control) and Other, one user each, and a one-phase playbook with the
/// given `processes:` section. The project starts on 2025-01-06, which freezes the groups.
struct ProcessFixture {
    let workspace: Workspace
    let session: ProjectSession
    let pilotUser: Int64
    let controlUser: Int64
    let otherUser: Int64

    /// The project's id: the playbook's.
    static let projectID = "process-stats"

    init(processes: String) throws {
        workspace = try Workspace.inMemory()
        let text = """
            playbook: process-stats
            version: 1
            title: Process statistics
            organisation:
              roles: [ { id: pm, name: Project manager, side: customer } ]
            pilot_groups:
              - id: east
                name: East pilot
                members: { teams: [East] }
                control: { teams: [West] }
            processes:
            \(processes)
            phases:
              - { id: only, name: Only, owner: pm, duration: 1w }
            """
        session = try workspace.session(playbookText: text, displayPath: "process-stats.yaml")
        (pilotUser, controlUser, otherUser) = try workspace.database.write { db in
            var crm = CRMBuilder(db)
            let east = try crm.team("East"), west = try crm.team("West"), other = try crm.team("Other")
            return (try crm.user("East Rep", team: east), try crm.user("West Rep", team: west),
                    try crm.user("Other Rep", team: other))
        }
        _ = try session.run(clock: .on("2025-01-06"))
    }

    func write(_ body: (Database) throws -> Void) throws {
        try workspace.database.write(body)
    }

    /// The statistics of one process, on all data up to mid-2025.
    func stats(_ processID: String) throws -> ProcessStatistics {
        let all = try session.processStatistics(processID: processID, asOf: .day("2025-06-30"))
        return try #require(all.first)
    }

    func traces(_ processID: String) throws -> [ProcessTrace] {
        let process = try #require(session.playbook.process(processID))
        return try workspace.database.read { try ProcessTraces(process: process).read($0) }
    }
}

/// Rows the tests write by hand: what the CRM's own writes and the process runtime leave behind.
extension Database {
    func activity(lead: Int64, owner: Int64, at: Timestamp) throws {
        try execute(sql: "INSERT INTO activities (kind, subject, owner_id, lead_id, at) VALUES ('call', 'Call', ?, ?, ?)",
                    arguments: [owner, lead, at])
    }

    func ticketStatusChange(_ ticket: Int64, from: String?, to: String, at: Timestamp) throws {
        try execute(sql: """
            INSERT INTO ticket_status_changes (ticket_id, from_status, to_status, changed_at) VALUES (?, ?, ?, ?)
            """, arguments: [ticket, from, to, at])
    }

    func leadAudit(_ lead: Int64, action: String, at: Timestamp, before: String?, after: String?) throws {
        try execute(sql: """
            INSERT INTO audit_log (at, actor, entity, record_id, action, before, after) VALUES (?, 'test', 'lead', ?, ?, ?, ?)
            """, arguments: [at, lead, action, before, after])
    }

    /// A process activation of `process` for the pilot group `east`; returns its id.
    func activation(_ process: String, entity: String, variant: String = "to_be", at: Timestamp) throws -> Int64 {
        try execute(sql: """
            INSERT INTO process_activations (project_id, process_id, variant, entity, scope, pilot_group_id, started_at, idempotency_key)
            VALUES (?, ?, ?, ?, 'pilot', 'east', ?, ?)
            """, arguments: [ProcessFixture.projectID, process, variant, entity, at, "\(process)@\(at.secondsSinceEpoch)"])
        return lastInsertedRowID
    }

    /// A record the runtime ran: its instance and one history row per state, in order.
    func runtimeHistory(activation: Int64, process: String, entity: String, record: Int64, variant: String = "to_be",
                        states: [(String, Timestamp)]) throws {
        guard let first = states.first, let last = states.last else { return }
        try execute(sql: """
            INSERT INTO process_instances (activation_id, process_id, variant, entity, record_id, state, state_entered_at, started_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [activation, process, variant, entity, record, last.0, last.1, first.1])
        let instance = lastInsertedRowID
        var previous: String?
        for (seq, (state, at)) in states.enumerated() {
            try execute(sql: """
                INSERT INTO process_history (instance_id, seq, from_state, to_state, at, trigger, actor) VALUES (?, ?, ?, ?, ?, ?, 'runtime')
                """, arguments: [instance, seq + 1, previous, state, at, previous == nil ? "start" : "event:updated"])
            previous = state
        }
    }
}
