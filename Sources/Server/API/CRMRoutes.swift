import CRMCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import NIOCore
import RolloutKit

/// `/api/v1/crm/{entity}`: every CRM entity through one set of routes, as `rollout crm` sees
/// them: lists with field filters and paging, show, create, update, delete, import and export.
/// `{entity}` is the entity's table with hyphens (`accounts`, `opportunities`, `kb-articles`).
///
/// Every write goes through `CRMStore` (or `CRMImporter`) in one transaction with its audit
/// entry: a refused write leaves nothing behind. The actor's roles decide what it may do and
/// its scope what it sees; a record outside the scope is "not found".
extension RolloutServer {
    /// The path segment of an entity: `kb_articles` → `kb-articles`.
    static func pathName(_ entity: EntityDescriptor) -> String {
        entity.table.replacingOccurrences(of: "_", with: "-")
    }

    static func entity(_ context: BasicRequestContext) throws -> EntityDescriptor {
        let name = context.parameters.get("entity") ?? ""
        guard let entity = EntityCatalog.all.first(where: { pathName($0) == name }) else {
            throw APIError(.notFound, code: "not_found",
                           "no entity '\(name)'; the entities are " + EntityCatalog.all.map(pathName).joined(separator: ", "))
        }
        return entity
    }

    static func recordID(_ context: BasicRequestContext, _ entity: EntityDescriptor) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw APIError(.badRequest, code: "invalid",
                           "a \(entity.name)'s id is a whole number, not '\(context.parameters.get("id") ?? "")'")
        }
        return id
    }

    /// The query's field filters: every parameter except the ones the route itself takes.
    static func filters(_ query: Parameters, except reserved: Set<String>) -> [String: String] {
        var filters: [String: String] = [:]
        for (key, value) in query where !reserved.contains(String(key)) {
            filters[String(key)] = String(value)
        }
        return filters
    }

    func addCRMRoutes(to api: APIRoutes) {
        let store = CRMStore(clock: clock)
        api.get("/api/v1/crm/{entity}") { request, context in
            let actor = try authenticate(request)
            let entity = try Self.entity(context)
            let query = request.uri.queryParameters
            let limit = try query.integer("limit", default: 50, in: 1...500)
            let offset = try query.integer("offset", default: 0, in: 0...Int.max)
            let filters = Self.filters(query, except: ["limit", "offset"])
            let page = try workspace.database.read { db in
                RecordPage(entity: entity.name, total: try store.count(entity, filters: filters, as: actor, db),
                           limit: limit, offset: offset,
                           records: try store.list(entity, filters: filters, limit: limit, offset: offset, as: actor, db)
                               .map { RecordView.values($0, entity) })
            }
            return try json(page)
        }
        api.get("/api/v1/crm/{entity}/{id}") { request, context in
            let actor = try authenticate(request)
            let entity = try Self.entity(context)
            let id = try Self.recordID(context, entity)
            let row = try workspace.database.read { db in try store.get(entity, id: id, as: actor, db) }
            return try json(RecordView.values(row, entity))
        }
        api.post("/api/v1/crm/{entity}") { request, context in
            let actor = try authenticate(request)
            let entity = try Self.entity(context)
            let fields = try await request.decode([String: JSONScalar].self, what: "a JSON object of field names to values")
            let record = try workspace.database.write { db in
                let id = try store.create(entity, fields: fields.mapValues(\.text), as: actor, db)
                return RecordView.values(try store.get(entity, id: id, as: actor, db), entity)
            }
            var response = try json(record, status: .created)
            if case .integer(let id)? = record["id"] {
                response.headers[.location] = "/api/v1/crm/\(Self.pathName(entity))/\(id)"
            }
            return response
        }
        api.patch("/api/v1/crm/{entity}/{id}") { request, context in
            let actor = try authenticate(request)
            let entity = try Self.entity(context)
            let id = try Self.recordID(context, entity)
            let fields = try await request.decode([String: JSONScalar].self, what: "a JSON object of field names to values")
            let record = try workspace.database.write { db in
                try store.update(entity, id: id, fields: fields.mapValues(\.text), as: actor, db)
                return RecordView.values(try store.get(entity, id: id, as: actor, db), entity)
            }
            return try json(record)
        }
        api.delete("/api/v1/crm/{entity}/{id}") { request, context in
            let actor = try authenticate(request)
            let entity = try Self.entity(context)
            let id = try Self.recordID(context, entity)
            try workspace.database.write { db in try store.delete(entity, id: id, as: actor, db) }
            return Response(status: .noContent)
        }
        api.post("/api/v1/crm/{entity}/import") { request, context in
            let actor = try authenticate(request)
            let entity = try Self.entity(context)
            let query = request.uri.queryParameters
            let policy = try query["merge"].map { text in
                guard let policy = MergePolicy(rawValue: String(text)) else {
                    throw APIError(.badRequest, code: "invalid",
                                   "merge is " + MergePolicy.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(text)'")
                }
                return policy
            } ?? .fill
            let dryRun = try query.flag("dry_run")
            let skipBadRows = try query.flag("skip_bad_rows")
            let isWorkbook = request.headers[.contentType]?.contains("spreadsheetml") == true
            let body = try await request.bodyBytes(limit: 256 << 20)
            guard body.readableBytes > 0 else {
                throw APIError(.badRequest, code: "invalid_body", "the body is the file to import: CSV (text/csv) or XLSX")
            }
            // The body in a file of its own, named so that messages say "body.csv, line 3, …".
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rollout-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent(isWorkbook ? "body.xlsx" : "body.csv")
            try Data(body.readableBytesView).write(to: file)
            var report: ImportReport
            do {
                let source: any ImportSource = isWorkbook ? try XLSXImportSource(path: file.path)
                    : try CSVImportSource(path: file.path)
                let options = ImportOptions(entity: entity, mergePolicy: policy, skipBadRows: skipBadRows, dryRun: dryRun,
                                            sourceDigest: try ImportOptions.digest(ofFile: file.path))
                report = try workspace.database.write { db in
                    try CRMImporter(store: store).run(source, options: options, as: actor, db)
                }
            } catch let error as CSVError {
                throw APIError(.badRequest, code: "invalid_file",
                               error.description.replacingOccurrences(of: file.path, with: file.lastPathComponent))
            } catch let error as XLSXError {
                throw APIError(.badRequest, code: "invalid_file",
                               error.description.replacingOccurrences(of: file.path, with: file.lastPathComponent))
            }
            report.source = file.lastPathComponent
            if !report.applied && !dryRun {
                throw APIError(.unprocessableContent, code: "invalid_rows",
                               "\(report.rejected) of \(report.rowsRead) rows are not valid, so nothing was imported; "
                                   + "fix them, or pass skip_bad_rows=true to import the others",
                               details: report.problems.map(\.description))
            }
            return try json(report, status: report.applied ? .created : .ok)
        }
        api.get("/api/v1/crm/{entity}/export") { request, context in
            let actor = try authenticate(request)
            let entity = try Self.entity(context)
            let query = request.uri.queryParameters
            let formatText = query["format"].map(String.init) ?? "csv"
            guard let format = ExportFormat(rawValue: formatText) else {
                throw APIError(.badRequest, code: "invalid",
                               "format is " + ExportFormat.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(formatText)'")
            }
            if format == .ics && entity.name != "appointment" {
                throw APIError(.badRequest, code: "invalid",
                               "format ics is for appointments; export \(entity.name) records as csv or xlsx")
            }
            let file = FileManager.default.temporaryDirectory
                .appendingPathComponent("rollout-export-\(UUID().uuidString).\(format.rawValue)")
            defer { try? FileManager.default.removeItem(at: file) }
            let options = ExportOptions(entity: entity, format: format, path: file.path,
                                        filters: Self.filters(query, except: ["format"]))
            let report = try workspace.database.read { db in try CRMExporter(store: store).export(options, as: actor, db) }
            let contentType = switch format {
            case .csv: "text/csv; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .ics: "text/calendar; charset=utf-8"
            }
            let name = "\(Self.pathName(entity)).\(format.rawValue)"
            return Response(status: .ok,
                            headers: [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(name)\"",
                                      HTTPField.Name("X-Rollout-Records")!: String(report.records)],
                            body: .init(byteBuffer: ByteBuffer(bytes: try Data(contentsOf: file))))
        }
    }

    struct RecordPage: Encodable {
        var entity: String
        var total: Int
        var limit: Int
        var offset: Int
        var records: [[String: FieldValue]]
    }
}
