import Foundation
import RolloutTesting
import Testing

/// `rollout check` as a consultant meets it: every problem located as FILE:LINE:COL.
@Suite struct CheckCommandTests {
    func check(_ text: String, name: String = "playbook.yaml") throws -> (RolloutBinary.Result, String) {
        let dir = try TemporaryDirectory("check")
        let path = try dir.write(name, text)
        return (try E2E.binary.run(["check", path]), path)
    }

    @Test func theBundledPlaybookChecksCleanWithAOneLineSummary() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("Playbooks/standard-nine-phase.yaml").path
        let result = try E2E.binary.run(["check", path])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("\(path): ok: playbook 'standard-nine-phase', 9 phases,"))
        #expect(result.stdout.hasSuffix("8 KPIs, 3 goals, 1 pilot group; 0 warnings\n"))
        #expect(result.stdout.split(separator: "\n").count == 1)
    }

    @Test func aMisspelledKPIInAGateIsReportedAtTheReferenceWithASuggestion() throws {
        let text = try E2E.fixture("two-phase.yaml")
            .replacingOccurrences(of: "- { kpi: lead_response_hours, at_most: 8 }", with: "- { kpi: lead_respons_hours, at_most: 8 }")
        let (result, path) = try check(text)
        let (line, column) = E2E.position(of: "lead_respons_hours", in: text)
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(path):\(line):\(column): error["))
        #expect(result.stdout.contains("'lead_respons_hours'"))
        #expect(result.stdout.contains("(did you mean 'lead_response_hours'?)"))
    }

    @Test func aDuplicatePhaseIdIsReportedAtItsSecondOccurrence() throws {
        let text = try E2E.fixture("two-phase.yaml").replacingOccurrences(of: "  - id: pilot\n", with: "  - id: preparation\n")
        let (result, path) = try check(text)
        let (line, column) = E2E.position(of: "preparation", in: text, occurrence: 2)
        #expect(result.status == 1)
        let expected = "\(path):\(line):\(column): error[duplicate-id]: duplicate phase id 'preparation'"
        #expect(result.stdout.contains(expected), "stdout: \(result.stdout)")
    }

    @Test func aYAMLSyntaxErrorIsReportedWhereItIs() throws {
        let text = try E2E.fixture("two-phase.yaml").replacingOccurrences(of: "title: Two-phase test rollout",
                                                                         with: "title: \"Two-phase test rollout")
        let (result, path) = try check(text)
        let (line, column) = E2E.position(of: "\"Two-phase", in: text)
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(path):\(line):\(column): error[yaml-syntax]: "), "stdout: \(result.stdout)")
    }

    @Test func everyProblemIsReportedInOnePass() throws {
        let text = try E2E.fixture("two-phase.yaml")
            .replacingOccurrences(of: "- { kpi: lead_response_hours, at_most: 8 }", with: "- { kpi: lead_respons_hours, at_most: 8 }")
            .replacingOccurrences(of: "  - id: pilot\n", with: "  - id: preparation\n")
            .replacingOccurrences(of: "approvers: [steering, pm]", with: "approvers: [steering, pmm]")
        let (result, _) = try check(text)
        #expect(result.status == 1)
        let errors = result.stdout.split(separator: "\n").filter { $0.contains(": error[") }
        #expect(errors.count >= 3)
        #expect(result.stdout.contains("'pmm'"))
    }

    @Test func jsonOutputListsTheDiagnosticsForEditors() throws {
        let dir = try TemporaryDirectory("check-json")
        let text = try E2E.fixture("two-phase.yaml").replacingOccurrences(of: "approvers: [steering, pm]", with: "approvers: [steering, pmm]")
        let path = try dir.write("p.yaml", text)
        let result = try E2E.binary.run(["check", path, "--format", "json"])
        #expect(result.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let diagnostics = json?.first?["diagnostics"] as? [[String: Any]]
        #expect(diagnostics?.contains { ($0["severity"] as? String) == "error" && ($0["message"] as? String)?.contains("pmm") == true } == true)
    }
}
