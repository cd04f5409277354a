import Yams

/// The playbook file being read: its path, for locations, and the problems found in it so far.
///
/// One is shared by every rule that reads a part of the file, so a single pass collects every problem.
final class SourceFile {
    let path: String
    private(set) var diagnostics: [PlaybookDiagnostic] = []

    init(path: String) {
        self.path = path
    }

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: path, line: mark?.line ?? 1, column: mark?.column ?? 1)
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

extension Node {
    /// The resolved YAML tag (`tag:yaml.org,2002:int`…) of a scalar; nil for collections.
    var scalarTag: Tag.Name? {
        guard case .scalar(let scalar) = self else { return nil }
        let name = Tag.Name(rawValue: tag.rawValue)
        // Composed with the `basic` resolver, every untagged scalar is a string; type the plain ones.
        guard name == .str, scalar.style == .plain else { return name }
        return ImplicitScalarType.classify(scalar.string)
    }

    /// `key: ~`, `key: null` and `key:` with nothing after it.
    var isNull: Bool { scalarTag == .null }

    /// What was written, as a message names it: "a list", "the number 12", "'two weeks'".
    var found: String {
        switch self {
        case .mapping(let mapping): return mapping.isEmpty ? "an empty mapping" : "a mapping"
        case .sequence(let sequence): return sequence.isEmpty ? "an empty list" : "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch scalarTag {
            case .null: return "nothing"
            case .int, .float: return "the number \(scalar.string)"
            case .bool: return scalar.string
            default: return "'\(scalar.string)'"
            }
        }
    }
}
