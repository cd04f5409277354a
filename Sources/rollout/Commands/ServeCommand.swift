import ArgumentParser
import CRMCore
import Foundation
import RolloutKit
import Server

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the REST API over the workspace (Hummingbird).",
        discussion: """
            Every /api route needs `Authorization: Bearer TOKEN`; create one with `rollout token create --user EMAIL`. The token's user acts, with their roles and territory scope. GET /openapi.yaml describes the API. The first line printed says where it listens; --port 0 picks a free port.

            Examples:
              rollout serve --db rollout-demo/rollout.sqlite
              curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/accounts?limit=5
            """)

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port; 0 picks a free one.") var port = 8080
    @Flag(name: .customLong("list-routes"), help: "Print every API route (METHOD PATH, as openapi.yaml writes it) and exit.") var listRoutes = false
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        if listRoutes {
            return try Terminal.failing {
                for route in try RolloutServer.apiRoutes() { print(route) }
            }
        }
        try Terminal.failing {
            let workspaceDirectory = URL(fileURLWithPath: workspace.databasePath).deletingLastPathComponent().path
            let server = RolloutServer(workspace: try workspace.open(), clock: try workspace.clock(),
                                       templates: .templates(workspaceDirectory: workspaceDirectory))
            let done = DispatchSemaphore(value: 0)
            let failure = FailureBox()
            let host = self.host
            Task {
                do {
                    try await server.run(host: host, port: port) { port in
                        // Unbuffered: whoever started the server waits for this line.
                        FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
                    }
                } catch {
                    failure.set(error)
                }
                done.signal()
            }
            done.wait()
            if let error = failure.error { throw error }
        }
    }
}

private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    func set(_ error: any Error) { lock.lock(); stored = error; lock.unlock() }
    var error: (any Error)? { lock.lock(); defer { lock.unlock() }; return stored }
}

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens (stored only as hashes).",
        subcommands: [TokenCreate.self, TokenList.self, TokenRevoke.self], defaultSubcommand: TokenList.self)
}

struct TokenCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a token for a user; its secret is printed once and never stored.")

    @Option(help: "The user's e-mail address or id.") var user: String
    @Option(help: "What the token is for (a machine, a script).") var name = "api"
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let now = try workspace.clock().now
            let (token, secret) = try workspace.open().database.write { db in
                try APITokens.create(user: user, name: name, at: now, db)
            }
            if output.json { return try Terminal.json(Created(token: token, secret: secret)) }
            print(secret)
            Terminal.note("token \(token.id) for \(token.user) created; the secret above is shown only now")
        }
    }

    struct Created: Encodable {
        var token: APITokens.Token
        var secret: String
    }
}

struct TokenList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The tokens, without their secrets.")
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let tokens = try workspace.open().database.read { try APITokens.list($0) }
            try output.emit(tokens) { list in
                list.isEmpty ? "no tokens; create one with `rollout token create --user EMAIL`"
                    : Terminal.table(list.map { ["\($0.id)", $0.user, $0.name, $0.createdAt.dateString,
                                                 $0.revokedAt.map { "revoked \($0.dateString)" } ?? "live"] })
            }
        }
    }
}

struct TokenRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its id.")
    @Argument(help: "The token's id (`rollout token list`).") var id: Int64
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try Terminal.failing {
            let now = try workspace.clock().now
            let revoked = try workspace.open().database.write { try APITokens.revoke(id: id, at: now, $0) }
            print(revoked ? "token \(id) revoked" : "token \(id) was already revoked or does not exist")
        }
    }
}
