import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RolloutTesting
import Testing

/// `rollout serve` on the seeded demo workspace, on a free loopback port, asked by a real HTTP
/// client: tokens stored only as hashes, the token's user's scope on every route, JSON errors
/// with stable codes, and routes that match `openapi.yaml`.
@Suite(.serialized) struct ServerTests {
    struct Server {
        let dir: TemporaryDirectory
        let db: String
        let process: RunningProcess
        let base: String

        init() throws {
            dir = try TemporaryDirectory("server")
            db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
            process = try E2E.binary.start(["serve", "--db", db, "--port", "0"])
            let line = try #require(process.waitForLine(startingWith: "listening on "), "\(process.wait().stderr)")
            base = String(line.dropFirst("listening on ".count))
        }

        func token(_ user: String) throws -> String {
            let created = try E2E.binary.run(["token", "create", "--user", user, "--db", db])
            try #require(created.status == 0, "\(created.stderr)")
            return created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// GET `path`: the status and the body parsed as JSON (nil when it is not JSON).
        func get(_ path: String, token: String? = nil) throws -> (status: Int, json: Any?, text: String) {
            var request = URLRequest(url: URL(string: base + path)!)
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var result: (Data?, URLResponse?, (any Error)?)
            URLSession.shared.dataTask(with: request) { data, response, error in
                result = (data, response, error)
                done.signal()
            }.resume()
            done.wait()
            if let error = result.2 { throw error }
            let data = result.0 ?? Data()
            return ((result.1 as? HTTPURLResponse)?.statusCode ?? 0, try? JSONSerialization.jsonObject(with: data),
                    String(decoding: data, as: UTF8.self))
        }

        func stop() { process.kill() }
    }

    static func error(_ json: Any?) -> (code: String?, message: String?) {
        let error = (json as? [String: Any])?["error"] as? [String: Any]
        return (error?["code"] as? String, error?["message"] as? String)
    }

    @Test func routesNeedAValidTokenAndRefusalsAreJSONWithAStableCode() throws {
        let s = try Server()
        defer { s.stop() }
        let health = try s.get("/health")
        #expect(health.status == 200 && health.text == #"{"status":"ok"}"#)

        let anonymous = try s.get("/api/v1/accounts")
        #expect(anonymous.status == 401)
        #expect(Self.error(anonymous.json).code == "unauthorized")
        #expect(Self.error(anonymous.json).message?.contains("rollout token create --user EMAIL") == true)
        #expect(try s.get("/api/v1/me", token: "rlt_" + String(repeating: "0", count: 64)).status == 401)

        // The secret is printed once and stored only as its SHA-256.
        let secret = try s.token("luo.min@huaxin-demo.example")
        #expect(secret.hasPrefix("rlt_") && secret.count == 68)
        #expect(try E2E.sql(s.db, "SELECT count(*) FROM api_tokens WHERE secret_sha256 = '\(secret)'") == "0")
        let stored = try E2E.sql(s.db, "SELECT secret_sha256 FROM api_tokens")
        let shasum = Process()
        shasum.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        shasum.arguments = ["sh", "-c", "printf %s '\(secret)' | sha256sum"]
        let pipe = Pipe()
        shasum.standardOutput = pipe
        try shasum.run()
        let digest = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        shasum.waitUntilExit()
        #expect(stored == String(digest))

        let me = try s.get("/api/v1/me", token: secret)
        #expect(me.status == 200)
        #expect((me.json as? [String: Any])?["user"] as? String == "user:luo.min@huaxin-demo.example")

        let bad = try s.get("/api/v1/accounts?limit=abc", token: secret)
        #expect(bad.status == 400 && Self.error(bad.json).code == "invalid")
        #expect(Self.error(bad.json).message == "limit must be a whole number from 1 to 500, not 'abc'")
        let unknownField = try s.get("/api/v1/accounts?colour=red", token: secret)
        #expect(unknownField.status == 400 && Self.error(unknownField.json).code == "invalid", "\(unknownField.text)")

        // A revoked token is refused from then on.
        let id = try E2E.sql(s.db, "SELECT id FROM api_tokens")
        #expect(try E2E.binary.run(["token", "revoke", id, "--db", s.db]).stdout == "token \(id) revoked\n")
        #expect(try s.get("/api/v1/me", token: secret).status == 401)
    }

    @Test func aUserSeesTheAccountsOfTheirScopeAsTheCommandLineShowsThem() throws {
        let s = try Server()
        defer { s.stop() }
        let user = "luo.min@huaxin-demo.example"
        let secret = try s.token(user)
        let cli = try E2E.binary.run(["crm", "list", "account", "--as", user, "--limit", "500", "--json", "--db", s.db])
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
        let page = try s.get("/api/v1/accounts?limit=500", token: secret)
        #expect(page.status == 200)
        let body = try #require(page.json as? [String: Any])
        #expect(body["total"] as? Int == expected["total"] as? Int)
        let ids = ((body["records"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
        let cliIDs = ((expected["records"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
        #expect(!ids.isEmpty && ids == cliIDs)
        let total = try #require(body["total"] as? Int)
        #expect(total < Int(try E2E.sql(s.db, "SELECT count(*) FROM accounts"))!, "a sales manager sees their territory only")

        // Paging and a filter.
        let second = try s.get("/api/v1/accounts?limit=2&offset=2", token: secret)
        #expect(((second.json as? [String: Any])?["records"] as? [[String: Any]])?.compactMap { $0["id"] as? Int }
                    == Array(ids[2..<4]))
        let east = try s.get("/api/v1/accounts?limit=500&region=East", token: secret)
        let regions = Set(((east.json as? [String: Any])?["records"] as? [[String: Any]] ?? []).compactMap { $0["region"] as? String })
        #expect(regions == ["East"])

        // One account: a visible one, and one outside the scope, whose existence is not disclosed.
        let visible = try s.get("/api/v1/accounts/\(ids[0])", token: secret)
        #expect(visible.status == 200 && (visible.json as? [String: Any])?["id"] as? Int == ids[0])
        let hidden = try #require(Int(try E2E.sql(s.db, "SELECT min(id) FROM accounts WHERE region <> 'East'")))
        let cliShow = try E2E.binary.run(["crm", "show", "account", String(hidden), "--as", user, "--db", s.db])
        #expect(cliShow.status == 1, "the command line does not show it either: \(cliShow.stdout)")
        let refused = try s.get("/api/v1/accounts/\(hidden)", token: secret)
        #expect(refused.status == 404 && Self.error(refused.json).code == "not_found", "\(refused.text)")
        #expect(try s.get("/api/v1/accounts/\(hidden + 1_000_000)", token: secret).text
                    .replacingOccurrences(of: "\(hidden + 1_000_000)", with: "ID")
                    == refused.text.replacingOccurrences(of: "\(hidden)", with: "ID"))
    }

    @Test func theRoutesAreTheOnesOpenAPIDescribes() throws {
        let s = try Server()
        defer { s.stop() }
        let served = try s.get("/openapi.yaml")
        #expect(served.status == 200)
        let file = try String(contentsOf: VerticalProject.root.appendingPathComponent("Sources/Server/Resources/openapi.yaml"),
                              encoding: .utf8)
        #expect(served.text == file)
        // `paths:` entries and their methods, read from the document.
        var described: Set<String> = []
        var path: String?
        var inPaths = false
        for line in file.components(separatedBy: "\n") {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /") { path = String(line.dropFirst(2).dropLast()) }
            if let path, let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                described.insert("\(method.uppercased()) \(path)")
            }
        }
        let listed = Set(try E2E.binary.run(["serve", "--list-routes"]).stdout.split(separator: "\n").map(String.init))
        #expect(!listed.isEmpty && listed == described, "routes \(listed.sorted()) vs openapi.yaml \(described.sorted())")
    }
}
