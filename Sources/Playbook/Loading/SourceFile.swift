/// The files being read for one playbook — the playbook itself first, then any base it extends
/// and fragments it includes — and the problems found in them so far.
///
/// One is shared by every rule that reads a part of the text, so a single pass collects every problem.
final class SourceFile {
    /// Path of each file as the user (or the including file) gave it; `Mark.file` indexes it.
    private(set) var paths: [String]
    /// The text of each file, by path, for rendering diagnostics with their source line.
    private(set) var texts: [String: String] = [:]
    private(set) var diagnostics: [PlaybookDiagnostic] = []
    /// Whether any file read so far contains `${`, so that parameter substitution can be skipped.
    var hasParameterReferences = false

    init(path: String) {
        self.paths = [path]
    }

    var path: String { paths[0] }

    /// Registers another file of the compilation; its nodes' marks carry the returned index.
    func add(path: String, text: String) -> Int {
        paths.append(path)
        texts[path] = text
        return paths.count - 1
    }

    func record(text: String, of index: Int) {
        texts[paths[index]] = text
    }

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: paths[mark?.file ?? 0], line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    func location(of node: Node) -> SourceLocation {
        location(node.mark)
    }

    /// Where a scalar's text starts: after the opening quote of a quoted scalar.
    func textLocation(of node: Node) -> SourceLocation {
        var start = location(of: node)
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            start.column += 1
        }
        return start
    }

    func report(_ diagnostic: PlaybookDiagnostic) {
        diagnostics.append(diagnostic)
    }

    func error(_ code: DiagnosticCode, _ message: String, at node: Node, suggestion: String? = nil) {
        report(.error(code, message, at: location(of: node), suggestion: suggestion))
    }
}
