import CRMCore
import Evaluation
import Foundation
import RolloutTesting
import Testing

/// What the steering committee records and reads beyond votes: on-demand snapshots and trends,
/// judgements (evidence questions, outcome evaluation), waivers and conditions on a go, and the
/// computed recommendation in the report.
@Suite struct EvaluationRecordsTests {
    typealias Project = ProjectWorkflowTests.Project

    /// Runs the two-phase fixture to the pilot's gate.
    func reachPilotGate(_ p: Project) throws {
        try p.reachFirstGate()
        #expect(try p.rollout("approve", "preparation", "--by", "Chen Jing", "--role", "steering", "--decision", "go",
                              "--note", "Charter agreed", asOf: "2025-03-17").status == 0)
        #expect(try p.rollout("run", asOf: "2025-03-17").status == 0)
        #expect(try p.rollout("task", "done", "run-pilot", "--by", "Sun Li", asOf: "2025-04-10").status == 0)
        let run = try p.rollout("run", asOf: "2025-04-14")
        #expect(run.stdout.contains("stopped at the gate of 'pilot'"), "\(run.stdout)\(run.stderr)")
    }

    @Test func snapshotsAreTakenOnDemandOnceListedShownAndFollowedAsATrend() throws {
        let p = try Project()
        try p.reachFirstGate()
        let taken = try p.rollout("snapshot", "take", "--label", "review", "--json", asOf: "2025-03-20")
        #expect(taken.status == 0, "\(taken.stderr)")
        let snapshot = try JSONSerialization.jsonObject(with: Data(taken.stdout.utf8)) as? [String: Any]
        #expect(snapshot?["label"] as? String == "on-demand:review")
        let hash = try #require(snapshot?["contentSHA256"] as? String)
        #expect(hash.count == 64)
        // The same label again returns the snapshot taken first.
        let again = try p.rollout("snapshot", "take", "--label", "review", asOf: "2025-03-21")
        #expect(again.stdout.hasPrefix("on-demand:review  taken 2025-03-20T00:00:00Z  sha256 \(hash)"))
        let list = try p.rollout("snapshot", "list", asOf: "2025-03-21")
        let labels = list.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(labels == ["baseline", "gate:preparation:1", "on-demand:review"])
        let shown = try p.rollout("snapshot", "show", "review", asOf: "2025-03-21")
        #expect(shown.stdout.contains("lead_response_hours"))
        let trend = try p.rollout("snapshot", "trend", "lead_response_hours", "--json", asOf: "2025-03-21")
        let series = try JSONSerialization.jsonObject(with: Data(trend.stdout.utf8)) as? [[String: Any]]
        #expect(series?.map { $0["group"] as? String } == ["pilot:east", "control:east", "all"])
        #expect((series?.first?["points"] as? [Any])?.count == 3)

        let unknown = try p.rollout("snapshot", "trend", "lead_response", asOf: "2025-03-21")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown KPI 'lead_response'"))
        let badLabel = try p.rollout("snapshot", "take", "--label", "q3 review", asOf: "2025-03-21")
        #expect(badLabel.status == 1)
        #expect(badLabel.stderr.contains("one word without spaces or colons"))
    }

    @Test func aGoOnUnmetCriteriaNeedsANoteRecordsTheWaiverAndItsConditionsAndTheReportShowsThem() throws {
        let p = try Project()
        try reachPilotGate(p)
        let status = try p.rollout("status", asOf: "2025-04-14")
        #expect(status.stdout.contains("✘"), "the fixture's pilot gate has an unmet criterion: \(status.stdout)")
        let bare = try p.rollout("approve", "pilot", "--by", "Chen Jing", "--role", "steering", "--decision", "go",
                                 asOf: "2025-04-14")
        #expect(bare.status == 1)
        #expect(bare.stderr.contains("has unmet criteria"))
        #expect(bare.stderr.contains("a go vote waives them, so it needs --note"))
        let vote = try p.rollout("approve", "pilot", "--by", "Chen Jing", "--role", "steering", "--decision", "go",
                                 "--note", "The control's figure is seasonal",
                                 "--condition", "Train the West team before cut-over", asOf: "2025-04-14")
        #expect(vote.status == 0, "\(vote.stderr)")
        let after = try p.rollout("status", asOf: "2025-04-14")
        #expect(after.stdout.contains("waived (not met): "))
        #expect(after.stdout.contains("on condition: Train the West team before cut-over"))

        let out = p.dir.file("report")
        #expect(try p.rollout("report", "--format", "md", "--format", "json", "--out", out, asOf: "2025-04-14").status == 0)
        let markdown = try String(contentsOfFile: out + "/evaluation.md", encoding: .utf8)
        #expect(markdown.contains("  - Waived (not met): "))
        #expect(markdown.contains("  - On condition: Train the West team before cut-over"))
        // Not every criterion is met, so the computed recommendation is rework, with the reason.
        #expect(markdown.contains("## Recommendation: REWORK"))
        #expect(markdown.contains("- ✘ "))
        #expect(markdown.contains("The committee has not decided yet"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/evaluation.json")))
            as? [String: Any]
        let recommendation = json?["recommendation"] as? [String: Any]
        #expect(recommendation?["decision"] as? String == "rework")
        #expect(recommendation?["phaseID"] as? String == "pilot")
    }

    @Test func judgementsAnswerTheEvidenceQuestionsAndAnOutcomeEvaluationKeepsItsSnapshot() throws {
        let p = try Project()
        try p.reachFirstGate()
        let missingVerdict = try p.rollout("judgement", "add", "--topic", "outcome", "--by", "Li Wei", "--text", "Fine",
                                           asOf: "2025-03-20")
        #expect(missingVerdict.status == 1)
        #expect(missingVerdict.stderr.contains("needs --verdict achieved, partly or not-achieved"))
        let wrongVerdict = try p.rollout("judgement", "add", "--topic", "customer", "--verdict", "achieved", "--by", "Li Wei",
                                         "--text", "Fine", asOf: "2025-03-20")
        #expect(wrongVerdict.status == 1)
        let customer = try p.rollout("judgement", "add", "--topic", "customer", "--by", "Li Wei",
                                     "--text", "Fewer complaints about callbacks", asOf: "2025-03-20")
        #expect(customer.status == 0, "\(customer.stderr)")
        let outcome = try p.rollout("judgement", "add", "--topic", "outcome", "--verdict", "partly", "--by", "Li Wei",
                                    "--text", "Service met its goals; sales did not grow", asOf: "2025-03-20")
        #expect(outcome.stdout.contains("with snapshot outcome:1 (sha256 "))
        let list = try p.rollout("judgement", "list", "--topic", "outcome", asOf: "2025-03-20")
        #expect(list.stdout == "#2 2025-03-20 outcome (partly) by Li Wei: Service met its goals; sales did not grow\n")

        let out = p.dir.file("report")
        #expect(try p.rollout("report", "--format", "md", "--out", out, asOf: "2025-03-20").status == 0)
        let markdown = try String(contentsOfFile: out + "/evaluation.md", encoding: .utf8)
        let customerSection = try #require(markdown.range(of: "### What did the customers experience?"))
        let afterCustomer = markdown[customerSection.upperBound...]
        #expect(afterCustomer.prefix(400).contains("*Li Wei* (2025-03-20): Fewer complaints about callbacks"))
        #expect(markdown.contains("**partly** — *Li Wei* (2025-03-20): Service met its goals; sales did not grow "
                                  + "(snapshot `outcome:1`, sha256 `"))
        #expect(markdown.contains("### Performance evaluation"))
    }
}

/// The XLSX report: a sheet per section, numbers as numbers, text kept as text.
@Suite struct ReportWorkbookTests {
    @Test func theWorkbookHasASheetPerSectionAndKeepsTextAsText() throws {
        let p = try ProjectWorkflowTests.Project()
        try p.reachFirstGate()
        #expect(try p.rollout("approve", "preparation", "--by", "Chen Jing", "--role", "steering", "--decision", "go",
                              "--note", "Charter agreed 2/4", asOf: "2025-03-17").status == 0)
        #expect(try p.rollout("lesson", "add", "--phase", "preparation", "--category", "delay", "--what", "00123",
                              "--delay-days", "3", "--cost", "1500.5", asOf: "2025-03-17").status == 0)
        let out = p.dir.file("report")
        let written = try p.rollout("report", "--format", "xlsx", "--out", out, asOf: "2025-03-17")
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout == out + "/evaluation.xlsx\n")
        let book = try XLSXReader(path: out + "/evaluation.xlsx")
        #expect(book.sheetNames == ReportWorkbook.sheetNames)
        let votes = try book.rows(inSheet: "Votes")
        #expect(votes.first?.values.prefix(6) == ["Phase", "Attempt", "Role", "Voter", "Decision", "Note"])
        #expect(votes.dropFirst().first?.values[5] == "Charter agreed 2/4")
        let lessons = try book.rows(inSheet: "Lessons")
        let lesson = try #require(lessons.dropFirst().first?.values)
        #expect(lesson[2] == "00123")          // text, not the number 123
        #expect(lesson[3] == "3")
        #expect(Double(lesson[5]) == 1500.5)   // a number cell, unrounded
        let summary = try book.rows(inSheet: "Summary").map(\.values)
        #expect(summary.contains { $0.first == "Recommendation" })
        let snapshots = try book.rows(inSheet: "Snapshots").dropFirst().map { $0.values[0] }
        #expect(snapshots == ["baseline", "gate:preparation:1"])
        let hash = try book.rows(inSheet: "Snapshots").dropFirst().first?.values[2] ?? ""
        #expect(hash.count == 64)
    }
}
