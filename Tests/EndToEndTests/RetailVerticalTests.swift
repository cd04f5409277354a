import Foundation
import RolloutTesting
import Testing

/// The retail vertical in a project: `Playbooks/retail-loyalty.yaml` on the seeded demo CRM with
/// the retail plugin installed. Its figures are checked against SQL written here, on the CRM's
/// own tables, not against the plugin's code.
@Suite struct RetailVerticalTests {
    @Test(.timeLimit(.minutes(5)))
    func theLoyaltyPilotEnrolsTiersWinsBackLapsedCustomersAndIsJudgedOnItsKPIs() throws {
        let p = try VerticalProject(plugin: "Retail", product: "Retail", playbook: "retail-loyalty.yaml")
        let check = try p.rollout(["check", p.playbook])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("0 warnings"), "\(check.stdout)")

        let prepared = try p.advance("2025-09-01", tasksDoneAt: "2025-09-12")
        #expect((prepared.outcome["awaitingDecision"] as? [String: Any])?["phaseID"] as? String == "preparation")
        try p.approve("preparation", roles: ["steering"], date: "2025-09-15")
        let pilot = try p.advance("2025-09-15", tasksDoneAt: "2025-10-27")

        // Enrolment: every member's tier follows the rules from its own year of orders, and those
        // figures are the orders table's (not cancelled, the 365 days up to the step).
        let at = "strftime('%s', '2025-09-15')"
        #expect(try p.sql("""
            SELECT count(*) FROM retail_loyalty_members m
            JOIN (SELECT account_id, count(*) AS n, sum(total_minor) AS spend FROM orders
                  WHERE status <> 'cancelled' AND currency = 'CNY' AND ordered_at > \(at) - 365 * 86400 AND ordered_at <= \(at)
                  GROUP BY account_id) o ON o.account_id = m.account_id
            WHERE m.orders_12m = o.n AND m.spend_minor_12m = o.spend
              AND m.tier = CASE WHEN o.n >= 6 OR o.spend >= 30000000 THEN 'gold'
                                WHEN o.n >= 4 OR o.spend >= 15000000 THEN 'silver' ELSE 'bronze' END
            """) == p.sql("SELECT count(*) FROM retail_loyalty_members"))
        // Only the pilot group's customers (their owners are the pilot's users) were enrolled.
        let pilotOwners = "SELECT user_id FROM measured_group_members WHERE group_key LIKE 'pilot:%'"
        #expect(try p.sql("""
            SELECT count(*) FROM retail_loyalty_members m JOIN accounts a ON a.id = m.account_id
            WHERE a.owner_id NOT IN (\(pilotOwners))
            """) == "0")
        let members = try p.sql("SELECT count(*) FROM retail_loyalty_members")
        let tiers = try p.sql("SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM retail_loyalty_members GROUP BY tier ORDER BY tier = 'gold' DESC, tier = 'silver' DESC)")
        let counts = tiers.split(separator: " ")
        #expect(pilot.steps.contains { $0.contains("retail.enroll-loyalty:") && $0.contains("\(members) members (\(counts[0]) gold, \(counts[1]) silver, \(counts[2]) bronze)") },
                "\(pilot.steps)")

        // Win-back: one campaign, one targeted member per target's contact, targets lapsed 90+ days.
        #expect(try p.sql("SELECT count(*) FROM campaigns WHERE name LIKE 'Loyalty win-back 2025-09-15%'") == "1")
        let targets = try p.sql("SELECT count(*) FROM retail_reactivation_targets")
        #expect(Int(targets) ?? 0 > 0)
        #expect(try p.sql("""
            SELECT count(*) FROM campaign_members cm JOIN campaigns c ON c.id = cm.campaign_id
            WHERE c.name LIKE 'Loyalty win-back 2025-09-15%' AND cm.status = 'targeted'
            """) == targets)
        #expect(try p.sql("""
            SELECT count(*) FROM retail_reactivation_targets t
            WHERE (SELECT max(ordered_at) FROM orders o WHERE o.account_id = t.account_id AND o.status <> 'cancelled'
                   AND o.ordered_at <= \(at)) > \(at) - 90 * 86400
            """) == "0")
        // Every write is audited with the plugin as actor.
        #expect(try p.sql("SELECT count(*) FROM audit_log WHERE actor = 'plugin:retail'")
                    == String(Int(members)! + 1 + 2 * Int(targets)!))

        // The pilot's gate: the plugin's check and the plugin's metric as KPI criteria.
        let gate = (pilot.outcome["awaitingDecision"] as? [String: Any])
        #expect(gate?["phaseID"] as? String == "loyalty-pilot", "\(pilot.outcome)")
        let criteria = try p.criteria("loyalty-pilot", date: "2025-10-27")
        let coverage = try #require(criteria["check retail.loyalty-coverage"], "\(criteria.keys)")
        #expect(coverage.status == "passed" && coverage.detail.contains("%"), "\(coverage)")

        // A rerun of the run changes nothing: the enrolment and the campaign happened once.
        let before = try E2E.dump(p.db)
        #expect(try p.rollout(["run", "--as-of", "2025-10-27"]).status == 0)
        #expect(try E2E.dump(p.db) == before)

        // The report has the plugin's loyalty section.
        try p.approve("loyalty-pilot", roles: ["customer-pm"], date: "2025-10-27")
        let report = try p.rollout(["report", "--out", p.dir.file("out"), "--format", "md", "--as-of", "2025-10-27"])
        #expect(report.status == 0, "\(report.stderr)")
        let markdown = try String(contentsOfFile: p.dir.file("out/evaluation.md"), encoding: .utf8)
        #expect(markdown.contains("*From the retail plugin.*"), "\(markdown.suffix(3000))")
        #expect(!markdown.contains("could not be rendered"), "\(markdown)")
        #expect(markdown.contains("\(members)"))
    }
}
