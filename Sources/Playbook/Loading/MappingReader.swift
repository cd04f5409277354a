/// Reads one YAML mapping key by key. It remembers every key it was asked for, so that the
/// keys nobody asked for are reported as unknown, with the nearest allowed key as suggestion.
///
/// ```swift
/// static var deliverable: Syntax<Deliverable> {
///     .mapping("deliverable") { map in
///         Deliverable(id: map.required("id", .identifier) ?? "", name: map.required("name", .text) ?? "",
///                     location: map.idLocation)
///     }
/// }
/// ```
struct MappingReader {
    private struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
    }

    let file: SourceFile
    /// Where the mapping starts: missing keys are reported here.
    let location: SourceLocation
    /// How messages name the mapping: `phase`, or `phase 'kick-off'` once its id is known.
    let subject: String
    private let entries: [Entry]
    private var allowed: [String] = []
    /// Set in schema mode: every key asked for is recorded with its syntax's schema, and nothing is read.
    private let recorder: SchemaRecorder?

    init(_ mapping: Node.Mapping, noun: String, file: SourceFile) {
        self.file = file
        self.location = file.location(mapping.mark)
        self.entries = mapping.pairs.map { Entry(key: $0.key.string ?? $0.key.found, keyNode: $0.key, value: $0.value) }
        let id = entries.first { $0.key == "id" }.flatMap { $0.value.isNull ? nil : $0.value.scalar?.string }
        self.subject = id.map { "\(noun) '\($0)'" } ?? noun
        self.recorder = nil
    }

    /// A reader that reads nothing and records the keys the grammar asks for (`rollout schema`).
    init(recording recorder: SchemaRecorder, noun: String) {
        self.file = SourceFile(path: "")
        self.location = SourceLocation(file: "", line: 1, column: 1)
        self.subject = noun
        self.entries = []
        self.recorder = recorder
    }

    /// The value of a key that must be present (and not empty).
    mutating func required<Value>(_ key: String, _ syntax: Syntax<Value>) -> Value? {
        if let recorder {
            recorder.record(key, syntax.schema, required: true)
            return nil
        }
        guard let entry = entry(key) else {
            file.report(.error(.missingKey, "\(subject) is missing required key '\(key)'", at: location))
            return nil
        }
        guard !entry.value.isNull else {
            file.error(.missingKey, "'\(key)' of \(subject) has no value; it must be \(syntax.expected)", at: entry.value)
            return nil
        }
        return syntax.read(entry.value, Field(file: file, name: "'\(key)'"))
    }

    /// The value of a key that may be left out; `key:` with no value counts as left out.
    mutating func optional<Value>(_ key: String, _ syntax: Syntax<Value>) -> Value? {
        if let recorder {
            recorder.record(key, syntax.schema, required: false)
            return nil
        }
        guard let entry = entry(key), !entry.value.isNull else { return nil }
        return syntax.read(entry.value, Field(file: file, name: "'\(key)'"))
    }

    /// Whether `key` is written, with a value.
    mutating func contains(_ key: String) -> Bool {
        entry(key).map { !$0.value.isNull } ?? false
    }

    /// Of the alternative keys of one choice (a benefit's kind, a criterion's comparison), the one
    /// written; reports none (`missing-key`) or several (`conflicting-keys`).
    mutating func choice(of keys: [String], what: String) -> String? {
        if recorder != nil { return nil }
        let written = keys.filter { contains($0) }
        let names = keys.map { "'\($0)'" }.joined(separator: ", ")
        guard let first = written.first else {
            file.report(.error(.missingKey, "\(subject) needs \(what): one of \(names)", at: location))
            return nil
        }
        for extra in written.dropFirst() {
            report(.conflictingKeys, "\(subject) has both '\(first)' and '\(extra)'; write only one of \(names)",
                   atKey: extra)
        }
        return written.count == 1 ? first : nil
    }

    /// Reports a problem at a key of this mapping (if it is written).
    func report(_ code: DiagnosticCode, _ message: String, atKey key: String) {
        guard let entry = entries.first(where: { $0.key == key }) else { return }
        file.error(code, message, at: entry.keyNode)
    }

    /// Where the value of `key` is written, if it is.
    func location(ofKey key: String) -> SourceLocation? {
        entries.first { $0.key == key }.map { file.textLocation(of: $0.value) }
    }

    /// Where the entity's `id` is written (or the mapping's start without one): the location
    /// every model type with an id carries, so duplicates are reported at the id itself.
    var idLocation: SourceLocation {
        entries.first { $0.key == "id" }.map { file.location(of: $0.value) } ?? location
    }

    /// Reports every key that was never asked for.
    func reportUnknownKeys() {
        guard recorder == nil else { return }
        for entry in entries where !allowed.contains(entry.key) {
            file.error(.unknownKey, "unknown key '\(entry.key)' in \(subject)", at: entry.keyNode,
                       suggestion: Suggestion.closest(to: entry.key, among: allowed))
        }
    }

    private mutating func entry(_ key: String) -> Entry? {
        if !allowed.contains(key) { allowed.append(key) }
        return entries.first { $0.key == key }
    }
}
