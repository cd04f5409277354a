import Foundation
import RolloutTesting
import Testing

/// `rollout demo`, the main job, as a user runs it.
@Suite struct DemoTests {
    @Test func theDemoWritesTheThreeReportsAndItsWorkspaceIntoItsDirectory() throws {
        let dir = try TemporaryDirectory("demo")
        let out = dir.file("out")
        let result = try E2E.binary.run(["demo", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["evaluation.html", "evaluation.md", "evaluation.json", "evaluation.xlsx", "rollout.sqlite"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "missing \(file)")
        }
        #expect(result.stdout.contains("Evaluation: \(out)/evaluation.html"))
        let html = try String(contentsOfFile: "\(out)/evaluation.html", encoding: .utf8)
        #expect(html.contains("<svg"))
        #expect(html.contains("<style>"))
        #expect(!html.contains("<link") && !html.contains("<script src"), "the HTML must be self-contained")
        // Each pilot KPI carries its evidence: the interval holds the estimate, the verdict follows the interval.
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/evaluation.json")))
            as? [String: Any]
        let pilotKPIs = try #require(report?["pilotKPIs"] as? [[String: Any]])
        #expect(pilotKPIs.count == 8)
        for kpi in pilotKPIs {
            let statistics = try #require(kpi["statistics"] as? [String: Any], "\(kpi["id"] ?? "?") has no statistics")
            let interval = try #require(statistics["confidenceInterval"] as? [Double])
            let estimate = try #require(statistics["differenceInDifferences"] as? Double)
            #expect(interval.count == 2 && interval[0] <= estimate && estimate <= interval[1])
            #expect(statistics["pValue"] is Double)
            let trends = try #require(kpi["parallelTrends"] as? [String: Any])
            #expect(trends["pilotSlope"] is Double && trends["controlSlope"] is Double && trends["parallel"] is Bool)
        }
        #expect(html.contains("95 % CI"))
        // The last gate's criteria are met, the NPV is positive: the recommendation is go, as decided.
        let recommendation = try #require(report?["recommendation"] as? [String: Any])
        #expect(recommendation["decision"] as? String == "go")
        #expect(recommendation["committeeDecision"] as? String == "go")
        #expect(result.stdout.contains("Recommendation go, committee decided go"))
        let evidence = try #require(report?["evidence"] as? [[String: Any]])
        #expect(evidence.map { $0["topic"] as? String } == ["success", "assumptions", "gaps", "continuing", "goals", "customer"])
        #expect(html.contains("<h2>KPI trends</h2>"))
        // Value per role, from the playbook's time-saved benefits: 2 h a week × CNY 150 × 40 reps × 46 weeks
        // = 552 000 a year, × confidence 0.9 = 496 800, 12 420 per rep.
        let roles = try #require(report?["valuePerRole"] as? [[String: Any]])
        let reps = try #require(roles.first { $0["role"] as? String == "sales-rep" })
        #expect(reps["fullYearValue"] as? Double == 552_000)
        #expect(abs((reps["riskAdjustedValue"] as? Double ?? 0) - 496_800) < 1e-6)
        #expect(abs((reps["perPerson"] as? Double ?? 0) - 12_420) < 1e-6)
        let markdown = try String(contentsOfFile: "\(out)/evaluation.md", encoding: .utf8)
        #expect(markdown.contains("| not conclusive |"), "a KPI whose interval contains zero must not be called better")
        // The ROI carries its sensitivity (a tornado in the HTML) and its Monte Carlo range; `rollout roi --json`
        // gives the same analysis.
        let roi = try #require(report?["roi"] as? [String: Any])
        let bars = try #require((roi["sensitivity"] as? [String: Any])?["bars"] as? [[String: Any]])
        #expect(bars.count >= 8)
        let monteCarlo = try #require(roi["monteCarlo"] as? [String: Any])
        #expect(monteCarlo["runs"] as? Int == 10_000 && monteCarlo["seed"] as? Int == 20_250_303)
        #expect(html.contains("aria-label=\"NPV with each driver ±20 %"))
        #expect(markdown.contains("### Sensitivity (±20 %)") && markdown.contains("### Monte Carlo: the range of the NPV"))
        let roiJSON = try E2E.binary.run(["roi", "--db", "\(out)/rollout.sqlite", "--json"])
        let roiCommand = try JSONSerialization.jsonObject(with: Data(roiJSON.stdout.utf8)) as? [String: Any]
        #expect((roiCommand?["monteCarlo"] as? [String: Any])?["p50"] as? Double == monteCarlo["p50"] as? Double)
        #expect(roiCommand?["sensitivity"] is [String: Any])
        let roiText = try E2E.binary.run(["roi", "--db", "\(out)/rollout.sqlite"])
        #expect(roiText.stdout.contains("Sensitivity (±20 %), widest swing first:"))
        #expect(roiText.stdout.contains("Monte Carlo (10000 runs, seed 20250303):"))
        // Every command works on the demo's workspace afterwards.
        let status = try E2E.binary.run(["status", "--db", "\(out)/rollout.sqlite", "--json"])
        #expect(status.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect((json?["project"] as? [String: Any])?["status"] as? String == "completed")
        #expect((json?["phases"] as? [[String: Any]])?.count == 9)
    }

    @Test func theDemosFinalStateIsIdenticalAcrossTwoRunsWithTheSameSeed() throws {
        let dir = try TemporaryDirectory("demo-twice")
        for name in ["a", "b"] {
            let result = try E2E.binary.run(["demo", "--out", dir.file(name), "--seed", "7"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try E2E.dump(dir.file("a/rollout.sqlite")) == E2E.dump(dir.file("b/rollout.sqlite")))
        for file in ["evaluation.json", "evaluation.md", "evaluation.html"] {
            #expect(FileManager.default.contents(atPath: dir.file("a/\(file)")) == FileManager.default.contents(atPath: dir.file("b/\(file)")),
                    "\(file) differs")
        }
        let other = try E2E.binary.run(["demo", "--out", dir.file("c"), "--seed", "8"])
        #expect(other.status == 0)
        #expect(try E2E.dump(dir.file("a/rollout.sqlite")) != E2E.dump(dir.file("c/rollout.sqlite")))
    }

    @Test func aFinishedDemoSaysSoAndChangesNothing() throws {
        let dir = try TemporaryDirectory("demo-finished")
        let out = try E2E.seededWorkspace(in: dir)
        #expect(try E2E.binary.run(["demo", "--out", out]).status == 0)
        let before = try E2E.dump("\(out)/rollout.sqlite")
        let report = FileManager.default.contents(atPath: "\(out)/evaluation.html")
        let again = try E2E.binary.run(["demo", "--out", out])
        #expect(again.status == 0)
        #expect(again.stdout.contains("already finished; nothing changed"))
        #expect(try E2E.dump("\(out)/rollout.sqlite") == before)
        #expect(FileManager.default.contents(atPath: "\(out)/evaluation.html") == report)
    }

    @Test func aDemoDirectorySeededWithAnotherSeedIsRefused() throws {
        let dir = try TemporaryDirectory("demo-other-seed")
        let out = try E2E.seededWorkspace(in: dir)   // seed 42
        let result = try E2E.binary.run(["demo", "--out", out, "--seed", "9"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("seeded with --seed 42"))
    }
}
