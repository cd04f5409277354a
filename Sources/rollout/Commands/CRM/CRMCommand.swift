import ArgumentParser
import CRMCore
import Foundation
import GRDB
import RolloutKit

/// `rollout crm …`: the operational CRM from the command line.
struct CRMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm",
        abstract: "Work with the CRM: records, imports, exports, the audit trail, search.",
        discussion: """
            Entities: \(EntityCatalog.all.map(\.name).joined(separator: ", ")).
            Fields are the columns of docs/crm.md; `rollout crm fields ENTITY` lists them.

            Without --as, you act as the workspace operator (every record). With --as EMAIL you
            act as that user: their roles decide what they may do and which accounts they see.

            Examples:
              rollout crm add contact name="Wang Fang" account_id="Huaxin Trading" email=wang.fang@example.com
              rollout crm list ticket --where status=open --where priority=urgent
              rollout crm import contact contacts.csv --dry-run
              rollout crm export account --format xlsx -o accounts.xlsx --sheet-per account
              rollout crm report pipeline --as li.na@huaxin-demo.example
              rollout crm segment rfm --json
            """,
        subcommands: [
            CRMList.self, CRMShow.self, CRMAdd.self, CRMUpdate.self, CRMDelete.self, CRMFields.self,
            CRMConvertLead.self, CRMImportCommand.self, CRMExport.self, CRMAudit.self, CRMKnowledgeBase.self, CRMRole.self,
            CRMReportCommand.self, CRMSegmentCommand.self,
        ])
}

/// `--as`: the user a CRM command acts as.
struct ActorOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("Act as this user (e-mail or id), with their roles and territory.",
                                                         valueName: "user"))
    var user: String?

    func actor(_ db: Database) throws -> CRMActor {
        guard let user else { return .operatorActor(named: "operator:" + (ProcessInfo.processInfo.environment["USER"] ?? "cli")) }
        return try CRMActor.user(user, db)
    }
}

/// `field=value` arguments.
func parseAssignments(_ items: [String]) throws -> [String: String] {
    var fields: [String: String] = [:]
    for item in items {
        guard let equals = item.firstIndex(of: "=") else {
            throw ValidationError("'\(item)' is not field=value")
        }
        fields[String(item[..<equals])] = String(item[item.index(after: equals)...])
    }
    return fields
}

func entityArgument(_ name: String) throws -> EntityDescriptor {
    guard let entity = EntityCatalog.entity(named: name) else {
        let hint = TextSimilarity.suggestion(for: name, among: EntityCatalog.all.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
        throw ValidationError("unknown entity '\(name)'\(hint); entities: \(EntityCatalog.all.map(\.name).joined(separator: ", "))")
    }
    return entity
}

struct CRMList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the records you may see, newest first.")

    @Argument(help: "The entity: account, contact, lead, ticket, …") var entity: String
    @Option(name: .customLong("where"), help: ArgumentHelp("Only records whose field equals the value (repeatable).", valueName: "field=value"))
    var filters: [String] = []
    @Option(help: "At most this many records.") var limit = 50
    @Option(help: "Skip this many records (paging).") var offset = 0
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let entity = try entityArgument(self.entity)
            let store = CRMStore(clock: try workspace.clock())
            let (rows, total) = try workspace.open().database.read { db in
                let who = try actor.actor(db)
                let filters = try parseAssignments(self.filters)
                return (try store.list(entity, filters: filters, limit: limit, offset: offset, as: who, db),
                        try store.count(entity, filters: filters, as: who, db))
            }
            if output.json {
                try Terminal.json(ListOutput(entity: entity.name, total: total, offset: offset,
                                             records: rows.map { RecordView.values($0, entity) }))
                return
            }
            let columns = Array(entity.columns.prefix(7))
            print(Terminal.table([columns] + rows.map { row in columns.map { String(RecordView.text(row, column: $0, entity).replacingOccurrences(of: "\n", with: "⏎").prefix(40)) } },
                                 indent: ""))
            print("\(rows.count) of \(total) \(entity.table)" + (offset > 0 ? " from \(offset + 1)" : ""))
        }
    }

    struct ListOutput: Encodable {
        var entity: String
        var total: Int
        var offset: Int
        var records: [[String: FieldValue]]
    }
}

struct CRMShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one record (a quotation with its totals).")

    @Argument var entity: String
    @Argument var id: Int64
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let entity = try entityArgument(self.entity)
            let store = CRMStore(clock: try workspace.clock())
            let (row, totals) = try workspace.open().database.read { db in
                let row = try store.get(entity, id: id, as: try actor.actor(db), db)
                return (row, entity.name == "quotation" ? try QuotationTotals.of(quotationID: id, db) : nil)
            }
            if output.json {
                try Terminal.json(ShowOutput(entity: entity.name, record: RecordView.values(row, entity), totals: totals))
                return
            }
            print(Terminal.table(entity.columns.map { [$0, RecordView.text(row, column: $0, entity)] }, indent: ""))
            if let totals {
                let money = { (minor: Int64) in String(format: "%.2f %@", Double(minor) / 100, totals.currency) }
                print(Terminal.table([["subtotal", money(totals.subtotalMinor)], ["discount", money(totals.discountMinor)],
                                      ["net", money(totals.netMinor)], ["tax", money(totals.taxMinor)],
                                      ["total", money(totals.totalMinor)]], indent: ""))
            }
        }
    }

    struct ShowOutput: Encodable {
        var entity: String
        var record: [String: FieldValue]
        var totals: QuotationTotals?
    }
}

struct CRMAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Create a record.",
        discussion: """
            References take an id or a name: account_id="Huaxin Trading", owner_id=wang.fang@example.com.
            Money is in major units (amount_minor=1234.50); instants are ISO 8601 with a zone, or a date.
            """)

    @Argument var entity: String
    @Argument(help: ArgumentHelp("Field values.", valueName: "field=value")) var fields: [String] = []
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let entity = try entityArgument(self.entity)
            let store = CRMStore(clock: try workspace.clock())
            let values = try parseAssignments(fields)
            let id = try workspace.open().database.write { db in
                try store.create(entity, fields: values, as: try actor.actor(db), db)
            }
            try output.emit(["entity": entity.name, "id": String(id)]) { _ in "created \(entity.name) \(id)" }
        }
    }
}

struct CRMUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change fields of a record (an empty value clears it).")

    @Argument var entity: String
    @Argument var id: Int64
    @Argument(help: ArgumentHelp("Field values.", valueName: "field=value")) var fields: [String] = []
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let entity = try entityArgument(self.entity)
            let store = CRMStore(clock: try workspace.clock())
            let values = try parseAssignments(fields)
            try workspace.open().database.write { db in
                try store.update(entity, id: id, fields: values, as: try actor.actor(db), db)
            }
            try output.emit(["entity": entity.name, "id": String(id)]) { _ in "updated \(entity.name) \(id)" }
        }
    }
}

struct CRMDelete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a record (kept in the audit trail).")

    @Argument var entity: String
    @Argument var id: Int64
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let entity = try entityArgument(self.entity)
            let store = CRMStore(clock: try workspace.clock())
            try workspace.open().database.write { db in
                try store.delete(entity, id: id, as: try actor.actor(db), db)
            }
            try output.emit(["entity": entity.name, "id": String(id)]) { _ in "deleted \(entity.name) \(id)" }
        }
    }
}

struct CRMFields: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fields", abstract: "List an entity's fields, kinds and import header aliases.")

    @Argument var entity: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let entity = try entityArgument(self.entity)
            let rows = entity.fields.map { field -> [String] in
                let kind: String
                switch field.kind {
                case .choice(let values): kind = values.joined(separator: "|")
                case .reference(let other): kind = "→ \(other)"
                default: kind = "\(field.kind)"
                }
                return [field.name, kind, field.required ? "required" : (field.readOnly ? "read-only" : ""),
                        field.aliases.joined(separator: ", ")]
            }
            if output.json {
                try Terminal.json(rows.map { ["field": $0[0], "kind": $0[1], "rule": $0[2], "aliases": $0[3]] })
            } else {
                print(Terminal.table([["field", "kind", "", "import aliases"]] + rows, indent: ""))
            }
        }
    }
}

struct CRMConvertLead: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert-lead", abstract: "Convert a lead into an account, a contact and (with --amount) an opportunity.")

    @Argument var lead: Int64
    @Option(help: "Attach to this existing account (id) instead of finding or creating one.") var account: Int64?
    @Option(help: "Create an opportunity of this amount (major units).") var amount: String?
    @Option(help: "The opportunity's name.") var deal: String?
    @Option(help: "The opportunity's currency.") var currency = "CNY"
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let store = CRMStore(clock: try workspace.clock())
            let result = try workspace.open().database.write { db in
                try LeadConversion(store: store).convert(leadID: lead, accountID: account, opportunityName: deal,
                                                         opportunityAmount: amount, currency: currency, as: try actor.actor(db), db)
            }
            try output.emit(result) { r in
                "lead \(r.leadID) converted: account \(r.accountID)\(r.createdAccount ? " (new)" : ""), contact \(r.contactID)"
                    + (r.opportunityID.map { ", opportunity \($0)" } ?? "")
            }
        }
    }
}

struct CRMAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the audit trail: who changed what, when, before and after.")

    @Argument(help: "Only this entity.") var entity: String?
    @Argument(help: "Only this record.") var id: Int64?
    @Option(help: "At most this many entries.") var limit = 50
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let entries = try workspace.open().database.read { db -> [AuditEntry] in
                try actor.actor(db).require(.auditRead, to: "read the audit trail")
                return try AuditTrail.entries(db, entity: try entity.map { try entityArgument($0).name }, recordID: id, limit: limit)
            }
            try output.emit(entries) { entries in
                entries.map { e in
                    var line = "\(e.at.iso8601)  \(e.actor)  \(e.action) \(e.entity)\(e.recordID.map { " \($0)" } ?? "")"
                    if let batch = e.batchID { line += " (import batch \(batch))" }
                    if let before = e.before { line += "\n    before: \(before)" }
                    if let after = e.after { line += "\n    after:  \(after)" }
                    return line
                }.joined(separator: "\n")
            }
        }
    }
}

struct CRMKnowledgeBase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb", abstract: "Search the knowledge base; link an article to a ticket.",
        subcommands: [Search.self, Link.self, Reindex.self])

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Full-text search (Chinese and English), best first.")
        @Argument var query: [String]
        @Option var limit = 10
        @Flag(help: "Include archived articles.") var archived = false
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try Terminal.failing {
                let text = query.joined(separator: " ")
                let hits = try workspace.open().database.read { db in
                    try KnowledgeBase.search(text, limit: limit, includeArchived: archived, db)
                }
                try output.emit(hits) { hits in
                    hits.isEmpty ? "no article matches '\(text)'"
                        : hits.map { "\($0.id)  \($0.title)  [\($0.status)]\n    \($0.snippet)" }.joined(separator: "\n")
                }
            }
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that an article answered a ticket.")
        @Argument var ticket: Int64
        @Argument var article: Int64
        @OptionGroup var actor: ActorOptions
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            try Terminal.failing {
                let store = CRMStore(clock: try workspace.clock())
                try workspace.open().database.write { db in
                    let who = try actor.actor(db)
                    try who.require(.write, to: "link articles to tickets")
                    _ = try store.get(EntityCatalog.ticket, id: ticket, as: who, db)
                    _ = try store.get(EntityCatalog.kbArticle, id: article, as: who, db)
                    try db.execute(sql: """
                        INSERT OR IGNORE INTO ticket_articles (ticket_id, article_id, linked_by, linked_at) VALUES (?, ?, ?, ?)
                        """, arguments: [ticket, article, who.userID, store.clock.now])
                }
                print("linked article \(article) to ticket \(ticket)")
            }
        }
    }

    struct Reindex: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild the full-text index (after loading articles with SQL).")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            try Terminal.failing {
                let count = try workspace.open().database.write { db in try KnowledgeBase.reindexAll(db) }
                print("indexed \(count) articles")
            }
        }
    }
}

struct CRMRole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", abstract: "List roles; grant or revoke a user's role.",
        subcommands: [List.self, Grant.self, Revoke.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The roles, their account scope and permissions.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try Terminal.failing {
                let rows = try workspace.open().database.read { db in
                    try Row.fetchAll(db, sql: "SELECT name, account_scope, permissions, description FROM roles ORDER BY name")
                        .map { [$0["name"] as String, $0["account_scope"] as String, $0["permissions"] as String, $0["description"] as String] }
                }
                if output.json {
                    try Terminal.json(rows.map { ["role": $0[0], "scope": $0[1], "permissions": $0[2], "description": $0[3]] })
                } else {
                    print(Terminal.table([["role", "sees", "permissions"]] + rows.map { Array($0.prefix(3)) }, indent: ""))
                }
            }
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user a role (operator only).")
        @Argument var user: String
        @Argument var role: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            try Terminal.failing {
                try workspace.open().database.write { db in
                    try RoleAssignment.set(user: user, role: role, granted: true, at: CRMStore(clock: try workspace.clock()).clock.now, db)
                }
                print("granted \(role) to \(user)")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a role from a user (operator only).")
        @Argument var user: String
        @Argument var role: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            try Terminal.failing {
                try workspace.open().database.write { db in
                    try RoleAssignment.set(user: user, role: role, granted: false, at: CRMStore(clock: try workspace.clock()).clock.now, db)
                }
                print("revoked \(role) from \(user)")
            }
        }
    }
}
