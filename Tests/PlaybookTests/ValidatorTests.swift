import Playbook
import struct Playbook.SourceLocation
import Testing

/// The playbook as a whole: unique ids, references that resolve, measurable comparisons, no cycles.
@Suite struct ValidatorTests {
    @Test func misspeltKPIInAGateIsReportedAtTheReferenceWithTheKPIItResembles() throws {
        let compilation = try Fixture.compile("gate-unknown-kpi")
        #expect(compilation.summary == ["unknown-kpi@21:18", "unknown-kpi@22:16"])
        let truncated = try #require(compilation.errors.first)
        #expect(truncated.description == "Fixtures/gate-unknown-kpi.yaml:21:18: error[unknown-kpi]: gate of phase 'prototype-test' "
            + "uses unknown KPI 'lead_resp' (did you mean 'lead_response_hours'?)")
        #expect(compilation.errors.last?.suggestion == "lead_response_hours")
        #expect(compilation.playbook == nil)
    }

    @Test func duplicatePhaseIdIsReportedAtTheSecondIdNamingTheFirst() throws {
        let compilation = try Fixture.compile("duplicate-phase-id")
        #expect(compilation.summary == ["duplicate-id@13:9"])
        #expect(compilation.errors.first?.message == "duplicate phase id 'kick-off' (first defined at line 9)")
    }

    @Test func everyNamespaceRejectsDuplicatesTasksAndDeliverablesAcrossPhases() throws {
        let compilation = try Fixture.compile("duplicate-ids")
        #expect(compilation.errors.map(\.message) == [
            "duplicate role id 'pm' (first defined at line 7)",
            "duplicate goal id 'sell' (first defined at line 10)",
            "duplicate KPI id 'wins' (first defined at line 13)",
            "duplicate pilot group id 'east' (first defined at line 18)",
            "duplicate deliverable id 'doc' (first defined at line 24)",
            "duplicate task id 'write' (first defined at line 25)",
            "duplicate benefit id 'more' (first defined at line 34)",
        ])
        #expect(compilation.summary == ["duplicate-id@8:13", "duplicate-id@11:11", "duplicate-id@16:11",
                                        "duplicate-id@19:11", "duplicate-id@30:27", "duplicate-id@31:20",
                                        "duplicate-id@35:11"])
    }

    @Test func everyKindOfReferenceIsResolved() throws {
        let compilation = try Fixture.compile("references")
        #expect(compilation.summary == [
            "unknown-kpi@10:82", "unknown-metric@12:52", "unknown-role@20:12", "unknown-pilot-group@22:12",
            "unknown-task@25:73", "unknown-role@26:44", "unknown-task@26:80", "unknown-deliverable@26:100",
            "unknown-action@27:29", "unknown-role@29:29", "unknown-deliverable@31:26", "unknown-deliverable@32:26",
            "unknown-kpi@45:44",
        ])
        #expect(compilation.errors.map(\.description).contains(
            "Fixtures/references.yaml:12:52: error[unknown-metric]: KPI 'lead_hours' measures unknown metric 'lead.first_respons_hours' "
                + "(did you mean 'lead.first_response_hours'?)"))
        #expect(compilation.errors[4].message == "task 'draft' of phase 'design' depends on task 'test' of phase 'test'; "
            + "a task depends only on tasks of its own phase")
        #expect(compilation.errors[7].message == "task 'review' of phase 'design' produces deliverable 'test-report' of "
            + "phase 'test'; a task produces a deliverable of its own phase")
        #expect(compilation.errors[8].suggestion == "kpi.snapshot")
        #expect(compilation.errors[10].message
            == "gate of phase 'design' requires deliverable 'test-report' of the later phase 'test'")
        #expect(compilation.errors[11].suggestion == "design-doc")
    }

    @Test func metricsAndActionsAreNotCheckedWithoutACatalog() throws {
        let compilation = try Fixture.compile("references", context: PlaybookContext())
        #expect(compilation.with("unknown-metric").isEmpty)
        #expect(compilation.with("unknown-action").isEmpty)
        #expect(compilation.errors.count == 11)
    }

    @Test func comparingWithAControlGroupNeedsAPilotGroupThatHasOne() throws {
        let compilation = try Fixture.compile("control-groups")
        #expect(compilation.summary == ["pilot-without-control@15:11", "no-control-group@23:11", "no-control-group@24:11",
                                        "no-pilot-group@25:11", "no-control-group@33:11"])
        #expect(compilation.errors.last?.message == "gate of phase 'pilot-without-control' measures KPI 'wins' against "
            + "the control group, but pilot group 'solo' has no control group (add 'control:')")
        #expect(compilation.errors.first?.message == "gate of phase 'no-pilot' measures KPI 'wins' against the control "
            + "group, but the phase runs no pilot group (add 'pilot:')")
    }

    @Test func pilotStartNeedsAPilotGroupInItsPhase() throws {
        let compilation = try Fixture.compile("pilot-start-without-pilot")
        #expect(compilation.summary == ["pilot-start-without-pilot@12:29"])
        #expect(compilation.errors.first?.message == "phase 'design' runs pilot.start but names no pilot group (add 'pilot:')")
        #expect(compilation.playbook == nil)
    }

    @Test func dependencyCycleIsReportedOnceNamingItsTasks() throws {
        let compilation = try Fixture.compile("dependency-cycle")
        #expect(compilation.summary == ["dependency-cycle@14:65", "dependency-cycle@16:65"])
        #expect(compilation.errors.map(\.message) == [
            "tasks of phase 'build' depend on each other in a cycle: 'a' depends on 'c', which depends on 'b', "
                + "which depends on 'a'",
            "task 'd' of phase 'build' depends on itself",
        ])
    }

    @Test func allProblemsOfAFileAreReportedInOnePass() throws {
        let compilation = try Fixture.compile("many-errors")
        #expect(compilation.errors.count == 7)
        #expect(compilation.summary == ["wrong-type@3:10", "invalid-value@13:15", "unknown-role@14:12",
                                        "wrong-type@16:18", "duplicate-id@17:9", "unknown-kpi@23:18", "unknown-key@24:7"])
        #expect(compilation.warnings.isEmpty, "warnings wait until the file reads whole")
        #expect(compilation.playbook == nil)
    }

    @Test func validatorChecksAPlaybookBuiltInCode() throws {
        let here = SourceLocation(file: "code", line: 1, column: 1)
        let playbook = Playbook(
            id: "built", version: 1, title: "Built in code", organisation: Organisation(roles: []), goals: [], kpis: [],
            pilotGroups: [], phases: [Phase(id: "one", name: "One", owner: Reference("nobody", at: here), durationDays: 7,
                                            location: here)],
            costs: nil, benefits: [], evaluation: EvaluationSettings(),
            source: PlaybookSource(path: "code", text: "", sha256: ""))
        let diagnostics = PlaybookValidator().validate(playbook)
        #expect(diagnostics.map(\.code).sorted() == ["phase-without-gate", "unknown-role"])
    }
}
