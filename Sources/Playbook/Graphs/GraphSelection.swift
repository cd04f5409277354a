/// A graph asked for that the playbook does not have: an unknown process id, or a variant the
/// process does not describe. The message names what exists and, for a misspelt id, the likely one.
public struct GraphSelectionError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
}

extension Playbook {
    /// The phase graph without `process`; with it, that process's `variant`.
    public func graph(process id: String? = nil, variant: ProcessVariant.Kind = .toBe) throws(GraphSelectionError) -> FlowGraph {
        guard let id else { return FlowGraph(phasesOf: self) }
        guard let model = process(id) else {
            let known = processes.map(\.id)
            guard !known.isEmpty else {
                throw GraphSelectionError(description: "playbook '\(self.id)' has no process '\(id)': it describes no "
                                          + "processes; add them under 'processes:', or leave out --process to draw the phases")
            }
            let suggestion = Suggestion.closest(to: id, among: known).map { " (did you mean '\($0)'?)" } ?? ""
            throw GraphSelectionError(description: "playbook '\(self.id)' has no process '\(id)'\(suggestion); "
                                      + "its processes are: \(known.joined(separator: ", "))")
        }
        guard let chosen = variant == .asIs ? model.asIs : model.toBe else {
            let written = model.variants.map(\.kind.rawValue).joined(separator: ", ")
            throw GraphSelectionError(description: "process '\(id)' has no \(variant.rawValue) variant; it describes "
                                      + "\(written): use --variant \(model.variants.first?.kind.rawValue ?? "to_be")")
        }
        return FlowGraph(process: model, variant: chosen)
    }
}
