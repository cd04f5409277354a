import Playbook
import Testing

/// Warnings that teach the method (S0, S1, S2): they never stop a playbook.
@Suite struct WarningTests {
    static let expected: [(code: String, position: String, message: String)] = [
        ("goal-kpi-count", "10:11",
         "goal 'leads' has 2 KPIs; define three key metrics for each goal, and how they are measured"),
        ("unused-kpi", "14:11", "KPI 'wins' is used by no goal and no gate"),
        ("pilot-without-control", "16:11", "pilot group 'east' has no control group, so its results cannot be compared "
            + "with teams that keep working the old way"),
        ("deliverable-not-produced", "22:15",
         "no task of phase 'design' produces deliverable 'design-doc', so it can never be delivered"),
        ("gate-without-approvers", "25:7",
         "gate of phase 'design' has no approvers: it passes on its criteria alone, without a go/no-go decision"),
        ("phase-without-gate", "27:9", "phase 'support' has no gate: the project moves on without a go/no-go decision"),
        ("expensive-maintenance", "35:9",
         "maintenance at 8 % of the contract value a year is expensive: above 5 % a year, negotiate the rate"),
    ]

    @Test(arguments: expected.map(\.code)) func warningIsReportedWhereItApplies(_ code: String) throws {
        let compilation = try Fixture.compile("method-warnings")
        let expected = try #require(Self.expected.first { $0.code == code })
        let found = compilation.with(code)
        #expect(found.count == 1)
        #expect(found.first?.severity == .warning)
        #expect(found.first?.position == expected.position)
        #expect(found.first?.message == expected.message)
    }

    @Test func warningsAloneDoNotStopAPlaybook() throws {
        let compilation = try Fixture.compile("method-warnings")
        #expect(compilation.warnings.count == Self.expected.count)
        #expect(!compilation.hasErrors)
        #expect(compilation.playbook != nil)
        #expect(compilation.warnings.first?.description
            == "Fixtures/method-warnings.yaml:10:11: warning[goal-kpi-count]: goal 'leads' has 2 KPIs; define three key metrics for each "
                + "goal, and how they are measured")
    }
}
