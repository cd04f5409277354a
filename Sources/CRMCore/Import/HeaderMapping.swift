/// Which file column feeds which field of the entity.
///
/// Automatic mapping compares a header, ignoring case, spaces, hyphens and underscores, with
/// each field's name, the name without its `_id` / `_minor` suffix (`account`, `amount`), and
/// the field's aliases (`E-mail`, `邮箱`, `手机`). A mapping file names columns explicitly
/// (`客户名称: account_id`), maps a column to `ignore`, and may give default values for fields
/// the file lacks. A header that maps to nothing is an error, never silently dropped.
public struct HeaderMapping: Sendable, Hashable {
    /// For each file column (by position), the field it feeds, or nil (ignored).
    public let fields: [String?]
    /// Fields given a value for every row (from the mapping file's `defaults`).
    public let defaults: [String: String]

    public static func resolve(header: [String], entity: EntityDescriptor, explicit: [String: String] = [:],
                               defaults: [String: String] = [:]) throws -> HeaderMapping {
        var fields: [String?] = []
        var problems: [FieldError] = []
        var used: [String: String] = [:]
        let explicitByKey = Dictionary(explicit.map { (normalize($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        for (index, cell) in header.enumerated() {
            let column = ImportProblem.columnLetter(index)
            let key = normalize(cell)
            var target: String?
            if let mapped = explicitByKey[key] {
                if mapped == "ignore" {
                    fields.append(nil)
                    continue
                }
                guard entity.field(mapped) != nil else {
                    problems.append(FieldError(field: cell, value: nil,
                                               reason: "the mapping names field '\(mapped)', which \(entity.name) does not have"))
                    fields.append(nil)
                    continue
                }
                target = mapped
            } else if key.isEmpty {
                fields.append(nil)
                continue
            } else {
                target = automatic(key, entity)
            }
            guard let target else {
                let hint = TextSimilarity.suggestion(for: key, among: entity.fields.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
                problems.append(FieldError(field: "column \(column) '\(cell)'", value: nil,
                                           reason: "matches no field of \(entity.name)\(hint); map it in a mapping file, or to 'ignore'"))
                fields.append(nil)
                continue
            }
            if let field = entity.field(target), field.readOnly {
                problems.append(FieldError(field: "column \(column) '\(cell)'", value: nil, reason: "\(target) is set by rollout, not imported"))
                fields.append(nil)
                continue
            }
            if let earlier = used[target] {
                problems.append(FieldError(field: "column \(column) '\(cell)'", value: nil,
                                           reason: "maps to \(target), as column '\(earlier)' already does"))
            }
            used[target] = cell
            fields.append(target)
        }
        for (field, _) in defaults where entity.field(field) == nil {
            problems.append(FieldError(field: "defaults", value: field, reason: "\(entity.name) has no such field"))
        }
        for field in entity.fields where field.required && used[field.name] == nil && defaults[field.name] == nil
            && !(field.name == "created_at" && entity.stampsCreation) {
            problems.append(FieldError(field: field.name, value: nil,
                                       reason: "is required, and no column maps to it (columns: \(header.joined(separator: ", ")))"))
        }
        if !problems.isEmpty { throw CRMError.invalid(entity: entity.name, problems) }
        return HeaderMapping(fields: fields, defaults: defaults)
    }

    static func automatic(_ key: String, _ entity: EntityDescriptor) -> String? {
        for field in entity.fields where !field.readOnly {
            let name = normalize(field.name)
            if key == name { return field.name }
            for suffix in ["id", "minor"] where name.hasSuffix(suffix) && key == String(name.dropLast(suffix.count)) {
                return field.name
            }
        }
        for field in entity.fields where !field.readOnly && field.aliases.contains(where: { normalize($0) == key }) {
            return field.name
        }
        return nil
    }

    static func normalize(_ header: String) -> String {
        String(header.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" && $0 != "\u{FEFF}" })
    }
}
