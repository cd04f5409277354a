import CRMCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import NIOCore
import RolloutKit

/// `rollout serve`: the REST API over a workspace, on Hummingbird.
///
/// Every `/api/` route needs `Authorization: Bearer <token>` (`rollout token create`); the
/// token's user, with that user's roles and territory scope, is who acts, exactly as `--as`
/// on the command line. Errors are JSON with a stable code: `{"error": {"code": "unauthorized",
/// "message": "…"}}`. The routes are listed once, in `routes`, which `openapi.yaml` must match
/// (a test compares them).
///
/// ```swift
/// let server = RolloutServer(workspace: try Workspace.open(databasePath: "rollout.sqlite"))
/// try await server.run(host: "127.0.0.1", port: 8080) { port in print("listening on \(port)") }
/// ```
public struct RolloutServer: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Every route: method and path as `openapi.yaml` writes it.
    public static let routes: [(method: String, path: String)] = [
        ("GET", "/health"),
        ("GET", "/openapi.yaml"),
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/accounts"),
        ("GET", "/api/v1/accounts/{id}"),
    ]

    /// The OpenAPI description the server serves.
    public static var openAPI: String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(ErrorBodyMiddleware())
        router.get("/health") { _, _ in
            try json(["status": "ok"])
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: Self.openAPI)))
        }
        router.get("/api/v1/me") { request, _ in
            let actor = try authenticate(request)
            return try json(Me(user: actor.label, userID: actor.userID, roles: actor.roles))
        }
        router.get("/api/v1/accounts") { request, _ in
            let actor = try authenticate(request)
            let query = request.uri.queryParameters
            let limit = try Self.integer(query, "limit", default: 50, in: 1...500)
            let offset = try Self.integer(query, "offset", default: 0, in: 0...Int.max)
            var filters: [String: String] = [:]
            for (key, value) in query where !["limit", "offset"].contains(String(key)) {
                filters[String(key)] = String(value)
            }
            let entity = EntityCatalog.account
            let store = CRMStore()
            let page = try workspace.database.read { db in
                RecordPage(entity: entity.name, total: try store.count(entity, filters: filters, as: actor, db),
                           limit: limit, offset: offset,
                           records: try store.list(entity, filters: filters, limit: limit, offset: offset, as: actor, db)
                               .map { RecordView.values($0, entity) })
            }
            return try json(page)
        }
        router.get("/api/v1/accounts/:id") { request, context in
            let actor = try authenticate(request)
            guard let id = context.parameters.get("id", as: Int64.self) else {
                throw APIError(.badRequest, code: "invalid", "the account id must be a whole number")
            }
            let entity = EntityCatalog.account
            let row = try workspace.database.read { db in try CRMStore().get(entity, id: id, as: actor, db) }
            return try json(RecordView.values(row, entity))
        }
        return router
    }

    /// Serves until the process is stopped; `onListening` gets the port (useful with port 0).
    public func run(host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void) async throws {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "rollout"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) })
        try await app.runService()
    }

    // MARK: Helpers

    private func authenticate(_ request: Request) throws -> CRMActor {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, code: "unauthorized",
                           "this route needs `Authorization: Bearer TOKEN`; create a token with `rollout token create --user EMAIL`")
        }
        let secret = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : header
        guard let actor = try workspace.database.read({ try APITokens.authenticate(secret, $0) }) else {
            throw APIError(.unauthorized, code: "unauthorized", "the token is unknown or revoked")
        }
        return actor
    }

    private static func integer(_ query: Parameters, _ name: String, default value: Int, in range: ClosedRange<Int>) throws
        -> Int
    {
        guard let text = query[name[...]] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError(.badRequest, code: "invalid",
                           "\(name) must be a whole number from \(range.lowerBound)"
                               + (range.upperBound == Int.max ? "" : " to \(range.upperBound)") + ", not '\(text)'")
        }
        return number
    }

    struct Me: Encodable {
        var user: String
        var userID: Int64?
        var roles: [String]
    }

    struct RecordPage: Encodable {
        var entity: String
        var total: Int
        var limit: Int
        var offset: Int
        var records: [[String: FieldValue]]
    }
}

/// A refusal with its HTTP status and stable code.
struct APIError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}

/// Turns every error into `{"error": {"code", "message"}}` with its status: API refusals,
/// the CRM's (not found, forbidden, invalid), and anything else as a 500 without its details.
struct ErrorBodyMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try errorResponse(error.status, error.code, error.message)
        } catch let error as CRMError {
            let status: HTTPResponse.Status = switch error {
            case .notFound: .notFound
            case .forbidden: .forbidden
            case .invalid: .badRequest
            case .conflict: .conflict
            }
            return try errorResponse(status, error.code, error.description)
        } catch let error as HTTPError {
            return try errorResponse(error.status, error.status == .notFound ? "not_found" : "http_error",
                                     error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unexpected error: \(error)")
            return try errorResponse(.internalServerError, "internal", "the server failed; the error is in its log")
        }
    }
}

private func errorResponse(_ status: HTTPResponse.Status, _ code: String, _ message: String) throws -> Response {
    var response = try json(["error": ["code": code, "message": message]])
    response.status = status
    return response
}

private func json<T: Encodable>(_ value: T) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
