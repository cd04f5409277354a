import Foundation
import Playbook
import Testing

/// Every diagnostic the compiler can produce, each triggered by the smallest playbook that
/// produces it, with its exact code, severity, line and column; and a check that no code of
/// `DiagnosticCode` is left without such a playbook (except those that cannot be produced yet).
///
/// Positions are computed from the inline text by searching for the offending token, so that a
/// case reads as "the error is at `nobody`" rather than as a pair of numbers.
@Suite struct DiagnosticCoverageTests {
    // MARK: The cases

    /// The codes that have a case below: `everyDiagnosticCodeHasATest` compares them with `DiagnosticCode.allCases`.
    static let covered: Set<String> = Set(cases.map(\.code.rawValue))

    /// Codes of composition (`extends:`, `include:`, `parameters:`): they need files on disk, so
    /// their locations are asserted in CompositionTests rather than with the inline cases here.
    static let pendingCodes: Set<String> = [
        "unreadable-include", "composition-cycle", "unknown-parameter", "missing-parameter",
    ]

    /// The catalog and actions of the other Playbook tests, and two CRM entities with typed fields
    /// (`rollout check` passes the CRM's; this test uses its own small set).
    static let context = PlaybookContext(metrics: Fixture.context.metrics, actions: Fixture.context.actions,
                                         pluginActions: ["demo.tag"], checks: ["demo.ready"],
                                         entities: ["lead": ["status": .text, "email": .text, "phone": .text]])

    /// The top of every inline playbook.
    static let head = """
        playbook: p
        version: 1
        title: T

        """

    /// A phase with everything a warning-free phase needs, for playbooks that test something else.
    static let gatedPhase = """
          - id: a
            name: A
            duration: 1w
            gate: { approvers: [pm] }

        """

    static let pm = """
        organisation:
          roles:
            - { id: pm, name: Project manager, side: customer }

        """

    static let cases: [DiagnosticCase] = [
        // Reading the file
        DiagnosticCase(.unreadableFile, .error, file: "no/such/dir/missing.yaml", at: .start),
        DiagnosticCase(.yamlSyntax, .error, """
            playbook: p
            version: 1
            title: "never closed
            phases: []
            """, at: Anchor("\"never")),
        DiagnosticCase(.duplicateKey, .error, head + """
            title: Again
            phases: []
            """, at: Anchor("title: Again")),
        DiagnosticCase(.emptyPlaybook, .error, "# nothing but a comment\n", at: .start),

        // Loading: the shape of the text
        DiagnosticCase(.unknownKey, .error, head + """
            descripton: A typo
            phases: []
            """, at: Anchor("descripton")),
        DiagnosticCase(.missingKey, .error, head + """
            phases:
              - id: a
                name: A
            """, at: Anchor("id: a")),
        DiagnosticCase(.conflictingKeys, .error, head + """
            phases:
              - id: a
                name: A
                duration: 1w
                gate:
                  criteria:
                    - { kpi: k1, deliverable: doc1 }
            """, at: Anchor("deliverable: doc1")),
        DiagnosticCase(.wrongType, .error, head + "phases: soon\n", at: Anchor("soon")),
        DiagnosticCase(.invalidValue, .error, head + """
            organisation:
              roles:
                - { id: pm, name: Project manager, side: both }
            phases: []
            """, at: Anchor("both")),
        DiagnosticCase(.invalidID, .error, head + """
            phases:
              - id: kick off
                name: Kick-off
                duration: 1w
            """, at: Anchor("kick off")),
        DiagnosticCase(.outOfRange, .error, """
            playbook: p
            version: 0
            title: T
            phases: []
            """, at: Anchor("version: 0", offset: 9)),
        DiagnosticCase(.emptyGroup, .error, head + """
            pilot_groups:
              - id: east
                name: East
                members: { teams: [] }
            phases: []
            """, at: Anchor("{ teams: [] }")),

        // Validation: ids and references
        DiagnosticCase(.duplicateID, .error, head + pm + "phases:\n" + gatedPhase + gatedPhase,
                       at: Anchor("id: a", occurrence: 2, offset: 4)),
        DiagnosticCase(.unknownRole, .error, head + """
            phases:
              - id: a
                name: A
                duration: 1w
                owner: nobody
            """, at: Anchor("nobody")),
        DiagnosticCase(.unknownKPI, .error, head + """
            goals:
              - { id: g, level: department, statement: Sell more, kpis: [nope] }
            phases: []
            """, at: Anchor("nope")),
        DiagnosticCase(.unknownMetric, .error, head + """
            kpis:
              - { id: k1, name: K, metric: lead.nope, window: 30d, direction: higher_is_better }
            phases: []
            """, at: Anchor("lead.nope")),
        DiagnosticCase(.unknownPilotGroup, .error, head + """
            phases:
              - id: a
                name: A
                duration: 1w
                pilot: nope
            """, at: Anchor("nope")),
        DiagnosticCase(.unknownTask, .error, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                tasks:
                  - { id: t1, name: T1, owner: pm, duration: 1d, depends_on: [nope] }
            """, at: Anchor("nope")),
        DiagnosticCase(.unknownDeliverable, .error, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                tasks:
                  - { id: t1, name: T1, owner: pm, duration: 1d, deliverable: nope }
            """, at: Anchor("nope")),
        DiagnosticCase(.unknownAction, .error, head + """
            phases:
              - id: a
                name: A
                duration: 1w
                actions: [kpi.snap]
            """, at: Anchor("kpi.snap")),
        DiagnosticCase(.unknownCheck, .error, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                gate:
                  approvers: [pm]
                  criteria: [{ check: demo.redy }]
            """, at: Anchor("demo.redy")),
        DiagnosticCase(.noPilotGroup, .error, head + kpiK1 + """
            phases:
              - id: a
                name: A
                duration: 1w
                gate:
                  criteria:
                    - { kpi: k1, group: pilot, at_most: 3 }
            """, at: Anchor("{ kpi: k1")),
        DiagnosticCase(.noControlGroup, .error, head + kpiK1 + """
            phases:
              - id: a
                name: A
                duration: 1w
                gate:
                  criteria:
                    - { kpi: k1, beats_control: true }
            """, at: Anchor("{ kpi: k1")),
        DiagnosticCase(.dependencyCycle, .error, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                tasks:
                  - { id: t1, name: T1, owner: pm, duration: 1d, depends_on: [t1] }
            """, at: Anchor("[t1]", offset: 1)),
        DiagnosticCase(.unknownState, .error, head + """
            processes:
              - id: leads
                name: Lead handling
                entity: lead
                to_be:
                  states:
                    - { id: new, initial: true }
                    - { id: done, final: true }
                  transitions:
                    - { from: new, to: nowhere, event: activity_logged }
            phases: []
            """, at: Anchor("nowhere")),
        DiagnosticCase(.unknownEntity, .error, head + """
            processes:
              - id: widgets
                name: Widget handling
                entity: widget
                to_be:
                  states:
                    - { id: new, initial: true, final: true }
            phases: []
            """, at: Anchor("entity: widget", offset: 8)),
        DiagnosticCase(.initialState, .error, head + """
            processes:
              - id: leads
                name: Lead handling
                entity: lead
                to_be:
                  states:
                    - { id: new }
                    - { id: done, final: true }
                  transitions:
                    - { from: new, to: done, event: activity_logged }
            phases: []
            """, at: Anchor("states:")),
        DiagnosticCase(.unknownPhase, .error, head + pm + "phases:\n" + gatedPhase + """
            cycles:
              - { id: c, name: C, phases: [nope] }
            """, at: Anchor("nope")),
        DiagnosticCase(.cyclePhases, .error, head + """
            phases:
              - id: a
                name: A
                duration: 1w
            cycles:
              - { id: c, name: C, phases: [a] }
            """, at: Anchor("[a]", offset: 1)),

        // Conditions
        DiagnosticCase(.conditionSyntax, .error, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                entry: ["lessons.count = 5"]
                gate: { approvers: [pm] }
            """, at: Anchor("= 5")),
        DiagnosticCase(.unknownName, .error, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                entry: ["lesson.count >= 5"]
                gate: { approvers: [pm] }
            """, at: Anchor("lesson.count")),
        DiagnosticCase(.conditionType, .error, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                gate:
                  approvers: [pm]
                  criteria:
                    - { condition: "lessons.count >= 'five'" }
            """, at: Anchor("lessons.count")),
        DiagnosticCase(.nonBooleanCondition, .error, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                gate:
                  approvers: [pm]
                  criteria:
                    - { condition: "lessons.count + 1" }
            """, at: Anchor("lessons.count")),
        DiagnosticCase(.unknownProcess, .error, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                actions: [{ process.start: { process: leads } }]
                gate: { approvers: [pm] }
            """, at: Anchor("process.start")),
        DiagnosticCase(.pilotStartWithoutPilot, .error, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                actions: [pilot.start]
                gate: { approvers: [pm] }
            """, at: Anchor("pilot.start")),

        // Warnings that teach the method: each playbook has no error, or warnings are not reported.
        DiagnosticCase(.goalKPICount, .warning, head + pm + kpiK1 + """
            goals:
              - { id: g, level: department, statement: Sell more, kpis: [k1] }
            phases:
            """ + "\n" + gatedPhase, at: Anchor("id: g", offset: 4)),
        DiagnosticCase(.pilotWithoutControl, .warning, head + pm + """
            pilot_groups:
              - { id: east, name: East, members: { teams: [East Sales] } }
            phases:
            """ + "\n" + gatedPhase, at: Anchor("east")),
        DiagnosticCase(.gateWithoutApprovers, .warning, head + """
            phases:
              - id: a
                name: A
                duration: 1w
                gate:
                  informed: []
            """, at: Anchor("informed:")),
        DiagnosticCase(.phaseWithoutGate, .warning, head + """
            phases:
              - id: a
                name: A
                duration: 1w
            """, at: Anchor("id: a", offset: 4)),
        DiagnosticCase(.deliverableNotProduced, .warning, head + pm + """
            phases:
              - id: a
                name: A
                duration: 1w
                deliverables: [{ id: doc, name: Document }]
                gate: { approvers: [pm] }
            """, at: Anchor("doc")),
        DiagnosticCase(.unusedKPI, .warning, head + pm + kpiK1 + "phases:\n" + gatedPhase,
                       at: Anchor("k1")),
        DiagnosticCase(.expensiveMaintenance, .warning, head + pm + """
            phases:
            """ + "\n" + gatedPhase + """
            costs:
              currency: CNY
              maintenance:
                contract_value: 100000
                rates:
                  - { from_year: 2, rate: 0.08 }
            """, at: Anchor("{ from_year")),
        DiagnosticCase(.unreachableState, .warning, head + pm + """
            processes:
              - id: leads
                name: Lead handling
                entity: lead
                to_be:
                  states:
                    - { id: new, initial: true }
                    - { id: done, final: true }
                    - { id: lost, final: true }
                  transitions:
                    - { from: new, to: done, event: activity_logged }
            phases:
            """ + "\n" + gatedPhase, at: Anchor("lost")),
        DiagnosticCase(.deadEndState, .warning, head + pm + """
            processes:
              - id: leads
                name: Lead handling
                entity: lead
                to_be:
                  states:
                    - { id: new, initial: true }
                    - { id: stuck }
                  transitions:
                    - { from: new, to: stuck, event: activity_logged }
            phases:
            """ + "\n" + gatedPhase, at: Anchor("id: stuck", offset: 4)),
        DiagnosticCase(.processWithoutToBe, .warning, head + pm + """
            processes:
              - id: leads
                name: Lead handling
                entity: lead
                as_is:
                  states:
                    - { id: new, initial: true, final: true }
            phases:
            """ + "\n" + gatedPhase, at: Anchor("id: leads", offset: 4)),
    ]

    /// One KPI, `k1`, for playbooks whose gates or goals need a KPI to exist.
    static let kpiK1 = """
        kpis:
          - { id: k1, name: K1, metric: lead.conversion_rate, window: 30d, direction: higher_is_better }

        """

    // MARK: The tests

    @Test(arguments: cases) func codeIsReportedWithItsSeverityWhereTheProblemIsWritten(_ diagnosticCase: DiagnosticCase) throws {
        let compiler = PlaybookCompiler(context: Self.context)
        let compilation = switch diagnosticCase.input {
        case .text(let yaml): compiler.compile(text: yaml, path: "inline.yaml")
        case .file(let path): compiler.compile(path: path)
        }
        let found = compilation.with(diagnosticCase.code.rawValue)
        #expect(found.count == 1, "expected one \(diagnosticCase.code.rawValue); got \(compilation.diagnostics)")
        let diagnostic = try #require(found.first)
        let expected = try #require(diagnosticCase.position, "anchor not found in the inline playbook")
        #expect(diagnostic.severity == diagnosticCase.severity)
        #expect(diagnostic.position == expected, "\(diagnostic)")
        #expect(diagnostic.location.file == diagnosticCase.path)
        if diagnosticCase.severity == .error {
            #expect(compilation.playbook == nil, "an error stops the playbook")
        } else {
            #expect(!compilation.hasErrors, "a warning case must have no error: \(compilation.errors)")
            #expect(compilation.playbook != nil)
        }
    }

    @Test func everyDiagnosticCodeHasATest() {
        let all = Set(DiagnosticCode.allCases.map(\.rawValue))
        let untested = all.subtracting(Self.covered).subtracting(Self.pendingCodes).sorted()
        #expect(untested.isEmpty, "diagnostic codes with no test in DiagnosticCoverageTests: \(untested)")
        // A pending code that gets a test, or stops existing, must leave `pendingCodes`.
        #expect(Self.pendingCodes.intersection(Self.covered).isEmpty,
                "codes both tested and pending: \(Self.pendingCodes.intersection(Self.covered).sorted())")
        #expect(Self.pendingCodes.subtracting(all).isEmpty,
                "pending codes that DiagnosticCode no longer has: \(Self.pendingCodes.subtracting(all).sorted())")
    }

    @Test func everyDiagnosticCodeIsInTheReferenceTable() throws {
        let reference = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("docs/playbook-reference.md"),
                                   encoding: .utf8)
        let missing = DiagnosticCode.allCases.map(\.rawValue).filter { !reference.contains("| `\($0)` |") }
        #expect(missing.isEmpty, "codes without a row in docs/playbook-reference.md: \(missing)")
    }

    @Test func eachCodeHasExactlyOneCase() {
        let codes = Self.cases.map(\.code.rawValue)
        let repeated = Set(codes.filter { code in codes.filter { $0 == code }.count > 1 }).sorted()
        #expect(repeated.isEmpty, "codes with more than one case: \(repeated)")
    }
}

// MARK: - Support

/// Where a diagnostic is expected: the start of the `occurrence`th occurrence of `token` in the
/// inline text, `offset` characters further on; `.start` is line 1, column 1.
struct Anchor: Sendable {
    var token: String
    var occurrence: Int
    var offset: Int

    init(_ token: String, occurrence: Int = 1, offset: Int = 0) {
        self.token = token
        self.occurrence = occurrence
        self.offset = offset
    }

    static let start = Anchor("")

    /// `line:column` (1-based; columns count Unicode scalars, as diagnostics do), nil when not found.
    func position(in text: String) -> String? {
        guard !token.isEmpty else { return "1:1" }
        var searchFrom = text.startIndex
        var found: Range<String.Index>?
        for _ in 0..<occurrence {
            guard let range = text.range(of: token, range: searchFrom..<text.endIndex) else { return nil }
            found = range
            searchFrom = range.upperBound
        }
        guard let start = found?.lowerBound else { return nil }
        let before = text[..<start]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
        let column = before[lineStart...].unicodeScalars.count + 1 + offset
        return "\(line):\(column)"
    }
}

/// One diagnostic code, the smallest input that produces it, and where.
struct DiagnosticCase: Sendable, CustomTestStringConvertible {
    enum Input: Sendable {
        case text(String)
        case file(String)
    }

    var code: DiagnosticCode
    var severity: PlaybookDiagnostic.Severity
    var input: Input
    var anchor: Anchor

    init(_ code: DiagnosticCode, _ severity: PlaybookDiagnostic.Severity, _ yaml: String, at anchor: Anchor) {
        self.code = code
        self.severity = severity
        self.input = .text(yaml)
        self.anchor = anchor
    }

    init(_ code: DiagnosticCode, _ severity: PlaybookDiagnostic.Severity, file: String, at anchor: Anchor) {
        self.code = code
        self.severity = severity
        self.input = .file(file)
        self.anchor = anchor
    }

    /// The file name diagnostics carry.
    var path: String {
        switch input {
        case .text: "inline.yaml"
        case .file(let path): path
        }
    }

    /// The expected `line:column`.
    var position: String? {
        switch input {
        case .text(let yaml): anchor.position(in: yaml)
        case .file: anchor.position(in: "")
        }
    }

    var testDescription: String { code.rawValue }
}
