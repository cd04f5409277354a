import CRMCore
import Evaluation
import GRDB
import Playbook
import RolloutTesting
import Testing

/// Where a record's trace comes from: the CRM's status history, a lead's audit trail or its
/// timestamps, or the process runtime's history, in that order of trust.
@Suite struct ProcessTracesTests {
    /// A lead process written in the CRM's status values, a ticket process and an opportunity process.
    static let processes = """
          - id: lead-handling
            name: Lead handling
            entity: lead
            to_be:
              states:
                - { id: new, name: New, initial: true, sla: 4h }
                - { id: contacted, name: Contacted, sla: 48h }
                - { id: converted, name: Converted, final: true }
                - { id: disqualified, name: Disqualified, final: true }
              transitions:
                - { from: new, to: contacted, event: activity_logged, sla: 2h }
                - { from: contacted, to: converted, action: convert }
                - { from: contacted, to: disqualified, action: disqualify }
          - id: ticket-handling
            name: Ticket handling
            entity: ticket
            to_be:
              states:
                - { id: open, name: Open, initial: true, sla: 8h }
                - { id: in_progress, name: In progress }
                - { id: resolved, name: Resolved }
                - { id: closed, name: Closed, final: true }
              transitions:
                - { from: open, to: in_progress, event: updated, sla: 4h }
                - { from: in_progress, to: resolved, event: updated }
                - { from: resolved, to: closed, event: updated }
          - id: deal-flow
            name: Deal flow
            entity: opportunity
            to_be:
              states:
                - { id: prospecting, name: Prospecting, initial: true }
                - { id: proposal, name: Proposal }
                - { id: closed_won, name: Won, final: true }
              transitions:
                - { from: prospecting, to: proposal, event: updated }
                - { from: proposal, to: closed_won, event: updated }
        """

    typealias Step = ProcessTrace.Step

    @Test func aLeadWithoutStatusChangesIsReadFromItsTimestampsAndAnActivityAfterConversionIsNotContact() throws {
        let fixture = try ProcessFixture(processes: Self.processes)
        let t0 = Timestamp.day("2025-02-03")
        var ids: [Int64] = []
        try fixture.write { db in
            var crm = CRMBuilder(db)
            ids.append(try crm.lead(owner: fixture.pilotUser, createdAt: t0, firstResponseAfterHours: 1, convertedAfterDays: 2))
            // The first activity comes a day after the conversion: a follow-up, not contact.
            ids.append(try crm.lead(owner: fixture.pilotUser, createdAt: t0, firstResponseAfterHours: 72, convertedAfterDays: 2))
            ids.append(try crm.lead(owner: fixture.controlUser, createdAt: t0, disqualifiedAfterDays: 3))
            ids.append(try crm.lead(owner: fixture.controlUser, createdAt: t0))
        }
        let traces = try fixture.traces("lead-handling")
        #expect(traces.map(\.recordID) == ids)
        #expect(traces.allSatisfy { $0.source == .timestamps && $0.variant == nil })
        #expect(traces.map(\.ownerID) == [fixture.pilotUser, fixture.pilotUser, fixture.controlUser, fixture.controlUser])
        #expect(traces[0].steps == [Step(state: "new", at: t0), Step(state: "contacted", at: t0.adding(hours: 1)),
                                    Step(state: "converted", at: t0.adding(days: 2))])
        #expect(traces[1].steps == [Step(state: "new", at: t0), Step(state: "converted", at: t0.adding(days: 2))])
        #expect(traces[2].steps == [Step(state: "new", at: t0), Step(state: "disqualified", at: t0.adding(days: 3))])
        #expect(traces[3].steps == [Step(state: "new", at: t0)])
    }

    @Test func aLeadsStatusChangesInTheAuditTrailWinOverItsTimestamps() throws {
        let fixture = try ProcessFixture(processes: Self.processes)
        let t0 = Timestamp.day("2025-02-03")
        var audited: Int64 = 0, imported: Int64 = 0, untouched: Int64 = 0
        try fixture.write { db in
            var crm = CRMBuilder(db)
            // Its timestamps alone would say new → converted after a day.
            audited = try crm.lead(owner: fixture.pilotUser, createdAt: t0, convertedAfterDays: 1)
            try db.leadAudit(audited, action: "create", at: t0, before: nil, after: #"{"status":"new"}"#)
            try db.leadAudit(audited, action: "update", at: t0.adding(hours: 2), before: #"{"status":"new"}"#,
                             after: #"{"status":"contacted"}"#)
            try db.leadAudit(audited, action: "update", at: t0.adding(hours: 3), before: #"{"status":"contacted"}"#,
                             after: #"{"status":"qualified"}"#)
            try db.leadAudit(audited, action: "update", at: t0.adding(hours: 5), before: #"{"status":"qualified"}"#,
                             after: #"{"status":"converted"}"#)
            // An import created it (no 'create' entry): it was new from its created_at.
            imported = try crm.lead(owner: fixture.pilotUser, createdAt: t0.adding(days: 1))
            try db.leadAudit(imported, action: "update", at: t0.adding(days: 1).adding(hours: 4), before: #"{"status":"new"}"#,
                             after: #"{"status":"disqualified"}"#)
            // An update that leaves the status alone is not a status change.
            untouched = try crm.lead(owner: fixture.pilotUser, createdAt: t0, firstResponseAfterHours: 6)
            try db.leadAudit(untouched, action: "update", at: t0.adding(hours: 1), before: #"{"status":"new","phone":null}"#,
                             after: #"{"status":"new","phone":"138"}"#)
        }
        let traces = try fixture.traces("lead-handling")
        #expect(traces.map(\.source) == [.auditTrail, .auditTrail, .timestamps])
        #expect(traces[0].steps == [Step(state: "new", at: t0), Step(state: "contacted", at: t0.adding(hours: 2)),
                                    Step(state: "qualified", at: t0.adding(hours: 3)),
                                    Step(state: "converted", at: t0.adding(hours: 5))])
        #expect(traces[1].steps == [Step(state: "new", at: t0.adding(days: 1)),
                                    Step(state: "disqualified", at: t0.adding(days: 1).adding(hours: 4))])
        #expect(traces[2].steps == [Step(state: "new", at: t0), Step(state: "contacted", at: t0.adding(hours: 6))])

        // 'qualified' is no state of the model: left out, and said so.
        let stats = try fixture.stats("lead-handling")
        #expect(stats.sources.map(\.source) == [.auditTrail, .timestamps])
        #expect(stats.sources.map(\.records) == [2, 1])
        #expect(stats.notes == ["CRM status values that are not states of the to-be model were left out of the traces: 'qualified' (1 record)."])
        let conformance = try #require(stats.conformance.first)
        #expect(conformance.recordsMeasured == 3)
        #expect(conformance.recordsConforming == 2)
        #expect(conformance.deviations.map(\.summary) == ["new → disqualified: 1 record (skips a modelled step)"])
    }

    @Test func aTicketIsReadFromItsStatusChangesFromItsCreationWhenTheFirstChangeIsNotRecorded() throws {
        let fixture = try ProcessFixture(processes: Self.processes)
        let t0 = Timestamp.day("2025-02-04")
        var recorded: Int64 = 0, partial: Int64 = 0
        try fixture.write { db in
            var crm = CRMBuilder(db)
            recorded = try crm.ticket(assignee: fixture.controlUser, createdAt: t0, firstResponseAfterMinutes: nil)
            try db.ticketStatusChange(recorded, from: nil, to: "open", at: t0)
            try db.ticketStatusChange(recorded, from: "open", to: "in_progress", at: t0.adding(hours: 2))
            partial = try crm.ticket(assignee: fixture.controlUser, createdAt: t0, firstResponseAfterMinutes: nil)
            try db.ticketStatusChange(partial, from: "open", to: "in_progress", at: t0.adding(hours: 1))
            // No status history at all: not measured.
            try crm.ticket(assignee: fixture.controlUser, createdAt: t0, firstResponseAfterMinutes: nil)
        }
        let traces = try fixture.traces("ticket-handling")
        #expect(traces.map(\.recordID) == [recorded, partial])
        #expect(traces.allSatisfy { $0.source == .statusHistory && $0.ownerID == fixture.controlUser })
        #expect(traces[0].steps == [Step(state: "open", at: t0), Step(state: "in_progress", at: t0.adding(hours: 2))])
        #expect(traces[1].steps == [Step(state: "open", at: t0), Step(state: "in_progress", at: t0.adding(hours: 1))])
        #expect(try fixture.stats("ticket-handling").notes == ["1 ticket record has no status history and is not measured."])
    }

    @Test func anOpportunityIsReadFromItsStageChanges() throws {
        let fixture = try ProcessFixture(processes: Self.processes)
        let t0 = Timestamp.day("2025-02-05")
        var deal: Int64 = 0
        try fixture.write { db in
            var crm = CRMBuilder(db)
            deal = try crm.opportunity(owner: fixture.pilotUser, createdAt: t0, closedAfterDays: 3, won: true)
            let changes: [(String?, String, Double)] = [(nil, "prospecting", 0), ("prospecting", "proposal", 24),
                                                          ("proposal", "closed_won", 72)]
            for (from, to, hours) in changes {
                try db.execute(sql: """
                    INSERT INTO opportunity_stage_changes (opportunity_id, from_stage, to_stage, changed_at) VALUES (?, ?, ?, ?)
                    """, arguments: [deal, from, to, t0.adding(hours: hours)])
            }
        }
        let traces = try fixture.traces("deal-flow")
        #expect(traces.map(\.recordID) == [deal])
        #expect(traces[0].steps.map(\.state) == ["prospecting", "proposal", "closed_won"])
        #expect(traces[0].steps.map(\.at) == [t0, t0.adding(hours: 24), t0.adding(hours: 72)])
        let stats = try fixture.stats("deal-flow")
        #expect(stats.conformance.first?.recordsConforming == 1)
        // 'qualification', 'negotiation' and 'closed_lost' are stages the model does not use: no note, none occur.
        #expect(stats.notes.isEmpty)
    }

    @Test func theRuntimesHistoryWinsOverTheCRMsForTheRecordsItRan() throws {
        let fixture = try ProcessFixture(processes: Self.processes)
        let t0 = Timestamp.day("2025-03-03")
        var lead: Int64 = 0
        try fixture.write { db in
            var crm = CRMBuilder(db)
            lead = try crm.lead(owner: fixture.pilotUser, createdAt: t0, firstResponseAfterHours: 30, convertedAfterDays: 4)
            let activation = try db.activation("lead-handling", entity: "lead", at: .day("2025-03-01"))
            try db.runtimeHistory(activation: activation, process: "lead-handling", entity: "lead", record: lead,
                                  states: [("new", t0), ("contacted", t0.adding(hours: 3))])
        }
        let traces = try fixture.traces("lead-handling")
        #expect(traces.count == 1)
        #expect(traces[0].source == .runtime)
        #expect(traces[0].variant == .toBe)
        #expect(traces[0].ownerID == fixture.pilotUser)
        #expect(traces[0].steps == [Step(state: "new", at: t0), Step(state: "contacted", at: t0.adding(hours: 3))])
    }
}
