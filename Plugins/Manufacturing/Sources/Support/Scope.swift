import PluginKit

/// Whose records a phase action works on: the phase's pilot group, or everyone (the cut-over),
/// as `process.start` decides it.
enum Scope: String, CaseIterable {
    case pilot
    case everyone

    /// The users it covers, or nil for everyone. Without a `scope:` argument, a phase with a pilot
    /// group works on the pilot's records and any other phase on everyone's.
    static func owners(_ arguments: StepArguments, context: PluginCallContext) throws -> [Int64]? {
        let fallback: Scope = context.pilotUserIDs.isEmpty ? .everyone : .pilot
        switch try arguments.choice("scope", default: fallback) {
        case .everyone:
            return nil
        case .pilot:
            guard !context.pilotUserIDs.isEmpty else {
                throw PluginFailure("\(arguments.step): scope pilot needs a phase with a pilot group (add 'pilot:' to the "
                    + "phase), or write scope: everyone")
            }
            return context.pilotUserIDs.sorted()
        }
    }
}
