import CRMCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import NIOCore
import RolloutKit

/// `rollout serve`: the REST API and the web pages over a workspace, on Hummingbird.
///
/// Every `/api/` route needs `Authorization: Bearer <token>` (`rollout token create`); the
/// token's user, with that user's roles and territory scope, is who acts, exactly as `--as`
/// on the command line. Errors are JSON with a stable code: `{"error": {"code": "unauthorized",
/// "message": "…"}}`. The API's routes are registered through `APIRoutes`, which keeps their
/// list: `rollout serve --list-routes` prints it and a test compares it with `openapi.yaml`.
///
/// ```swift
/// let server = RolloutServer(workspace: try Workspace.open(databasePath: "rollout.sqlite"))
/// try await server.run(host: "127.0.0.1", port: 8080) { port in print("listening on \(port)") }
/// ```
public struct RolloutServer: Sendable {
    public let workspace: Workspace
    /// The clock of every write and evaluation (`--as-of` runs the server on a virtual clock).
    public let clock: ProjectClock
    /// Where the report templates are looked up (the workspace's `templates/`, then the bundled ones).
    public let templates: ResourceLocator
    let projects: ProjectCache

    public init(workspace: Workspace, clock: ProjectClock = .system, templates: ResourceLocator = .templates()) {
        self.workspace = workspace
        self.clock = clock
        self.templates = templates
        projects = ProjectCache(workspace: workspace)
    }

    /// Every API route, `METHOD /path` as `openapi.yaml` writes it: the routes a server
    /// registers (on an empty in-memory workspace), in registration order.
    public static func apiRoutes() throws -> [String] {
        let routes = APIRoutes(router: Router(context: BasicRequestContext.self))
        RolloutServer(workspace: try Workspace.inMemory()).addAPIRoutes(to: routes)
        return routes.listed
    }

    /// The OpenAPI description the server serves.
    public static var openAPI: String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let api = APIRoutes(router: router)
        router.middlewares.add(ErrorBodyMiddleware(routes: api))
        addAPIRoutes(to: api)
        return router
    }

    func addAPIRoutes(to api: APIRoutes) {
        api.get("/health") { _, _ in
            try json(["status": "ok"])
        }
        api.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: Self.openAPI)))
        }
        api.get("/api/v1/me") { request, _ in
            let actor = try authenticate(request)
            return try json(Me(user: actor.label, userID: actor.userID, roles: actor.roles,
                               permissions: actor.permissions.sorted()))
        }
        addCRMRoutes(to: api)
        addProjectRoutes(to: api)
    }

    /// Serves until the process is stopped; `onListening` gets the port (useful with port 0).
    public func run(host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void) async throws {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "rollout"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) })
        try await app.runService()
    }

    /// The actor of an API request: the user of its bearer token.
    func authenticate(_ request: Request) throws -> CRMActor {
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

    struct Me: Encodable {
        var user: String
        var userID: Int64?
        var roles: [String]
        var permissions: [String]
    }
}

/// The running project's session, compiled once per playbook version instead of once per
/// request; a new version (an upgrade) or a project started meanwhile replaces it.
final class ProjectCache: @unchecked Sendable {
    private let workspace: Workspace
    private let lock = NSLock()
    private var cached: (sha256: String, session: ProjectSession)?

    init(workspace: Workspace) {
        self.workspace = workspace
    }

    func session() throws -> ProjectSession {
        let sha = try workspace.database.read { db in
            try String.fetchOne(db, sql: "SELECT playbook_sha256 FROM projects ORDER BY started_at DESC LIMIT 1")
        }
        guard let sha else {
            throw APIError(.notFound, code: "no_project",
                           "no project has started in this workspace; start one with `rollout run PLAYBOOK`")
        }
        lock.lock()
        defer { lock.unlock() }
        if let cached, cached.sha256 == sha { return cached.session }
        let session = try workspace.session(playbookPath: nil)
        cached = (sha, session)
        return session
    }
}

/// Registers the API's routes on the router and keeps their list, so the routes described in
/// `openapi.yaml` are compared with the ones the server really has. Paths use OpenAPI's
/// `{parameter}` syntax, which Hummingbird also reads.
final class APIRoutes: @unchecked Sendable {
    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response
    let router: Router<BasicRequestContext>
    private(set) var listed: [String] = []

    init(router: Router<BasicRequestContext>) {
        self.router = router
    }

    func get(_ path: String, _ handler: @escaping Handler) { add(.get, path, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { add(.post, path, handler) }
    func put(_ path: String, _ handler: @escaping Handler) { add(.put, path, handler) }
    func patch(_ path: String, _ handler: @escaping Handler) { add(.patch, path, handler) }
    func delete(_ path: String, _ handler: @escaping Handler) { add(.delete, path, handler) }

    /// The methods of the route pattern that matches `path` as the router matches it: `{…}`
    /// matches one segment, and a pattern with fewer parameters wins (`/crm/{entity}/export`
    /// over `/crm/{entity}/{id}`).
    func methods(allowedFor path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let matches = listed.compactMap { route -> (method: String, parameters: Int)? in
            let parts = route.split(separator: " ", maxSplits: 1)
            let pattern = parts[1].split(separator: "/", omittingEmptySubsequences: false)
            guard pattern.count == segments.count,
                  zip(pattern, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) else { return nil }
            return (String(parts[0]), pattern.filter { $0.hasPrefix("{") }.count)
        }
        guard let fewest = matches.map(\.parameters).min() else { return [] }
        return matches.filter { $0.parameters == fewest }.map(\.method)
    }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        listed.append("\(method.rawValue) \(path)")
        router.on(RouterPath(path), method: method, use: handler)
    }
}
