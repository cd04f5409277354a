import Foundation
import GRDB

/// The file formats of `rollout crm export`.
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    case csv, xlsx, ics
}

public struct ExportOptions: Sendable {
    public var entity: EntityDescriptor
    public var format: ExportFormat
    public var path: String
    public var filters: [String: String]
    /// XLSX: each account's records on a sheet of their own, named after the account (S2 key point 1).
    public var sheetPerAccount: Bool
    /// CSV: start with a UTF-8 byte-order mark, so Excel reads Chinese text correctly.
    public var byteOrderMark: Bool

    public init(entity: EntityDescriptor, format: ExportFormat, path: String, filters: [String: String] = [:],
                sheetPerAccount: Bool = false, byteOrderMark: Bool = true) {
        self.entity = entity
        self.format = format
        self.path = path
        self.filters = filters
        self.sheetPerAccount = sheetPerAccount
        self.byteOrderMark = byteOrderMark
    }
}

public struct ExportReport: Sendable, Codable, Hashable {
    public var entity: String
    public var format: ExportFormat
    public var path: String
    public var records: Int
    public var sheets: Int
}

/// Writes the records an actor may see to CSV, XLSX or iCalendar, streaming row by row.
///
/// In XLSX, every text field is a string cell whatever it looks like ("2/4", "00123", "1E5",
/// "+86 138…"), money is a number with two decimals in major units, dates and instants are real
/// dates. iCalendar is for appointments: each becomes a VEVENT with its UID.
public struct CRMExporter {
    public let store: CRMStore

    public init(store: CRMStore) {
        self.store = store
    }

    public func export(_ options: ExportOptions, as actor: CRMActor, _ db: Database) throws -> ExportReport {
        try actor.require(.export, to: "export \(options.entity.name) records")
        let entity = options.entity
        var report = ExportReport(entity: entity.name, format: options.format, path: options.path, records: 0, sheets: 0)
        switch options.format {
        case .csv:
            let writer = try CSVWriter(path: options.path, includeBOM: options.byteOrderMark)
            try writer.write(entity.columns)
            try store.forEach(entity, filters: options.filters, as: actor, db) { row in
                try writer.write(entity.columns.map { RecordView.text(row, column: $0, entity) })
                report.records += 1
            }
            try writer.close()
            report.sheets = 1
        case .xlsx:
            let book = try XLSXWriter(path: options.path)
            let columns = entity.columns.map { XLSXColumn(header: $0, kind: Self.columnKind(entity.field($0)?.kind ?? .integer)) }
            if options.sheetPerAccount {
                guard let accountSQL = Self.accountSQL(entity) else {
                    throw CRMError.conflict("\(entity.name) records do not belong to accounts; --sheet-per account does not apply")
                }
                var currentAccount: Int64?? = .none
                try forEachByAccount(entity, accountSQL: accountSQL, options.filters, as: actor, db) { account, name, row in
                    if currentAccount != .some(account) {
                        try book.addSheet(named: name ?? "No account", columns: columns)
                        currentAccount = .some(account)
                        report.sheets += 1
                    }
                    try book.appendRow(Self.cells(row, entity))
                    report.records += 1
                }
                if report.sheets == 0 {
                    try book.addSheet(named: entity.table, columns: columns)
                    report.sheets = 1
                }
            } else {
                try book.addSheet(named: entity.table, columns: columns)
                report.sheets = 1
                try store.forEach(entity, filters: options.filters, as: actor, db) { row in
                    try book.appendRow(Self.cells(row, entity))
                    report.records += 1
                }
            }
            try book.close()
        case .ics:
            guard entity.name == "appointment" else {
                throw CRMError.conflict("iCalendar export is for appointments; export \(entity.name) records as csv or xlsx")
            }
            var events: [ICalEvent] = []
            try store.forEach(entity, filters: options.filters, as: actor, db) { row in
                events.append(Self.event(row))
                report.records += 1
            }
            let text = try ICalendarWriter.render(calendarName: "Rollout appointments", events: events,
                                                  stamp: store.clock.now.secondsSinceEpoch)
            try Data(text.utf8).write(to: URL(fileURLWithPath: options.path))
            report.sheets = 1
        }
        return report
    }

    static func event(_ row: Row) -> ICalEvent {
        let status: String = row["status"]
        var description = "Kind: \(row["kind"] as String)"
        if let notes = row["notes"] as String? { description += "\n" + notes }
        return ICalEvent(uid: row["uid"], start: row["starts_at"], end: row["ends_at"], summary: row["title"],
                         location: row["location"], notes: description, categories: [row["kind"]],
                         status: status == "cancelled" ? .cancelled : (status == "planned" ? .tentative : .confirmed))
    }

    private func forEachByAccount(_ entity: EntityDescriptor, accountSQL: String, _ filters: [String: String], as actor: CRMActor,
                                  _ db: Database, _ body: (Int64?, String?, Row) throws -> Void) throws {
        try actor.require(.read, to: "read \(entity.name) records")
        let (condition, arguments) = try store.filterCondition(entity, filters, as: actor, db)
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT \(entity.qualifiedColumnsSQL), \(accountSQL) AS export_account_id,
                   (SELECT name FROM accounts WHERE id = \(accountSQL)) AS export_account_name
            FROM \(entity.table) r WHERE \(condition)
            ORDER BY export_account_name IS NULL, export_account_name, export_account_id, r.id
            """, arguments: arguments)
        while let row = try cursor.next() {
            try body(row["export_account_id"], row["export_account_name"], row)
        }
    }

    static func accountSQL(_ entity: EntityDescriptor) -> String? {
        switch entity.accountPath {
        case .isAccount: "r.id"
        case .account(let column, _): "r.\(column)"
        case .derived(let sql): sql
        case .owner, .shared: nil
        }
    }

    static func columnKind(_ kind: FieldKind) -> XLSXColumnKind {
        switch kind {
        case .integer, .reference: .integer
        case .decimal: .decimal(places: 2)
        case .money: .decimal(places: 2)
        case .timestamp: .dateTime
        case .date: .date
        case .boolean: .boolean
        case .text, .choice: .text
        }
    }

    static func cells(_ row: Row, _ entity: EntityDescriptor) -> [XLSXValue] {
        var cells: [XLSXValue] = []
        cells.reserveCapacity(entity.columns.count)
        for column in entity.columns {
            cells.append(cell(row, column, entity.field(column)?.kind ?? .integer))
        }
        return cells
    }

    // Typed reads rather than a switch over DatabaseValue: Swift 6.3.1's optimizer crashed
    // (CopyPropagation, "outside of lifetime use") on the closure form of this function.
    private static func cell(_ row: Row, _ column: String, _ kind: FieldKind) -> XLSXValue {
        switch kind {
        case .integer, .reference:
            guard let value = row[column] as Int64? else { return .empty }
            return .integer(value)
        case .decimal:
            guard let value = row[column] as Double? else { return .empty }
            return .decimal(value)
        case .money:
            guard let value = row[column] as Int64? else { return .empty }
            return .decimal(Double(value) / 100)
        case .timestamp:
            guard let value = row[column] as Int64? else { return .empty }
            return .dateTime(secondsSince1970: value)
        case .boolean:
            guard let value = row[column] as Int64? else { return .empty }
            return .boolean(value != 0)
        case .date:
            guard let text = row[column] as String? else { return .empty }
            let parts = text.split(separator: "-").compactMap { Int($0) }
            return parts.count == 3 ? .date(year: parts[0], month: parts[1], day: parts[2]) : .text(text)
        case .text, .choice:
            guard let text = row[column] as String? else { return .empty }
            return .text(text)
        }
    }
}
