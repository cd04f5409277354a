/// Parses the condition language (see `Condition`):
///
/// ```
/// condition  := or
/// or         := and ('or' and)*
/// and        := not ('and' not)*
/// not        := 'not' not | comparison
/// comparison := sum (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in') sum)?
/// sum        := product (('+' | '-') product)*
/// product    := unary (('*' | '/') unary)*
/// unary      := '-' unary | primary
/// primary    := number | 'text' | "text" | true | false | null | name | '(' condition ')' | '[' list ']'
/// name       := word ('.' word)*        word: letters, digits, '_' and '-' between them
/// ```
///
/// `-` inside a word is part of the name (`deliverable.pilot-test-report`); write `a - b` with
/// spaces to subtract. Comparisons do not chain: `1 < x < 3` is an error.
struct ConditionParser {
    struct Problem: Error, Equatable {
        var message: String
        /// 0-based offset in the text, in Unicode scalars.
        var offset: Int
    }

    private enum Token: Equatable {
        case number(Double), text(String), word(String), symbol(String), end
    }

    private let scalars: [Unicode.Scalar]
    private var tokens: [(token: Token, offset: Int)] = []
    private var position = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func parse(_ text: String) -> Result<Expression, Problem> {
        var parser = ConditionParser(text)
        do {
            try parser.tokenize()
            guard parser.tokens.count > 1 else { throw Problem(message: "the condition is empty", offset: 0) }
            let expression = try parser.parseOr()
            guard case .end = parser.current else {
                throw Problem(message: "unexpected \(parser.describe(parser.current)) after a complete condition",
                              offset: parser.currentOffset)
            }
            return .success(expression)
        } catch let problem as Problem {
            return .failure(problem)
        } catch {
            return .failure(Problem(message: "\(error)", offset: 0))
        }
    }

    // MARK: Tokens

    private mutating func tokenize() throws {
        var i = 0
        func isWordStart(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c == "_" }
        func isWordPart(_ c: Unicode.Scalar) -> Bool { isWordStart(c) || ("0"..."9").contains(c) }
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            let start = i
            if ("0"..."9").contains(c) || (c == "." && i + 1 < scalars.count && ("0"..."9").contains(scalars[i + 1])) {
                while i < scalars.count, ("0"..."9").contains(scalars[i]) || scalars[i] == "." || scalars[i] == "_" { i += 1 }
                let digits = String(String.UnicodeScalarView(scalars[start..<i])).replacingOccurrences(of: "_", with: "")
                guard let value = Double(digits) else { throw Problem(message: "'\(digits)' is not a number", offset: start) }
                if i < scalars.count, isWordStart(scalars[i]) {
                    throw Problem(message: "a number cannot be followed by a letter; put a space or an operator between",
                                  offset: i)
                }
                tokens.append((.number(value), start))
            } else if c == "'" || c == "\"" {
                i += 1
                var text = String.UnicodeScalarView()
                while i < scalars.count, scalars[i] != c {
                    if scalars[i] == "\\", i + 1 < scalars.count { i += 1 }
                    text.append(scalars[i])
                    i += 1
                }
                guard i < scalars.count else { throw Problem(message: "this text is never closed with \(c)", offset: start) }
                i += 1
                tokens.append((.text(String(text)), start))
            } else if isWordStart(c) {
                while i < scalars.count,
                      isWordPart(scalars[i])
                        || (scalars[i] == "-" && i + 1 < scalars.count && isWordPart(scalars[i + 1]) && isWordPart(scalars[i - 1])) {
                    i += 1
                }
                tokens.append((.word(String(String.UnicodeScalarView(scalars[start..<i]))), start))
            } else {
                let two = i + 1 < scalars.count ? String(String.UnicodeScalarView([c, scalars[i + 1]])) : ""
                if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
                    switch two {
                    case "&&": throw Problem(message: "write 'and' instead of '&&'", offset: start)
                    case "||": throw Problem(message: "write 'or' instead of '||'", offset: start)
                    default: break
                    }
                    tokens.append((.symbol(two), start))
                    i += 2
                } else if "<>+-*/().,[]".unicodeScalars.contains(c) {
                    tokens.append((.symbol(String(c)), start))
                    i += 1
                } else if c == "=" {
                    throw Problem(message: "'=' assigns; compare with '=='", offset: start)
                } else if c == "!" {
                    throw Problem(message: "write 'not' instead of '!'", offset: start)
                } else {
                    throw Problem(message: "unexpected character '\(c)'", offset: start)
                }
            }
        }
        tokens.append((.end, scalars.count))
    }

    private var current: Token { tokens[position].token }
    private var currentOffset: Int { tokens[position].offset }

    private func describe(_ token: Token) -> String {
        switch token {
        case .number(let n): "the number \(n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n))"
        case .text(let t): "the text '\(t)'"
        case .word(let w): "'\(w)'"
        case .symbol(let s): "'\(s)'"
        case .end: "the end of the condition"
        }
    }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private mutating func accept(word: String) -> Bool {
        guard current == .word(word) else { return false }
        advance()
        return true
    }

    private mutating func accept(symbol: String) -> Bool {
        guard current == .symbol(symbol) else { return false }
        advance()
        return true
    }

    // MARK: Grammar

    private mutating func parseOr() throws -> Expression {
        var left = try parseAnd()
        while accept(word: "or") { left = .binary(.or, left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws -> Expression {
        var left = try parseNot()
        while accept(word: "and") { left = .binary(.and, left, try parseNot()) }
        return left
    }

    private mutating func parseNot() throws -> Expression {
        if accept(word: "not") { return .unary(.not, try parseNot()) }
        return try parseComparison()
    }

    private static let comparisons: [String: Expression.BinaryOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    private mutating func parseComparison() throws -> Expression {
        let left = try parseSum()
        var result = left
        if case .symbol(let s) = current, let op = Self.comparisons[s] {
            advance()
            result = .binary(op, left, try parseSum())
        } else if accept(word: "in") {
            result = .binary(.in, left, try parseSum())
        } else if current == .word("not"), position + 1 < tokens.count, tokens[position + 1].token == .word("in") {
            advance(); advance()
            result = .unary(.not, .binary(.in, left, try parseSum()))
        } else {
            return result
        }
        if case .symbol(let s) = current, Self.comparisons[s] != nil {
            throw Problem(message: "comparisons do not chain; write 'a < b and b < c'", offset: currentOffset)
        }
        return result
    }

    private mutating func parseSum() throws -> Expression {
        var left = try parseProduct()
        while true {
            if accept(symbol: "+") { left = .binary(.plus, left, try parseProduct()) }
            else if accept(symbol: "-") { left = .binary(.minus, left, try parseProduct()) }
            else { return left }
        }
    }

    private mutating func parseProduct() throws -> Expression {
        var left = try parseUnary()
        while true {
            if accept(symbol: "*") { left = .binary(.times, left, try parseUnary()) }
            else if accept(symbol: "/") { left = .binary(.divide, left, try parseUnary()) }
            else { return left }
        }
    }

    private mutating func parseUnary() throws -> Expression {
        if accept(symbol: "-") { return .unary(.negate, try parseUnary()) }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> Expression {
        let offset = currentOffset
        switch current {
        case .number(let n):
            advance()
            return .literal(.number(n))
        case .text(let t):
            advance()
            return .literal(.string(t))
        case .word("true"): advance(); return .literal(.bool(true))
        case .word("false"): advance(); return .literal(.bool(false))
        case .word("null"): advance(); return .literal(.null)
        case .word(let w) where ["and", "or", "in", "not"].contains(w):
            throw Problem(message: "expected a value before '\(w)'", offset: offset)
        case .word(let first):
            advance()
            var components = [first]
            while accept(symbol: ".") {
                guard case .word(let next) = current else {
                    throw Problem(message: "expected a name after '.', found \(describe(current))", offset: currentOffset)
                }
                components.append(next)
                advance()
            }
            if current == .symbol("(") {
                throw Problem(message: "conditions have no functions; '\(components.joined(separator: "."))' is "
                              + "followed by '('", offset: currentOffset)
            }
            return .name(Expression.Path(components, offset: offset))
        case .symbol("("):
            advance()
            let inner = try parseOr()
            guard accept(symbol: ")") else {
                throw Problem(message: "expected ')' to close the '(' at column \(offset + 1), found \(describe(current))",
                              offset: currentOffset)
            }
            return inner
        case .symbol("["):
            advance()
            var items: [Expression] = []
            if !accept(symbol: "]") {
                repeat { items.append(try parseSum()) } while accept(symbol: ",")
                guard accept(symbol: "]") else {
                    throw Problem(message: "expected ',' or ']' in the list, found \(describe(current))",
                                  offset: currentOffset)
                }
            }
            return .list(items)
        default:
            throw Problem(message: "expected a value, found \(describe(current))", offset: offset)
        }
    }
}
