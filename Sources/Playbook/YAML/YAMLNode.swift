/// Where a node starts in a playbook file: 1-based line and column (columns count Unicode
/// scalars, as libyaml does) and which of the compilation's files (`SourceFile.paths`) it is in.
struct Mark: Hashable, Sendable {
    // Stored as 32-bit numbers: every node has a mark, and a smaller node is cheaper to copy.
    private var storedLine: Int32
    private var storedColumn: Int32
    private var storedFile: Int32

    var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }
    var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }
    var file: Int {
        get { Int(storedFile) }
        set { storedFile = Int32(clamping: newValue) }
    }

    init(line: Int, column: Int, file: Int = 0) {
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
        storedFile = Int32(clamping: file)
    }
}

/// The type YAML gives a scalar: what its tag says, or for a plain scalar what it looks like.
enum ScalarType: Sendable, Hashable {
    case null, bool, int, float, str
}

/// One node of a YAML document, composed from libyaml's events by `YAMLComposer`. Aliases are
/// resolved to (copies of) their anchored nodes, so the tree has only three kinds of node.
enum Node: Sendable {
    struct Scalar: Sendable {
        enum Style: Sendable, Hashable {
            case plain, singleQuoted, doubleQuoted, literal, folded
        }

        var string: String
        var style: Style
        /// The resolved type: from an explicit tag (`!!str 12`), else `str` for quoted and block
        /// scalars and the implicit type of a plain one.
        var type: ScalarType
        var mark: Mark
    }

    struct Mapping: Sendable, Swift.Sequence {
        var pairs: [(key: Node, value: Node)]
        var mark: Mark

        var count: Int { pairs.count }
        var isEmpty: Bool { pairs.isEmpty }
        func makeIterator() -> IndexingIterator<[(key: Node, value: Node)]> { pairs.makeIterator() }
    }

    struct Sequence: Sendable, Swift.Sequence {
        var items: [Node]
        var mark: Mark

        var count: Int { items.count }
        var isEmpty: Bool { items.isEmpty }
        func makeIterator() -> IndexingIterator<[Node]> { items.makeIterator() }
    }

    case scalar(Scalar)
    case mapping(Mapping)
    case sequence(Sequence)

    var mark: Mark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .mapping(let mapping): mapping.mark
        case .sequence(let sequence): sequence.mark
        }
    }

    /// The text of a scalar; nil for collections.
    var string: String? {
        if case .scalar(let scalar) = self { scalar.string } else { nil }
    }

    var scalar: Scalar? {
        if case .scalar(let scalar) = self { scalar } else { nil }
    }

    /// The type of a scalar; nil for collections.
    var scalarTag: ScalarType? {
        if case .scalar(let scalar) = self { scalar.type } else { nil }
    }

    /// `key: ~`, `key: null` and `key:` with nothing after it.
    var isNull: Bool { scalarTag == .null }

    /// What was written, as a message names it: "a list", "the number 12", "'two weeks'".
    var found: String {
        switch self {
        case .mapping(let mapping): return mapping.isEmpty ? "an empty mapping" : "a mapping"
        case .sequence(let sequence): return sequence.isEmpty ? "an empty list" : "a list"
        case .scalar(let scalar):
            switch scalar.type {
            case .null: return "nothing"
            case .int, .float: return "the number \(scalar.string)"
            case .bool: return scalar.string
            case .str: return "'\(scalar.string)'"
            }
        }
    }

    /// The value of a mapping's key written as a scalar, if any.
    subscript(key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.pairs.last { $0.key.string == key }?.value
    }
}
