/// The static type of a condition's value.
public enum ConditionType: String, Sendable, Hashable, CaseIterable {
    case boolean, number, text, list, null
    /// Known only when evaluated (a record field whose type the checker was not told).
    case any

    var noun: String {
        switch self {
        case .boolean: "true or false"
        case .number: "a number"
        case .text: "a text"
        case .list: "a list"
        case .null: "null"
        case .any: "a value"
        }
    }
}

/// What a name in a condition means where the condition is written.
enum NameResolution {
    case type(ConditionType)
    /// Not a name here: why, and the nearest name that is.
    case unknown(String, suggestion: String?)
}

/// Type-checks a parsed condition: every name must exist where it is used, operators get
/// operands of the types they need, and the whole must be boolean (never silently true).
struct ConditionChecker {
    struct Problem {
        var code: DiagnosticCode
        var message: String
        var offset: Int
        var suggestion: String?
    }

    let resolve: (Expression.Path) -> NameResolution
    private(set) var problems: [Problem] = []

    init(resolve: @escaping (Expression.Path) -> NameResolution) {
        self.resolve = resolve
    }

    /// Checks `condition`; the problems found are in `problems`, offsets relative to its text.
    mutating func check(_ condition: Condition) {
        let type = self.type(of: condition.expression)
        if type != .boolean && type != .any && problems.isEmpty {
            problems.append(Problem(code: .nonBooleanCondition,
                                    message: "the condition '\(condition.text)' is \(type.noun), not true or false; "
                                        + "compare it, e.g. '\(condition.text) >= 1'",
                                    offset: 0))
        }
    }

    private mutating func type(of expression: Expression) -> ConditionType {
        switch expression {
        case .literal(let value):
            switch value {
            case .number: return .number
            case .string: return .text
            case .bool: return .boolean
            case .list: return .list
            case .null: return .null
            case .unknown, .failure: return .any
            }
        case .name(let path):
            switch resolve(path) {
            case .type(let type): return type
            case .unknown(let message, let suggestion):
                problems.append(Problem(code: .unknownName, message: message, offset: path.offset, suggestion: suggestion))
                return .any
            }
        case .list(let items):
            for item in items { _ = type(of: item) }
            return .list
        case .unary(.not, let operand):
            expect(type(of: operand), [.boolean], "'not'", operand)
            return .boolean
        case .unary(.negate, let operand):
            expect(type(of: operand), [.number], "'-'", operand)
            return .number
        case .binary(let op, let left, let right):
            let l = type(of: left), r = type(of: right)
            switch op {
            case .and, .or:
                expect(l, [.boolean], "'\(op.rawValue)'", left)
                expect(r, [.boolean], "'\(op.rawValue)'", right)
                return .boolean
            case .equal, .notEqual:
                if l != .any, r != .any, l != .null, r != .null, l != r {
                    problems.append(Problem(code: .conditionType,
                                            message: "'\(op.rawValue)' compares \(l.noun) with \(r.noun), which is never equal",
                                            offset: Self.offset(of: left)))
                }
                return .boolean
            case .less, .lessOrEqual, .greater, .greaterOrEqual:
                if l != .any, r != .any, !(l == r && (l == .number || l == .text)) {
                    problems.append(Problem(code: .conditionType,
                                            message: "'\(op.rawValue)' needs two numbers or two texts, not \(l.noun) and \(r.noun)",
                                            offset: Self.offset(of: left)))
                }
                return .boolean
            case .in:
                expect(r, [.list, .text], "'in'", right)
                return .boolean
            case .plus:
                if l == .text || r == .text {
                    expect(l, [.text], "'+'", left)
                    expect(r, [.text], "'+'", right)
                    return .text
                }
                fallthrough
            case .minus, .times, .divide:
                expect(l, [.number], "'\(op.rawValue)'", left)
                expect(r, [.number], "'\(op.rawValue)'", right)
                return .number
            }
        }
    }

    private mutating func expect(_ type: ConditionType, _ allowed: [ConditionType], _ what: String,
                                 _ expression: Expression) {
        guard type != .any, !allowed.contains(type) else { return }
        let wanted = allowed.map(\.noun).joined(separator: " or ")
        problems.append(Problem(code: .conditionType, message: "\(what) needs \(wanted), not \(type.noun)",
                                offset: Self.offset(of: expression)))
    }

    /// The offset of the first name in `expression`, else 0.
    private static func offset(of expression: Expression) -> Int {
        expression.names.first?.offset ?? 0
    }
}
