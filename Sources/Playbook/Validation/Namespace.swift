/// The ids of one kind of thing (roles, KPIs, phases…), each with where it was first defined.
struct Namespace {
    /// How messages name the kind: `role`, `KPI`, `pilot group`.
    let kind: String
    private(set) var ids: [String] = []
    private var firstDefinitions: [String: SourceLocation] = [:]

    init(_ kind: String) {
        self.kind = kind
    }

    /// Room for `count` more ids, so that defining them does not rehash the table as it grows.
    mutating func reserve(_ count: Int) {
        ids.reserveCapacity(ids.count + count)
        firstDefinitions.reserveCapacity(firstDefinitions.count + count)
    }

    /// Records an id; returns the error for a second definition of it, reported at the second.
    mutating func define(_ id: String, at location: SourceLocation) -> PlaybookDiagnostic? {
        guard !id.isEmpty else { return nil }  // a missing id was reported while loading
        if let first = firstDefinitions[id] {
            return .error(.duplicateID, "duplicate \(kind) id '\(id)' (first defined at line \(first.line))", at: location)
        }
        firstDefinitions[id] = location
        ids.append(id)
        return nil
    }

    func contains(_ id: String) -> Bool {
        firstDefinitions[id] != nil
    }
}
