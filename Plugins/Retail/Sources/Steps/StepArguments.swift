import Foundation
import PluginKit

/// The arguments a playbook gave a step, as text (`{ retail.reactivate: { limit: 100 } }`),
/// read as the values the step needs. Every error names the step, the argument, what it takes
/// and what was written, so the playbook's author can fix it without reading this code.
///
/// ```swift
/// let arguments = try StepArguments(request.arguments, of: "retail.reactivate", allowed: ["limit", "scope"])
/// let limit = try arguments.wholeNumber("limit", default: 200, atLeast: 1)
/// ```
struct StepArguments {
    let step: String
    private let values: [String: String]

    /// Refuses an argument the step does not take: a misspelt `gold_order` would otherwise be
    /// ignored silently and the default used.
    init(_ values: [String: String], of step: String, allowed: [String]) throws {
        for name in values.keys.sorted() where !allowed.contains(name) {
            throw PluginFailure("\(step): unknown argument '\(name)'; it takes "
                + allowed.sorted().joined(separator: ", "))
        }
        self.step = step
        self.values = values
    }

    /// The argument's text without surrounding blanks; nil when it is absent or empty.
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// A whole number such as `90` or `1_000`.
    func wholeNumber(_ name: String, default defaultValue: Int64, atLeast minimum: Int64,
                     atMost maximum: Int64 = .max) throws -> Int64 {
        guard let text = text(name) else { return defaultValue }
        guard let number = Int64(Self.withoutGrouping(text)), (minimum...maximum).contains(number) else {
            let range = maximum == .max ? "of at least \(minimum)" : "from \(minimum) to \(maximum)"
            throw PluginFailure("\(step): \(name) must be a whole number \(range), not '\(text)'")
        }
        return number
    }

    /// A sum of money in major units (`150000`, `1_200.50`), as minor units: the CRM's amounts
    /// have two decimals, as `rollout crm` reads them.
    func amountMinor(_ name: String, default defaultMajor: Int64) throws -> Int64 {
        guard let text = text(name) else { return defaultMajor * 100 }
        let parts = Self.withoutGrouping(text).split(separator: ".", omittingEmptySubsequences: false)
        let isDigit = { (character: Character) in character.isASCII && character.isNumber }
        guard (1...2).contains(parts.count), let units = Int64(parts[0]), units >= 0, units < Int64.max / 100,
              parts.count == 1 || (1...2).contains(parts[1].count) && parts[1].allSatisfy(isDigit),
              let cents = parts.count == 1 ? 0 : Int64(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))
        else {
            throw PluginFailure("\(step): \(name) must be an amount in major units such as 150000 or 1200.50, "
                + "not '\(text)'")
        }
        return units * 100 + cents
    }

    /// One of `choices`.
    func choice(_ name: String, among choices: [String]) throws -> String? {
        guard let text = text(name) else { return nil }
        guard choices.contains(text.lowercased()) else {
            throw PluginFailure("\(step): \(name) must be one of \(choices.joined(separator: ", ")), not '\(text)'")
        }
        return text.lowercased()
    }

    /// `1_000` and `1,000` as `1000`: YAML authors group digits both ways.
    private static func withoutGrouping(_ text: String) -> String {
        text.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "")
    }
}
