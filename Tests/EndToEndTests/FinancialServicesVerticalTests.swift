import Foundation
import RolloutTesting
import Testing

/// The financial-services vertical in a project: `Playbooks/financial-services-compliance.yaml`
/// on the seeded demo CRM with the plugin installed: KYC files reviewed, compliance checks as
/// gate criteria (failing honestly, then waived by the committee with a reason), regulatory
/// complaint deadlines as the SLA of a process, KYC verified by a process transition. Figures
/// are checked against SQL on the CRM's own tables.
@Suite struct FinancialServicesVerticalTests {
    @Test(.timeLimit(.minutes(5)))
    func theCompliancePilotReviewsKYCChecksDeadlinesAtTheGatesAndRecordsTheWaivers() throws {
        let officer = ["compliance-officer": "Yang Wei"]   // the playbook's member of the role
        let p = try VerticalProject(plugin: "FinancialServices", product: "FinancialServices",
                                    playbook: "financial-services-compliance.yaml")
        let check = try p.rollout(["check", p.playbook])
        #expect(check.status == 0 && check.stdout.contains("0 warnings"), "\(check.stdout)\(check.stderr)")

        // The first review: every customer (an account with an order or a won deal, not lost) gets
        // a file, verified when the CRM holds a contact with an e-mail or a phone.
        let assessed = try p.advance("2025-03-03", tasksDoneAt: "2025-03-12")
        let at = "strftime('%s', '2025-03-03')"
        let customers = """
            SELECT a.id FROM accounts a WHERE a.status IS NOT 'lost' AND (
              EXISTS (SELECT 1 FROM orders o WHERE o.account_id = a.id AND o.status <> 'cancelled' AND o.ordered_at <= \(at))
              OR EXISTS (SELECT 1 FROM opportunities w WHERE w.account_id = a.id AND w.stage = 'closed_won' AND w.closed_at <= \(at)))
            """
        let identified = """
            EXISTS (SELECT 1 FROM contacts c WHERE c.account_id = k.account_id AND c.created_at < \(at)
                    AND (coalesce(c.email, '') <> '' OR coalesce(c.phone, '') <> ''))
            """
        let total = try p.sql("SELECT count(*) FROM (\(customers))")
        #expect(try p.sql("SELECT count(*) FROM financial_services_kyc") == total)
        #expect(try p.sql("SELECT count(*) FROM financial_services_kyc WHERE account_id NOT IN (\(customers))") == "0")
        #expect(try p.sql("SELECT count(*) FROM financial_services_kyc k WHERE (status = 'verified') <> (\(identified))") == "0")
        let verified = try p.sql("SELECT count(*) FROM financial_services_kyc WHERE status = 'verified'")
        #expect(assessed.steps.contains { $0.contains("\(total) customers reviewed: \(verified) verified") }, "\(assessed.steps)")

        // Reviewing again at the same moment writes nothing.
        let before = try E2E.dump(p.db)
        let again = try p.rollout(["plugin", "call", "financial-services", "action:financial-services.kyc-review",
                                   #"{"action": "financial-services.kyc-review", "arguments": {}, "context": {"project_id": "x", "at": 1740960000, "idempotency_key": "k", "pilot_user_ids": []}}"#])
        #expect(again.stdout.contains(#""writes":[]"#), "\(again.stdout)\(again.stderr)")
        #expect(try E2E.dump(p.db) == before)

        try p.approve("regulatory-assessment", roles: ["compliance-officer"], date: "2025-03-17", people: officer)
        _ = try p.advance("2025-03-17", tasksDoneAt: "2025-03-28")
        try p.approve("compliant-design", roles: ["steering"], date: "2025-05-19")
        let pilot = try p.advance("2025-05-19", tasksDoneAt: "2025-07-11")
        #expect((pilot.outcome["awaitingDecision"] as? [String: Any])?["passed"] as? Bool == true, "\(pilot.outcome)")

        // A complaint in the pilot runs under the regulatory deadlines: its acknowledgement SLA is
        // breached and it is escalated to the compliance officer.
        try p.approve("branch-pilot", roles: ["customer-pm"], date: "2025-07-14")
        let review = try p.advance("2025-07-14", tasksDoneAt: "2025-07-21")
        #expect((review.outcome["awaitingDecision"] as? [String: Any])?["phaseID"] as? String == "compliance-review")

        // The compliance gate: both checks evaluated by the plugin on the data, with their figures.
        let criteria = try p.criteria("compliance-review", date: "2025-07-21")
        let kyc = try #require(criteria.first { $0.key.hasPrefix("check financial-services.kyc-complete") }?.value,
                               "\(criteria.keys)")
        let complaints = try #require(criteria.first { $0.key.hasPrefix("check financial-services.complaints-within-deadline") }?.value)
        #expect(["passed", "failed"].contains(kyc.status) && kyc.detail.contains("pilot customers verified"), "\(kyc)")
        // Complaints decided more than 15 days after they were made, in the 30 days before the gate, or still open past it.
        let gate = "strftime('%s', '2025-07-21')"
        let pilotOwners = "SELECT user_id FROM measured_group_members WHERE group_key LIKE 'pilot:%'"
        let late = try p.sql("""
            SELECT count(*) FROM tickets WHERE type = 'complaint' AND assignee_id IN (\(pilotOwners)) AND (
              (resolved_at IS NULL AND created_at + 15 * 86400 < \(gate))
              OR (resolved_at > created_at + 15 * 86400 AND resolved_at > \(gate) - 30 * 86400 AND resolved_at <= \(gate)))
            """)
        #expect(complaints.status == (late == "0" ? "passed" : "failed"), "\(complaints) late=\(late)")

        // The committee waives what failed, with its reasons: the project goes on, the waiver recorded.
        try p.approve("compliance-review", roles: ["steering", "compliance-officer"], date: "2025-07-21",
                      note: "Remediate the open KYC files before the roll-out", people: officer)
        let rollout = try p.advance("2025-09-15", tasksDoneAt: "2025-09-26")
        #expect((rollout.outcome["awaitingDecision"] as? [String: Any])?["phaseID"] as? String == "roll-out")
        #expect(try p.sql("SELECT count(*) FROM audit_log WHERE actor = 'plugin:financial-services'") != "0")

        let report = try p.rollout(["report", "--out", p.dir.file("out"), "--format", "md", "--as-of", "2025-09-29"])
        #expect(report.status == 0, "\(report.stderr)")
        let markdown = try String(contentsOfFile: p.dir.file("out/evaluation.md"), encoding: .utf8)
        #expect(markdown.contains("*From the financial-services plugin.*"))
        #expect(!markdown.contains("could not be rendered"))
    }

    @Test(.timeLimit(.minutes(5)))
    func complaintsRunUnderTheRegulatoryDeadlinesAndAWonDealWaitsForItsKYC() throws {
        let officer = ["compliance-officer": "Yang Wei"]
        let p = try VerticalProject(plugin: "FinancialServices", product: "FinancialServices",
                                    playbook: "financial-services-compliance.yaml")
        _ = try p.advance("2025-03-03", tasksDoneAt: "2025-03-10")
        try p.approve("regulatory-assessment", roles: ["compliance-officer"], date: "2025-03-17", people: officer)
        _ = try p.advance("2025-03-17", tasksDoneAt: "2025-03-24")
        try p.approve("compliant-design", roles: ["steering"], date: "2025-05-19")
        _ = try p.advance("2025-05-19")   // the pilot starts both processes of the fragments

        // A won deal of a customer whose KYC is pending waits in kyc-check; the compliance
        // officer's verify-kyc moves it on, and the transition's plugin action verifies the file.
        #expect(try p.sql("SELECT status FROM financial_services_kyc WHERE account_id = 33") == "pending")
        #expect(try p.rollout(["crm", "add", "opportunity", "name=Onboarding test", "account_id=33", "stage=prospecting",
                               "amount_minor=5000000", "currency=CNY", "owner_id=3", "--as-of", "2025-05-20T10:00:00Z"]).status == 0)
        let deal = try p.sql("SELECT max(id) FROM opportunities")
        #expect(try p.rollout(["crm", "update", "opportunity", deal, "stage=closed_won", "--as-of", "2025-05-21T10:00:00Z"]).status == 0)
        // A complaint, and a question that is not one: only the complaint runs under the deadlines.
        #expect(try p.rollout(["crm", "add", "ticket", "subject=Fee charged twice", "type=complaint", "channel=phone",
                               "priority=normal", "account_id=33", "assignee_id=20", "--as-of", "2025-05-20T09:00:00Z"]).status == 0)
        let complaint = try p.sql("SELECT max(id) FROM tickets")
        #expect(try p.rollout(["crm", "add", "ticket", "subject=Card question", "type=question", "channel=phone",
                               "priority=normal", "account_id=33", "assignee_id=20", "--as-of", "2025-05-20T09:30:00Z"]).status == 0)
        #expect(try p.rollout(["worker", "--until", "2025-05-22"]).status == 0)
        let verify = try p.rollout(["process", "act", "opportunity:\(deal)", "verify-kyc", "--as", "yang.wei@huaxin-demo.example",
                                    "--as-of", "2025-05-22T11:00:00Z"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(try p.sql("SELECT status FROM financial_services_kyc WHERE account_id = 33") == "verified")
        #expect(try p.sql("SELECT reason FROM financial_services_kyc_events WHERE account_id = 33 ORDER BY id DESC LIMIT 1")
                    .hasPrefix("decided in process customer-onboarding"))

        // Acknowledged after three days (its 16 working hours breached); decided after 17 days:
        // escalated to the compliance officer after 10 days, the 15-day deadline breached.
        #expect(try p.rollout(["crm", "update", "ticket", complaint, "status=in_progress", "--as-of", "2025-05-23T10:00:00Z"]).status == 0)
        #expect(try p.rollout(["worker", "--until", "2025-06-06"]).status == 0)
        #expect(try p.rollout(["crm", "update", "ticket", complaint, "status=resolved", "--as-of", "2025-06-06T10:00:00Z"]).status == 0)
        #expect(try p.rollout(["worker", "--until", "2025-06-07"]).status == 0)
        #expect(try p.sql("""
            SELECT group_concat(kind || ' ' || date(at, 'unixepoch'), '; ') FROM (
              SELECT n.kind, n.at FROM process_incidents n JOIN process_instances i ON i.id = n.instance_id
              WHERE i.record_id = \(complaint) AND i.entity = 'ticket' ORDER BY n.at)
            """) == "sla-breached 2025-05-22; escalated 2025-05-30; sla-breached 2025-06-04")
        #expect(try p.sql("""
            SELECT group_concat(h.to_state, ' ') FROM process_history h JOIN process_instances i ON i.id = h.instance_id
            WHERE i.record_id = \(complaint) + 1 AND i.entity = 'ticket'
            """) == "received not-a-complaint received not-a-complaint")
        #expect(try p.sql("SELECT count(*) FROM process_effect_failures") == "0")
    }
}
