import GRDB

/// Reverts an import batch: restores every record it updated to its state before the import,
/// and deletes every record it created — refusing, with the reason, when something changed
/// since (a later edit of an updated record, records that now refer to created ones).
public struct ImportUndo {
    public struct Result: Sendable, Codable, Hashable {
        public var batchID: Int64
        public var entity: String
        public var deleted: Int
        public var restored: Int
    }

    public let store: CRMStore

    public init(store: CRMStore) {
        self.store = store
    }

    public func undo(batchID: Int64, as actor: CRMActor, _ db: Database) throws -> Result {
        try actor.require(.importData, to: "undo an import")
        guard let batch = try Row.fetchOne(db, sql: "SELECT * FROM import_batches WHERE id = ?", arguments: [batchID]) else {
            throw CRMError.notFound(entity: "import batch", key: String(batchID))
        }
        guard (batch["status"] as String) == "applied" else {
            throw CRMError.conflict("import batch \(batchID) was already undone at \(Timestamp(secondsSinceEpoch: batch["undone_at"]).iso8601)")
        }
        guard let entity = EntityCatalog.entity(named: batch["entity"]) else {
            throw CRMError.conflict("import batch \(batchID) is of an unknown entity \(batch["entity"] as String)")
        }
        var restored = 0
        var conflicts: [String] = []
        let updates = try Row.fetchAll(db, sql: """
            SELECT record_id, before, after FROM audit_log WHERE batch_id = ? AND action = 'update' ORDER BY id DESC
            """, arguments: [batchID])
        for update in updates {
            let id: Int64 = update["record_id"]
            let now = try store.json(entity, id: id, db)
            guard now == (update["after"] as String?) else {
                conflicts.append("\(entity.name) \(id) changed after the import")
                continue
            }
            let before: String = update["before"]
            let columns = entity.fields.filter { !$0.readOnly || $0.name.hasSuffix("_at") }.map(\.name)
            try db.execute(sql: """
                UPDATE \(entity.table) SET \(columns.map { "\($0) = json_extract(?, '$.\($0)')" }.joined(separator: ", ")) WHERE id = ?
                """, arguments: StatementArguments(columns.map { _ in before } + [id]))
            try AuditTrail.record(db, at: store.clock.now, actor: actor, entity: entity.name, recordID: id, action: "update",
                                  before: now, after: store.json(entity, id: id, db), batchID: batchID)
            restored += 1
        }
        guard conflicts.isEmpty else {
            throw CRMError.conflict("cannot undo import batch \(batchID): " + conflicts.prefix(10).joined(separator: "; ")
                + (conflicts.count > 10 ? " (and \(conflicts.count - 10) more)" : "") + "; nothing was changed")
        }
        var deleted = 0
        if let first = batch["first_created_id"] as Int64?, let last = batch["last_created_id"] as Int64? {
            do {
                for table in dependentTables(of: entity) {
                    try db.execute(sql: "DELETE FROM \(table.name) WHERE \(table.column) BETWEEN ? AND ?", arguments: [first, last])
                }
                try db.execute(sql: "DELETE FROM \(entity.table) WHERE id BETWEEN ? AND ?", arguments: [first, last])
                deleted = db.changesCount
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw CRMError.conflict("""
                    cannot undo import batch \(batchID): other records now refer to the \(entity.name) records it created \
                    (ids \(first)–\(last)); delete or reassign them first; nothing was changed
                    """)
            }
        }
        try db.execute(sql: "UPDATE import_batches SET status = 'undone', undone_at = ?, undone_by = ? WHERE id = ?",
                       arguments: [store.clock.now, actor.label, batchID])
        try AuditTrail.record(db, at: store.clock.now, actor: actor, entity: entity.name, recordID: nil, action: "undo",
                              before: nil, after: "{\"batch\":\(batchID),\"deleted\":\(deleted),\"restored\":\(restored)}",
                              batchID: batchID)
        return Result(batchID: batchID, entity: entity.name, deleted: deleted, restored: restored)
    }

    /// Rows that entity rules created along with each record (a ticket's first status change).
    private func dependentTables(of entity: EntityDescriptor) -> [(name: String, column: String)] {
        switch entity.name {
        case "ticket": [("ticket_status_changes", "ticket_id")]
        case "opportunity": [("opportunity_stage_changes", "opportunity_id")]
        case "kb-article": [("kb_search", "rowid")]
        default: []
        }
    }
}
