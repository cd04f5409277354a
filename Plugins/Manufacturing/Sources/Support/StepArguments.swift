import Foundation
import PluginKit

/// The arguments a playbook gave an action or a check (`{ days_ahead: 90 }`), read as the types
/// the step needs, with errors that name the step, the argument and what to write instead.
///
/// ```swift
/// let arguments = try StepArguments(request, accepting: ["days_ahead"])
/// let days = try arguments.wholeNumber("days_ahead", default: 90, in: 1...730)
/// ```
struct StepArguments {
    let step: String
    private let values: [String: String]

    /// Refuses an argument the step does not take, so a misspelt `day_ahead` is not silently
    /// replaced by the default.
    init(_ request: PluginActionRequest, accepting names: Set<String>) throws {
        step = request.action
        values = request.arguments
        if let unknown = values.keys.sorted().first(where: { !names.contains($0) }) {
            let accepted = names.isEmpty ? "no arguments" : "only " + names.sorted().joined(separator: ", ")
            throw PluginFailure("\(step): unknown argument '\(unknown)'; it takes \(accepted)")
        }
    }

    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func wholeNumber(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = text(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw PluginFailure("\(step): \(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), "
                + "not '\(text)'")
        }
        return number
    }

    func percent(_ name: String, default fallback: Double) throws -> Double {
        guard let text = text(name) else { return fallback }
        guard let number = Double(text.replacingOccurrences(of: "%", with: "")), (0...100).contains(number) else {
            throw PluginFailure("\(step): \(name) must be a percentage from 0 to 100, not '\(text)'")
        }
        return number
    }

    /// One of `T`'s raw values; `-` and spaces are read as `_`, so `parts-ordered` is `parts_ordered`.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, default fallback: T? = nil) throws -> T
    where T.RawValue == String {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = text(name) else {
            if let fallback { return fallback }
            throw PluginFailure("\(step) needs \(name): one of \(allowed)")
        }
        let normalised = text.lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        guard let value = T(rawValue: normalised) else {
            throw PluginFailure("\(step): \(name) must be one of \(allowed), not '\(text)'")
        }
        return value
    }

    /// Money in major units as the playbook writes it (`4800`, `4800.50`), as minor units.
    func amountMinor(_ name: String, default fallback: Int64) throws -> Int64 {
        guard let text = text(name) else { return fallback }
        let parts = text.replacingOccurrences(of: "_", with: "").split(separator: ".", omittingEmptySubsequences: false)
        // Below Int64.max / 100, so the amount in minor units cannot overflow.
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0, whole < Int64.max / 100,
              parts.count == 1 || (1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isNumber),
              let cents = parts.count == 2 ? Int64(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0)) : 0
        else {
            throw PluginFailure("\(step): \(name) must be an amount in major units such as 4800 or 4800.50, not '\(text)'")
        }
        return whole * 100 + cents
    }
}
