import ArgumentParser
import CRMCore
import Foundation
import GRDB
import RolloutKit
import Playbook

extension MergePolicy: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension CSVTextEncoding: ExpressibleByArgument {}

struct CRMImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import records from CSV or XLSX; list and undo import batches.",
        subcommands: [CRMImportFile.self, CRMImportUndo.self, CRMImportList.self], defaultSubcommand: CRMImportFile.self)
}

struct CRMImportFile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file", abstract: "Import ENTITY records from a CSV or XLSX file, as one batch.",
        discussion: """
            Headers map to fields automatically (name, e-mail, 邮箱, 手机, …: `rollout crm fields ENTITY`
            lists the aliases) or through a mapping file:

              columns:            # file header: field (or ignore)
                客户名称: account_id
                备注: ignore
              defaults:           # values for fields the file lacks
                owner_id: wang.fang@example.com

            Duplicates are found by e-mail, phone and name (contacts, leads), by name (accounts) or by
            the natural key (SKU, number); each match is reported with its score and reasons, and
            merged by --merge. One bad row refuses the whole file (every bad row is listed, with its
            row, column and reason; nothing is written) unless --skip-bad-rows.

            Examples:
              rollout crm import contact contacts.csv --dry-run
              rollout crm import contact 客户.csv --encoding gb18030 --mapping mapping.yaml
              rollout crm import account accounts.xlsx --skip-bad-rows --rejects rejected.csv
              rollout crm import undo 3
            """)

    @Argument(help: "The entity the rows are: contact, account, lead, …") var entity: String
    @Argument(help: "A .csv or .xlsx file.") var file: String
    @Option(help: "A YAML file mapping headers to fields, with defaults.") var mapping: String?
    @Option(help: "The CSV file's encoding: utf8 (with or without BOM) or gb18030.") var encoding: CSVTextEncoding = .utf8
    @Option(help: "XLSX: the sheet to read (default: the first).") var sheet: String?
    @Option(help: "A matched record: fill (its empty fields), update (overwrite), skip.") var merge: MergePolicy = .fill
    @Flag(name: .customLong("dry-run"), help: "Show what would be created, updated and merged; write nothing.") var dryRun = false
    @Flag(name: .customLong("skip-bad-rows"), help: "Import the good rows; write the bad ones to --rejects.") var skipBadRows = false
    @Option(help: "Where --skip-bad-rows writes the rejected rows (default: FILE.rejects.csv).") var rejects: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let entity = try entityArgument(self.entity)
            guard FileManager.default.fileExists(atPath: file) else { throw CRMError.notFound(entity: "file", key: file) }
            var columns: [String: String] = [:]
            var defaults: [String: String] = [:]
            if let mapping { (columns, defaults) = try Self.loadMapping(mapping) }
            let source: any ImportSource = file.lowercased().hasSuffix(".xlsx")
                ? try XLSXImportSource(path: file, sheet: sheet)
                : try CSVImportSource(path: file, encoding: encoding)
            let store = CRMStore(clock: try workspace.clock())
            let options = ImportOptions(entity: entity, columns: columns, defaults: defaults, mergePolicy: merge,
                                        skipBadRows: skipBadRows, rejectsPath: rejects ?? file + ".rejects.csv", dryRun: dryRun,
                                        sourceDigest: try ImportOptions.digest(ofFile: file))
            let showProgress = isatty(STDERR_FILENO) != 0 && !output.json
            let report = try workspace.open().database.write { db in
                try CRMImporter(store: store).run(source, options: options, as: try actor.actor(db), db) { rows, fraction in
                    if showProgress { Self.progress(rows, fraction) }
                }
            }
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            if output.json {
                try Terminal.json(report)
            } else {
                print(Self.describe(report))
            }
            if !report.applied && !report.dryRun { throw ExitCode.failure }
        }
    }

    static func progress(_ rows: Int, _ fraction: Double) {
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(Int(fraction * 100))%  \(rows) rows".utf8))
    }

    static func loadMapping(_ path: String) throws -> ([String: String], [String: String]) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let document: YAMLValue
        do {
            document = try YAMLValue.parse(text, path: path)
        } catch {
            throw ValidationError(error.description)
        }
        guard case .mapping = document else {
            throw ValidationError("\(path): a mapping file is a YAML mapping with `columns:` and `defaults:`")
        }
        for key in document.keys where key != "columns" && key != "defaults" && key != "entity" {
            throw ValidationError("\(path): unknown key '\(key)' (expected columns, defaults)")
        }
        func strings(_ key: String) throws -> [String: String] {
            guard let value = document[key], value != .null else { return [:] }
            guard let map = value.stringMapping else {
                throw ValidationError("\(path): `\(key)` must be a mapping of names to texts")
            }
            return map
        }
        return (try strings("columns"), try strings("defaults"))
    }

    static func describe(_ r: ImportReport) -> String {
        var lines: [String] = []
        if r.dryRun {
            lines.append("dry run of \(r.source) into \(r.entity): nothing written")
        } else if r.applied {
            lines.append("imported \(r.source) into \(r.entity) as batch \(r.batchID.map(String.init) ?? "?") (undo: rollout crm import undo \(r.batchID.map(String.init) ?? "?"))")
        } else {
            lines.append("refused \(r.source): \(r.rejected) bad row\(r.rejected == 1 ? "" : "s"); nothing was written (fix them, or use --skip-bad-rows)")
        }
        lines.append("  rows read   \(r.rowsRead)")
        lines.append("  created     \(r.created)")
        lines.append("  updated     \(r.updated)")
        lines.append("  unchanged   \(r.unchanged)")
        lines.append("  merged      \(r.mergedWithinFile) (duplicates inside the file)")
        lines.append("  rejected    \(r.rejected)" + (r.rejectsPath.map { " → \($0)" } ?? ""))
        for problem in r.problems.prefix(50) { lines.append("  error: \(problem)") }
        if r.problems.count > 50 { lines.append("  … \(r.rejected - 50) more bad rows (--json lists up to 1000)") }
        for duplicate in r.duplicates.prefix(20) {
            lines.append("  row \(duplicate.row): \(duplicate.outcome == "merged" ? "same as" : "possible duplicate of") \(r.entity) \(duplicate.recordID), score \(String(format: "%.2f", duplicate.score)): \(duplicate.reasons.joined(separator: ", "))")
        }
        if r.duplicates.count > 20 { lines.append("  … \(r.duplicates.count - 20) more duplicate decisions (--json)") }
        return lines.joined(separator: "\n")
    }
}

struct CRMImportUndo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Revert an import batch: delete what it created, restore what it updated.")

    @Argument var batch: Int64
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let store = CRMStore(clock: try workspace.clock())
            let result = try workspace.open().database.write { db in
                try ImportUndo(store: store).undo(batchID: batch, as: try actor.actor(db), db)
            }
            try output.emit(result) { r in "undid import batch \(r.batchID): deleted \(r.deleted) \(r.entity) records, restored \(r.restored)" }
        }
    }
}

struct CRMImportList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The import batches, newest first.")

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    struct Batch: Codable {
        var id: Int64, entity: String, source: String, actor: String, at: String
        var created: Int, updated: Int, rejected: Int, status: String
    }

    func run() throws {
        try Terminal.failing {
            let batches = try workspace.open().database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM import_batches ORDER BY id DESC").map {
                    Batch(id: $0["id"], entity: $0["entity"], source: $0["source"], actor: $0["actor"],
                          at: Timestamp(secondsSinceEpoch: $0["started_at"]).iso8601, created: $0["created"],
                          updated: $0["updated"], rejected: $0["rejected"], status: $0["status"])
                }
            }
            try output.emit(batches) { batches in
                Terminal.table([["batch", "entity", "at", "created", "updated", "rejected", "status", "source"]]
                    + batches.map { [String($0.id), $0.entity, $0.at, String($0.created), String($0.updated), String($0.rejected),
                                     $0.status, $0.source] }, indent: "")
            }
        }
    }
}

struct CRMExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export the records you may see to CSV, XLSX or iCalendar.",
        discussion: """
            XLSX keeps text as text ("2/4", "00123", "+86 138…" stay strings), dates are real dates,
            money has two decimals; --sheet-per account puts each customer on its own sheet.
            CSV starts with a UTF-8 byte-order mark for Excel (--no-bom to leave it out).
            iCalendar (.ics) exports appointments, e.g. one user's calendar:

              rollout crm export appointment --format ics --where user_id=wang.fang@example.com -o calendar.ics
            """)

    @Argument var entity: String
    @Option(help: "csv, xlsx or ics.") var format: ExportFormat = .csv
    @Option(name: [.customShort("o"), .customLong("output")], help: "The file to write.") var path: String
    @Option(name: .customLong("where"), help: ArgumentHelp("Only records whose field equals the value.", valueName: "field=value"))
    var filters: [String] = []
    @Option(name: .customLong("sheet-per"), help: "XLSX: `account` puts each account's records on a sheet of its own.")
    var sheetPer: String?
    @Flag(name: .customLong("no-bom"), help: "CSV: no UTF-8 byte-order mark.") var noBOM = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let entity = try entityArgument(self.entity)
            if let sheetPer, sheetPer != "account" { throw ValidationError("--sheet-per takes 'account'") }
            if sheetPer != nil && format != .xlsx { throw ValidationError("--sheet-per applies to --format xlsx") }
            let store = CRMStore(clock: try workspace.clock())
            let options = ExportOptions(entity: entity, format: format, path: path, filters: try parseAssignments(filters),
                                        sheetPerAccount: sheetPer != nil, byteOrderMark: !noBOM)
            let report = try workspace.open().database.read { db in
                try CRMExporter(store: store).export(options, as: try actor.actor(db), db)
            }
            try output.emit(report) { r in "wrote \(r.records) \(entity.table) to \(r.path) (\(r.format.rawValue), \(r.sheets) sheet\(r.sheets == 1 ? "" : "s"))" }
        }
    }
}
