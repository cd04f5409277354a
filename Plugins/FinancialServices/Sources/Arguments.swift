import Foundation
import PluginKit

/// A step's arguments as the playbook wrote them (always text), read with defaults and errors
/// that name the step, the argument and what it should be.
struct Arguments {
    let step: String
    let values: [String: String]

    /// Refuses names the step does not take, so that a misspelt `min_percnt` is an error rather
    /// than a default silently used.
    init(_ request: PluginActionRequest, allowed: [String]) throws {
        step = request.action
        values = request.arguments
        for name in values.keys.sorted() where !allowed.contains(name) {
            let known = allowed.isEmpty ? "it takes no arguments" : "it takes " + allowed.joined(separator: ", ")
            throw PluginFailure("\(step): unknown argument '\(name)'; \(known)")
        }
    }

    /// A whole number of at least `minimum`.
    func wholeNumber(_ name: String, default fallback: Int64, minimum: Int64 = 0) throws -> Int64 {
        guard let text = values[name] else { return fallback }
        guard let value = Int64(text.trimmingCharacters(in: .whitespaces)), value >= minimum else {
            throw PluginFailure("\(step): \(name) must be a whole number of at least \(minimum), not '\(text)'")
        }
        return value
    }

    /// A percentage from 0 to 100 (`"98"`, `"97.5"`).
    func percent(_ name: String, default fallback: Double) throws -> Double {
        guard let text = values[name] else { return fallback }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), (0...100).contains(value) else {
            throw PluginFailure("\(step): \(name) must be a percentage from 0 to 100, not '\(text)'")
        }
        return value
    }

    /// One of `choices`.
    func choice(_ name: String, among choices: [String], default fallback: String) throws -> String {
        guard let text = values[name] else { return fallback }
        guard choices.contains(text) else {
            throw PluginFailure("\(step): \(name) must be one of \(choices.joined(separator: ", ")), not '\(text)'")
        }
        return text
    }

    /// A comma-separated list (`"Financial services, Construction"`), items trimmed.
    func list(_ name: String, default fallback: [String]) -> [String] {
        guard let text = values[name] else { return fallback }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Whose customers or complaints a check looks at: `scope: pilot` (the phase's pilot group)
    /// or `scope: all`. Without the argument, the pilot group when the phase has one, as a KPI
    /// criterion does.
    func scope(pilotUserIDs: [Int64]) throws -> Scope {
        let name = try choice("scope", among: ["pilot", "all"], default: pilotUserIDs.isEmpty ? "all" : "pilot")
        guard name == "pilot" else { return .all }
        guard !pilotUserIDs.isEmpty else {
            throw PluginFailure("\(step): scope pilot needs a phase with a pilot group, and this phase has none; "
                + "add 'pilot:' to the phase or write scope: all")
        }
        return .pilot(pilotUserIDs)
    }
}
