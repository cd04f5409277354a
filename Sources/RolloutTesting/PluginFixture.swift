import Foundation

/// Plugins written in C against `rollout_plugin.h` and compiled by the test with the C
/// compiler (the clang of the Swift toolchain): a plugin needs nothing of Rollout's but the header, and each failure the host must
/// survive is a few lines of C.
public struct PluginFixture {
    public let directory: TemporaryDirectory

    static let header: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CRolloutPlugin/include").path
    }()

    /// A plugin that echoes, fails, sleeps, logs and queries the host, by operation.
    static let source = #"""
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>
        #include "rollout_plugin.h"

        #ifndef TABLE_ABI
        #define TABLE_ABI ROLLOUT_PLUGIN_ABI_VERSION
        #endif
        #ifndef PLUGIN_ID
        #define PLUGIN_ID "demo"
        #endif
        #ifdef CONFIG
        #include CONFIG
        #endif
        #ifndef DECLARATION
        #define DECLARATION "{\"id\": \"" PLUGIN_ID "\", \"version\": \"1.0.0\", " \
            "\"actions\": [{\"id\": \"" PLUGIN_ID ".act\", \"summary\": \"echo\"}]}"
        #endif

        static const rollout_host_services *host;

        static int32_t reply(const char *text, uint8_t **response, size_t *length) {
            size_t n = strlen(text);
            *response = malloc(n);
            memcpy(*response, text, n);
            *length = n;
            return ROLLOUT_OK;
        }

        static int32_t call(const char *operation, const uint8_t *request, size_t request_length,
                            uint8_t **response, size_t *response_length) {
            if (strcmp(operation, "echo") == 0) {
                *response = malloc(request_length ? request_length : 1);
                memcpy(*response, request, request_length);
                *response_length = request_length;
                return ROLLOUT_OK;
            }
        #ifdef ACTION_RESPONSE
            if (strncmp(operation, "action:", 7) == 0) return reply(ACTION_RESPONSE, response, response_length);
        #endif
        #ifdef ACTION_ERROR
            if (strncmp(operation, "action:", 7) == 0) {
                reply(ACTION_ERROR, response, response_length);
                return ROLLOUT_ERROR;
            }
        #endif
        #ifdef ACTION_SLEEPS
            if (strncmp(operation, "action:", 7) == 0) {
                sleep(ACTION_SLEEPS);
                return reply("{\"summary\": \"late\", \"writes\": []}", response, response_length);
            }
        #endif
        #ifdef ACTION_CRASHES
            if (strncmp(operation, "action:", 7) == 0) {
                volatile int *nowhere = NULL;
                *nowhere = 1;
            }
        #endif
        #ifdef CHECK_RESPONSE
            if (strncmp(operation, "check:", 6) == 0) return reply(CHECK_RESPONSE, response, response_length);
        #endif
        #ifdef REPORT_RESPONSE
            if (strncmp(operation, "report:", 7) == 0) return reply(REPORT_RESPONSE, response, response_length);
        #endif
            if (strcmp(operation, "fail") == 0) {
                reply("{\"error\": \"the loyalty tier 'platinum' does not exist\"}", response, response_length);
                return ROLLOUT_ERROR;
            }
            if (strcmp(operation, "slow") == 0) {
                sleep(3);
                return reply("{}", response, response_length);
            }
            if (strcmp(operation, "log") == 0) {
                host->log(host->context, 1, "hello from the plugin");
                return reply("{}", response, response_length);
            }
            if (strcmp(operation, "query") == 0) {
                uint8_t *answer = NULL;
                size_t answer_length = 0;
                int32_t status = host->query(host->context, request, request_length, &answer, &answer_length);
                *response = malloc(answer_length ? answer_length : 1);
                memcpy(*response, answer, answer_length);
                *response_length = answer_length;
                host->free_buffer(host->context, answer);
                return status;
            }
            return reply("{\"error\": \"unknown operation\"}", response, response_length) + ROLLOUT_ERROR;
        }

        static void release(uint8_t *buffer) { free(buffer); }

        static const rollout_plugin table = {
            TABLE_ABI, DECLARATION, call, release
        };

        #ifndef NO_ENTRY
        const rollout_plugin *rollout_plugin_entry(const rollout_host_services *services) {
            host = services;
            return &table;
        }
        #endif
        """#

    public init() throws {
        directory = try TemporaryDirectory("plugins")
    }

    /// What a configured fixture plugin declares and answers (JSON texts; nil: the default).
    public struct Behaviour {
        public var declaration: String?
        public var actionResponse: String?
        public var actionError: String?
        public var actionSleeps: Int?
        /// The action dereferences NULL: the process it runs in dies of SIGSEGV.
        public var actionCrashes = false
        public var checkResponse: String?
        public var reportResponse: String?
        /// plugin.yaml's `provides:` and `permissions:` lines.
        public var provides = "{ actions: [demo.act] }"
        public var permissions = "[]"

        public init(declaration: String? = nil, actionResponse: String? = nil, actionError: String? = nil,
                    actionSleeps: Int? = nil, actionCrashes: Bool = false, checkResponse: String? = nil,
                    reportResponse: String? = nil, provides: String = "{ actions: [demo.act] }",
                    permissions: String = "[]") {
            self.actionCrashes = actionCrashes
            self.declaration = declaration
            self.actionResponse = actionResponse
            self.actionError = actionError
            self.actionSleeps = actionSleeps
            self.checkResponse = checkResponse
            self.reportResponse = reportResponse
            self.provides = provides
            self.permissions = permissions
        }
    }

    /// Builds a plugin folder `name` whose library declares and answers what `behaviour` says.
    @discardableResult
    public func plugin(_ name: String, id: String = "demo", behaviour: Behaviour) throws -> String {
        func literal(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        var header = ""
        if let d = behaviour.declaration { header += "#define DECLARATION \(literal(d))\n" }
        if let r = behaviour.actionResponse { header += "#define ACTION_RESPONSE \(literal(r))\n" }
        if let e = behaviour.actionError { header += "#define ACTION_ERROR \(literal(e))\n" }
        if let s = behaviour.actionSleeps { header += "#define ACTION_SLEEPS \(s)\n" }
        if behaviour.actionCrashes { header += "#define ACTION_CRASHES 1\n" }
        if let c = behaviour.checkResponse { header += "#define CHECK_RESPONSE \(literal(c))\n" }
        if let r = behaviour.reportResponse { header += "#define REPORT_RESPONSE \(literal(r))\n" }
        let config = try directory.write("\(name)-config.h", header)
        let folder = try plugin(name, id: id, defines: ["CONFIG=\"\(config)\""])
        var text = try String(contentsOfFile: folder + "/plugin.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "provides: { actions: [\(id).act] }", with: "provides: \(behaviour.provides)")
            .replacingOccurrences(of: "permissions: [read:v_accounts]", with: "permissions: \(behaviour.permissions)")
        try text.write(toFile: folder + "/plugin.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    /// Builds a plugin folder `name` with its library and plugin.yaml; `defines` are -D flags;
    /// the manifest records the library's real checksum unless `sha256` is given.
    @discardableResult
    public func plugin(_ name: String, id: String = "demo", defines: [String] = [], abiVersion: Int = 1,
                sha256: String? = nil, hostVersion: String? = nil) throws -> String {
        let folder = directory.file(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = try directory.write("\(name).c", Self.source)
        let library = folder + "/lib\(name).so"
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compiler.arguments = ["clang", "-shared", "-fPIC", "-O1", "-I", Self.header, "-DPLUGIN_ID=\"\(id)\""]
            + defines.map { "-D\($0)" } + ["-o", library, source]
        try compiler.run()
        compiler.waitUntilExit()
        guard compiler.terminationStatus == 0 else { throw FixtureError("cc failed for \(name)") }
        let checksum = try sha256 ?? Self.sha256(library)
        try manifest(in: folder, id: id, library: "lib\(name).so", abiVersion: abiVersion, sha256: checksum,
                     hostVersion: hostVersion)
        return folder
    }

    public func manifest(in folder: String, id: String, library: String, abiVersion: Int = 1, sha256: String?,
                  hostVersion: String? = nil) throws {
        var text = """
            id: \(id)
            name: Demo \(id)
            version: 1.0.0
            abi_version: \(abiVersion)
            library: \(library)
            provides: { actions: [\(id).act] }
            permissions: [read:v_accounts]

            """
        if let sha256 { text += "library_sha256: \(sha256)\n" }
        if let hostVersion { text += "host_version: \"\(hostVersion)\"\n" }
        try text.write(toFile: folder + "/plugin.yaml", atomically: true, encoding: .utf8)
    }

    public static func sha256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(output.prefix(64))
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
