import Foundation
import RolloutTesting
import Testing

/// `rollout plugin install|list|info|verify` on plugins written in C and compiled by the test.
@Suite struct PluginCommandTests {
    @Test func aPluginIsInstalledWithItsChecksumListedAndVerifiedAndATamperedOneIsRefused() throws {
        let fixture = try PluginFixture()
        let built = try fixture.plugin("demo", sha256: nil)
        let workspace = try TemporaryDirectory("plugin-ws")
        let db = workspace.file("rollout.sqlite")
        #expect(try E2E.binary.run(["init", workspace.path]).status == 0)

        let installed = try E2E.binary.run(["plugin", "install", built, "--db", db])
        #expect(installed.status == 0, "\(installed.stderr)")
        let copy = workspace.file("plugins/demo")
        let manifest = try String(contentsOfFile: copy + "/plugin.yaml", encoding: .utf8)
        let checksum = try PluginFixture.sha256(built + "/libdemo.so")
        #expect(manifest.contains("library_sha256: \(checksum)"))
        #expect(installed.stdout.contains("status:  ok"))

        let list = try E2E.binary.run(["plugin", "list", "--db", db, "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(entries?.map { $0["id"] as? String } == ["demo"])
        #expect(entries?.first?["actions"] as? [String] == ["demo.act"])
        #expect(try E2E.binary.run(["plugin", "verify", "--db", db]).stdout == "demo 1.0.0: ok\n")
        let info = try E2E.binary.run(["plugin", "info", "demo", "--db", db])
        #expect(info.stdout.contains("sha256:  \(checksum)"))

        // Someone replaces the installed library: refused before loading, with what to do.
        let other = try fixture.plugin("other", id: "demo")
        try FileManager.default.removeItem(atPath: copy + "/libdemo.so")
        try FileManager.default.copyItem(atPath: other + "/libother.so", toPath: copy + "/libdemo.so")
        let tampered = try E2E.binary.run(["plugin", "verify", "--db", db])
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("demo 1.0.0: refused: plugin 'demo': "))
        #expect(tampered.stdout.contains("recorded at install; it was changed or rebuilt since"))
    }

    @Test func pluginsAreFoundThroughTheOptionAndTheEnvironmentAndABrokenOneCannotBeInstalled() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("demo")
        try fixture.plugin("second", id: "second")
        let workspace = try TemporaryDirectory("plugin-ws")
        let db = workspace.file("rollout.sqlite")
        let byOption = try E2E.binary.run(["plugin", "list", "--plugins", fixture.directory.path, "--db", db])
        #expect(byOption.stdout.contains("demo") && byOption.stdout.contains("second"))
        let byEnvironment = try E2E.binary.run(["plugin", "verify", "--db", db],
                                               environment: ["ROLLOUT_PLUGIN_PATH": fixture.directory.path])
        #expect(byEnvironment.stdout == "demo 1.0.0: ok\nsecond 1.0.0: ok\n", "\(byEnvironment.stderr)")

        let noEntry = try fixture.plugin("noentry", id: "noentry", defines: ["NO_ENTRY"], sha256: nil)
        let refused = try E2E.binary.run(["plugin", "install", noEntry, "--db", db])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("has no entry symbol `rollout_plugin_entry`"))
        #expect(!FileManager.default.fileExists(atPath: workspace.file("plugins/noentry")))
        let missing = try E2E.binary.run(["plugin", "info", "nope", "--plugins", fixture.directory.path, "--db", db])
        #expect(missing.stderr.contains("no plugin 'nope'; found: demo, noentry, second"))
    }
}

/// The example plugin, written in Swift with PluginKit and built by this package as a shared
/// library, installed and called through the CLI.
@Suite struct SwiftPluginTests {
    @Test func theExampleSwiftPluginInstallsLoadsAndAnswersItsActionAndItsErrors() throws {
        let built = URL(fileURLWithPath: E2E.binary.path).deletingLastPathComponent()
            .appendingPathComponent("libRolloutExamplePlugin.so").path
        try #require(FileManager.default.fileExists(atPath: built), "swift build makes \(built)")
        let folder = try TemporaryDirectory("swift-plugin")
        let source = folder.file("example")
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: built, toPath: source + "/libRolloutExamplePlugin.so")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        try FileManager.default.copyItem(atPath: root.appendingPathComponent("Plugins/Example/plugin.yaml").path,
                                         toPath: source + "/plugin.yaml")
        let db = folder.file("ws/rollout.sqlite")
        let installed = try E2E.binary.run(["plugin", "install", source, "--db", db])
        #expect(installed.status == 0, "\(installed.stderr)")
        let greeted = try E2E.binary.run(["plugin", "call", "example", "action:example.greet", #"{"name": "王芳"}"#,
                                          "--db", db])
        #expect(greeted.status == 0, "\(greeted.stderr)")
        #expect(greeted.stdout == #"{"greeting":"Hello, 王芳"}"# + "\n")
        #expect(greeted.stderr == "plugin example: greeting 王芳\n")
        let failed = try E2E.binary.run(["plugin", "call", "example", "action:example.greet", "{}", "--db", db])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("plugin 'example' failed `action:example.greet`: example.greet needs a name"))
    }
}

/// A plugin from a separate package outside the repository, as an author would write one: it
/// depends on this package for PluginKit only, is built here with `swift build`, installed and
/// called. About 20 s (it resolves and builds its own copy of PluginKit).
@Suite struct ExternalPluginPackageTests {
    @Test(.timeLimit(.minutes(10)))
    func aPluginBuiltFromASeparatePackageInstallsAndAnswers() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let package = try TemporaryDirectory("external-plugin")
        try package.write("Package.swift", """
            // swift-tools-version: 6.1
            import PackageDescription

            let package = Package(
                name: "loyalty-plugin",
                products: [.library(name: "Loyalty", type: .dynamic, targets: ["Loyalty"])],
                dependencies: [.package(path: "\(root.path)")],
                targets: [.target(name: "Loyalty", dependencies: [
                    .product(name: "PluginKit", package: "\(root.lastPathComponent)"),
                ])]
            )
            """)
        try package.write("Sources/Loyalty/Loyalty.swift", #"""
            import CRolloutPlugin
            import Foundation
            import PluginKit

            struct Loyalty: RolloutPlugin {
                let manifest = PluginDeclaration(id: "loyalty", version: "0.1.0",
                                                 actions: [.init(id: "loyalty.tier", summary: "a customer's tier")])

                func call(_ operation: String, request: Data, host: PluginHostServices) throws -> Data {
                    guard operation == "action:loyalty.tier" else { throw PluginFailure("unknown operation \(operation)") }
                    let spent = (try JSONSerialization.jsonObject(with: request) as? [String: Any])?["spent"] as? Double ?? 0
                    return try JSONSerialization.data(withJSONObject: ["tier": spent >= 10_000 ? "gold" : "silver"])
                }
            }

            @_cdecl("rollout_plugin_entry")
            public func rolloutPluginEntry(_ host: UnsafePointer<rollout_host_services>?) -> UnsafePointer<rollout_plugin>? {
                PluginExport.table(for: Loyalty(), host: host)
            }
            """#)
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "--product", "Loyalty", "--package-path", package.path]
        let log = package.file("build.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        build.standardOutput = FileHandle(forWritingAtPath: log)
        build.standardError = build.standardOutput
        try build.run()
        build.waitUntilExit()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try #require(build.terminationStatus == 0, "swift build of the external plugin failed:\n\(output.suffix(3000))")

        let dist = package.file("dist")
        try FileManager.default.createDirectory(atPath: dist, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: package.file(".build/debug/libLoyalty.so"), toPath: dist + "/libLoyalty.so")
        try """
            id: loyalty
            name: Loyalty tiers
            version: 0.1.0
            abi_version: 1
            library: libLoyalty.so
            provides: { actions: [loyalty.tier] }

            """.write(toFile: dist + "/plugin.yaml", atomically: true, encoding: .utf8)
        let db = package.file("ws/rollout.sqlite")
        let installed = try E2E.binary.run(["plugin", "install", dist, "--db", db])
        #expect(installed.status == 0, "\(installed.stderr)")
        let tier = try E2E.binary.run(["plugin", "call", "loyalty", "action:loyalty.tier", #"{"spent": 12000}"#, "--db", db])
        #expect(tier.stdout == #"{"tier":"gold"}"# + "\n", "\(tier.stderr)")
    }
}

/// A playbook's `plugins:` must be satisfied, or `rollout check` says which is missing, where.
@Suite struct PlaybookPluginsCheckTests {
    @Test func aMissingOrRefusedPluginIsAnErrorAtItsNameAndAnInstalledOnePasses() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("retail", id: "retail")
        try fixture.plugin("broken", id: "banking", sha256: String(repeating: "a", count: 64))
        let playbook = try fixture.directory.write("needs.yaml", try E2E.fixture("two-phase.yaml")
            .replacingOccurrences(of: "kpis:\n", with: "plugins: [retail, banking, manufacturing]\nkpis:\n"))
        let lines = try String(contentsOfFile: playbook, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let line = (lines.firstIndex { $0.hasPrefix("plugins:") } ?? 0) + 1
        let result = try E2E.binary.run(["check", playbook, "--plugins", fixture.directory.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(playbook):\(line):28: error[missing-plugin]: the playbook needs plugin "
                                       + "'manufacturing', which is not installed"), "\(result.stdout)")
        #expect(result.stdout.contains("\(playbook):\(line):19: error[plugin-refused]: the playbook needs plugin 'banking', "
                                       + "which is refused: plugin 'banking': "))
        #expect(!result.stdout.contains("plugin 'retail'"))
        let satisfied = try fixture.directory.write("ok.yaml", try E2E.fixture("two-phase.yaml")
            .replacingOccurrences(of: "kpis:\n", with: "plugins: [retail]\nkpis:\n"))
        let ok = try E2E.binary.run(["check", satisfied], environment: ["ROLLOUT_PLUGIN_PATH": fixture.directory.path])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
    }
}
