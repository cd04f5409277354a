import Foundation
import Playbook
import Testing

/// `docs/playbook-reference.md` is the reference consultants read: it must list every diagnostic code.
@Suite struct DocumentationTests {
    @Test(arguments: DiagnosticCode.allCases) func diagnosticCodeIsDocumented(_ code: DiagnosticCode) throws {
        let reference = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("docs/playbook-reference.md"),
                                   encoding: .utf8)
        #expect(reference.contains("`\(code.rawValue)`"))
    }
}
