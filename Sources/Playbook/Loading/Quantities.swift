/// Lengths of time as consultants write them: `2w`, `10d`, `6m`, `2-3`.
extension Syntax where Value == Int {
    /// A number of days: `2w` (14), `10d`, or a bare whole number of days; more than 0.
    static var duration: Syntax<Int> {
        counted(expected: "a duration such as 2w, 10d or 14 (days)", units: ["d": 1, "w": 7])
            .constrained("a duration longer than 0 days") { $0 > 0 }
    }

    /// A number of months: `6m`, or a bare whole number of months; more than 0.
    static var months: Syntax<Int> {
        counted(expected: "a number of months such as 6m or 6", units: ["m": 1])
            .constrained("at least one month") { $0 > 0 }
    }

    /// A whole number, or digits followed by one of `units`' letters, which multiplies them.
    private static func counted(expected: String, units: [Character: Int]) -> Syntax<Int> {
        let pattern = "^[0-9]+[" + units.keys.sorted().map(String.init).joined() + "]$"
        let schema = SchemaNode.anyOf([.integer(description: expected, minimum: 1),
                                       .string(description: expected, pattern: pattern)], description: expected)
        return Syntax(expected: expected, schema: schema) { node, field in
            if node.scalarTag == .int, let days = Syntax<Int>.integer.read(node, field) { return days }
            guard case .scalar(let scalar) = node, node.scalarTag == .str,
                  let unit = scalar.string.last, let factor = units[unit],
                  let count = Int(scalar.string.dropLast())
            else {
                field.invalid(node, expected: expected)
                return nil
            }
            return count * factor
        }
    }
}

/// `years: 2-3` or `years: 2`: a range of 1-based years.
struct YearRange {
    var first: Int
    var last: Int

    static var syntax: Syntax<YearRange> {
        let expected = "a year such as 2 or a range of years such as 2-3"
        let schema = SchemaNode.anyOf([.integer(description: expected, minimum: 1),
                                       .string(description: expected, pattern: "^[0-9]+ *- *[0-9]+$")], description: expected)
        return Syntax(expected: expected, schema: schema) { node, field in
            guard case .scalar(let scalar) = node else {
                field.wrongType(node, expected: expected)
                return nil
            }
            let bounds = scalar.string.split(separator: "-", omittingEmptySubsequences: false)
                .map { Int($0.filter { !$0.isWhitespace }) }
            guard (1...2).contains(bounds.count), let first = bounds.first ?? nil, let last = bounds.last ?? nil else {
                field.invalid(node, expected: expected)
                return nil
            }
            guard first >= 1, first <= last else {
                field.file.error(.outOfRange, "\(field.name) must run from an earlier year to a later one, from year 1 on, "
                                 + "not \(node.found)", at: node)
                return nil
            }
            return YearRange(first: first, last: last)
        }
    }
}
