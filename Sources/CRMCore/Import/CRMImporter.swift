import Crypto
import Foundation
import GRDB

/// What to do with a row that matches a record already in the CRM.
public enum MergePolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The file fills the record's empty fields; values already there win. (default)
    case fill
    /// The file's non-empty values replace the record's; an empty cell never erases.
    case update
    /// The record is left as it is.
    case skip
}

public struct ImportOptions: Sendable {
    public var entity: EntityDescriptor
    /// File header → field name or `ignore` (from a mapping file).
    public var columns: [String: String]
    public var defaults: [String: String]
    public var mergePolicy: MergePolicy
    /// Import the good rows and write the bad ones to `rejectsPath`, instead of refusing the file.
    public var skipBadRows: Bool
    public var rejectsPath: String?
    /// Do everything, report it, write nothing.
    public var dryRun: Bool
    /// The SHA-256 of the file, recorded with the batch.
    public var sourceDigest: String

    public init(entity: EntityDescriptor, columns: [String: String] = [:], defaults: [String: String] = [:],
                mergePolicy: MergePolicy = .fill, skipBadRows: Bool = false, rejectsPath: String? = nil,
                dryRun: Bool = false, sourceDigest: String) {
        self.entity = entity
        self.columns = columns
        self.defaults = defaults
        self.mergePolicy = mergePolicy
        self.skipBadRows = skipBadRows
        self.rejectsPath = rejectsPath
        self.dryRun = dryRun
        self.sourceDigest = sourceDigest
    }

    /// The SHA-256 of a file, read in chunks.
    public static func digest(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CRMError.notFound(entity: "file", key: path)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// What an import did (or, in a dry run, would do).
public struct ImportReport: Sendable, Codable {
    public struct Duplicate: Sendable, Codable, Hashable {
        public var row: Int
        public var recordID: Int64
        public var score: Double
        public var reasons: [String]
        /// `merged` into the record, or `created` beside it (a possible duplicate to review).
        public var outcome: String
    }

    public var entity: String
    public var source: String
    public var batchID: Int64?
    public var dryRun: Bool
    /// False when bad rows made the whole file be refused: nothing was written.
    public var applied: Bool
    public var mapping: [String: String]
    public var rowsRead = 0
    public var created = 0
    public var updated = 0
    /// Rows that matched a record and changed nothing (or merge policy `skip`).
    public var unchanged = 0
    /// Rows that duplicated an earlier row of the same file, merged into the record it created.
    public var mergedWithinFile = 0
    public var rejected = 0
    /// The first 1000 bad rows (all of them are in the rejects file).
    public var problems: [ImportProblem] = []
    /// The first 1000 duplicate decisions.
    public var duplicates: [Duplicate] = []
    public var rejectsPath: String?
}

/// Imports a file of records into one entity as one batch, in one transaction.
///
/// Each row is parsed (every bad cell is reported with its row and column), matched against
/// the CRM — which, as rows are written, includes the file's earlier rows, so duplicates inside
/// the file are found the same way — and created, merged by the policy, or rejected. By default
/// one bad row refuses the whole file and nothing is written; `skipBadRows` imports the rest
/// and writes the bad rows, with a reason column, to a rejects CSV. Created records get
/// consecutive ids, so the batch records them as a range; every update is an audit entry with
/// the record before and after, so `undo` can restore it.
public struct CRMImporter {
    public let store: CRMStore

    public init(store: CRMStore) {
        self.store = store
    }

    static let reportLimit = 1000

    public func run(_ source: any ImportSource, options: ImportOptions, as actor: CRMActor, _ db: Database,
                    progress: ((Int, Double) -> Void)? = nil) throws -> ImportReport {
        try actor.require(.importData, to: "import \(options.entity.name) records")
        try actor.require(.write, to: "import \(options.entity.name) records")
        let entity = options.entity
        let header = try source.header()
        let mapping = try HeaderMapping.resolve(header: header, entity: entity, explicit: options.columns, defaults: options.defaults)
        var report = ImportReport(entity: entity.name, source: source.name, batchID: nil, dryRun: options.dryRun, applied: false,
                                  mapping: Dictionary(zip(header, mapping.fields.map { $0 ?? "ignore" }), uniquingKeysWith: { a, _ in a }))
        var rejects: CSVWriter?
        if options.skipBadRows, let path = options.rejectsPath, !options.dryRun {
            rejects = try CSVWriter(path: path)
            try rejects?.write(["row", "column", "reason"] + header)
        }

        // A bigger page cache for the import's transaction: index pages of a large table stay in
        // memory instead of spilling to the WAL and being read back (64 MiB; reset afterwards).
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -65536")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
        try db.inSavepoint {
            let now = store.clock.now
            try db.execute(sql: """
                INSERT INTO import_batches (entity, source, source_sha256, actor, started_at, finished_at, rows_read, created,
                                            updated, merged, rejected)
                VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0)
                """, arguments: [entity.name, source.name, options.sourceDigest, actor.label, now, now])
            let batchID = db.lastInsertedRowID
            var nextID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM \(entity.table)") ?? 0) + 1
            let firstID = nextID
            let finder = try DuplicateFinder(entity: entity, db)
            var parser = FieldParser()
            let rules = EntityRules(entity: entity, now: now, actor: actor)
            var insertStatements: [[String]: BulkStatement] = [:]
            var parsedDefaults: [String: DatabaseValue] = [:]
            for (name, text) in mapping.defaults {
                parsedDefaults[name] = try parser.value(of: text, for: entity.field(name)!, db)
            }

            while let row = try source.nextRow() {
                report.rowsRead += 1
                if report.rowsRead % 10_000 == 0 { progress?(report.rowsRead, source.fractionRead) }
                var values = parsedDefaults
                var problems: [ImportProblem] = []
                for (index, fieldName) in mapping.fields.enumerated() {
                    guard let fieldName, let field = entity.field(fieldName) else { continue }
                    let text = index < row.cells.count ? row.cells[index] : ""
                    do {
                        let value = try parser.value(of: text, for: field, db)
                        if !value.isNull || values[fieldName] == nil { values[fieldName] = value }
                    } catch let error as FieldError {
                        problems.append(ImportProblem(row: row.row, line: row.line,
                                                      column: "\(ImportProblem.columnLetter(index)) (\(header[index]))",
                                                      value: text, reason: error.reason))
                    }
                }
                if row.cells.count > header.count, row.cells[header.count...].contains(where: { !$0.isEmpty }) {
                    problems.append(ImportProblem(row: row.row, line: row.line, column: nil, value: nil,
                                                  reason: "has \(row.cells.count) cells but the header has \(header.count)"))
                }
                for field in entity.fields where field.required && (values[field.name] ?? .null).isNull
                    && !(field.name == "created_at" && entity.stampsCreation) && problems.isEmpty {
                    let index = mapping.fields.firstIndex(of: field.name)
                    problems.append(ImportProblem(row: row.row, line: row.line,
                                                  column: index.map { "\(ImportProblem.columnLetter($0)) (\(header[$0]))" },
                                                  value: nil, reason: "\(field.name) is required"))
                }
                if problems.isEmpty {
                    do {
                        // A row that writes one statement is atomic by itself; a savepoint per row
                        // would copy every page it touches to a sub-journal (measured: 4× slower).
                        // Rows of entities whose rules write more than one row get one, and so does
                        // every row of an actor with a limited scope (the scope is checked after the
                        // insert). A merge is an UPDATE plus its audit INSERT, which cannot fail.
                        if rules.writesSeveralRows || !actor.scope.everything {
                            try db.inSavepoint {
                                try apply(row: row.row, values: &values, finder: finder, rules: rules, batchID: batchID,
                                          firstID: firstID, nextID: &nextID, statements: &insertStatements,
                                          options: options, actor: actor, report: &report, db)
                                return .commit
                            }
                        } else {
                            try apply(row: row.row, values: &values, finder: finder, rules: rules, batchID: batchID,
                                      firstID: firstID, nextID: &nextID, statements: &insertStatements,
                                      options: options, actor: actor, report: &report, db)
                        }
                    } catch let error as CRMError {
                        problems.append(ImportProblem(row: row.row, line: row.line, column: nil, value: nil, reason: error.description))
                    } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                        problems.append(ImportProblem(row: row.row, line: row.line, column: nil, value: nil,
                                                      reason: error.message ?? "violates a constraint"))
                    }
                }
                if !problems.isEmpty {
                    report.rejected += 1
                    for problem in problems where report.problems.count < Self.reportLimit { report.problems.append(problem) }
                    try rejects?.write([String(row.row), problems.compactMap(\.column).joined(separator: "; "),
                                        problems.map(\.reason).joined(separator: "; ")] + row.cells)
                }
            }
            progress?(report.rowsRead, 1)
            let lastID = nextID - 1
            report.applied = !options.dryRun && (report.rejected == 0 || options.skipBadRows)
            guard report.applied else { return .rollback }
            try db.execute(sql: """
                UPDATE import_batches SET finished_at = ?, rows_read = ?, created = ?, updated = ?, merged = ?, rejected = ?,
                                          first_created_id = ?, last_created_id = ?
                WHERE id = ?
                """, arguments: [store.clock.now, report.rowsRead, report.created, report.updated, report.mergedWithinFile,
                                 report.rejected, report.created > 0 ? firstID : nil, report.created > 0 ? lastID : nil, batchID])
            try AuditTrail.record(db, at: store.clock.now, actor: actor, entity: entity.name,
                                  recordID: report.created > 0 ? firstID : nil, action: "import", before: nil,
                                  after: report.created > 0 ? "{\"created_ids\":[\(firstID),\(lastID)],\"source\":\(Self.jsonString(source.name))}" : nil,
                                  batchID: batchID)
            report.batchID = batchID
            return .commit
        }
        try rejects?.close()
        if rejects != nil { report.rejectsPath = options.rejectsPath }
        return report
    }

    private func apply(row: Int, values: inout [String: DatabaseValue], finder: DuplicateFinder, rules: EntityRules,
                       batchID: Int64, firstID: Int64, nextID: inout Int64, statements: inout [[String]: BulkStatement],
                       options: ImportOptions, actor: CRMActor, report: inout ImportReport, _ db: Database) throws {
        let entity = options.entity
        if let match = try finder.bestMatch(values) {
            if match.score >= DuplicateFinder.mergeThreshold {
                let withinFile = match.recordID >= firstID
                if report.duplicates.count < Self.reportLimit {
                    report.duplicates.append(.init(row: row, recordID: match.recordID, score: match.score, reasons: match.reasons,
                                                   outcome: "merged"))
                }
                let changed = try merge(values, into: match.recordID, entity: entity, policy: options.mergePolicy, withinFile: withinFile,
                                        batchID: batchID, actor: actor, db)
                if withinFile { report.mergedWithinFile += 1 } else if changed { report.updated += 1 } else { report.unchanged += 1 }
                return
            }
            if report.duplicates.count < Self.reportLimit {
                report.duplicates.append(.init(row: row, recordID: match.recordID, score: match.score, reasons: match.reasons,
                                               outcome: "created"))
            }
        }
        try rules.beforeCreate(&values, db)
        values["id"] = nextID.databaseValue
        let columns = values.keys.sorted()
        let statement: BulkStatement
        if let cached = statements[columns] {
            statement = cached
        } else {
            statement = try BulkStatement(db, sql: """
                INSERT INTO \(entity.table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
                """)
            statements[columns] = statement
        }
        try statement.execute(columns.map { values[$0]! })
        try rules.afterCreate(id: nextID, values, db)
        guard try actor.scope.everything || (Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM \(entity.table) r WHERE r.id = ? AND \(actor.scope.recordCondition(for: entity)))
            """, arguments: [nextID]) ?? false) else {
            throw CRMError.forbidden("\(actor.label) may not create a \(entity.name) outside the accounts it may see")
        }
        nextID += 1
        report.created += 1
    }

    /// Applies the row to an existing record by the policy; returns whether anything changed.
    /// A record this batch created is filled without an audit entry of its own (undo deletes it);
    /// any other record's change is audited with the batch, so undo can restore it.
    private func merge(_ values: [String: DatabaseValue], into id: Int64, entity: EntityDescriptor, policy: MergePolicy,
                       withinFile: Bool, batchID: Int64, actor: CRMActor, _ db: Database) throws -> Bool {
        guard policy != .skip || withinFile else { return false }
        guard let current = try Row.fetchOne(db, sql: "SELECT * FROM \(entity.table) WHERE id = ?", arguments: [id]) else {
            return false
        }
        var changes: [String: DatabaseValue] = [:]
        for (column, value) in values where column != "id" && column != "created_at" && !value.isNull {
            let existing: DatabaseValue = current[column] ?? .null
            let fill = withinFile || policy == .fill
            if fill ? existing.isNull : existing != value { changes[column] = value }
        }
        guard !changes.isEmpty else { return false }
        if !actor.scope.everything {
            _ = try store.visibleRow(entity, id: id, as: actor, db)
        }
        let before = withinFile ? nil : try store.json(entity, id: id, db)
        let columns = changes.keys.sorted()
        try db.execute(sql: "UPDATE \(entity.table) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?",
                       arguments: StatementArguments(columns.map { changes[$0]! } + [id.databaseValue]))
        if !withinFile {
            try AuditTrail.record(db, at: store.clock.now, actor: actor, entity: entity.name, recordID: id, action: "update",
                                  before: before, after: store.json(entity, id: id, db), batchID: batchID)
        }
        return true
    }

    static func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
