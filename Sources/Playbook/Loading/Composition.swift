import Foundation

/// Composes a playbook from the files it names before the grammar reads it:
///
/// - `extends: base.yaml` (or `extends: { playbook: base.yaml, parameters: { pilot_weeks: 8 } }`):
///   the base playbook, itself composed, with this file's keys merged over it;
/// - `include: [fragments/kpis.yaml, …]`: fragments (mappings of playbook keys) merged in order
///   before this file's own keys;
/// - `parameters:` and `${name}` in any scalar: values from the command line, then from the
///   extending file, then the defaults.
///
/// Merging is by key for mappings and **by id** for lists of mappings with ids: an item whose
/// id the base has is merged into it (deep, key by key), a new id is appended, and
/// `{ id: x, remove: true }` removes the base's item. Any other list replaces the base's.
/// Every node keeps the file, line and column it was written at, so diagnostics point into the
/// file that wrote the problem.
struct Composition {
    let file: SourceFile
    /// Reads a file by path; nil when it cannot be read.
    let read: (String) -> String?
    /// `--param name=value` from the command line: they win over everything.
    let overrides: [String: String]
    private(set) var composedFrom: [PlaybookSource] = []
    /// The parameters declared by the composed playbook, with the value each resolved to.
    private(set) var parameters: [PlaybookParameter] = []

    /// Plugin id → its folder: `plugin:retail/fragments/kpis.yaml` is a file of the plugin.
    let pluginDirectories: [String: String]

    init(file: SourceFile, overrides: [String: String], pluginDirectories: [String: String] = [:],
         read: @escaping (String) -> String?) {
        self.file = file
        self.overrides = overrides
        self.pluginDirectories = pluginDirectories
        self.read = read
    }

    /// The composed tree of the playbook whose root is `root` (file 0), parameters substituted.
    mutating func compose(_ root: Node) -> Node {
        var chain = [Self.canonical(file.path)]
        var tree = resolve(root, path: file.path, chain: &chain)
        tree = substituteParameters(in: tree, passed: passedParameters(of: root))
        return tree
    }

    // MARK: extends and include

    private mutating func resolve(_ node: Node, path: String, chain: inout [String]) -> Node {
        guard case .mapping(var mapping) = node else { return node }
        var base: Node?
        var fragments: [Node] = []
        if let extends = mapping.value(of: "extends") {
            var target: Node?
            switch extends {
            case .scalar: target = extends
            case .mapping: target = extendsTarget(extends)
            case .sequence:
                file.error(.wrongType, "'extends' must be a file name or { playbook: FILE, parameters: {…} }, not a list",
                           at: extends)
            }
            if let target, let loaded = load(target, from: path, chain: &chain, role: "base playbook") {
                base = loaded
            }
        }
        if let include = mapping.value(of: "include") {
            var items: [Node] = []
            switch include {
            case .sequence(let sequence): items = sequence.items
            case .scalar: items = [include]
            case .mapping: file.error(.wrongType, "'include' must be a list of fragment files, not a mapping", at: include)
            }
            for item in items {
                guard case .scalar = item else {
                    file.error(.wrongType, "an item of 'include' must be a file name, not \(item.found)", at: item)
                    continue
                }
                if let fragment = load(item, from: path, chain: &chain, role: "fragment") { fragments.append(fragment) }
            }
        }
        mapping.pairs.removeAll { ["extends", "include"].contains($0.key.string) }
        var result = base ?? .mapping(Node.Mapping(pairs: [], mark: mapping.mark))
        for fragment in fragments { result = merge(result, fragment) }
        result = merge(result, .mapping(mapping))
        return result
    }

    /// `{ playbook: base.yaml, parameters: {…} }` → the `playbook` file name node.
    private func extendsTarget(_ node: Node) -> Node? {
        guard case .mapping(let mapping) = node else { return nil }
        for pair in mapping.pairs where !["playbook", "parameters"].contains(pair.key.string ?? "") {
            file.error(.unknownKey, "unknown key '\(pair.key.string ?? "")' in 'extends'", at: pair.key,
                       suggestion: Suggestion.closest(to: pair.key.string ?? "", among: ["playbook", "parameters"]))
        }
        guard let target = mapping.value(of: "playbook") else {
            file.report(.error(.missingKey, "'extends' is missing required key 'playbook' (the base file)",
                               at: file.location(of: node)))
            return nil
        }
        return target
    }

    /// Parameter values an `extends: { parameters: … }` passes to its base.
    private func passedParameters(of root: Node) -> [String: Node] {
        guard case .mapping(let extends)? = root["extends"], case .mapping(let values)? = extends.value(of: "parameters")
        else { return [:] }
        var passed: [String: Node] = [:]
        for pair in values.pairs { if let name = pair.key.string { passed[name] = pair.value } }
        return passed
    }

    /// The composed tree of the file `reference` names, relative to the including file.
    private mutating func load(_ reference: Node, from including: String, chain: inout [String], role: String) -> Node? {
        guard let name = reference.string, !reference.isNull else {
            file.error(.wrongType, "the \(role) must be a file name, not \(reference.found)", at: reference)
            return nil
        }
        let path: String
        let display: String
        if name.hasPrefix("plugin:") {
            // `plugin:ID/PATH`: a fragment the plugin ships in its folder.
            let rest = name.dropFirst("plugin:".count)
            let id = String(rest.prefix { $0 != "/" })
            let inside = String(rest.dropFirst(id.count + 1))
            guard let directory = pluginDirectories[id], !inside.isEmpty else {
                let known = pluginDirectories.keys.sorted()
                file.error(.unreadableInclude, inside.isEmpty
                    ? "write a plugin's fragment as 'plugin:ID/PATH', e.g. 'plugin:retail/fragments/kpis.yaml'"
                    : "\(role) '\(name)' names plugin '\(id)', which is not installed "
                        + (known.isEmpty ? "(no plugins found)" : "(found: \(known.joined(separator: ", ")))")
                        + "; install it with `rollout plugin install`, or name its folder with --plugins",
                    at: reference, suggestion: Suggestion.closest(to: id, among: known))
                return nil
            }
            path = (directory as NSString).appendingPathComponent(inside)
            display = name
        } else {
            path = name.hasPrefix("/") ? name
                : URL(fileURLWithPath: including).deletingLastPathComponent().appendingPathComponent(name).path
            display = name.hasPrefix("/") ? name : Self.display(path, relativeTo: including, name: name)
        }
        let canonical = Self.canonical(path)
        if let start = chain.firstIndex(of: canonical) {
            let loop = (chain[start...].map { URL(fileURLWithPath: $0).lastPathComponent } + [URL(fileURLWithPath: canonical).lastPathComponent])
            file.error(.compositionCycle, "\(role) '\(name)' is already being read: "
                       + loop.joined(separator: " → ") + "; files may not extend or include each other in a circle",
                       at: reference)
            return nil
        }
        guard let text = read(path) else {
            file.error(.unreadableInclude, "cannot read \(role) '\(name)' (looked for \(path))", at: reference)
            return nil
        }
        let index = file.add(path: display, text: text)
        composedFrom.append(PlaybookSource(path: display, text: text, sha256: PlaybookCompiler.sha256(of: text)))
        guard let root = YAMLDocument.compose(text, into: file, index: index) else { return nil }
        guard case .mapping = root else {
            file.error(.wrongType, "the \(role) '\(name)' must be a mapping of playbook keys, not \(root.found)", at: root)
            return nil
        }
        chain.append(canonical)
        defer { chain.removeLast() }
        return resolve(root, path: path, chain: &chain)
    }

    // MARK: Merging

    /// `overlay` merged over `base`: by key for mappings, by id for lists of items with ids.
    private func merge(_ base: Node, _ overlay: Node) -> Node {
        switch (base, overlay) {
        case (.mapping(var b), .mapping(let o)):
            for pair in o.pairs {
                guard let key = pair.key.string else { b.pairs.append(pair); continue }
                if let index = b.pairs.firstIndex(where: { $0.key.string == key }) {
                    b.pairs[index] = (pair.key, merge(b.pairs[index].value, pair.value))
                } else {
                    b.pairs.append(pair)
                }
            }
            return .mapping(b)
        case (.sequence(var b), .sequence(let o)) where Self.hasIDs(b) && Self.hasIDs(o):
            for item in o.items {
                let id = item["id"]?.string
                let index = b.items.firstIndex { $0["id"]?.string == id }
                if Self.removes(item) {
                    if let index { b.items.remove(at: index) } else {
                        file.error(.unknownKey, "'remove: true' names id '\(id ?? "")', which the base does not have",
                                   at: item["id"] ?? item)
                    }
                } else if let index {
                    b.items[index] = merge(b.items[index], item)
                } else {
                    b.items.append(item)
                }
            }
            return .sequence(b)
        default:
            return overlay
        }
    }

    private static func hasIDs(_ sequence: Node.Sequence) -> Bool {
        !sequence.items.isEmpty && sequence.items.allSatisfy { $0["id"]?.string != nil }
    }

    private static func removes(_ item: Node) -> Bool {
        guard case .mapping(let mapping) = item, let flag = mapping.value(of: "remove") else { return false }
        return flag.scalarTag == .bool && ImplicitScalarType.boolValue(flag.string ?? "") == true
    }

    // MARK: Parameters

    /// Reads `parameters:` and replaces every `${name}` in the tree's scalars.
    private mutating func substituteParameters(in tree: Node, passed: [String: Node]) -> Node {
        guard case .mapping(var root) = tree else { return tree }
        var values: [String: String] = [:]
        var declared: [String] = []
        if let declarations = root.value(of: "parameters") {
            guard case .mapping(let mapping) = declarations else {
                file.error(.wrongType, "'parameters' must be a mapping of names to defaults, not \(declarations.found)",
                           at: declarations)
                return tree
            }
            for pair in mapping.pairs {
                guard let name = pair.key.string else { continue }
                declared.append(name)
                var defaultValue: String?
                var description: String?
                switch pair.value {
                case .scalar(let scalar): defaultValue = scalar.type == .null ? nil : scalar.string
                case .mapping(let spec):
                    for key in spec.pairs where !["default", "description"].contains(key.key.string ?? "") {
                        file.error(.unknownKey, "unknown key '\(key.key.string ?? "")' in parameter '\(name)'", at: key.key,
                                   suggestion: Suggestion.closest(to: key.key.string ?? "", among: ["default", "description"]))
                    }
                    defaultValue = spec.value(of: "default").flatMap { $0.isNull ? nil : $0.string }
                    description = spec.value(of: "description")?.string
                case .sequence:
                    file.error(.wrongType, "parameter '\(name)' must be a default value or { default: …, description: … }",
                               at: pair.value)
                }
                let value = overrides[name] ?? passed[name]?.string ?? defaultValue
                if value == nil {
                    file.error(.missingParameter, "parameter '\(name)' has no default and no value; give it one with "
                               + "--param \(name)=VALUE or a default", at: pair.key)
                }
                values[name] = value
                parameters.append(PlaybookParameter(name: name, defaultValue: defaultValue, description: description,
                                                    value: value, location: file.location(of: pair.key)))
            }
            root.pairs.removeAll { $0.key.string == "parameters" }
        }
        for name in overrides.keys.sorted() where !declared.contains(name) {
            file.report(.error(.unknownParameter, "--param \(name): the playbook declares no parameter '\(name)'",
                               at: file.location(Mark(line: 1, column: 1)),
                               suggestion: Suggestion.closest(to: name, among: declared)))
        }
        // Most playbooks use no parameter: then there is nothing to rebuild.
        guard file.hasParameterReferences else { return .mapping(root) }
        return substitute(.mapping(root), values: values, declared: declared)
    }

    /// Whether `text` contains `${`: `memchr` to each `$` (a `String.contains` goes through
    /// Foundation, and a byte loop was 2 % of checking a large playbook).
    static func hasReference(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            var offset = 0
            while offset < bytes.count,
                  let dollar = memchr(base + offset, Int32(UInt8(ascii: "$")), bytes.count - offset) {
                let index = base.distance(to: dollar.assumingMemoryBound(to: UInt8.self))
                if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "{") { return true }
                offset = index + 1
            }
            return false
        }
    }

    private func substitute(_ node: Node, values: [String: String], declared: [String]) -> Node {
        switch node {
        case .scalar(var scalar):
            guard Self.hasReference(scalar.string) else { return node }
            var text = ""
            var rest = Substring(scalar.string)
            while let open = rest.range(of: "${") {
                text += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                    text += rest[open.lowerBound...]
                    rest = ""
                    break
                }
                let name = String(rest[open.upperBound..<close])
                if let value = values[name] {
                    text += value
                } else {
                    if !declared.contains(name) {
                        file.error(.unknownParameter, "unknown parameter '\(name)' in '${\(name)}'", at: node,
                                   suggestion: Suggestion.closest(to: name, among: declared))
                    }
                    text += "${\(name)}"
                }
                rest = rest[rest.index(after: close)...]
            }
            text += rest
            scalar.string = text
            if scalar.style == .plain { scalar.type = ImplicitScalarType.classify(text) }
            return .scalar(scalar)
        case .mapping(var mapping):
            mapping.pairs = mapping.pairs.map { ($0.key, substitute($0.value, values: values, declared: declared)) }
            return .mapping(mapping)
        case .sequence(var sequence):
            sequence.items = sequence.items.map { substitute($0, values: values, declared: declared) }
            return .sequence(sequence)
        }
    }

    // MARK: Helpers

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// How diagnostics name an included file: relative to the including file's directory as the
    /// user sees it, e.g. `Playbooks/fragments/kpis.yaml`.
    private static func display(_ path: String, relativeTo including: String, name: String) -> String {
        let directory = (including as NSString).deletingLastPathComponent
        return directory.isEmpty ? name : (directory as NSString).appendingPathComponent(name)
    }
}

extension Node.Mapping {
    /// The value of `key` (its last occurrence).
    func value(of key: String) -> Node? {
        pairs.last { $0.key.string == key }?.value
    }
}
