import Foundation
import Playbook
import struct Playbook.SourceLocation
import Testing

/// The facade: files, diagnostics in order, the model only without errors, the source's fingerprint.
@Suite struct CompilerTests {
    @Test func missingFileIsOneErrorAtItsFirstLine() {
        let compilation = PlaybookCompiler().compile(path: "nowhere/missing.yaml")
        #expect(compilation.diagnostics.map(\.description)
            == ["nowhere/missing.yaml:1:1: error[unreadable-file]: cannot read playbook: no such file"])
        #expect(compilation.errors.first?.code == "unreadable-file")
        #expect(compilation.playbook == nil)
    }

    @Test func directoryIsNotAPlaybook() {
        let compilation = PlaybookCompiler().compile(path: NSTemporaryDirectory())
        #expect(compilation.summary == ["unreadable-file@1:1"])
        #expect(compilation.errors.first?.message == "cannot read playbook: this is a directory, not a YAML file")
    }

    @Test func fileThatIsNotUTF8IsOneError() throws {
        let path = NSTemporaryDirectory() + "playbook-\(UUID().uuidString).yaml"
        try Data([0x70, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(PlaybookCompiler().compile(path: path).errors.map(\.message)
            == ["cannot read playbook: the file is not UTF-8 text"])
    }

    @Test func compilingAFileUsesThePathExactlyAsGiven() throws {
        let path = NSTemporaryDirectory() + "playbook-\(UUID().uuidString).yaml"
        try Fixture.text("gate-unknown-kpi").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let compilation = PlaybookCompiler(context: Fixture.context).compile(path: path)
        #expect(compilation.errors.first?.location == SourceLocation(file: path, line: 21, column: 18))
    }

    @Test func descriptionReadsLikeACompilersMessage() {
        let diagnostic = PlaybookDiagnostic.error("unknown-kpi", "gate of phase 'p' uses unknown KPI 'x'",
                                                  at: SourceLocation(file: "Playbooks/x.yaml", line: 14, column: 9))
        #expect(diagnostic.description == "Playbooks/x.yaml:14:9: error[unknown-kpi]: gate of phase 'p' uses unknown KPI 'x'")
        let warning = PlaybookDiagnostic.warning("unused-kpi", "KPI 'k' is used by no goal and no gate",
                                                 at: SourceLocation(file: "a.yaml", line: 3, column: 5), suggestion: nil)
        #expect(warning.description == "a.yaml:3:5: warning[unused-kpi]: KPI 'k' is used by no goal and no gate")
    }

    @Test func diagnosticsAreSortedByLineThenColumnWithErrorsFirst() throws {
        let compilation = try Fixture.compile("references")
        let positions = compilation.diagnostics.map { [$0.location.line, $0.location.column] }
        #expect(positions == positions.sorted { $0.lexicographicallyPrecedes($1) })
        let unsorted = PlaybookCompilation(playbook: nil, diagnostics: [
            .warning("b", "later", at: SourceLocation(file: "f", line: 2, column: 1)),
            .warning("w", "same place", at: SourceLocation(file: "f", line: 1, column: 4)),
            .error("e", "same place", at: SourceLocation(file: "f", line: 1, column: 4)),
            .error("e", "same place", at: SourceLocation(file: "f", line: 1, column: 4)),
        ])
        #expect(unsorted.diagnostics.map(\.code) == ["e", "w", "b"])
    }

    @Test func playbookIsKeptOnlyWithoutErrors() throws {
        let minimal = try Fixture.compile("minimal")
        let here = SourceLocation(file: "f", line: 1, column: 1)
        #expect(PlaybookCompilation(playbook: minimal.playbook, diagnostics: [.warning("w", "w", at: here)]).playbook != nil)
        #expect(PlaybookCompilation(playbook: minimal.playbook, diagnostics: [.error("e", "e", at: here)]).playbook == nil)
    }

    @Test func sourceRecordsTheTextAndItsSHA256() throws {
        let text = try Fixture.text("minimal")
        let playbook = try #require(PlaybookCompiler().compile(text: text, path: "given/path.yaml").playbook)
        #expect(playbook.source.path == "given/path.yaml")
        #expect(playbook.source.text == text)
        #expect(playbook.source.sha256 == PlaybookCompiler.sha256(of: text))
        #expect(PlaybookCompiler.sha256(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
