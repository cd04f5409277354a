/// A small YAML document read as plain values, for the project's other YAML files (an import's
/// column mapping): scalars as their text, lists and mappings.
///
/// ```swift
/// let mapping = try YAMLValue.parse(text, path: "mapping.yaml")
/// let columns = mapping["columns"]?.stringMapping ?? [:]
/// ```
public enum YAMLValue: Sendable, Hashable {
    case scalar(String)
    case null
    case list([YAMLValue])
    case mapping([String: YAMLValue])

    /// The document's root value; a syntax error throws a diagnostic located in `path`.
    public static func parse(_ text: String, path: String) throws(PlaybookDiagnostic) -> YAMLValue {
        let file = SourceFile(path: path)
        let root = YAMLDocument.compose(text, into: file)
        if let problem = file.diagnostics.first { throw problem }
        return root.map(value) ?? .null
    }

    private static func value(_ node: Node) -> YAMLValue {
        switch node {
        case .scalar(let scalar): scalar.type == .null ? .null : .scalar(scalar.string)
        case .sequence(let sequence): .list(sequence.items.map(value))
        case .mapping(let mapping):
            .mapping(Dictionary(mapping.pairs.map { ($0.key.string ?? "", value($0.value)) }, uniquingKeysWith: { _, last in last }))
        }
    }

    public subscript(key: String) -> YAMLValue? {
        if case .mapping(let values) = self { values[key] } else { nil }
    }

    /// The keys of a mapping, sorted; empty otherwise.
    public var keys: [String] {
        if case .mapping(let values) = self { values.keys.sorted() } else { [] }
    }

    /// A mapping whose values are scalars, as texts; nil if it is not one.
    public var stringMapping: [String: String]? {
        guard case .mapping(let values) = self else { return nil }
        var result: [String: String] = [:]
        for (key, value) in values {
            guard case .scalar(let text) = value else { return nil }
            result[key] = text
        }
        return result
    }
}

extension PlaybookDiagnostic: Error {}
