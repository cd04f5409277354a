import Foundation

// The JSON a plugin and the host exchange (ABI version 1), as Codable Swift types. The host
// decodes the same types, so this file is the one definition of the contract;
// docs/plugin-author-guide.md describes it for authors in other languages.
//
// Operations the host calls:
//
// | operation         | request                | response                 |
// |-------------------|------------------------|--------------------------|
// | `action:ID`       | `PluginActionRequest`  | `PluginActionResponse`   |
// | `check:ID`        | `PluginCheckRequest`   | `PluginCheckResponse`    |
// | `report:SECTION`  | `PluginReportRequest`  | any JSON object: the section template's context |
//
// Everything else a plugin provides (metrics, migrations, report sections) is declared in its
// `PluginDeclaration`, which the host reads from the table without a call.

/// A JSON value: what arguments, query results and written values are made of.
public enum JSONValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public var int: Int64? {
        switch self {
        case .int(let v): v
        case .double(let v) where v == v.rounded(): Int64(v)
        case .string(let v): Int64(v)
        default: nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        case .string(let v): Double(v)
        default: nil
        }
    }

    public var string: String? {
        switch self {
        case .string(let v): v
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .bool(let v): String(v)
        default: nil
        }
    }

    public var isNull: Bool { self == .null }

    public subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { fields[key] } else { nil }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let v): String(v)
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .string(let v): v
        case .array(let v): "[" + v.map(\.description).joined(separator: ", ") + "]"
        case .object(let v): "{" + v.keys.sorted().map { "\($0): \(v[$0]!)" }.joined(separator: ", ") + "}"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}

// MARK: - What a plugin declares

/// A metric for the KPI catalog: one SELECT over the published `v_*` views (the plugin's own
/// `v_<namespace>_*` views included) returning `user_id`, `at` and `value` per unit, exactly
/// like a playbook's custom `sql:` metric. It runs in the same sandbox.
public struct PluginMetric: Sendable, Hashable, Codable {
    /// `<plugin id>.<name>`, e.g. `retail.repeat_purchase_rate`.
    public var id: String
    public var name: String
    /// sales, marketing, service, adoption, data_quality or process.
    public var category: String
    /// `%`, `h`, `days`, …
    public var unit: String
    /// mean, median, p90, sum or count (of the per-unit values).
    public var aggregate: String
    /// higher or lower: which way is better.
    public var direction: String
    /// The unit of analysis in words: "customer", "ticket".
    public var unitOfAnalysis: String
    /// Numerator, denominator, filters, time basis, in words.
    public var definition: String
    public var sql: String

    public init(id: String, name: String, category: String, unit: String, aggregate: String = "mean",
                direction: String, unitOfAnalysis: String, definition: String, sql: String) {
        self.id = id
        self.name = name
        self.category = category
        self.unit = unit
        self.aggregate = aggregate
        self.direction = direction
        self.unitOfAnalysis = unitOfAnalysis
        self.definition = definition
        self.sql = sql
    }

    enum CodingKeys: String, CodingKey {
        case id, name, category, unit, aggregate, direction, definition, sql
        case unitOfAnalysis = "unit_of_analysis"
    }
}

/// An action that phases (`actions:`) and process transitions (`do: [{plugin: ID}]`) run.
public struct PluginActionDeclaration: Sendable, Hashable, Codable {
    /// `<plugin id>.<name>`, e.g. `retail.reactivate`.
    public var id: String
    /// One line for `rollout plugin info` and `rollout check`.
    public var summary: String

    public init(id: String, summary: String) {
        self.id = id
        self.summary = summary
    }
}

/// A check a gate can use as a criterion (`criteria: [{check: financial.kyc-complete}]`).
public typealias PluginCheckDeclaration = PluginActionDeclaration

/// Statements that create or change the plugin's own tables, applied once per workspace in
/// order, each migration in one transaction. Names must start with the plugin's namespace:
/// tables and indexes `<namespace>_…`, views `v_<namespace>_…` (the namespace is the id with
/// `-` as `_`). Views are published to metrics and queries; they may read the plugin's tables
/// and the published `v_*` views only. A migration's id is permanent once released.
public struct PluginMigration: Sendable, Hashable, Codable {
    public var id: String
    public var statements: [String]

    public init(id: String, statements: [String]) {
        self.id = id
        self.statements = statements
    }
}

/// A section the plugin adds to the evaluation report: the host calls `report:ID` for its
/// context and renders the plugin's Mustache templates (paths relative to the plugin's folder).
public struct PluginReportSection: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    /// e.g. `templates/loyalty.md.mustache`
    public var markdownTemplate: String
    /// e.g. `templates/loyalty.html.mustache`
    public var htmlTemplate: String

    public init(id: String, title: String, markdownTemplate: String, htmlTemplate: String) {
        self.id = id
        self.title = title
        self.markdownTemplate = markdownTemplate
        self.htmlTemplate = htmlTemplate
    }

    enum CodingKeys: String, CodingKey {
        case id, title
        case markdownTemplate = "markdown_template"
        case htmlTemplate = "html_template"
    }
}

// MARK: - Calls

/// Where an action or check runs: the project, the phase or process, and the time (the
/// engine's clock, not the wall clock).
public struct PluginCallContext: Sendable, Hashable, Codable {
    public var projectID: String
    /// The phase running the action or evaluating the gate; nil in a process transition.
    public var phaseID: String?
    /// Unix seconds of the engine's clock.
    public var at: Int64
    /// Unique per run of this step: the same key on a rerun means the same step (effects the
    /// host applies are idempotent by it; a plugin that keeps its own state can use it too).
    public var idempotencyKey: String
    /// The user ids of the phase's pilot group (empty when it has none).
    public var pilotUserIDs: [Int64]
    /// In a process transition: the record that moved.
    public var record: PluginRecord?

    public init(projectID: String, phaseID: String?, at: Int64, idempotencyKey: String, pilotUserIDs: [Int64] = [],
                record: PluginRecord? = nil) {
        self.projectID = projectID
        self.phaseID = phaseID
        self.at = at
        self.idempotencyKey = idempotencyKey
        self.pilotUserIDs = pilotUserIDs
        self.record = record
    }

    enum CodingKeys: String, CodingKey {
        case at, record
        case projectID = "project_id"
        case phaseID = "phase_id"
        case idempotencyKey = "idempotency_key"
        case pilotUserIDs = "pilot_user_ids"
    }
}

/// The CRM record a process transition moved.
public struct PluginRecord: Sendable, Hashable, Codable {
    /// lead, opportunity, ticket, …
    public var entity: String
    public var id: Int64
    public var processID: String
    /// The states the transition left and entered.
    public var from: String
    public var to: String

    public init(entity: String, id: Int64, processID: String, from: String, to: String) {
        self.entity = entity
        self.id = id
        self.processID = processID
        self.from = from
        self.to = to
    }

    enum CodingKeys: String, CodingKey {
        case entity, id, from, to
        case processID = "process_id"
    }
}

public struct PluginActionRequest: Sendable, Hashable, Codable {
    public var action: String
    /// The step's arguments as written in the playbook (`{ days: 180 }`), as text.
    public var arguments: [String: String]
    public var context: PluginCallContext

    public init(action: String, arguments: [String: String], context: PluginCallContext) {
        self.action = action
        self.arguments = arguments
        self.context = context
    }
}

/// What an action did: a summary line, and the writes the host applies in the step's own
/// transaction (so they happen exactly once, with the step) after checking each against the
/// manifest's permissions. A plugin never writes to the database itself.
public struct PluginActionResponse: Sendable, Hashable, Codable {
    public var summary: String
    public var writes: [PluginWrite]

    public init(summary: String, writes: [PluginWrite] = []) {
        self.summary = summary
        self.writes = writes
    }
}

/// One change the host makes for a plugin, audited with the plugin as actor.
///
/// - `insert`: a row into a table the plugin may write (its own `<namespace>_*` tables, or one a
///   `write:TABLE` permission names); `onConflict` `ignore` or `replace`.
/// - `update` / `delete`: rows of such a table matching every `where` column.
/// - `create`: a CRM record through the CRM's own rules (validation, audit trail, process
///   triggers); needs the permission `create:ENTITY` (e.g. `create:activity`).
public enum PluginWrite: Sendable, Hashable, Codable {
    case insert(table: String, values: [String: JSONValue], onConflict: String?)
    case update(table: String, set: [String: JSONValue], where: [String: JSONValue])
    case delete(table: String, where: [String: JSONValue])
    case create(entity: String, fields: [String: String])

    enum CodingKeys: String, CodingKey {
        case insert, update, delete, create, values, set, fields
        case whereColumns = "where"
        case onConflict = "on_conflict"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let table = try c.decodeIfPresent(String.self, forKey: .insert) {
            self = .insert(table: table, values: try c.decode([String: JSONValue].self, forKey: .values),
                           onConflict: try c.decodeIfPresent(String.self, forKey: .onConflict))
        } else if let table = try c.decodeIfPresent(String.self, forKey: .update) {
            self = .update(table: table, set: try c.decode([String: JSONValue].self, forKey: .set),
                           where: try c.decode([String: JSONValue].self, forKey: .whereColumns))
        } else if let table = try c.decodeIfPresent(String.self, forKey: .delete) {
            self = .delete(table: table, where: try c.decode([String: JSONValue].self, forKey: .whereColumns))
        } else if let entity = try c.decodeIfPresent(String.self, forKey: .create) {
            self = .create(entity: entity, fields: try c.decode([String: String].self, forKey: .fields))
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription:
                "a write is one of {insert: TABLE, values}, {update: TABLE, set, where}, {delete: TABLE, where}, "
                    + "{create: ENTITY, fields}"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .insert(let table, let values, let onConflict):
            try c.encode(table, forKey: .insert)
            try c.encode(values, forKey: .values)
            try c.encodeIfPresent(onConflict, forKey: .onConflict)
        case .update(let table, let set, let whereColumns):
            try c.encode(table, forKey: .update)
            try c.encode(set, forKey: .set)
            try c.encode(whereColumns, forKey: .whereColumns)
        case .delete(let table, let whereColumns):
            try c.encode(table, forKey: .delete)
            try c.encode(whereColumns, forKey: .whereColumns)
        case .create(let entity, let fields):
            try c.encode(entity, forKey: .create)
            try c.encode(fields, forKey: .fields)
        }
    }
}

public typealias PluginCheckRequest = PluginActionRequest

/// A gate criterion's result: passed, failed, or unknown (nil: the input cannot be known yet,
/// which a dry run shows as *unknown*, never as a failure).
public struct PluginCheckResponse: Sendable, Hashable, Codable {
    public var passed: Bool?
    /// What was read, in words: "412 of 420 pilot customers verified (98.1 %)".
    public var detail: String

    public init(passed: Bool?, detail: String) {
        self.passed = passed
        self.detail = detail
    }
}

public struct PluginReportRequest: Sendable, Hashable, Codable {
    public var section: String
    public var projectID: String?
    /// Unix seconds: the report's "now".
    public var at: Int64

    public init(section: String, projectID: String?, at: Int64) {
        self.section = section
        self.projectID = projectID
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case section, at
        case projectID = "project_id"
    }
}

/// The host's query service: one SELECT on the published views and the plugin's own tables.
public struct PluginQueryRequest: Sendable, Hashable, Codable {
    public var sql: String
    /// Named parameters: `:days` is `"days"` here.
    public var arguments: [String: JSONValue]

    public init(sql: String, arguments: [String: JSONValue] = [:]) {
        self.sql = sql
        self.arguments = arguments
    }
}

public struct PluginQueryResponse: Sendable, Hashable, Codable {
    public var columns: [String]
    public var rows: [[JSONValue]]

    public init(columns: [String], rows: [[JSONValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Each row as column name → value.
    public var records: [[String: JSONValue]] {
        rows.map { Dictionary(zip(columns, $0), uniquingKeysWith: { first, _ in first }) }
    }
}
