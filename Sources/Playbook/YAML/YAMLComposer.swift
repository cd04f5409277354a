import CLibYAML

/// Composes a YAML text into a `Node` tree by pulling libyaml's parse events, keeping the line
/// and column of every node.
///
/// It is the only YAML reader of the project (playbooks, fragments, import mapping files). It
/// sits directly on the system libyaml's event API because a general-purpose YAML library spent
/// most of a playbook's compile time building values the compiler throws away
/// (docs/decisions.md, "A YAML loader over libyaml's events").
///
/// Duplicate keys are not fatal: each is handed to `onDuplicateKey` (the later occurrence and
/// the line of the first) and the later value wins, so reading goes on and every problem of a
/// file is found in one pass.
struct YAMLComposer {
    /// Why libyaml stopped: its problem and context, with their marks (1-based).
    struct SyntaxProblem: Error {
        enum Stage { case reader, scanner, parser, composer }
        var stage: Stage
        var problem: String
        var problemMark: Mark
        var context: String?
        var contextMark: Mark?
    }

    /// Which file of the compilation the text is (stored in every node's `Mark`).
    var file: Int
    var onDuplicateKey: (_ key: Node, _ firstLine: Int) -> Void = { _, _ in }

    init(file: Int = 0, onDuplicateKey: @escaping (_ key: Node, _ firstLine: Int) -> Void = { _, _ in }) {
        self.file = file
        self.onDuplicateKey = onDuplicateKey
    }

    /// The first document's root node, nil for an empty text.
    func compose(_ text: String) throws(SyntaxProblem) -> Node? {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // a BOM trips nothing but is noise
        return try bytes.withUnsafeBufferPointer { buffer throws(SyntaxProblem) -> Node? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                throw SyntaxProblem(stage: .reader, problem: "libyaml could not start (out of memory)",
                                    problemMark: Mark(line: 1, column: 1, file: file))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            return try run(&parser)
        }
    }

    /// A collection being composed. Its children are appended in place (`stack[top].children`),
    /// never through a copy of the frame: copying it made every append copy the array.
    private struct Frame {
        var isMapping: Bool
        var mark: Mark
        var anchor: String?
        var items: [Node] = []
        var pairs: [(key: Node, value: Node)] = []
        /// A mapping's key whose value comes next.
        var key: Node?
    }

    private func run(_ parser: inout yaml_parser_t) throws(SyntaxProblem) -> Node? {
        var stack: [Frame] = []
        var anchors: [String: Node] = [:]
        var root: Node?
        var documents = 0
        var event = yaml_event_t()

        func complete(_ node: Node) {
            let top = stack.count - 1
            if top < 0 {
                root = node
            } else if !stack[top].isMapping {
                stack[top].items.append(node)
            } else if let key = stack[top].key {
                stack[top].pairs.append((key, node))
                stack[top].key = nil
            } else {
                stack[top].key = node
            }
        }

        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw problem(parser) }
            defer { yaml_event_delete(&event) }
            let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1, file: file)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw SyntaxProblem(stage: .composer, problem: "a playbook is one YAML document; this '---' starts a "
                                        + "second one (remove it, or split the file)", problemMark: mark)
                }
            case YAML_SCALAR_EVENT:
                let data = event.data.scalar
                let bytes = UnsafeBufferPointer(start: data.value, count: data.value == nil ? 0 : data.length)
                let style: Node.Scalar.Style = switch data.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
                let type: ScalarType = if let tag = data.tag {
                    Self.type(ofTag: String(cString: tag))
                } else if style == .plain {
                    ImplicitScalarType.classify(bytes)
                } else {
                    .str
                }
                let node = Node.scalar(Node.Scalar(string: String(decoding: bytes, as: UTF8.self), style: style,
                                                   type: type, mark: mark))
                if let anchor = data.anchor { anchors[String(cString: anchor)] = node }
                complete(node)
            case YAML_ALIAS_EVENT:
                let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                guard let node = anchors[name] else {
                    throw SyntaxProblem(stage: .composer, problem: "found undefined alias '*\(name)'", problemMark: mark)
                }
                complete(node)
            case YAML_SEQUENCE_START_EVENT:
                let anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
                stack.append(Frame(isMapping: false, mark: mark, anchor: anchor))
            case YAML_MAPPING_START_EVENT:
                let anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
                stack.append(Frame(isMapping: true, mark: mark, anchor: anchor))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { continue }
                let node: Node
                if frame.isMapping {
                    node = .mapping(Node.Mapping(pairs: withoutDuplicates(frame.pairs), mark: frame.mark))
                } else {
                    node = .sequence(Node.Sequence(items: frame.items, mark: frame.mark))
                }
                if let anchor = frame.anchor { anchors[anchor] = node }
                complete(node)
            default:
                continue
            }
        }
    }

    /// The pairs with each duplicate key reported and only its last occurrence kept.
    private func withoutDuplicates(_ pairs: [(key: Node, value: Node)]) -> [(key: Node, value: Node)] {
        guard pairs.count > 1 else { return pairs }
        // Most mappings have a handful of keys: comparing them pairwise is cheaper than hashing.
        if pairs.count <= 16 {
            var duplicated = false
            for i in 1..<pairs.count {
                guard let key = pairs[i].key.string else { continue }
                if let first = pairs[..<i].first(where: { $0.key.string == key }) {
                    onDuplicateKey(pairs[i].key, first.key.mark.line)
                    duplicated = true
                }
            }
            guard duplicated else { return pairs }
        } else {
            var firstLine: [String: Int] = [:]
            var duplicated = false
            for pair in pairs {
                guard let key = pair.key.string else { continue }
                if let line = firstLine[key] {
                    onDuplicateKey(pair.key, line)
                    duplicated = true
                } else {
                    firstLine[key] = pair.key.mark.line
                }
            }
            guard duplicated else { return pairs }
        }
        var seen: Set<String> = []
        return pairs.reversed().filter { pair in pair.key.string.map { seen.insert($0).inserted } ?? true }.reversed()
    }

    private static func type(ofTag tag: String) -> ScalarType {
        switch tag {
        case "tag:yaml.org,2002:null": .null
        case "tag:yaml.org,2002:bool": .bool
        case "tag:yaml.org,2002:int": .int
        case "tag:yaml.org,2002:float": .float
        default: .str
        }
    }

    private func problem(_ parser: yaml_parser_t) -> SyntaxProblem {
        func mark(_ m: yaml_mark_t) -> Mark { Mark(line: Int(m.line) + 1, column: Int(m.column) + 1, file: file) }
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        let stage: SyntaxProblem.Stage = switch parser.error {
        case YAML_READER_ERROR: .reader
        case YAML_SCANNER_ERROR: .scanner
        default: .parser
        }
        if stage == .reader {
            // The reader reports a byte offset, not a mark.
            return SyntaxProblem(stage: .reader, problem: problem,
                                 problemMark: Mark(line: -1, column: Int(parser.problem_offset), file: file))
        }
        return SyntaxProblem(stage: stage, problem: problem, problemMark: mark(parser.problem_mark),
                             context: parser.context.map { String(cString: $0) },
                             contextMark: parser.context == nil ? nil : mark(parser.context_mark))
    }
}
