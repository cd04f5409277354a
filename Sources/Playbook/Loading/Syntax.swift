/// How one kind of value is written in a playbook, and how it is read from a YAML node.
///
/// Grammar rules combine syntaxes declaratively; each reports its own problems at the node
/// and yields nil, so reading goes on and every problem of a file is found in one pass:
///
/// ```swift
/// let duration = map.required("duration", .duration)        // 2w, 10d or 14
/// let tasks = map.optional("tasks", .list(of: .task)) ?? []
/// ```
struct Syntax<Value> {
    /// What a well-formed value looks like, for messages: "a duration such as 2w, 10d or 14 (days)".
    var expected: String
    /// The same, as JSON Schema, for `rollout schema` and editors.
    var schema: SchemaNode { makeSchema() ?? .string(description: expected) }
    var read: (Node, Field) -> Value?
    /// Built only when asked for (`rollout schema`): building it for every value read was a
    /// tenth of compiling a large playbook.
    private let makeSchema: () -> SchemaNode?

    init(expected: String, schema: @autoclosure @escaping () -> SchemaNode? = nil,
         read: @escaping (Node, Field) -> Value?) {
        self.expected = expected
        self.makeSchema = schema
        self.read = read
    }
}

/// The place a value is read from: the file, and how a message names it (`'duration'`,
/// `an item of 'tasks'`).
struct Field {
    let file: SourceFile
    private let naming: Naming

    /// How a message names the place; built only when a message needs it (naming every value
    /// read was a tenth of compiling a large playbook).
    private indirect enum Naming {
        case text(String)
        case key(String)
        case item(of: Naming)

        var text: String {
            switch self {
            case .text(let text): text
            case .key(let key): "'\(key)'"
            case .item(let parent): "an item of \(parent.text)"
            }
        }
    }

    var name: String { naming.text }

    init(file: SourceFile, name: String) {
        self.file = file
        self.naming = .text(name)
    }

    /// The value of `key` in a mapping: `'duration'`.
    init(file: SourceFile, key: String) {
        self.file = file
        self.naming = .key(key)
    }

    /// An item of the list read at `list`: `an item of 'tasks'`.
    init(itemOf list: Field) {
        self.file = list.file
        self.naming = .item(of: list.naming)
    }

    func wrongType(_ node: Node, expected: String) {
        file.error(.wrongType, "\(name) must be \(expected), not \(node.found)", at: node)
    }

    func invalid(_ node: Node, expected: String, suggestion: String? = nil) {
        file.error(.invalidValue, "\(name) must be \(expected), not \(node.found)", at: node, suggestion: suggestion)
    }
}

// MARK: - Scalars

extension Syntax where Value == String {
    /// Any scalar written as text; numbers and booleans keep the text as written.
    static var text: Syntax<String> {
        Syntax(expected: "text", schema: .anyOf([.string(description: "text"), .number(description: "a number, read as text"),
                                                  .boolean], description: "text")) { node, field in
            guard case .scalar(let scalar) = node, !node.isNull else {
                field.wrongType(node, expected: "text")
                return nil
            }
            return scalar.string
        }
    }

    /// The id of something other parts refer to: letters, digits, `-`, `_` and `.`, nothing else.
    static var identifier: Syntax<String> {
        let expected = "an id made of letters, digits, '-', '_' and '.'"
        return Syntax(expected: expected, schema: .string(description: expected, pattern: "^[^\\s:,\\[\\]{}#&*!|>'\"%@`]+$")) { node, field in
            guard let text = Syntax<String>.text.read(node, field) else { return nil }
            let allowed = !text.isEmpty && (Self.isASCIIIdentifier(text)
                || text.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) })
            guard allowed else {
                let fixed = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: "-")
                field.file.error(.invalidID, "\(field.name) must be \(expected), not '\(text)'", at: node,
                                 suggestion: fixed.isEmpty || fixed == text ? nil : fixed)
                return text  // still defined, so that references to it do not fail as well
            }
            return text
        }
    }
}

extension Syntax where Value == String {
    /// The common case, checked on bytes: ASCII letters, digits, `-`, `_` and `.`.
    static func isASCIIIdentifier(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57)
                || byte == 45 || byte == 95 || byte == 46
        }
    }
}

extension Syntax where Value == Reference {
    /// An id that names something defined elsewhere; the validator checks that it exists.
    static var reference: Syntax<Reference> {
        Syntax(expected: "an id", schema: .string(description: "the id of something defined elsewhere")) { node, field in
            Syntax<String>.text.read(node, field).map { Reference($0, at: field.file.location(of: node)) }
        }
    }
}

extension Syntax where Value == Double {
    static var number: Syntax<Double> {
        Syntax(expected: "a number", schema: .number(description: "a number")) { node, field in
            guard case .scalar(let scalar) = node, node.scalarTag == .int || node.scalarTag == .float,
                  let value = ImplicitScalarType.doubleValue(scalar.string), value.isFinite
            else {
                field.wrongType(node, expected: "a number")
                return nil
            }
            return value
        }
    }

    /// Money in major units of the playbook's currency: a number, at least 0.
    static var amount: Syntax<Double> { .number.constrained("an amount of at least 0") { $0 >= 0 } }

    /// A share such as a rate or a confidence: a number from 0 to 1.
    static var fraction: Syntax<Double> { .number.constrained("a number from 0 to 1") { (0...1).contains($0) } }
}

extension Syntax where Value == Int {
    static var integer: Syntax<Int> {
        Syntax(expected: "a whole number", schema: .integer(description: "a whole number")) { node, field in
            guard case .scalar(let scalar) = node, node.scalarTag == .int, let value = ImplicitScalarType.intValue(scalar.string) else {
                field.wrongType(node, expected: "a whole number")
                return nil
            }
            return value
        }
    }
}

extension Syntax where Value == Bool {
    static var flag: Syntax<Bool> {
        Syntax(expected: "true or false", schema: .boolean) { node, field in
            guard case .scalar(let scalar) = node, node.scalarTag == .bool,
                  let value = ImplicitScalarType.boolValue(scalar.string) else {
                field.wrongType(node, expected: "true or false")
                return nil
            }
            return value
        }
    }
}

extension Syntax where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of an enumeration's raw values: `direction: lower_is_better`.
    static var oneOf: Syntax<Value> {
        let names = Value.allCases.map(\.rawValue)
        let expected = "one of " + names.joined(separator: ", ")
        return Syntax(expected: expected, schema: .enumeration(names)) { node, field in
            guard let text = Syntax<String>.text.read(node, field) else { return nil }
            guard let value = Value(rawValue: text) else {
                field.invalid(node, expected: expected, suggestion: Suggestion.closest(to: text, among: names))
                return nil
            }
            return value
        }
    }
}

extension Syntax {
    /// A key that `Composition` has already read and removed: it only appears in the schema.
    static func composition(_ schema: SchemaNode) -> Syntax<Value> {
        Syntax(expected: "", schema: schema) { _, _ in nil }
    }
}

// MARK: - Collections and refinements

extension Syntax {
    /// A YAML list whose items all have `element`'s syntax; items that do not are reported and left out.
    static func list<Element>(of element: Syntax<Element>) -> Syntax<[Element]> {
        Syntax<[Element]>(expected: "a list", schema: .array(element.schema)) { node, field in
            guard case .sequence(let sequence) = node else {
                field.wrongType(node, expected: "a list")
                return nil
            }
            let item = Field(itemOf: field)
            return sequence.compactMap { element.read($0, item) }
        }
    }

    /// A YAML mapping of free keys to values of `element`'s syntax (`set: { status: contacted }`).
    static func dictionary<Element>(of element: Syntax<Element>) -> Syntax<[String: Element]> {
        Syntax<[String: Element]>(expected: "a mapping", schema: .anyObject(description: "{ NAME: VALUE, … }")) { node, field in
            guard case .mapping(let mapping) = node else {
                field.wrongType(node, expected: "a mapping such as { status: contacted }")
                return nil
            }
            var values: [String: Element] = [:]
            for (key, value) in mapping.pairs {
                let name = key.string ?? key.found
                if let read = element.read(value, Field(file: field.file, name: "'\(name)'")) { values[name] = read }
            }
            return values
        }
    }

    /// A YAML mapping read by `body`, which asks for every key the mapping may have; the keys
    /// it did not ask for are then reported as unknown. `noun` names the mapping in messages.
    static func mapping(_ noun: String, _ body: @escaping (inout MappingReader) -> Value?) -> Syntax<Value> {
        nonisolated(unsafe) let record = body
        let schema = SchemaNode.object(noun: noun) {
            let recorder = SchemaRecorder()
            var reader = MappingReader(recording: recorder, noun: noun)
            _ = record(&reader)
            return recorder.properties
        }
        return Syntax(expected: "a mapping", schema: schema) { node, field in
            guard case .mapping(let mapping) = node else {
                field.wrongType(node, expected: "a mapping (\(noun))")
                return nil
            }
            var reader = MappingReader(mapping, noun: noun, file: field.file)
            let value = body(&reader)
            reader.reportUnknownKeys()
            return value
        }
    }

    /// This syntax, further restricted: values failing `isValid` are reported (as out of range, by default).
    func constrained(_ requirement: String, code: DiagnosticCode = .outOfRange,
                     _ isValid: @escaping (Value) -> Bool) -> Syntax<Value> {
        Syntax(expected: requirement, schema: schema.refined(by: requirement)) { node, field in
            guard let value = read(node, field) else { return nil }
            guard isValid(value) else {
                field.file.error(code, "\(field.name) must be \(requirement), not \(node.found)", at: node)
                return nil
            }
            return value
        }
    }
}
