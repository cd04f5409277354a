import Foundation
import RolloutTesting

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
            TABLE_ABI, "{\"id\": \"" PLUGIN_ID "\", \"version\": \"1.0.0\"}", call, release
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
            provides: { metrics: [\(id).metric], actions: [\(id).act] }
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
