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
    private typealias Entry = (key: Node, value: Node)

    let file: SourceFile
    /// Where the mapping starts: missing keys are reported here.
    let location: SourceLocation
    /// How messages name the mapping: `phase`, or `phase 'kick-off'` once its id is known.
    let subject: String
    private let entries: [Entry]
    /// Every key asked for (in order, perhaps twice): the suggestions for an unknown key.
    private var allowed: [String] = []
    /// Which of the first 64 entries were asked for; later ones are checked against `allowed`.
    private var asked: UInt64 = 0
    /// Set in schema mode: every key asked for is recorded with its syntax's schema, and nothing is read.
    private let recorder: SchemaRecorder?

    init(_ mapping: Node.Mapping, noun: String, file: SourceFile) {
        self.file = file
        self.location = file.location(mapping.mark)
        self.entries = mapping.pairs
        allowed.reserveCapacity(16)  // one allocation for the keys a grammar rule asks for
        let id = Self.entry("id", in: entries).flatMap { $0.value.isNull ? nil : $0.value.scalar?.string }
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
        return syntax.read(entry.value, Field(file: file, key: key))
    }

    /// The value of a key that may be left out; `key:` with no value counts as left out.
    mutating func optional<Value>(_ key: String, _ syntax: Syntax<Value>) -> Value? {
        if let recorder {
            recorder.record(key, syntax.schema, required: false)
            return nil
        }
        guard let entry = entry(key), !entry.value.isNull else { return nil }
        return syntax.read(entry.value, Field(file: file, key: key))
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
        guard let entry = Self.entry(key, in: entries) else { return }
        file.error(code, message, at: entry.key)
    }

    /// Where the value of `key` is written, if it is.
    func location(ofKey key: String) -> SourceLocation? {
        Self.entry(key, in: entries).map { file.textLocation(of: $0.value) }
    }

    /// Where the entity's `id` is written (or the mapping's start without one): the location
    /// every model type with an id carries, so duplicates are reported at the id itself.
    var idLocation: SourceLocation {
        Self.entry("id", in: entries).map { file.location(of: $0.value) } ?? location
    }

    /// The keys asked for, each once, in the order first asked.
    private var allowedOnce: [String] {
        var seen: Set<String> = []
        return allowed.filter { seen.insert($0).inserted }
    }

    /// Reports every key that was never asked for.
    func reportUnknownKeys() {
        guard recorder == nil else { return }
        for (index, entry) in entries.enumerated() {
            if index < 64 && asked & (1 << UInt64(index)) != 0 { continue }
            let key = entry.key.string ?? entry.key.found
            if index >= 64 && allowed.contains(key) { continue }
            file.error(.unknownKey, "unknown key '\(key)' in \(subject)", at: entry.key,
                       suggestion: Suggestion.closest(to: key, among: allowedOnce))
        }
    }

    private mutating func entry(_ key: String) -> Entry? {
        allowed.append(key)
        guard let index = Self.index(of: key, in: entries) else { return nil }
        if index < 64 { asked |= 1 << UInt64(index) }
        return entries[index]
    }

    /// The pair whose key is the scalar `key`. Mappings hold a handful of keys: a linear search,
    /// on the pairs as composed (no copy), is the cheapest lookup.
    private static func entry(_ key: String, in entries: [Entry]) -> Entry? {
        index(of: key, in: entries).map { entries[$0] }
    }

    private static func index(of key: String, in entries: [Entry]) -> Int? {
        for index in entries.indices {
            if case .scalar(let scalar) = entries[index].key, scalar.string == key { return index }
        }
        return nil
    }
}
