import CRMCore
import Evaluation
import Foundation
import GRDB
import Playbook
import RolloutKit
import RolloutTesting
import Testing

/// Cycle times before and after the change, pilot against control; what cannot be measured.
@Suite struct ProcessComparisonTests {
    /// The lead process as it is done today and as the rollout wants it (with a qualification step).
    static let leadProcess = """
          - id: lead-handling
            name: Lead handling
            entity: lead
            as_is:
              states:
                - { id: new, name: New, initial: true }
                - { id: contacted, name: Contacted }
                - { id: converted, name: Converted, final: true }
                - { id: disqualified, name: Disqualified, final: true }
              transitions:
                - { from: new, to: contacted, event: activity_logged }
                - { from: contacted, to: converted, action: convert }
                - { from: contacted, to: disqualified, action: disqualify }
            to_be:
              states:
                - { id: new, name: New, initial: true }
                - { id: contacted, name: Contacted }
                - { id: qualified, name: Qualified }
                - { id: converted, name: Converted, final: true }
                - { id: disqualified, name: Disqualified, final: true }
              transitions:
                - { from: new, to: contacted, event: activity_logged }
                - { from: contacted, to: qualified, action: qualify }
                - { from: qualified, to: converted, action: convert }
                - { from: contacted, to: disqualified, action: disqualify }
        """

    /// Nine leads; the change (the pilot's activation) is on 2025-03-01.
    ///
    /// | lead | owner   | created    | activity | outcome            | cycle |
    /// |------|---------|------------|----------|--------------------|-------|
    /// | P1   | pilot   | 02-01      | +2 h     | converted +2 d     | 48 h  |
    /// | P2   | pilot   | 02-02      | +1 h     | converted +4 d     | 96 h  |
    /// | C1   | control | 02-01      | +1 h     | disqualified +3 d  | 72 h  |
    /// | C2   | control | 02-03      | none     | open               | –     |
    /// | P3   | pilot   | 03-02      | +1 h     | converted +2 d     | runtime: converted +24 h |
    /// | P4   | pilot   | 03-03      | +2 h     | converted +3 d     | runtime: converted +36 h |
    /// | C3   | control | 03-02      | +1 h     | converted +2 d     | 48 h  |
    /// | C4   | control | 03-04      | +3 h     | converted +4 d     | 96 h  |
    /// | O1   | other   | 03-05      | +1 h     | converted +1 d     | 24 h  |
    ///
    /// With `activated`, the runtime ran P3 and P4 on the to-be variant; without it, they are
    /// read from their timestamps like the others (48 h and 72 h).
    static func nineLeads(activated: Bool) throws -> ProcessFixture {
        let fixture = try ProcessFixture(processes: leadProcess)
        try fixture.write { db in
            var crm = CRMBuilder(db)
            let (p, c, o) = (fixture.pilotUser, fixture.controlUser, fixture.otherUser)
            try crm.lead(owner: p, createdAt: .day("2025-02-01"), firstResponseAfterHours: 2, convertedAfterDays: 2)
            try crm.lead(owner: p, createdAt: .day("2025-02-02"), firstResponseAfterHours: 1, convertedAfterDays: 4)
            try crm.lead(owner: c, createdAt: .day("2025-02-01"), firstResponseAfterHours: 1, disqualifiedAfterDays: 3)
            try crm.lead(owner: c, createdAt: .day("2025-02-03"))
            let p3 = try crm.lead(owner: p, createdAt: .day("2025-03-02"), firstResponseAfterHours: 1, convertedAfterDays: 2)
            let p4 = try crm.lead(owner: p, createdAt: .day("2025-03-03"), firstResponseAfterHours: 2, convertedAfterDays: 3)
            try crm.lead(owner: c, createdAt: .day("2025-03-02"), firstResponseAfterHours: 1, convertedAfterDays: 2)
            try crm.lead(owner: c, createdAt: .day("2025-03-04"), firstResponseAfterHours: 3, convertedAfterDays: 4)
            try crm.lead(owner: o, createdAt: .day("2025-03-05"), firstResponseAfterHours: 1, convertedAfterDays: 1)
            guard activated else { return }
            let activation = try db.activation("lead-handling", entity: "lead", at: .day("2025-03-01"))
            for (lead, day, hours) in [(p3, "2025-03-02", [0.0, 1, 5, 24]), (p4, "2025-03-03", [0.0, 2, 10, 36])] {
                let start = Timestamp.day(day)
                try db.runtimeHistory(activation: activation, process: "lead-handling", entity: "lead", record: lead,
                                      states: zip(["new", "contacted", "qualified", "converted"], hours).map { ($0, start.adding(hours: $1)) })
            }
        }
        return fixture
    }

    @Test func cycleTimesBeforeAndAfterTheFirstActivationForPilotControlAndEveryone() throws {
        let stats = try Self.nineLeads(activated: true).stats("lead-handling")
        let ct = stats.cycleTimes
        #expect(ct.changeAt == .day("2025-03-01"))
        #expect(ct.pilotGroup == "east")
        #expect(ct.groups.map(\.label) == ["pilot", "control", "everyone"])
        #expect(ct.groups.map(\.group) == ["pilot:east", "control:east", "all"])
        let (pilot, control, everyone) = (ct.groups[0], ct.groups[1], ct.groups[2])

        // Before: pilot 48, 96; control 72 and one open; everyone 48, 96, 72 and the open one.
        #expect(figures(pilot.before) == [2, 2, 100, 72, 84])
        #expect(figures(control.before) == [2, 1, 50, 72, 72])
        #expect(figures(everyone.before) == [4, 3, 75, 72, 84])
        // After: pilot 24, 36 (the runtime's history, not the timestamps' 48 and 72); control 48, 96;
        // everyone 24, 24, 36, 48, 96 (p75 by linear interpolation: the 4th of 5).
        #expect(figures(pilot.after) == [2, 2, 100, 30, 33])
        #expect(figures(control.after) == [2, 2, 100, 72, 84])
        #expect(figures(everyone.after) == [5, 5, 100, 36, 48])

        #expect(ct.groups.map(\.medianChangeHours) == [-42, 0, -36])
        #expect(ct.medianDifferenceInDifferences == -42)
        #expect(ct.notes.isEmpty)
        #expect(stats.notes.isEmpty)

        // The runtime's records are measured on the to-be model, the CRM's on the as-is.
        #expect(stats.conformance.map(\.variant) == [.toBe, .asIs])
        #expect(stats.conformance.map(\.recordsMeasured) == [2, 7])
        #expect(stats.conformance.map(\.recordsConforming) == [2, 7])
        #expect(stats.sources.map(\.source) == [.runtime, .timestamps])
        #expect(stats.sources.map(\.records) == [2, 7])
    }

    @Test func withoutAnActivationEverythingIsBeforeAndTheResultSaysSo() throws {
        let stats = try Self.nineLeads(activated: false).stats("lead-handling")
        let ct = stats.cycleTimes
        #expect(ct.changeAt == nil)
        // The project's frozen pilot group is still compared.
        #expect(ct.pilotGroup == "east")
        #expect(ct.groups.allSatisfy { $0.after == nil && $0.medianChangeHours == nil })
        #expect(ct.medianDifferenceInDifferences == nil)
        #expect(ct.notes == ["The process has not been activated yet: every record counts as before the change, and there is no after to compare with."])
        // Everyone: 48, 96, 72, open, 48, 72, 48, 96, 24 → median of eight (48 + 72) / 2, p75 72 + 0.25 × 24.
        let everyone = try #require(ct.groups.last)
        #expect(figures(everyone.before) == [9, 8, 100.0 * 8 / 9, 60, 78])
        #expect(stats.conformance.map(\.recordsMeasured) == [0, 9])
        #expect(stats.conformance.first?.conformingPercent == nil)
    }

    @Test func aModelWhoseStatesAreNotTheCRMsStatusValuesSaysNothingCanBeMeasuredFromCRMData() throws {
        let processes = """
              - id: lead-inbox
                name: Lead inbox
                entity: lead
                to_be:
                  states:
                    - { id: inbox, name: Inbox, initial: true }
                    - { id: called, name: Called }
                    - { id: won, name: Won, final: true }
                  transitions:
                    - { from: inbox, to: called, event: activity_logged }
                    - { from: called, to: won, action: convert }
              - id: contact-care
                name: Contact care
                entity: contact
                to_be:
                  states:
                    - { id: known, name: Known, initial: true }
                    - { id: cared, name: Cared for, final: true }
                  transitions:
                    - { from: known, to: cared, event: updated }
            """
        let fixture = try ProcessFixture(processes: processes)
        try fixture.write { db in
            var crm = CRMBuilder(db)
            try crm.lead(owner: fixture.pilotUser, createdAt: .day("2025-02-03"), firstResponseAfterHours: 1, convertedAfterDays: 1)
            try crm.lead(owner: fixture.controlUser, createdAt: .day("2025-02-04"))
        }
        let inbox = try fixture.stats("lead-inbox")
        #expect(inbox.notes == [
            "None of the to-be model's states (inbox, called, won) is a lead status in the CRM (new, contacted, qualified, converted, disqualified): nothing can be measured from CRM data, only from the process runtime's history. Name the states after the status values to measure the CRM's history.",
        ])
        #expect(inbox.conformance.first?.recordsMeasured == 0)
        #expect(inbox.conformance.first?.conformingPercent == nil)
        #expect(inbox.cycleTimes.groups.map(\.before.records) == [0, 0, 0])

        let care = try fixture.stats("contact-care")
        #expect(care.notes == ["The CRM keeps no status history for 'contact' records: only records the process runtime ran are measured."])
        #expect(care.records == 0)
    }

    @Test func anUnknownProcessIsRefusedNamingTheProcessesThereAre() throws {
        let fixture = try ProcessFixture(processes: Self.leadProcess)
        let error = #expect(throws: ProcessStatisticsError.self) {
            _ = try fixture.session.processStatistics(processID: "lead-handlin", asOf: nil)
        }
        #expect(error?.description == "the playbook has no process 'lead-handlin'; its processes: lead-handling")
    }

    @Test func theEvaluationReportHasABusinessProcessesSectionInEveryFormat() throws {
        let fixture = try Self.nineLeads(activated: true)
        let writer = ReportWriter(templates: .templates())
        let report = try writer.report(fixture.session, asOf: .day("2025-06-30"))
        #expect(report.processes.map(\.processID) == ["lead-handling"])
        #expect(report.processes.first?.cycleTimes.medianDifferenceInDifferences == -42)

        let renderer = ReportRenderer(generator: "test")
        let md = try renderer.render(report, as: .md, template: try writer.templates.text(of: "evaluation.md.mustache").text)
        #expect(md.contains("## Business processes"))
        #expect(md.contains("### Lead handling"))
        #expect(md.contains("9 lead records with a history (runtime 2, timestamps 7)."))
        #expect(md.contains("**to-be model**: 2 of 2 records conform (100.0 %)."))
        #expect(md.contains("| new → contacted | event activity_logged | 6 | 1.00 h | – | – |"))
        #expect(md.contains("| pilot | 2 | 100.0 % | 72.0 h | 84.0 h | 2 | 100.0 % | 30.0 h | 33.0 h | −42.0 h |"))
        #expect(md.contains("Difference in differences of the median cycle time (pilot − control): **−42.0 h**."))

        let html = try renderer.render(report, as: .html, template: try writer.templates.text(of: "evaluation.html.mustache").text)
        #expect(html.contains("<h2>Business processes</h2>"))
        #expect(html.contains("<td class=\"num\">−42.0 h</td>"))

        let json = try renderer.render(report, as: .json, template: nil)
        #expect(json.contains("\"medianDifferenceInDifferences\" : -42"))
    }
}

/// Records, records that reached a final state, that share in per cent, median and p75 hours:
/// the cycle-time figures a test states by hand.
func figures(_ times: CycleTimes?) -> [Double?]? {
    times.map { [Double($0.records), Double($0.reachedFinal), $0.reachedFinalPercent, $0.medianHours, $0.p75Hours] }
}
