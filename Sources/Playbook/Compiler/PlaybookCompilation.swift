/// The outcome of compiling a playbook: the checked model when there is no error, and every
/// diagnostic — errors and warnings — sorted by position in the file.
public struct PlaybookCompilation: Sendable {
    /// nil whenever any error exists; warnings alone do not stop a playbook.
    public var playbook: Playbook?
    /// Sorted by line, then column; errors before warnings at the same place.
    public var diagnostics: [PlaybookDiagnostic]
    /// Path → text of every file read (the playbook, bases, fragments), for `renderedDiagnostics`.
    public var sources: [String: String]

    /// Keeps `playbook` only if `diagnostics` holds no error; sorts and de-duplicates the diagnostics.
    public init(playbook: Playbook?, diagnostics: [PlaybookDiagnostic], sources: [String: String] = [:]) {
        self.sources = sources
        var seen: Set<PlaybookDiagnostic> = []
        let sorted = diagnostics
            .filter { seen.insert($0).inserted }
            .enumerated()
            .sorted { a, b in
                (a.element.location.line, a.element.location.column, a.element.severity == .error ? 0 : 1, a.offset)
                    < (b.element.location.line, b.element.location.column, b.element.severity == .error ? 0 : 1, b.offset)
            }
            .map(\.element)
        self.diagnostics = sorted
        self.playbook = sorted.contains { $0.severity == .error } ? nil : playbook
    }

    public var errors: [PlaybookDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [PlaybookDiagnostic] { diagnostics.filter { $0.severity == .warning } }
    /// Every diagnostic with its source line and a caret under the column (`DiagnosticRenderer`).
    public var renderedDiagnostics: String { DiagnosticRenderer(sources: sources).render(diagnostics) }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
