import Foundation
import Playbook
import Testing

/// The playbooks under `Fixtures/`, compiled the way `rollout check` compiles them.
enum Fixture {
    /// The catalog metrics and engine actions the bundled playbook is written against.
    static let context = PlaybookContext(
        metrics: [
            "lead.first_response_hours": "Hours from a lead's creation to its first activity",
            "lead.conversion_rate": "Share of leads converted",
            "opportunity.win_rate": "Share of closed opportunities won",
            "opportunity.sales_cycle_days": "Days from an opportunity's creation to its close",
            "ticket.first_response_sla_compliance": "Share of tickets answered within the SLA",
            "ticket.resolution_hours": "Hours from a ticket's creation to its resolution",
            "user.active_adoption": "Share of users active in the CRM",
            "contact.record_completeness": "Share of required contact fields filled in",
        ],
        actions: ["kpi.baseline", "kpi.snapshot", "pilot.start", "pilot.end", "project.go-live", "notify"])

    /// The fixture's text; its first line is a comment saying what it exercises.
    static func text(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Fixtures"),
                               "no fixture \(name).yaml")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Compiles `Fixtures/<name>.yaml`, naming it by that relative path in diagnostics.
    static func compile(_ name: String, context: PlaybookContext = context) throws -> PlaybookCompilation {
        PlaybookCompiler(context: context).compile(text: try text(name), path: "Fixtures/\(name).yaml")
    }

    /// Compiles YAML written in the test itself (for syntax errors, where every line counts).
    static func compile(yaml: String, context: PlaybookContext = context) -> PlaybookCompilation {
        PlaybookCompiler(context: context).compile(text: yaml, path: "inline.yaml")
    }

    /// The repository this test file belongs to (through the symlinks of a scratch package, if any).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // PlaybookTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }
}

extension PlaybookCompilation {
    /// The diagnostics with `code`.
    func with(_ code: String) -> [PlaybookDiagnostic] {
        diagnostics.filter { $0.code == code }
    }

    /// `code@line:col` of every diagnostic, for comparing a whole result at once.
    var summary: [String] {
        diagnostics.map { "\($0.code)@\($0.location.line):\($0.location.column)" }
    }
}

extension PlaybookDiagnostic {
    /// `line:column`.
    var position: String { "\(location.line):\(location.column)" }
}
