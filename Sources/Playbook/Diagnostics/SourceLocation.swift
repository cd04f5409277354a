/// A place in a playbook file: 1-based line and column (columns count Unicode scalars, as libyaml does).
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `Playbooks/x.yaml:14:9`
    public var description: String { "\(file):\(line):\(column)" }
}

/// An id written somewhere in a playbook, with where it was written, so that a reference to
/// something that does not exist can be reported at the reference.
public struct Reference: Hashable, Sendable, Codable, CustomStringConvertible {
    public var id: String
    public var location: SourceLocation

    public init(_ id: String, at location: SourceLocation) {
        self.id = id
        self.location = location
    }

    public var description: String { id }
}
