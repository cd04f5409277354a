/// A condition written in a playbook: a gate's `condition:` criterion, a phase's `entry:`
/// criteria, a process transition's `guard:`, a cycle's `until:`. The language is small and
/// side-effect free (see docs/playbook-reference.md, "Conditions"):
///
/// ```
/// kpi.lead_response_hours.pilot <= 12 and deliverable.pilot-test-report
/// record.amount >= 10000 and record.stage in ['proposal', 'negotiation']
/// ```
///
/// A condition is strictly boolean: `rollout check` rejects one whose type is not boolean, and
/// evaluating one whose value turns out not to be boolean is an error, never silently true.
public struct Condition: Sendable, Hashable, CustomStringConvertible {
    /// As written.
    public var text: String
    public var expression: Expression
    public var location: SourceLocation

    public init(text: String, expression: Expression, location: SourceLocation) {
        self.text = text
        self.expression = expression
        self.location = location
    }

    public var description: String { text }

    /// Evaluates the condition; `lookup` gives the value of each name (`kpi.x.pilot`), `.unknown`
    /// when it cannot be known yet. Unknown propagates (three-valued logic: `false and unknown`
    /// is false, `true or unknown` is true), so a dry run says *unknown*, never a wrong answer.
    public func evaluate(_ lookup: (Expression.Path) -> ConditionValue) -> ConditionOutcome {
        switch expression.evaluate(lookup) {
        case .bool(let value): return value ? .holds : .fails
        case .unknown: return .unknown
        case .failure(let message): return .error(message)
        case let other: return .error("the condition '\(text)' gives \(other.found), not true or false")
        }
    }
}

/// The result of evaluating a condition.
public enum ConditionOutcome: Sendable, Hashable {
    case holds, fails, unknown
    case error(String)
}

/// A value in a condition.
public enum ConditionValue: Sendable, Hashable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case list([ConditionValue])
    case null
    /// Not known yet (a KPI not measured, a phase not reached): makes what depends on it unknown.
    case unknown
    /// Evaluation went wrong (a type error at run time); propagates to the top.
    case failure(String)

    var found: String {
        switch self {
        case .number(let n): "the number \(n)"
        case .string(let s): "the text '\(s)'"
        case .bool(let b): "\(b)"
        case .list: "a list"
        case .null: "null"
        case .unknown: "an unknown value"
        case .failure(let message): message
        }
    }
}

/// The syntax tree of a condition.
public indirect enum Expression: Sendable, Hashable {
    /// A dotted name: `kpi.lead_response_hours.pilot`, `record.amount`.
    public struct Path: Sendable, Hashable, CustomStringConvertible {
        public var components: [String]
        /// 0-based offset of the name in the condition's text, for diagnostics.
        public var offset: Int

        public init(_ components: [String], offset: Int) {
            self.components = components
            self.offset = offset
        }

        public var description: String { components.joined(separator: ".") }
    }

    public enum UnaryOperator: String, Sendable, Hashable { case not, negate = "-" }

    public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
        case or, and
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case `in`
        case plus = "+", minus = "-", times = "*", divide = "/"
    }

    case literal(ConditionValue)
    case name(Path)
    case list([Expression])
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)

    /// Every name the expression reads, in order.
    public var names: [Path] {
        switch self {
        case .literal: []
        case .name(let path): [path]
        case .list(let items): items.flatMap(\.names)
        case .unary(_, let operand): operand.names
        case .binary(_, let left, let right): left.names + right.names
        }
    }

    public func evaluate(_ lookup: (Path) -> ConditionValue) -> ConditionValue {
        switch self {
        case .literal(let value): return value
        case .name(let path): return lookup(path)
        case .list(let items):
            var values: [ConditionValue] = []
            for item in items {
                let value = item.evaluate(lookup)
                if case .failure = value { return value }
                if case .unknown = value { return .unknown }
                values.append(value)
            }
            return .list(values)
        case .unary(let op, let operand):
            let value = operand.evaluate(lookup)
            switch (op, value) {
            case (_, .failure), (_, .unknown): return value
            case (.not, .bool(let b)): return .bool(!b)
            case (.negate, .number(let n)): return .number(-n)
            case (.not, _): return .failure("'not' needs true or false, not \(value.found)")
            case (.negate, _): return .failure("'-' needs a number, not \(value.found)")
            }
        case .binary(let op, let leftExpression, let rightExpression):
            let left = leftExpression.evaluate(lookup)
            if case .failure = left { return left }
            // Kleene logic: a decided left side can decide the whole before the right is read.
            if op == .and, case .bool(false) = left { return .bool(false) }
            if op == .or, case .bool(true) = left { return .bool(true) }
            let right = rightExpression.evaluate(lookup)
            return Self.apply(op, left, right)
        }
    }

    private static func apply(_ op: BinaryOperator, _ left: ConditionValue, _ right: ConditionValue) -> ConditionValue {
        if case .failure = right { return right }
        switch op {
        case .and, .or:
            switch (left, right) {
            case (.bool(let l), .bool(let r)): return .bool(op == .and ? l && r : l || r)
            case (.unknown, .bool(let r)): return op == .and ? (r ? .unknown : .bool(false)) : (r ? .bool(true) : .unknown)
            case (.bool, .unknown), (.unknown, .unknown): return .unknown
            default:
                let wrong = (left.isBool || left == .unknown) ? right : left
                return .failure("'\(op.rawValue)' needs true or false on both sides, not \(wrong.found)")
            }
        default:
            if left == .unknown || right == .unknown { return .unknown }
        }
        switch (op, left, right) {
        case (.equal, _, _): return .bool(left == right)
        case (.notEqual, _, _): return .bool(left != right)
        case (.less, .number(let l), .number(let r)): return .bool(l < r)
        case (.lessOrEqual, .number(let l), .number(let r)): return .bool(l <= r)
        case (.greater, .number(let l), .number(let r)): return .bool(l > r)
        case (.greaterOrEqual, .number(let l), .number(let r)): return .bool(l >= r)
        case (.less, .string(let l), .string(let r)): return .bool(l < r)
        case (.lessOrEqual, .string(let l), .string(let r)): return .bool(l <= r)
        case (.greater, .string(let l), .string(let r)): return .bool(l > r)
        case (.greaterOrEqual, .string(let l), .string(let r)): return .bool(l >= r)
        case (.in, _, .list(let items)): return .bool(items.contains(left))
        case (.in, .string(let l), .string(let r)): return .bool(r.contains(l))
        case (.plus, .number(let l), .number(let r)): return .number(l + r)
        case (.minus, .number(let l), .number(let r)): return .number(l - r)
        case (.times, .number(let l), .number(let r)): return .number(l * r)
        case (.divide, .number(let l), .number(let r)):
            return r == 0 ? .failure("division by zero") : .number(l / r)
        case (.plus, .string(let l), .string(let r)): return .string(l + r)
        default:
            return .failure("'\(op.rawValue)' cannot combine \(left.found) and \(right.found)")
        }
    }
}

extension ConditionValue {
    var isBool: Bool { if case .bool = self { true } else { false } }
}
