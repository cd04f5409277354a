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

        /// The seeded demo CRM, served; with `project`, the nine-phase playbook started on
        /// 2025-01-06 first (a text replacement in the playbook can change it), and the server
        /// on a virtual clock at `asOf`.
        init(project: Bool = false, playbookEdit: (String, String)? = nil, asOf: String = "2025-01-20") throws {
            dir = try TemporaryDirectory("server")
            db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
            if project {
                var playbook = VerticalProject.root.appendingPathComponent("Playbooks/standard-nine-phase.yaml").path
                if let (old, new) = playbookEdit {
                    let text = try String(contentsOfFile: playbook, encoding: .utf8)
                    precondition(text.contains(old))
                    playbook = dir.file("standard-nine-phase.yaml")
                    try text.replacingOccurrences(of: old, with: new).write(toFile: playbook, atomically: true, encoding: .utf8)
                }
                let run = try E2E.binary.run(["run", playbook, "--db", db, "--as-of", "2025-01-06"])
                precondition(run.status == 0, run.stderr)
            }
            process = try E2E.binary.start(["serve", "--db", db, "--port", "0", "--as-of", asOf])
            let line = try #require(process.waitForLine(startingWith: "listening on "), "\(process.wait().stderr)")
            base = String(line.dropFirst("listening on ".count))
        }

        /// A token for the user, after granting them `role` (operator commands, as an admin would).
        func token(_ user: String, granting role: String? = nil) throws -> String {
            if let role {
                let grant = try E2E.binary.run(["crm", "role", "grant", user, role, "--db", db])
                try #require(grant.status == 0, "\(grant.stderr)")
            }
            let created = try E2E.binary.run(["token", "create", "--user", user, "--db", db])
            try #require(created.status == 0, "\(created.stderr)")
            return created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        struct Reply {
            var status: Int
            var headers: [String: String]
            var data: Data
            var text: String { String(decoding: data, as: UTF8.self) }
            var json: Any? { try? JSONSerialization.jsonObject(with: data) }
            var object: [String: Any] { json as? [String: Any] ?? [:] }
            var error: (code: String?, message: String?) { ServerTests.error(json) }
        }

        /// One request: `body` is sent as JSON unless `contentType` says otherwise.
        func call(_ method: String, _ path: String, token: String? = nil, json body: Any? = nil, raw: Data? = nil,
                  contentType: String? = nil, headers: [String: String] = [:]) throws -> Reply {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body {
                request.httpBody = try JSONSerialization.data(withJSONObject: body)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            if let raw { request.httpBody = raw }
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var result: (Data?, URLResponse?, (any Error)?)
            URLSession.shared.dataTask(with: request) { data, response, error in
                result = (data, response, error)
                done.signal()
            }.resume()
            done.wait()
            if let error = result.2 { throw error }
            let http = result.1 as? HTTPURLResponse
            var headers: [String: String] = [:]
            for (name, value) in http?.allHeaderFields ?? [:] {
                headers[String(describing: name).lowercased()] = String(describing: value)
            }
            return Reply(status: http?.statusCode ?? 0, headers: headers, data: result.0 ?? Data())
        }

        /// GET `path`: the status and the body parsed as JSON (nil when it is not JSON).
        func get(_ path: String, token: String? = nil) throws -> (status: Int, json: Any?, text: String) {
            let reply = try call("GET", path, token: token)
            return (reply.status, reply.json, reply.text)
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

        let anonymous = try s.get("/api/v1/crm/accounts")
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

        let bad = try s.get("/api/v1/crm/accounts?limit=abc", token: secret)
        #expect(bad.status == 400 && Self.error(bad.json).code == "invalid")
        #expect(Self.error(bad.json).message == "limit must be a whole number from 1 to 500, not 'abc'")
        let unknownField = try s.get("/api/v1/crm/accounts?colour=red", token: secret)
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
        let page = try s.get("/api/v1/crm/accounts?limit=500", token: secret)
        #expect(page.status == 200)
        let body = try #require(page.json as? [String: Any])
        #expect(body["total"] as? Int == expected["total"] as? Int)
        let ids = ((body["records"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
        let cliIDs = ((expected["records"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
        #expect(!ids.isEmpty && ids == cliIDs)
        let total = try #require(body["total"] as? Int)
        #expect(total < Int(try E2E.sql(s.db, "SELECT count(*) FROM accounts"))!, "a sales manager sees their territory only")

        // Paging and a filter.
        let second = try s.get("/api/v1/crm/accounts?limit=2&offset=2", token: secret)
        #expect(((second.json as? [String: Any])?["records"] as? [[String: Any]])?.compactMap { $0["id"] as? Int }
                    == Array(ids[2..<4]))
        let east = try s.get("/api/v1/crm/accounts?limit=500&region=East", token: secret)
        let regions = Set(((east.json as? [String: Any])?["records"] as? [[String: Any]] ?? []).compactMap { $0["region"] as? String })
        #expect(regions == ["East"])

        // One account: a visible one, and one outside the scope, whose existence is not disclosed.
        let visible = try s.get("/api/v1/crm/accounts/\(ids[0])", token: secret)
        #expect(visible.status == 200 && (visible.json as? [String: Any])?["id"] as? Int == ids[0])
        let hidden = try #require(Int(try E2E.sql(s.db, "SELECT min(id) FROM accounts WHERE region <> 'East'")))
        let cliShow = try E2E.binary.run(["crm", "show", "account", String(hidden), "--as", user, "--db", s.db])
        #expect(cliShow.status == 1, "the command line does not show it either: \(cliShow.stdout)")
        let refused = try s.get("/api/v1/crm/accounts/\(hidden)", token: secret)
        #expect(refused.status == 404 && Self.error(refused.json).code == "not_found", "\(refused.text)")
        #expect(try s.get("/api/v1/crm/accounts/\(hidden + 1_000_000)", token: secret).text
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

    /// Every API route with the permission it needs: the test fails when a route is added
    /// without saying who may call it.
    static let permissions: [String: String] = [
        "GET /health": "public", "GET /openapi.yaml": "public", "GET /api/v1/me": "signed-in",
        "GET /api/v1/crm/{entity}": "crm.read", "GET /api/v1/crm/{entity}/{id}": "crm.read",
        "POST /api/v1/crm/{entity}": "crm.write", "PATCH /api/v1/crm/{entity}/{id}": "crm.write",
        "DELETE /api/v1/crm/{entity}/{id}": "crm.delete",
        "POST /api/v1/crm/{entity}/import": "crm.import", "GET /api/v1/crm/{entity}/export": "crm.export",
        "GET /api/v1/project": "crm.read", "GET /api/v1/project/phases": "crm.read",
        "GET /api/v1/project/phases/{phase}": "crm.read", "POST /api/v1/project/phases/{phase}/votes": "gate.approve",
        "GET /api/v1/project/tasks": "crm.read", "POST /api/v1/project/tasks/{task}/complete": "task.complete",
        "GET /api/v1/project/kpis": "crm.read", "GET /api/v1/project/lessons": "crm.read",
        "POST /api/v1/project/lessons": "task.complete", "GET /api/v1/project/roi": "crm.read",
        "GET /api/v1/project/report": "crm.read", "GET /api/v1/project/playbook": "crm.read",
        "PUT /api/v1/project/playbook": "playbook.edit",
    ]

    @Test func everyRouteIsDecidedByTheCallersRoles() throws {
        let s = try Server(project: true)
        defer { s.stop() }
        let routes = try E2E.binary.run(["serve", "--list-routes"]).stdout.split(separator: "\n").map(String.init)
        #expect(Set(routes) == Set(Self.permissions.keys), "every route needs a row in `permissions`")

        let rep = "liang.li@huaxin-demo.example"
        let nobodyUser = "sun.jian@huaxin-demo.example"
        #expect(try E2E.binary.run(["crm", "role", "revoke", nobodyUser, "sales_rep", "--db", s.db]).status == 0)
        // What each caller holds, read from the roles table rather than assumed.
        func granted(_ role: String) throws -> Set<String> {
            Set(try E2E.sql(s.db, "SELECT permissions FROM roles WHERE name = '\(role)'").split(separator: " ").map(String.init))
        }
        let callers: [(name: String, token: String?, holds: Set<String>)] = [
            ("anonymous", nil, []),
            ("no role", try s.token(nobodyUser), []),
            ("sales_rep", try s.token(rep), try granted("sales_rep")),
            ("admin", try s.token("yang.wei@huaxin-demo.example", granting: "admin"), try granted("admin")),
        ]
        let repID = try E2E.sql(s.db, "SELECT id FROM users WHERE email = '\(rep)'")
        let owned = try E2E.sql(s.db, "SELECT min(id) FROM accounts WHERE owner_id = \(repID)")
        let playbook = try s.call("GET", "/api/v1/project/playbook", token: callers[3].token).data
        var created = 0
        for route in routes {
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            let path = parts[1].replacingOccurrences(of: "{entity}", with: "accounts")
                .replacingOccurrences(of: "{id}", with: owned)
                .replacingOccurrences(of: "{phase}", with: "project-preparation")
                .replacingOccurrences(of: "{task}", with: "set-up-organisation")
            let needed = try #require(Self.permissions[route])
            for caller in callers {
                created += 1
                var raw: Data?
                var json: Any?
                var contentType: String?
                switch route {
                case "POST /api/v1/crm/{entity}": json = ["name": "Route test \(created)", "owner_id": rep]
                case "PATCH /api/v1/crm/{entity}/{id}": json = ["classification": "A"]
                case "POST /api/v1/crm/{entity}/import":
                    raw = Data("name,owner_id\nImported \(created),\(rep)\n".utf8)
                    contentType = "text/csv"
                case "POST /api/v1/project/phases/{phase}/votes": json = ["role": "steering", "decision": "go"]
                case "POST /api/v1/project/lessons": json = ["phase": "project-preparation", "category": "training", "what": "x"]
                case "PUT /api/v1/project/playbook": raw = playbook; contentType = "application/yaml"
                default: break
                }
                let reply = try s.call(parts[0], path, token: caller.token, json: json, raw: raw, contentType: contentType)
                let context = "\(route) as \(caller.name): \(reply.status) \(reply.text.prefix(300))"
                switch needed {
                case "public":
                    #expect(reply.status == 200, "\(context)")
                case "signed-in":
                    #expect(reply.status == (caller.token == nil ? 401 : 200), "\(context)")
                default:
                    if caller.token == nil {
                        #expect(reply.status == 401 && reply.error.code == "unauthorized", "\(context)")
                    } else if caller.holds.contains(needed) {
                        #expect(reply.status < 400 || [404, 409].contains(reply.status), "\(context)")
                        #expect(reply.status != 401 && reply.status != 403, "\(context)")
                    } else {
                        #expect(reply.status == 403 && reply.error.code == "forbidden", "\(context)")
                        #expect(reply.error.message?.contains(needed) == true, "the refusal names the permission: \(context)")
                    }
                }
            }
        }
        // Nothing a refused caller sent was written: the only accounts and votes are the allowed ones'.
        #expect(try E2E.sql(s.db, "SELECT count(*) FROM audit_log WHERE actor = 'user:\(nobodyUser)'") == "0")
        #expect(try E2E.sql(s.db, "SELECT count(*) FROM lessons WHERE recorded_by IN ('Liang Li', 'Sun Jian')") == "0")
    }

    @Test func crmWritesAreValidatedAuditedAndAllOrNothing() throws {
        let s = try Server()
        defer { s.stop() }
        let manager = "luo.min@huaxin-demo.example"
        let token = try s.token(manager)
        let accounts = try E2E.sql(s.db, "SELECT count(*) FROM accounts")

        // Create: 201, Location, the stored record; the audit entry names the token's user.
        let created = try s.call("POST", "/api/v1/crm/accounts", token: token,
                                 json: ["name": "Web Trading Co", "industry": "Retail", "owner_id": manager, "region": "East"])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["id"] as? Int)
        #expect(created.headers["location"] == "/api/v1/crm/accounts/\(id)")
        #expect(try E2E.sql(s.db, "SELECT name || '|' || industry FROM accounts WHERE id = \(id)") == "Web Trading Co|Retail")
        #expect(try E2E.sql(s.db, "SELECT actor || '|' || action FROM audit_log WHERE entity = 'account' AND record_id = \(id)")
                    == "user:\(manager)|create")

        // Invalid: 400 with every field error, and nothing written.
        let invalid = try s.call("POST", "/api/v1/crm/contacts", token: token,
                                 json: ["email": "not-an-address", "colour": "red"])
        #expect(invalid.status == 400 && invalid.error.code == "invalid", "\(invalid.text)")
        let details = invalid.object["error"].flatMap { ($0 as? [String: Any])?["details"] as? [String] } ?? []
        #expect(details.contains { $0.hasPrefix("colour:") } && details.contains { $0.hasPrefix("name:") }, "\(details)")
        #expect(try s.call("POST", "/api/v1/crm/accounts", token: token, raw: Data("{not json".utf8),
                           contentType: "application/json").error.code == "invalid_body")
        #expect(try s.call("POST", "/api/v1/crm/accounts", token: token, json: ["name": ["nested"]]).error.code == "invalid_body")
        #expect(try E2E.sql(s.db, "SELECT count(*) FROM accounts") == String(Int(accounts)! + 1))

        // Update: the change and its before/after images in the audit trail.
        let changed = try s.call("PATCH", "/api/v1/crm/accounts/\(id)", token: token, json: ["classification": "A"])
        #expect(changed.status == 200 && changed.object["classification"] as? String == "A", "\(changed.text)")
        let audit = try E2E.sql(s.db, """
            SELECT json_extract(before, '$.classification') IS NULL, json_extract(after, '$.classification')
            FROM audit_log WHERE entity = 'account' AND record_id = \(id) AND action = 'update'
            """)
        #expect(audit == "1|A")

        // Delete needs crm.delete, which a sales manager does not hold; an admin may.
        let refused = try s.call("DELETE", "/api/v1/crm/accounts/\(id)", token: token)
        #expect(refused.status == 403 && refused.error.message?.contains("crm.delete") == true)
        let admin = try s.token("yang.wei@huaxin-demo.example", granting: "admin")
        #expect(try s.call("DELETE", "/api/v1/crm/accounts/\(id)", token: admin).status == 204)
        #expect(try s.call("GET", "/api/v1/crm/accounts/\(id)", token: admin).status == 404)
        #expect(try E2E.sql(s.db, "SELECT count(*) FROM audit_log WHERE record_id = \(id) AND entity = 'account' AND action = 'delete'") == "1")
        // Referenced records are a conflict, not a server error.
        let referenced = try E2E.sql(s.db, "SELECT min(account_id) FROM contacts")
        let conflict = try s.call("DELETE", "/api/v1/crm/accounts/\(referenced)", token: admin)
        #expect(conflict.status == 409 && conflict.error.code == "conflict", "\(conflict.text)")

        // Unknown entity, method and route.
        #expect(try s.call("GET", "/api/v1/crm/widgets", token: token).status == 404)
        let method = try s.call("PUT", "/api/v1/crm/accounts/\(referenced)", token: token)
        #expect(method.status == 405 && method.headers["allow"] == "GET, PATCH, DELETE", "\(method.headers)")
    }

    @Test func importsAreAllOrNothingAndExportsAreTheUsersScope() throws {
        let s = try Server()
        defer { s.stop() }
        let manager = "luo.min@huaxin-demo.example"
        let token = try s.token(manager)
        let before = try E2E.sql(s.db, "SELECT count(*) FROM contacts")
        let visible = try s.call("GET", "/api/v1/crm/accounts?limit=1", token: token)
        let account = try #require((visible.object["records"] as? [[String: Any]])?.first?["name"] as? String)
        let csv = "name,account,email\nZhou Ping,\"\(account)\",zhou.ping@example.com\nQian Yu,No Such Account Ltd,qian.yu@example.com\n"

        let refused = try s.call("POST", "/api/v1/crm/contacts/import", token: token, raw: Data(csv.utf8), contentType: "text/csv")
        #expect(refused.status == 422 && refused.error.code == "invalid_rows", "\(refused.text)")
        let details = refused.object["error"].flatMap { ($0 as? [String: Any])?["details"] as? [String] } ?? []
        #expect(details.count == 1 && details[0].hasPrefix("row 3, column B (account)"), "\(details)")
        #expect(try E2E.sql(s.db, "SELECT count(*) FROM contacts") == before)

        let dryRun = try s.call("POST", "/api/v1/crm/contacts/import?dry_run=true&skip_bad_rows=true", token: token,
                                raw: Data(csv.utf8), contentType: "text/csv")
        #expect(dryRun.status == 200 && dryRun.object["created"] as? Int == 1 && dryRun.object["applied"] as? Bool == false)
        #expect(try E2E.sql(s.db, "SELECT count(*) FROM contacts") == before)

        let partial = try s.call("POST", "/api/v1/crm/contacts/import?skip_bad_rows=true", token: token,
                                 raw: Data(csv.utf8), contentType: "text/csv")
        #expect(partial.status == 201 && partial.object["created"] as? Int == 1 && partial.object["rejected"] as? Int == 1,
                "\(partial.text)")
        #expect(try E2E.sql(s.db, "SELECT count(*) FROM contacts WHERE email = 'zhou.ping@example.com'") == "1")
        #expect(try E2E.sql(s.db, "SELECT actor FROM audit_log WHERE action = 'import'") == "user:\(manager)")

        let broken = try s.call("POST", "/api/v1/crm/contacts/import", token: token, raw: Data("name\nab\"c\n".utf8),
                                contentType: "text/csv")
        #expect(broken.status == 400 && broken.error.code == "invalid_file", "\(broken.text)")
        #expect(broken.error.message?.hasPrefix("body.csv, line 2, column 3:") == true, "\(broken.text)")

        // Export: the accounts the user may see, the same rows as the command line's export.
        let exported = try s.call("GET", "/api/v1/crm/accounts/export?format=csv&region=East", token: try s.token(manager, granting: "executive"))
        #expect(exported.status == 200 && exported.headers["content-type"]?.hasPrefix("text/csv") == true)
        let cliFile = s.dir.file("accounts.csv")
        let cli = try E2E.binary.run(["crm", "export", "account", "--format", "csv", "--output", cliFile, "--where", "region=East",
                                      "--as", manager, "--db", s.db])
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(exported.data == (try Data(contentsOf: URL(fileURLWithPath: cliFile))))
        #expect(exported.headers["x-rollout-records"] == String(exported.text.split(whereSeparator: \.isNewline).count - 1))
        #expect(try s.call("GET", "/api/v1/crm/accounts/export?format=ics", token: token).status == 400)
    }

    @Test func aGateIsDecidedThroughTheAPIByItsApprovers() throws {
        // The playbook names who holds the steering role: only they may vote for it.
        let s = try Server(project: true, playbookEdit: ("      name: Steering committee",
                                                         "      name: Steering committee\n      members: [Luo Min]"))
        defer { s.stop() }
        let pm = try s.token("yang.wei@huaxin-demo.example", granting: "project_manager")
        let tasks = try s.call("GET", "/api/v1/project/tasks", token: pm)
        let ids = (tasks.json as? [[String: Any]] ?? []).compactMap { $0["taskId"] as? String }
        #expect(ids == ["define-goals-and-scope", "set-up-organisation", "draft-phase-and-training-plan"], "\(tasks.text)")
        for id in ids {
            let done = try s.call("POST", "/api/v1/project/tasks/\(id)/complete", token: pm, json: ["note": "done on the web"])
            #expect(done.status == 201, "\(done.text)")
        }
        #expect(try E2E.sql(s.db, "SELECT DISTINCT done_by FROM engine_tasks WHERE phase_id = 'project-preparation'") == "Yang Wei")
        let phase = try s.call("GET", "/api/v1/project/phases/project-preparation", token: pm)
        #expect(phase.object["status"] as? String == "awaiting_decision", "\(phase.text)")

        // A project manager may not vote; an executive who is not a named member may not either.
        let pmVote = try s.call("POST", "/api/v1/project/phases/project-preparation/votes", token: pm,
                                json: ["role": "steering", "decision": "go"])
        #expect(pmVote.status == 403 && pmVote.error.message?.contains("gate.approve") == true)
        let outsider = try s.token("jiang.jie@huaxin-demo.example", granting: "executive")
        let outsiderVote = try s.call("POST", "/api/v1/project/phases/project-preparation/votes", token: outsider,
                                      json: ["role": "steering", "decision": "go"])
        #expect(outsiderVote.status == 403 && outsiderVote.error.message?.contains("Luo Min") == true, "\(outsiderVote.text)")
        let badDecision = try s.call("POST", "/api/v1/project/phases/project-preparation/votes", token: outsider,
                                     json: ["role": "steering", "decision": "maybe"])
        #expect(badDecision.status == 400)
        #expect(try E2E.sql(s.db, "SELECT count(*) FROM engine_votes") == "0")

        // The member votes go: recorded under their name, and the engine moves on to the next phase.
        let member = try s.token("luo.min@huaxin-demo.example", granting: "executive")
        let vote = try s.call("POST", "/api/v1/project/phases/project-preparation/votes", token: member,
                              json: ["role": "steering", "decision": "go", "note": "Scope agreed"])
        #expect(vote.status == 201, "\(vote.text)")
        #expect(try E2E.sql(s.db, "SELECT role || '|' || voter || '|' || decision FROM engine_votes") == "steering|Luo Min|go")
        #expect(try E2E.sql(s.db, "SELECT status FROM engine_phases WHERE phase_id = 'project-kick-off'") == "active")
        let again = try s.call("POST", "/api/v1/project/phases/project-preparation/votes", token: member,
                               json: ["role": "steering", "decision": "go", "note": "Scope agreed"])
        let result = again.object["result"] as? [String: Any]
        #expect(again.status == 200 && result?["recorded"] as? Bool == false, "a repeated vote changes nothing: \(again.text)")
        let late = try s.call("POST", "/api/v1/project/phases/project-preparation/votes", token: member,
                              json: ["role": "steering", "decision": "no-go", "note": "Changed my mind"])
        #expect(late.status == 409 && late.error.code == "refused", "a decided gate takes no other vote: \(late.text)")
        #expect(try E2E.sql(s.db, "SELECT count(*) FROM engine_votes") == "1")

        // Lessons, KPIs, ROI and the report read the same project.
        let lesson = try s.call("POST", "/api/v1/project/lessons", token: pm,
                                json: ["phase": "project-preparation", "category": "delay", "what": "Scope sign-off waited a week",
                                       "delay_days": 7, "caused_by": "customer"], headers: ["Idempotency-Key": "lesson-1"])
        #expect(lesson.status == 201, "\(lesson.text)")
        _ = try s.call("POST", "/api/v1/project/lessons", token: pm,
                       json: ["phase": "project-preparation", "category": "delay", "what": "Scope sign-off waited a week",
                              "delay_days": 7, "caused_by": "customer"], headers: ["Idempotency-Key": "lesson-1"])
        let lessons = try s.call("GET", "/api/v1/project/lessons?category=delay", token: pm)
        #expect((lessons.object["lessons"] as? [[String: Any]])?.count == 1, "an idempotency key records it once: \(lessons.text)")
        #expect(try E2E.sql(s.db, "SELECT recorded_by FROM lessons") == "Yang Wei")
        let kpis = try s.call("GET", "/api/v1/project/kpis", token: pm)
        #expect(kpis.status == 200 && kpis.object["pilotKPIs"] is [Any], "\(kpis.text.prefix(300))")
        let roi = try s.call("GET", "/api/v1/project/roi", token: pm)
        let cliROI = try E2E.binary.run(["roi", "--json", "--db", s.db, "--as-of", "2025-01-20"])
        let cliNPV = (try? JSONSerialization.jsonObject(with: Data(cliROI.stdout.utf8)) as? [String: Any])?["npv"] as? Double
        #expect(roi.status == 200 && cliNPV != nil && roi.object["npv"] as? Double == cliNPV)
        let html = try s.call("GET", "/api/v1/project/report?format=html", token: pm)
        #expect(html.status == 200 && html.headers["content-type"]?.hasPrefix("text/html") == true && html.text.contains("Scope agreed"))

        // A new playbook version needs playbook.edit (a project manager holds it); an invalid one is refused with its diagnostics.
        #expect(try s.call("PUT", "/api/v1/project/playbook", token: member, raw: Data("x".utf8)).status == 403)
        let broken = try s.call("PUT", "/api/v1/project/playbook", token: pm, raw: Data("playbook: [".utf8),
                                contentType: "application/yaml")
        #expect(broken.status == 422 && broken.error.code == "invalid_playbook", "\(broken.text)")
    }

    @Test func aSchemaFuzzerFindsNoServerErrorAndNoContractViolation() throws {
        let s = try Server(project: true)
        defer { s.stop() }
        let admin = try s.token("yang.wei@huaxin-demo.example", granting: "admin")
        // schemathesis (PyPI, installed by .ci/install-deps) generates requests from openapi.yaml and checks every
        // response against it. Not checked: that every schema-valid request is accepted — the generic
        // record schema cannot say which fields each entity requires.
        let result = try E2E.run("python3", ["-m", "schemathesis.cli", "run", s.base + "/openapi.yaml", "-H", "Authorization: Bearer \(admin)",
                                                  "--checks", "all", "--exclude-checks", "positive_data_acceptance",
                                                  "--phases", "examples,coverage,fuzzing", "--max-examples", "40",
                                                  "--workers", "1", "--seed", "20261124", "--no-color"])
        #expect(result.status == 0, "\(result.stdout.suffix(6000))\n\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("Tested: 22"), "every operation was tested: \(result.stdout.suffix(2000))")
    }
}
