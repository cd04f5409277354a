import Foundation
import RolloutTesting
import Testing

/// The manufacturing vertical in a project: `Playbooks/manufacturing-field-service.yaml` on the
/// seeded demo CRM with the manufacturing plugin installed: visits derived from history and
/// recorded by the field-service process, warranty follow-ups run by their own process, the
/// first-time-fix and repair-time KPIs at the gate. Figures are checked against SQL on the
/// CRM's own tables.
@Suite struct ManufacturingVerticalTests {
    @Test(.timeLimit(.minutes(5)))
    func theFieldServicePilotRecordsVisitsFollowsUpWarrantiesAndIsJudgedOnFirstTimeFix() throws {
        let p = try VerticalProject(plugin: "Manufacturing", product: "Manufacturing",
                                    playbook: "manufacturing-field-service.yaml")
        let check = try p.rollout(["check", p.playbook])
        #expect(check.status == 0 && check.stdout.contains("0 warnings"), "\(check.stdout)\(check.stderr)")

        // Preparation: the visit history is derived from the tickets of installed units: one visit
        // for a ticket resolved within 48 hours, two otherwise.
        let prepared = try p.advance("2025-04-14", tasksDoneAt: "2025-04-25")
        let at = "strftime('%s', '2025-04-14')"
        let tickets = "FROM tickets WHERE install_base_id IS NOT NULL AND resolved_at > \(at) - 365 * 86400 AND resolved_at <= \(at)"
        let expected = try p.sql("SELECT count(*) || ' ' || sum(CASE WHEN resolved_at - created_at <= 48 * 3600 THEN 1 ELSE 2 END) || ' ' || sum(resolved_at - created_at <= 48 * 3600) \(tickets)")
            .split(separator: " ").map(String.init)
        #expect(prepared.steps.contains { $0.contains("derived \(expected[1]) visits for \(expected[0]) install-base tickets resolved in the last 365 days (\(expected[2]) fixed on the first visit)") },
                "\(prepared.steps)")
        #expect(try p.sql("SELECT count(*) FROM manufacturing_visits WHERE source = 'backfill'") == expected[1])
        try p.approve("preparation", roles: ["customer-pm"], date: "2025-05-19")

        // The pilot: both processes start; each warranty of the pilot's accounts ending within the
        // horizon gets one extension opportunity, in the warranty process.
        let pilot = try p.advance("2025-05-19")
        #expect(pilot.steps.contains { $0.contains("pilot.start: pilot 'east-field-service' started with 16 users") })
        let followups = try p.sql("SELECT count(*) FROM manufacturing_warranty_followups")
        #expect(Int(followups) ?? 0 > 0)
        #expect(try p.sql("SELECT count(*) FROM opportunities WHERE name LIKE 'Warranty extension: %'") == followups)
        #expect(try p.sql("""
            SELECT count(*) FROM manufacturing_warranty_followups f JOIN install_base b ON b.id = f.install_base_id
            WHERE b.warranty_ends_on < '2025-05-19' OR b.warranty_ends_on > '2026-05-19'
            """) == "0")
        #expect(try p.sql("SELECT count(*) FROM audit_log WHERE actor = 'plugin:manufacturing' AND entity = 'opportunity'")
                    == followups)
        #expect(try p.rollout(["worker", "--until", "2025-05-25"]).status == 0)
        #expect(try p.sql("SELECT count(*) FROM process_instances WHERE process_id = 'warranty-followup'") == followups)

        // A repair through the field-service process: its resolution records one fixed visit.
        let created = try p.rollout(["crm", "add", "ticket", "subject=Pump stops", "type=incident", "channel=phone",
                                     "priority=high", "account_id=94", "install_base_id=3", "assignee_id=22",
                                     "--as-of", "2025-05-20T09:00:00Z"])
        #expect(created.status == 0, "\(created.stderr)")
        let ticket = try p.sql("SELECT max(id) FROM tickets")
        #expect(try p.rollout(["worker", "--until", "2025-05-21"]).status == 0)
        #expect(try p.rollout(["crm", "update", "ticket", ticket, "status=resolved", "--as-of", "2025-05-21T10:00:00Z"]).status == 0)
        #expect(try p.rollout(["worker", "--until", "2025-05-22"]).status == 0)
        #expect(try p.sql("SELECT visit_no || ' ' || outcome || ' ' || source FROM v_manufacturing_visits WHERE ticket_id = \(ticket)")
                    == "1 fixed process")
        #expect(try p.sql("""
            SELECT group_concat(coalesce(h.from_state, '-') || '>' || h.to_state, ' ') FROM process_history h
            JOIN process_instances i ON i.id = h.instance_id WHERE i.record_id = \(ticket) AND i.process_id = 'field-service'
            """) == "->open open>dispatched dispatched>resolved")

        // The evaluation's gate: the KPIs from the plugin's metrics, and its coverage check.
        _ = try p.advance("2025-06-30", tasksDoneAt: "2025-07-14")
        try p.approve("field-service-pilot", roles: ["service-lead"], date: "2025-07-14")
        let evaluated = try p.advance("2025-07-14", tasksDoneAt: "2025-07-21")
        #expect((evaluated.outcome["awaitingDecision"] as? [String: Any])?["passed"] as? Bool == true, "\(evaluated.outcome)")
        let criteria = try p.criteria("evaluation", date: "2025-07-21")
        let coverage = try #require(criteria.first { $0.key.hasPrefix("check manufacturing.warranty-coverage") }?.value)
        #expect(coverage.status == "passed" && coverage.detail.contains("followed up (100.0 %"), "\(coverage)")
        #expect(criteria.filter { $0.key.hasPrefix("first_time_fix_rate") }.allSatisfy { $0.value.status == "passed" })

        // The report's field-service section, by service team.
        try p.approve("evaluation", roles: ["steering"], date: "2025-07-21")
        let report = try p.rollout(["report", "--out", p.dir.file("out"), "--format", "md", "--as-of", "2025-07-21"])
        #expect(report.status == 0, "\(report.stderr)")
        let markdown = try String(contentsOfFile: p.dir.file("out/evaluation.md"), encoding: .utf8)
        #expect(markdown.contains("*From the manufacturing plugin.*"))
        #expect(markdown.contains("East Service") && markdown.contains("West Service"))
        #expect(!markdown.contains("could not be rendered"))
    }
}
