import Foundation
import GRDB

/// Creates, changes, deletes and reads CRM records of any entity, with the checks every write
/// needs: the actor's permissions and account scope, field validation, the entity's own rules
/// (`EntityRules`), and an audit entry in the same transaction.
///
/// ```swift
/// let store = CRMStore(clock: .system)
/// let id = try workspace.write { db in
///     try store.create(EntityCatalog.contact, fields: ["name": "Wang Fang", "account_id": "Huaxin"], as: actor, db)
/// }
/// ```
///
/// Call it inside a transaction (`WorkspaceDatabase.write`): a refused change throws and the
/// transaction leaves nothing behind.
public struct CRMStore: Sendable {
    public let clock: ProjectClock

    public init(clock: ProjectClock = .system) {
        self.clock = clock
    }

    // MARK: Writes

    @discardableResult
    public func create(_ entity: EntityDescriptor, fields: [String: String], as actor: CRMActor, _ db: Database) throws -> Int64 {
        try actor.require(.write, to: "create a \(entity.name)")
        var values = try parse(entity, fields, creating: true, db)
        let rules = EntityRules(entity: entity, now: clock.now, actor: actor)
        try rules.beforeCreate(&values, db)
        let id = try insert(entity, values, db)
        try ensureVisible(entity, id: id, to: actor, db, action: "create")
        try rules.afterCreate(id: id, values, db)
        try AuditTrail.record(db, at: clock.now, actor: actor, entity: entity.name, recordID: id, action: "create",
                              before: nil, after: json(entity, id: id, db))
        return id
    }

    public func update(_ entity: EntityDescriptor, id: Int64, fields: [String: String], as actor: CRMActor, _ db: Database) throws {
        try actor.require(.write, to: "change a \(entity.name)")
        // The row and its audit image in one read, the change and its new image in one
        // statement (RETURNING): a change is four statements with the audit entry.
        let before = try visibleRow(entity, id: id, as: actor, db, withAuditImage: true)
        let beforeJSON: String? = before["audit_image"]
        var values = try parse(entity, fields, creating: false, db)
        let rules = EntityRules(entity: entity, now: clock.now, actor: actor)
        try rules.beforeUpdate(id: id, &values, old: before, db)
        var afterJSON = beforeJSON
        if !values.isEmpty {
            let columns = values.keys.sorted()
            let assignments = columns.map { "\($0) = ?" }.joined(separator: ", ")
            try translatingConstraints(entity) {
                afterJSON = try String.fetchOne(
                    db.cachedStatement(sql: "UPDATE \(entity.table) SET \(assignments) WHERE id = ? RETURNING \(entity.jsonObjectSQL)"),
                    arguments: StatementArguments(columns.map { values[$0]! } + [id.databaseValue]))
            }
        }
        try ensureVisible(entity, id: id, to: actor, db, action: "move")
        try rules.afterUpdate(id: id, values, old: before, db)
        try AuditTrail.record(db, at: clock.now, actor: actor, entity: entity.name, recordID: id, action: "update",
                              before: beforeJSON, after: afterJSON)
    }

    public func delete(_ entity: EntityDescriptor, id: Int64, as actor: CRMActor, _ db: Database) throws {
        try actor.require(.delete, to: "delete a \(entity.name)")
        _ = try visibleRow(entity, id: id, as: actor, db)
        let beforeJSON = try json(entity, id: id, db)
        try EntityRules(entity: entity, now: clock.now, actor: actor).beforeDelete(id: id, db)
        do {
            try db.execute(sql: "DELETE FROM \(entity.table) WHERE id = ?", arguments: [id])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw CRMError.conflict("cannot delete \(entity.name) \(id): other records still refer to it (\(Self.referrers(of: entity).joined(separator: ", "))); delete or reassign them first")
        }
        try AuditTrail.record(db, at: clock.now, actor: actor, entity: entity.name, recordID: id, action: "delete",
                              before: beforeJSON, after: nil)
    }

    // MARK: Reads

    /// The record, if it exists and the actor may see it (an invisible record is "not found":
    /// its existence is not disclosed).
    public func get(_ entity: EntityDescriptor, id: Int64, as actor: CRMActor, _ db: Database) throws -> Row {
        try actor.require(.read, to: "read \(entity.name) records")
        return try visibleRow(entity, id: id, as: actor, db)
    }

    /// Records the actor may see, filtered by field equality (`["status": "open"]`, values as a
    /// user types them), newest id first.
    public func list(_ entity: EntityDescriptor, filters: [String: String] = [:], limit: Int = 50, offset: Int = 0,
                     as actor: CRMActor, _ db: Database) throws -> [Row] {
        try actor.require(.read, to: "read \(entity.name) records")
        let (condition, arguments) = try filterCondition(entity, filters, as: actor, db)
        return try Row.fetchAll(db, sql: """
            SELECT \(entity.qualifiedColumnsSQL) FROM \(entity.table) r
            WHERE \(condition) ORDER BY r.id DESC LIMIT ? OFFSET ?
            """, arguments: arguments + [limit, offset])
    }

    public func count(_ entity: EntityDescriptor, filters: [String: String] = [:], as actor: CRMActor, _ db: Database) throws -> Int {
        try actor.require(.read, to: "read \(entity.name) records")
        let (condition, arguments) = try filterCondition(entity, filters, as: actor, db)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(entity.table) r WHERE \(condition)", arguments: arguments) ?? 0
    }

    /// Every visible record in id order, one at a time (exports): memory stays bounded.
    public func forEach(_ entity: EntityDescriptor, filters: [String: String] = [:], as actor: CRMActor, _ db: Database,
                        _ body: (Row) throws -> Void) throws {
        try actor.require(.read, to: "read \(entity.name) records")
        let (condition, arguments) = try filterCondition(entity, filters, as: actor, db)
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT \(entity.qualifiedColumnsSQL) FROM \(entity.table) r
            WHERE \(condition) ORDER BY r.id
            """, arguments: arguments)
        while let row = try cursor.next() { try body(row) }
    }

    // MARK: Internals

    func filterCondition(_ entity: EntityDescriptor, _ filters: [String: String], as actor: CRMActor,
                         _ db: Database) throws -> (String, StatementArguments) {
        var parser = FieldParser()
        var conditions = [actor.scope.recordCondition(for: entity)]
        var arguments: StatementArguments = []
        var errors: [FieldError] = []
        for (name, text) in filters.sorted(by: { $0.key < $1.key }) {
            guard let field = name == "id" ? FieldDescriptor("id", .integer) : entity.field(name) else {
                errors.append(unknownField(name, in: entity))
                continue
            }
            do {
                let value = try parser.value(of: text, for: field, db)
                conditions.append(value.isNull ? "r.\(name) IS NULL" : "r.\(name) = ?")
                if !value.isNull { arguments += [value] }
            } catch let error as FieldError {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw CRMError.invalid(entity: entity.name, errors) }
        return (conditions.joined(separator: " AND "), arguments)
    }

    /// With `withAuditImage`, the row also has `audit_image`: the record as the audit trail stores it.
    func visibleRow(_ entity: EntityDescriptor, id: Int64, as actor: CRMActor, _ db: Database,
                    withAuditImage: Bool = false) throws -> Row {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(entity.qualifiedColumnsSQL)\(withAuditImage ? ", \(entity.jsonObjectSQL) AS audit_image" : "") FROM \(entity.table) r
            WHERE r.id = ? AND \(actor.scope.recordCondition(for: entity))
            """), arguments: [id])
        guard let row else { throw CRMError.notFound(entity: entity.name, key: String(id)) }
        return row
    }

    private func ensureVisible(_ entity: EntityDescriptor, id: Int64, to actor: CRMActor, _ db: Database, action: String) throws {
        guard !actor.scope.everything else { return }
        let visible = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM \(entity.table) r WHERE r.id = ? AND \(actor.scope.recordCondition(for: entity)))
            """, arguments: [id]) ?? false
        if !visible {
            throw CRMError.forbidden("\(actor.label) may not \(action) a \(entity.name) outside the accounts it may see")
        }
    }

    /// The record as the audit trail stores it: a JSON object of every column.
    func json(_ entity: EntityDescriptor, id: Int64, _ db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT \(entity.jsonObjectSQL) FROM \(entity.table) WHERE id = ?"),
                            arguments: [id])
    }

    func insert(_ entity: EntityDescriptor, _ values: [String: DatabaseValue], _ db: Database) throws -> Int64 {
        let columns = values.keys.sorted()
        try translatingConstraints(entity) {
            try db.cachedStatement(sql: """
                INSERT INTO \(entity.table) (\(columns.joined(separator: ", ")))
                VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
                """).execute(arguments: StatementArguments(columns.map { values[$0]! }))
        }
        return db.lastInsertedRowID
    }

    /// Parses every given field; all problems are reported together.
    func parse(_ entity: EntityDescriptor, _ fields: [String: String], creating: Bool, _ db: Database) throws -> [String: DatabaseValue] {
        var parser = FieldParser()
        var values: [String: DatabaseValue] = [:]
        var errors: [FieldError] = []
        for (name, text) in fields.sorted(by: { $0.key < $1.key }) {
            guard let field = entity.field(name) else {
                errors.append(unknownField(name, in: entity))
                continue
            }
            if field.readOnly {
                errors.append(FieldError(field: name, value: text, reason: "is set by rollout, not by hand"))
                continue
            }
            do {
                values[name] = try parser.value(of: text, for: field, db)
            } catch let error as FieldError {
                errors.append(error)
            }
        }
        if creating {
            for field in entity.fields where field.required && (values[field.name] ?? .null).isNull
                && !(field.name == "created_at" && entity.stampsCreation) {
                errors.append(FieldError(field: field.name, value: nil, reason: "is required"))
            }
        } else {
            for (name, value) in values where value.isNull && entity.field(name)?.required == true {
                errors.append(FieldError(field: name, value: nil, reason: "is required and cannot be emptied"))
            }
        }
        if !errors.isEmpty { throw CRMError.invalid(entity: entity.name, errors) }
        return values
    }

    private func unknownField(_ name: String, in entity: EntityDescriptor) -> FieldError {
        let hint = TextSimilarity.suggestion(for: name, among: entity.fields.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
        return FieldError(field: name, value: nil, reason: "\(entity.name) has no such field\(hint)")
    }

    func translatingConstraints(_ entity: EntityDescriptor, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            let message = error.message ?? "constraint failed"
            if message.hasPrefix("UNIQUE") {
                let column = message.split(separator: ".").last.map(String.init) ?? "a field"
                throw CRMError.conflict("another \(entity.name) already has this \(column)")
            }
            if message.hasPrefix("FOREIGN KEY") {
                throw CRMError.invalid(entity: entity.name, [FieldError(field: "reference", value: nil,
                                                                         reason: "refers to a record that does not exist")])
            }
            throw CRMError.invalid(entity: entity.name, [FieldError(field: "record", value: nil, reason: message)])
        }
    }

    static func referrers(of entity: EntityDescriptor) -> [String] {
        EntityCatalog.all.filter { other in
            other.fields.contains { if case .reference(entity.name) = $0.kind { true } else { false } }
        }.map(\.name)
    }
}
