import Foundation

/// The JSON Schema of one kind of value, as the grammar declares it (`Syntax.schema`). The
/// playbook's schema is derived from the same grammar that reads playbooks, so the two cannot
/// drift apart: a key the loader accepts is a property in the schema, and nothing else is.
indirect enum SchemaNode: Sendable {
    case string(description: String, pattern: String? = nil)
    case number(description: String, minimum: Double? = nil, maximum: Double? = nil)
    case integer(description: String, minimum: Int? = nil)
    case boolean
    case enumeration([String])
    case array(SchemaNode)
    /// A mapping, by the noun messages call it; its properties are recorded by running the
    /// grammar's body once with a recording `MappingReader`.
    case object(noun: String, properties: @Sendable () -> [SchemaProperty])
    case anyOf([SchemaNode], description: String)
    /// Any mapping (its keys are checked elsewhere, e.g. an action's arguments).
    case anyObject(description: String)
}

extension SchemaNode {
    /// The same schema with its description replaced by a refinement ("at least 1").
    func refined(by requirement: String) -> SchemaNode {
        switch self {
        case .string(_, let pattern): .string(description: requirement, pattern: pattern)
        case .number(_, let minimum, let maximum): .number(description: requirement, minimum: minimum, maximum: maximum)
        case .integer(_, let minimum): .integer(description: requirement, minimum: minimum)
        case .anyOf(let options, _): .anyOf(options, description: requirement)
        default: self
        }
    }
}

/// One key of a mapping in the schema.
struct SchemaProperty: Sendable {
    var key: String
    var schema: SchemaNode
    var required: Bool
}

/// Collects the properties a mapping's grammar asks for (the schema mode of `MappingReader`).
final class SchemaRecorder: @unchecked Sendable {
    private(set) var properties: [SchemaProperty] = []

    func record(_ key: String, _ schema: SchemaNode, required: Bool) {
        if let index = properties.firstIndex(where: { $0.key == key }) {
            properties[index].required = properties[index].required || required
        } else {
            properties.append(SchemaProperty(key: key, schema: schema, required: required))
        }
    }
}

/// The playbook language's JSON Schema (draft 2020-12), for `rollout schema` and editors.
public enum PlaybookSchema {
    /// The schema as pretty-printed JSON with a stable key order.
    public static func json() -> String {
        var definitions: [(String, JSON)] = [
            ("parameter-reference", .object([
                ("type", .string("string")),
                ("description", .string("a value given by a parameter, e.g. ${pilot_weeks}w")),
                ("pattern", .string("\\$\\{[^}]+\\}")),
            ])),
        ]
        var defined: Set<String> = []
        /// A typed value may also be written with a parameter (`${weeks}w`), checked after substitution.
        func orParameter(_ schema: JSON) -> JSON {
            .object([("anyOf", .array([schema, .object([("$ref", .string("#/$defs/parameter-reference"))])]))])
        }
        func encode(_ node: SchemaNode) -> JSON {
            switch node {
            case .string(_, .some), .number, .integer, .boolean, .enumeration:
                return orParameter(encodeScalar(node))
            default:
                return encodeScalar(node)
            }
        }
        func encodeScalar(_ node: SchemaNode) -> JSON {
            switch node {
            case .string(let description, let pattern):
                var fields: [(String, JSON)] = [("type", .string("string")), ("description", .string(description))]
                if let pattern { fields.append(("pattern", .string(pattern))) }
                return .object(fields)
            case .number(let description, let minimum, let maximum):
                var fields: [(String, JSON)] = [("type", .string("number")), ("description", .string(description))]
                if let minimum { fields.append(("minimum", .number(minimum))) }
                if let maximum { fields.append(("maximum", .number(maximum))) }
                return .object(fields)
            case .integer(let description, let minimum):
                var fields: [(String, JSON)] = [("type", .string("integer")), ("description", .string(description))]
                if let minimum { fields.append(("minimum", .number(Double(minimum)))) }
                return .object(fields)
            case .boolean:
                return .object([("type", .string("boolean"))])
            case .enumeration(let names):
                return .object([("enum", .array(names.map { .string($0) }))])
            case .array(let element):
                return .object([("type", .string("array")), ("items", encode(element))])
            case .anyObject(let description):
                return .object([("type", .string("object")), ("description", .string(description))])
            case .anyOf(let options, let description):
                return .object([("description", .string(description)), ("anyOf", .array(options.map(encode)))])
            case .object(let noun, let properties):
                let name = definitionName(noun)
                if !defined.contains(name) {
                    defined.insert(name)
                    let recorded = properties()
                    var fields: [(String, JSON)] = [
                        ("type", .string("object")), ("description", .string(noun)),
                        ("additionalProperties", .bool(false)),
                        ("properties", .object(recorded.map { ($0.key, encode($0.schema)) })),
                    ]
                    let required = recorded.filter(\.required).map { JSON.string($0.key) }
                    if !required.isEmpty { fields.append(("required", .array(required))) }
                    definitions.append((name, .object(fields)))
                }
                return .object([("$ref", .string("#/$defs/\(name)"))])
            }
        }
        let root = encode(Syntax<Playbook>.playbook(PlaybookSource(path: "", text: "", sha256: "")).schema)
        let document = JSON.object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://github.com/rollout-crm/rollout/docs/playbook.schema.json")),
            ("title", .string("Rollout playbook")),
            ("description", .string("A phased CRM rollout: organisation, goals, KPIs, pilot groups, processes, phases, "
                                     + "cycles, costs, benefits and evaluation. Generated by `rollout schema` from the "
                                     + "grammar the compiler reads playbooks with; see docs/playbook-reference.md.")),
            ("$ref", root["$ref"] ?? .null),
            ("$defs", .object(definitions.sorted { $0.0 < $1.0 })),
        ])
        return document.pretty() + "\n"
    }

    /// `gate criterion` → `gate-criterion`.
    private static func definitionName(_ noun: String) -> String {
        noun.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }
}

/// JSON with ordered object keys, printed the same way every time.
enum JSON: Sendable {
    case string(String), number(Double), bool(Bool), null
    case array([JSON])
    case object([(String, JSON)])

    subscript(key: String) -> JSON? {
        if case .object(let fields) = self { fields.first { $0.0 == key }?.1 } else { nil }
    }

    func pretty(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .string(let s): return Self.quote(s)
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .bool(let b): return String(b)
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
                return "[" + items.map { $0.pretty() }.joined(separator: ", ") + "]"
            }
            return "[\n" + items.map { inner + $0.pretty(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            return "{\n" + fields.map { inner + Self.quote($0.0) + ": " + $0.1.pretty(indent: inner) }
                .joined(separator: ",\n") + "\n\(indent)}"
        }
    }

    static func quote(_ s: String) -> String {
        JSONText.quoted(s)
    }
}
