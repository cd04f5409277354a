import Foundation
import RolloutTesting
import Testing

/// A playbook's plugin at work in a project: its migration, its action's writes (checked and
/// audited), its metric in the sandbox, its check as a gate criterion, its report section; and
/// each way a plugin can fail while the engine runs, recorded as a failed step with the host
/// working on. The plugin is a few lines of C compiled by the test (`PluginFixture`).
@Suite struct PluginEngineTests {
    static let declaration = #"""
        {"id": "demo", "version": "1.0.0",
         "actions": [{"id": "demo.act", "summary": "tag accounts"}],
         "checks": [{"id": "demo.ready", "summary": "the tagging is done"}],
         "metrics": [{"id": "demo.tagged_share", "name": "Tagged accounts", "category": "data_quality", "unit": "%",
                      "aggregate": "mean", "direction": "higher", "unit_of_analysis": "account",
                      "definition": "accounts with a tag, of all accounts",
                      "sql": "SELECT a.owner_id AS user_id, a.created_at AS at, CASE WHEN t.account_id IS NULL THEN 0 ELSE 100 END AS value FROM v_accounts a LEFT JOIN v_demo_tags t ON t.account_id = a.id"}],
         "migrations": [{"id": "1-tags", "statements": [
             "CREATE TABLE demo_tags (account_id INTEGER PRIMARY KEY, tag TEXT NOT NULL, UNIQUE (tag, account_id))",
             "CREATE VIEW v_demo_tags AS SELECT account_id, tag FROM demo_tags"]}],
         "report_sections": [{"id": "tags", "title": "Account tags", "markdown_template": "templates/tags.md.mustache",
                              "html_template": "templates/tags.html.mustache"}]}
        """#
    static let provides = "{ actions: [demo.act], checks: [demo.ready], metrics: [demo.tagged_share] }"
    static let tagging = #"""
        {"summary": "tagged 2 accounts", "writes": [
          {"insert": "demo_tags", "values": {"account_id": 1, "tag": "gold"}, "on_conflict": "ignore"},
          {"insert": "demo_tags", "values": {"account_id": 2, "tag": "silver"}, "on_conflict": "ignore"},
          {"create": "activity", "fields": {"kind": "note", "subject": "Tagged gold", "owner_id": "1", "account_id": "1",
                                            "at": "2025-03-03"}}]}
        """#

    static let playbook = """
        playbook: plugged
        version: 1
        title: A rollout with a plugin
        plugins: [demo]
        organisation:
          roles:
            - { id: steering, name: Steering committee, side: customer }
            - { id: pm, name: Project manager, side: customer }
        kpis:
          - { id: tagged, name: Tagged accounts, metric: demo.tagged_share, window: 3650d, direction: higher_is_better }
        goals:
          - { id: clean-data, level: department, department: sales, statement: Know our accounts, kpis: [tagged] }
        phases:
          - id: tagging
            name: Tagging
            owner: pm
            duration: 1w
            actions: [kpi.baseline, { demo.act: { tier: gold } }]
            gate:
              approvers: [steering]
              criteria:
                - { check: demo.ready, with: { min_percent: "50" } }

        """

    struct Setup {
        let dir: TemporaryDirectory
        let db: String
        let playbook: String
        let fixture: PluginFixture

        init(_ behaviour: PluginFixture.Behaviour, install: Bool = true) throws {
            dir = try TemporaryDirectory("plugin-engine")
            db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
            playbook = try dir.write("plugged.yaml", PluginEngineTests.playbook)
            fixture = try PluginFixture()
            let folder = try fixture.plugin("demo", behaviour: behaviour)
            try FileManager.default.createDirectory(atPath: folder + "/templates", withIntermediateDirectories: true)
            try "{{#tags}}- {{tag}}: {{count}}\n{{/tags}}".write(toFile: folder + "/templates/tags.md.mustache",
                                                                 atomically: true, encoding: .utf8)
            try "<ul>{{#tags}}<li>{{tag}}: {{count}}</li>{{/tags}}</ul>".write(
                toFile: folder + "/templates/tags.html.mustache", atomically: true, encoding: .utf8)
            if install {
                let installed = try E2E.binary.run(["plugin", "install", folder, "--db", db])
                #expect(installed.status == 0, "\(installed.stderr)")
            }
        }

        func rollout(_ arguments: [String], environment: [String: String] = [:]) throws -> RolloutBinary.Result {
            try E2E.binary.run(arguments + ["--db", db], environment: environment)
        }

        func sql(_ query: String) throws -> String { try E2E.sql(db, query) }
    }

    static func behaviour(action: String? = tagging, error: String? = nil, sleeps: Int? = nil, crashes: Bool = false,
                          permissions: String = "[create:activity]", declaration: String = declaration)
        -> PluginFixture.Behaviour
    {
        PluginFixture.Behaviour(declaration: declaration,
                                actionResponse: error == nil && sleeps == nil && !crashes ? action : nil,
                                actionError: error, actionSleeps: sleeps, actionCrashes: crashes,
                                checkResponse: #"{"passed": true, "detail": "2 of 2 accounts tagged"}"#,
                                reportResponse: #"{"tags": [{"tag": "gold", "count": 1}, {"tag": "silver", "count": 1}]}"#,
                                provides: provides, permissions: permissions)
    }

    @Test func aPluginsMigrationActionMetricCheckAndReportSectionWorkInAProject() throws {
        let s = try Setup(Self.behaviour())
        // Installing applied the migration and published the view.
        #expect(try s.sql("SELECT plugin_id || ':' || migration_id FROM plugin_migrations") == "demo:1-tags")
        #expect(try s.sql("SELECT name || ':' || namespace FROM plugin_views") == "v_demo_tags:demo")

        let run = try s.rollout(["run", s.playbook, "--as-of", "2025-03-03"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Tagging: demo.act: tagged 2 accounts (1 activity created, 2 rows inserted)"),
                "\(run.stdout)")
        #expect(run.stdout.contains("stopped at the gate of 'tagging' (attempt 1, criteria met)"), "\(run.stdout)")
        #expect(try s.sql("SELECT account_id || '=' || tag FROM demo_tags ORDER BY 1") == "1=gold\n2=silver")
        // Every write is audited with the plugin as actor.
        #expect(try s.sql("SELECT entity || ' ' || action FROM audit_log WHERE actor = 'plugin:demo' ORDER BY id")
                    == "demo_tags create\ndemo_tags create\nactivity create")
        #expect(try s.sql("SELECT count(*) FROM activities WHERE subject = 'Tagged gold'") == "1")

        // The check was the gate's criterion, with the plugin's detail.
        let status = try s.rollout(["status", "--as-of", "2025-03-03"])
        #expect(status.stdout.contains("check demo.ready: 2 of 2 accounts tagged"), "\(status.stdout)")

        // The plugin's metric was measured in the sandbox: the baseline before tagging had none.
        let trend = try s.rollout(["snapshot", "take", "--label", "after", "--as-of", "2025-03-04", "--json"])
        #expect(trend.status == 0, "\(trend.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(trend.stdout.utf8)) as? [String: Any]
        let snapshot = parsed?["snapshot"] as? [String: Any] ?? parsed
        let all = (snapshot?["measurements"] as? [[String: Any]])?.first { $0["group"] as? String == "all" }
        let value = try #require(all?["value"] as? Double, "\(trend.stdout)")
        let sample = try #require(all?["sampleSize"] as? Int)
        // Two tagged accounts among the accounts the window counts: 100 for each, 0 for the rest.
        #expect(sample > 100)
        #expect(abs(value - 200 / Double(sample)) < 1e-9, "\(trend.stdout)")

        let metrics = try E2E.binary.run(["metrics", "--db", s.db])
        #expect(metrics.stdout.contains("demo.tagged_share  (Tagged accounts; %; mean per account; plugin demo)"),
                "\(metrics.stdout)")

        // The report carries the plugin's section, rendered with its templates.
        let report = try s.rollout(["report", "--out", s.dir.file("out"), "--format", "md", "--format", "html", "--as-of", "2025-03-04"])
        #expect(report.status == 0, "\(report.stderr)")
        let markdown = try String(contentsOfFile: s.dir.file("out/evaluation.md"), encoding: .utf8)
        #expect(markdown.contains("## Account tags\n\n*From the demo plugin.*\n\n- gold: 1\n- silver: 1"), "\(markdown)")
        let html = try String(contentsOfFile: s.dir.file("out/evaluation.html"), encoding: .utf8)
        #expect(html.contains("<ul><li>gold: 1</li><li>silver: 1</li></ul>"))
    }

    @Test func anActionThatFailsIsARecordedFailedStepAndARerunTriesItAgain() throws {
        let s = try Setup(Self.behaviour(error: #"{"error": "the loyalty tier 'platinum' does not exist"}"#))
        let run = try s.rollout(["run", s.playbook, "--as-of", "2025-03-03"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("stopped: action 'demo.act' of 'tagging' failed (attempt 1): plugin 'demo' failed "
                                    + "`action:demo.act`: the loyalty tier 'platinum' does not exist"), "\(run.stdout)")
        // The steps before it stand; the failure is in the log; the host keeps working.
        #expect(run.stdout.contains("kpi.baseline: baseline measured"))
        let again = try s.rollout(["run", "--as-of", "2025-03-04"])
        #expect(again.status == 1)
        #expect(again.stdout.contains("failed (attempt 2)"))
        #expect(try s.sql("SELECT count(*) FROM engine_events WHERE kind = 'action.failed'") == "2")
        #expect(try s.sql("SELECT count(*) FROM engine_events WHERE kind = 'action.completed'") == "1")
        let status = try s.rollout(["status", "--as-of", "2025-03-04"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("Failed actions:\n  ✘ tagging: demo.act (attempt 2): plugin 'demo' failed"),
                "\(status.stdout)")
        #expect(status.stdout.contains("Next: fix why action 'demo.act' of 'tagging' failed"), "\(status.stdout)")
    }

    @Test func anActionPastItsTimeLimitIsAFailedStep() throws {
        let s = try Setup(Self.behaviour(sleeps: 3))
        let started = Date()
        let run = try s.rollout(["run", s.playbook, "--as-of", "2025-03-03"],
                                environment: ["ROLLOUT_PLUGIN_TIME_LIMIT": "0.5"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("plugin 'demo' did not answer `action:demo.act` within 0.50 s"), "\(run.stdout)")
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test func writesThePermissionsDoNotAllowAreRefusedAndNothingOfTheStepIsWritten() throws {
        // The first two writes are fine; the activity needs create:activity, which is not granted.
        let s = try Setup(Self.behaviour(permissions: "[]"))
        let run = try s.rollout(["run", s.playbook, "--as-of", "2025-03-03"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("plugin 'demo': may not create a activity: its plugin.yaml does not grant "
                                    + "`create:activity`"), "\(run.stdout)")
        #expect(try s.sql("SELECT count(*) FROM demo_tags") == "0")
        #expect(try s.sql("SELECT count(*) FROM audit_log WHERE actor = 'plugin:demo'") == "0")

        let crm = try Setup(Self.behaviour(action: #"{"summary": "x", "writes": [{"update": "accounts", "set": {"name": "x"}, "where": {"id": 1}}]}"#))
        let refused = try crm.rollout(["run", crm.playbook, "--as-of", "2025-03-03"])
        #expect(refused.stdout.contains("may not write to accounts: a plugin writes its own tables (demo_…)"),
                "\(refused.stdout)")
        #expect(try crm.sql("SELECT count(*) FROM audit_log WHERE actor = 'plugin:demo'") == "0")

        // A `write:` permission reaches other plugins' tables, never Rollout's own.
        let granted = try Setup(Self.behaviour(action: #"{"summary": "x", "writes": [{"update": "accounts", "set": {"name": "x"}, "where": {"id": 1}}]}"#,
                                               permissions: "[write:accounts]"))
        let still = try granted.rollout(["run", granted.playbook, "--as-of", "2025-03-03"])
        #expect(still.stdout.contains("may not write to accounts even with `write:accounts`: it is not a plugin's table"),
                "\(still.stdout)")
    }

    @Test func withIsolatedPluginsTheSameProjectRunsAndACrashingPluginIsAFailedStepNotACrash() throws {
        let s = try Setup(Self.behaviour())
        let run = try s.rollout(["run", s.playbook, "--as-of", "2025-03-03", "--isolate-plugins"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("demo.act: tagged 2 accounts (1 activity created, 2 rows inserted)"), "\(run.stdout)")
        #expect(run.stdout.contains("criteria met"), "\(run.stdout)")
        #expect(try s.sql("SELECT count(*) FROM demo_tags") == "2")

        // In process, a crash in the plugin takes the command down (the host cannot survive it)…
        let crashing = try Setup(Self.behaviour(crashes: true))
        let crashed = try crashing.rollout(["run", crashing.playbook, "--as-of", "2025-03-03"])
        #expect(crashed.status != 0 && crashed.status != 1, "\(crashed.status) \(crashed.stdout)")
        // …isolated, it is a failed step, recorded, and the command ends normally.
        let isolated = try crashing.rollout(["run", "--as-of", "2025-03-03", "--isolate-plugins"])
        #expect(isolated.status == 1, "\(isolated.stdout)\(isolated.stderr)")
        #expect(isolated.stdout.contains("plugin 'demo' crashed (signal 11) while running `action:demo.act`; it ran in "
                                         + "a child process, so the host goes on"), "\(isolated.stdout)")
        #expect(try crashing.sql("SELECT count(*) FROM engine_events WHERE kind = 'action.failed'") == "1")
    }

    static let processPlaybook = """
        playbook: plugged-process
        version: 1
        title: A process whose transition runs a plugin's action
        plugins: [demo]
        organisation:
          roles:
            - { id: steering, name: Steering committee, side: customer }
            - { id: sales-manager, name: Sales manager, side: customer }
        processes:
          - id: lead-handling
            name: Lead handling
            entity: lead
            owner: sales-manager
            to_be:
              states:
                - { id: new, name: New, initial: true }
                - { id: contacted, name: Contacted, final: true }
              transitions:
                - { from: new, to: contacted, event: activity_logged, do: [ { plugin: demo.act, with: { tier: gold } } ] }
        phases:
          - id: cut-over
            name: Cut-over
            duration: 8w
            actions: [ { process.start: { process: lead-handling, scope: everyone } } ]
            gate:
              approvers: [steering]

        """

    /// Runs the process playbook on two days of lead traffic; returns the worker's result.
    func runProcess(_ s: Setup) throws -> RolloutBinary.Result {
        let playbook = try s.dir.write("process.yaml", Self.processPlaybook)
        #expect(try s.rollout(["run", playbook, "--as-of", "2025-03-03"]).status == 0)
        #expect(try s.rollout(["demo", "traffic", "--from", "2025-03-03", "--days", "2", "--leads-per-day", "5"]).status == 0)
        return try s.rollout(["worker", "--until", "2025-03-10"])
    }

    @Test func aProcessTransitionRunsThePluginsActionAndAFailureLetsTheRecordMoveOnRecorded() throws {
        let s = try Setup(Self.behaviour())
        let worked = try runProcess(s)
        #expect(worked.status == 0, "\(worked.stderr)")
        let moved = try s.sql("SELECT count(*) FROM process_history WHERE to_state = 'contacted'")
        #expect(Int(moved) ?? 0 > 0, "no lead was contacted")
        #expect(try s.sql("SELECT count(*) FROM demo_tags") == "2")
        // One activity per transition, created through the CRM with the plugin as actor.
        #expect(try s.sql("SELECT count(*) FROM audit_log WHERE actor = 'plugin:demo' AND entity = 'activity'") == moved)
        #expect(try s.sql("SELECT count(*) FROM process_effect_failures") == "0")

        let f = try Setup(Self.behaviour(error: #"{"error": "the tagging service is down"}"#))
        let failing = try runProcess(f)
        #expect(failing.status == 0, "\(failing.stderr)")
        let contacted = try f.sql("SELECT count(*) FROM process_history WHERE to_state = 'contacted'")
        #expect(contacted == moved, "the records move on as without the failure")
        #expect(try f.sql("SELECT count(*) FROM process_effect_failures") == contacted)
        #expect(try f.sql("SELECT DISTINCT effect || ': ' || message FROM process_effect_failures")
                    == "demo.act: plugin 'demo' failed `action:demo.act`: the tagging service is down")
        #expect(try f.sql("SELECT count(*) FROM engine_outbox WHERE subject = 'Lead handling: plugin action demo.act failed'")
                    == contacted)
    }

    @Test func aMigrationOutsideThePluginsNamespaceIsRefusedAndThePluginIsNotInstalled() throws {
        let outside = Self.declaration.replacingOccurrences(
            of: "CREATE TABLE demo_tags (account_id INTEGER PRIMARY KEY, tag TEXT NOT NULL, UNIQUE (tag, account_id))",
            with: "CREATE TABLE demo_tags (account_id INTEGER PRIMARY KEY, tag TEXT NOT NULL, UNIQUE (tag, account_id))\", \"DELETE FROM accounts")
        let s = try Setup(Self.behaviour(declaration: outside), install: false)
        let folder = s.fixture.directory.file("demo")
        let installed = try s.rollout(["plugin", "install", folder])
        #expect(installed.status == 1)
        #expect(installed.stderr.contains("plugin 'demo': migration '1-tags', statement 2, was refused: it writes to "
                                          + "accounts, which is not the plugin's"), "\(installed.stderr)")
        #expect(try s.sql("SELECT count(*) FROM sqlite_schema WHERE name = 'demo_tags'") == "0")
        #expect(!FileManager.default.fileExists(atPath: s.dir.file("ws/plugins/demo")))
    }

    @Test func aPluginWhoseNamespaceOverlapsAnInstalledOnesIsRefused() throws {
        let s = try Setup(Self.behaviour())
        let other = try s.fixture.plugin("demo-x", id: "demo-x")
        let refused = try s.rollout(["plugin", "install", other])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("plugin 'demo-x' cannot be installed beside plugin 'demo': their namespaces "
                                        + "demo_x_… and demo_… overlap"), "\(refused.stderr)")
    }

    @Test func aPlaybookNamingAPluginsNamesChecksThemAndAMisspeltCheckIsAnError() throws {
        let s = try Setup(Self.behaviour())
        let ok = try s.rollout(["check", s.playbook])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        let misspelt = try s.dir.write("misspelt.yaml", Self.playbook.replacingOccurrences(of: "check: demo.ready",
                                                                                           with: "check: demo.redy"))
        let result = try s.rollout(["check", misspelt])
        #expect(result.status == 1)
        #expect(result.stdout.contains("error[unknown-check]: gate of phase 'tagging' uses unknown check 'demo.redy'"),
                "\(result.stdout)")
        #expect(result.stdout.contains("did you mean 'demo.ready'"), "\(result.stdout)")
    }
}
