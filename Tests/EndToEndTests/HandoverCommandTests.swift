import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RolloutTesting
import Testing

/// `rollout handover`: a project taken through a gate with a reasoned vote, a lesson and a
/// playbook upgrade, then handed over as Markdown and HTML.
@Suite struct HandoverCommandTests {
    struct Project {
        let dir: TemporaryDirectory
        let db: String
        let playbook: String

        init() throws {
            dir = try TemporaryDirectory("handover")
            db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
            playbook = try dir.write("two-phase.yaml", try E2E.fixture("two-phase.yaml"))
        }

        @discardableResult
        func rollout(_ arguments: String..., asOf: String) throws -> RolloutBinary.Result {
            try E2E.binary.run(arguments + ["--db", db, "--as-of", asOf])
        }

        /// Through the first gate (go, with a reason), a lesson, and version 2 adding a task to the pilot.
        func runThroughTheFirstGate() throws {
            #expect(try rollout("run", playbook, asOf: "2025-03-03").status == 0)
            #expect(try rollout("task", "done", "write-charter", "--by", "Zhou Min", asOf: "2025-03-07").status == 0)
            #expect(try rollout("task", "done", "approve-scope", "--by", "Chen Jing", asOf: "2025-03-12").status == 0)
            #expect(try rollout("run", asOf: "2025-03-17").status == 0)
            let vote = try rollout("approve", "preparation", "--by", "Chen Jing", "--role", "steering", "--decision", "go",
                                   "--note", "Charter signed by both sponsors", asOf: "2025-03-17")
            #expect(vote.status == 0, "\(vote.stderr)")
            #expect(try rollout("run", asOf: "2025-03-17").status == 0)
            let lesson = try rollout("lesson", "add", "--phase", "preparation", "--category", "delay", "--what",
                                     "Scope sign-off waited for legal", "--delay-days", "6", "--remedy", "Legal joins the steering committee",
                                     asOf: "2025-03-18")
            #expect(lesson.status == 0, "\(lesson.stderr)")
            let v2 = try dir.write("two-phase-v2.yaml", try E2E.fixture("two-phase.yaml")
                .replacingOccurrences(of: "version: 1", with: "version: 2")
                .replacingOccurrences(of: "      - { id: run-pilot, name: Run the pilot, owner: key-users, duration: 20d }\n", with: """
                      - { id: run-pilot, name: Run the pilot, owner: key-users, duration: 20d }
                      - { id: export-for-finance, name: Monthly export for finance, owner: pm, duration: 5d }

                """))
            let upgrade = try rollout("run", v2, "--upgrade", asOf: "2025-03-19")
            #expect(upgrade.status == 0, "\(upgrade.stderr)")
            #expect(upgrade.stdout.contains("moved from version 1 to version 2"))
            #expect(upgrade.stdout.contains("task 'export-for-finance' of phase 'pilot' added"))
        }
    }

    @Test func thePackHasTheDecisionsWithReasonsEveryRoleTheOpenTasksAndTheCustomRequirements() throws {
        let p = try Project()
        try p.runThroughTheFirstGate()
        let out = p.dir.file("pack")
        let result = try p.rollout("handover", "--out", out, asOf: "2025-04-30")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(out)/handover.html\n\(out)/handover.md\n")

        let markdown = try String(contentsOfFile: out + "/handover.md", encoding: .utf8)
        let html = try String(contentsOfFile: out + "/handover.html", encoding: .utf8)
        for text in [markdown, html] {
            #expect(text.contains("Charter signed by both sponsors"))
            #expect(text.contains("Chen Jing"))
            for role in ["Steering committee", "Project manager", "Key users"] { #expect(text.contains(role), "\(role)") }
            #expect(text.contains("run-pilot"))
            #expect(text.contains("export-for-finance"))
            #expect(text.contains("Monthly export for finance"))
            #expect(text.contains("Scope sign-off waited for legal"))
            #expect(text.contains("Legal joins the steering committee"))
            #expect(text.contains("version 1 → 2"))
        }
        #expect(markdown.contains("Current phase: **Pilot**"))
        #expect(markdown.contains("- **Steering committee** (`steering`): Chen Jing voted **go** on 2025-03-17: Charter signed by both sponsors"))
        #expect(markdown.contains("| Key users (`key-users`) | customer | not named in the playbook | - | - | run-pilot | - |"))
        #expect(markdown.contains("| Steering committee (`steering`) | customer | not named in the playbook | preparation, pilot | - | approve-scope | - |"))
        // Overdue on 2025-04-30: run-pilot was due 20 days after the pilot started on 2025-03-17.
        #expect(markdown.contains("**overdue task**: task 'run-pilot' (Run the pilot) of Key users was due 2025-04-06 and is still open"))
        #expect(markdown.contains("**costly lesson**: delay in preparation: Scope sign-off waited for legal (6 days of delay)"))
        #expect(markdown.contains("| `export-for-finance` | pilot | pm | open | Monthly export for finance |"))

        let parser = XMLParser(data: Data(html.utf8))
        #expect(parser.parse(), "handover.html is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(html.contains("@media print"))
        #expect(!html.contains("<link") && !html.contains("<script"))
    }

    @Test func handingOverAWorkspaceWithoutAProjectSaysSoAndWritesNothing() throws {
        let dir = try TemporaryDirectory("handover-empty")
        let db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
        let out = dir.file("pack")
        let result = try E2E.binary.run(["handover", "--db", db, "--out", out])
        #expect(result.status == 1)
        #expect(result.stderr == "error: no project has started in this workspace; start one with `rollout run PLAYBOOK`\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
