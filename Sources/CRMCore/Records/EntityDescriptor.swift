import GRDB

/// What a column holds, and so how text from a user, a CSV cell or an API body becomes a value.
public enum FieldKind: Sendable, Hashable {
    case text
    case integer
    case decimal
    /// An amount in the currency's major unit ("1234.50"), stored as minor units (123450).
    case money
    /// An instant: ISO 8601 with a zone, or a date (midnight UTC). Stored as Unix seconds.
    case timestamp
    /// A calendar date, `YYYY-MM-DD` (also `YYYY/M/D`), stored as text.
    case date
    case boolean
    /// One of a closed list of values (a CHECK constraint in the schema).
    case choice([String])
    /// The id of a record of another entity, or its natural key (an account's name, a user's
    /// e-mail, a product's SKU).
    case reference(String)
}

/// One column of an entity as users see it: in `rollout crm` commands, imports, exports, the API.
public struct FieldDescriptor: Sendable, Hashable {
    /// The column name, which is also the field's name everywhere (`account_id`, `email`).
    public let name: String
    public let kind: FieldKind
    /// Required on create: the schema has no default for it.
    public let required: Bool
    /// Other header names an import maps to this field automatically (case-insensitive):
    /// English variants and the Chinese headers of common CRM and spreadsheet exports.
    public let aliases: [String]
    /// Set by the system (creation time, computed SLA instants): shown, never written by users.
    public let readOnly: Bool

    public init(_ name: String, _ kind: FieldKind, required: Bool = false, aliases: [String] = [], readOnly: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
        self.aliases = aliases
        self.readOnly = readOnly
    }
}

/// How the access rules reach the account that decides whether a user may see a record.
public enum AccountPath: Sendable, Hashable {
    /// The record is an account.
    case isAccount
    /// The record belongs to the account in `accountColumn`; when that is NULL, to the user in
    /// `ownerColumn` (a lead, a ticket without an account), if any.
    case account(accountColumn: String, ownerColumn: String?)
    /// The record belongs to the user in the column (a lead, an appointment).
    case owner(String)
    /// The record belongs to the account of another record: `SQL` yields that account's id for
    /// the row aliased `r` (a quotation line through its quotation).
    case derived(accountSQL: String)
    /// Reference data every reader sees: products, territories, campaigns, articles.
    case shared
}

/// An entity of the CRM: its table, fields, natural key and access path.
///
/// One descriptor drives every generic operation on the entity: create / update / delete with
/// validation and audit, lists with filters and access rules, import header mapping, export
/// columns. Rules particular to one entity (a ticket's SLA instants, a lead's conversion) live
/// in `EntityRules`.
public struct EntityDescriptor: Sendable, Hashable {
    /// The name in commands and the API: `account`, `contact`, `kb-article`.
    public let name: String
    public let table: String
    public let fields: [FieldDescriptor]
    /// The column that names a record for people and for references by name (`name`, `email`,
    /// `sku`, `number`), if any.
    public let naturalKey: String?
    public let accountPath: AccountPath
    /// Whether `created_at` is filled from the clock when a create leaves it out.
    public let stampsCreation: Bool

    public init(name: String, table: String, fields: [FieldDescriptor], naturalKey: String? = nil,
                accountPath: AccountPath, stampsCreation: Bool = true) {
        self.name = name
        self.table = table
        self.fields = fields
        self.naturalKey = naturalKey
        self.accountPath = accountPath
        self.stampsCreation = stampsCreation
        self.columns = ["id"] + fields.map(\.name)
        self.qualifiedColumnsSQL = columns.map { "r.\($0)" }.joined(separator: ", ")
        self.jsonObjectSQL = "json_object(" + columns.map { "'\($0)', \($0)" }.joined(separator: ", ") + ")"
    }

    public func field(_ name: String) -> FieldDescriptor? {
        fields.first { $0.name == name }
    }

    /// Every column, `id` first: what lists, exports and the audit trail show.
    public let columns: [String]

    /// `r.id, r.name, …`: every column of the row aliased `r`. Made once: every write and list
    /// builds SQL from it, and the statement cache finds a statement by its text.
    let qualifiedColumnsSQL: String

    /// `json_object('id', id, 'name', name, …)` over the row: the audit trail's before/after.
    let jsonObjectSQL: String
}
