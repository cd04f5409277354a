import Foundation
import RolloutTesting
import Testing

/// `rollout graph` driven as a user would: the built binary writes BPMN that a real BPMN engine
/// (SpiffWorkflow, from PyPI) validates against the BPMN 2.0 schema and runs to the end, SVG
/// that an XML parser reads, and DOT that Graphviz draws.
@Suite("rollout graph")
struct GraphCommandTests {
    let directory: TemporaryDirectory
    let cycleAndProcess: String

    init() throws {
        directory = try TemporaryDirectory("graph")
        cycleAndProcess = try directory.write("graph-cycle-process.yaml", try E2E.fixture("graph-cycle-process.yaml"))
    }

    static var standardPlaybook: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Playbooks/standard-nine-phase.yaml").path
    }

    /// `rollout graph ARGS`, expected to succeed.
    func graph(_ arguments: [String]) throws -> String {
        let result = try E2E.binary.run(["graph"] + arguments)
        #expect(result.status == 0, "graph \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    /// Writes the BPMN of `arguments` to a file and runs it on SpiffWorkflow with `Fixtures/run-bpmn.py`.
    func runOnEngine(_ arguments: [String], process: String, engine options: [String] = []) throws -> EngineRun {
        let file = directory.file("graph-\(UUID().uuidString).bpmn")
        let result = try E2E.binary.run(["graph"] + arguments + ["--format", "bpmn", "--out", file])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let script = try directory.write("run-bpmn.py", try E2E.fixture("run-bpmn.py"))
        let output = try Self.python([script, file, process] + options)
        return try JSONDecoder().decode(EngineRun.self, from: Data(output.utf8))
    }

    struct EngineRun: Decodable {
        var completed: Bool
        /// Times each user task was completed, by the first line of its name.
        var runs: [String: Int]
        /// The names of the end events reached.
        var ended: [String]
    }

    /// Runs `python3 ARGS`; a missing python3 or SpiffWorkflow fails the test with what to install.
    static func python(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return String(decoding: data, as: UTF8.self)
        case 127: throw BinaryError("python3 is not installed; install it, then run .ci/install-deps for SpiffWorkflow")
        case 2 where message.contains("SpiffWorkflow is not installed"):
            throw BinaryError("SpiffWorkflow is not installed for python3; run .ci/install-deps: \(message)")
        default: throw BinaryError("python3 \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(message)")
        }
    }

    // MARK: - BPMN on a real engine

    @Test func theStandardPlaybooksPhaseGraphRunsOnSpiffWorkflowThroughEveryPhaseOnce() throws {
        let run = try runOnEngine([Self.standardPlaybook], process: "Process_standard-nine-phase")
        #expect(run.completed)
        #expect(run.runs == [
            "Project preparation": 1, "Project kick-off": 1, "Analysis and diagnosis": 1, "Design of the new business processes": 1,
            "Prototype test": 1, "Secondary development and confirmation": 1, "End-user training": 1, "Cut-over": 1,
            "New-system support": 1,
        ])
        #expect(run.ended == ["Done"])
    }

    @Test func aCycleRunsAgainOnTheEngineWhileRepeatIsTrueAndThenGoesOn() throws {
        let once = try runOnEngine([cycleAndProcess], process: "Process_graph-cycle-process")
        #expect(once.runs == ["Preparation": 1, "Pilot": 1, "Review & lessons": 1, "Roll out": 1])
        let twice = try runOnEngine([cycleAndProcess], process: "Process_graph-cycle-process", engine: ["--repeat", "2"])
        #expect(twice.runs == ["Preparation": 1, "Pilot": 3, "Review & lessons": 3, "Roll out": 1])
        #expect(twice.ended == ["Done"])
    }

    @Test func aProcessRunsOnTheEngineThroughItsReworkLoopAndEndsInTheChosenFinalState() throws {
        let arguments = [cycleAndProcess, "--process", "lead-handling"]
        let rework = try runOnEngine(arguments, process: "Process_lead-handling_to_be", engine: ["--choose", "Contacted=new"])
        #expect(rework.runs == ["New": 2, "Contacted": 2, "Qualified": 1])
        #expect(rework.ended == ["Converted"])
        let lost = try runOnEngine(arguments, process: "Process_lead-handling_to_be", engine: ["--choose", "Contacted=disqualified"])
        #expect(lost.runs == ["New": 1, "Contacted": 1])
        #expect(lost.ended == ["Disqualified"])
        let asIs = try runOnEngine(arguments + ["--variant", "as_is"], process: "Process_lead-handling_as_is")
        #expect(asIs.runs == ["New": 1])
        #expect(asIs.ended == ["Converted"])
    }

    // MARK: - The other formats

    @Test func mermaidIsTheDefaultAndGoesToStandardOutput() throws {
        let phases = try graph([cycleAndProcess])
        #expect(phases.contains("\nflowchart LR\n"))
        #expect(phases.contains("Gate_review -.->|\"repeat until kpi.lead_response_hours.pilot <= 8, at most 3×\"| Phase_pilot"))
        let process = try graph([cycleAndProcess, "--process", "lead-handling"])
        #expect(process.contains("\nstateDiagram-v2\n"))
        #expect(process.contains("    [*] --> State_new\n"))
    }

    @Test func svgWrittenWithOutParsesAsXML() throws {
        for arguments in [[Self.standardPlaybook], [cycleAndProcess, "--process", "lead-handling"]] {
            let file = directory.file("graph-\(UUID().uuidString).svg")
            let result = try E2E.binary.run(["graph"] + arguments + ["--format", "svg", "--out", file])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "wrote \(file)\n")
            let root = try Self.python(["-c", "import xml.dom.minidom,sys; print(xml.dom.minidom.parse(sys.argv[1]).documentElement.tagName)", file])
            #expect(root == "svg\n")
        }
    }

    static let dot: String? = ["/usr/bin/dot", "/usr/local/bin/dot", "/opt/homebrew/bin/dot"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: dot != nil, "Graphviz's dot is not installed (apt-get install graphviz to run this check)"))
    func graphvizDrawsTheDOT() throws {
        for arguments in [[Self.standardPlaybook], [cycleAndProcess], [cycleAndProcess, "--process", "lead-handling"]] {
            let file = directory.file("graph-\(UUID().uuidString).dot")
            _ = try graph(arguments + ["--format", "dot", "--out", file])
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Self.dot))
            process.arguments = ["-Tsvg", "-o", file + ".svg", file]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0 && message.isEmpty, "dot -Tsvg \(arguments): \(message)")
            #expect(try String(contentsOfFile: file + ".svg", encoding: .utf8).contains("<svg"))
        }
    }

    // MARK: - Refusals

    @Test func anUnknownProcessIsRefusedWithADidYouMeanAndTheKnownIds() throws {
        let result = try E2E.binary.run(["graph", cycleAndProcess, "--process", "lead-handlng"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "error: playbook 'graph-cycle-process' has no process 'lead-handlng' (did you mean "
                + "'lead-handling'?); its processes are: lead-handling\n")
    }

    @Test func aPlaybookWithErrorsPrintsItsDiagnosticsAndDrawsNothing() throws {
        let text = try E2E.fixture("graph-cycle-process.yaml").replacingOccurrences(of: "approvers: [pm]", with: "approvers: [pmm]")
        let path = try directory.write("broken.yaml", text)
        let out = directory.file("broken.bpmn")
        let result = try E2E.binary.run(["graph", path, "--format", "bpmn", "--out", out])
        let (line, column) = E2E.position(of: "pmm", in: text)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(path):\(line):\(column): error[unknown-role]: "), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean 'pm'?"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func variantWithoutProcessIsAUsageError() throws {
        let result = try E2E.binary.run(["graph", cycleAndProcess, "--variant", "as_is"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--variant applies only with --process ID"))
    }
}
