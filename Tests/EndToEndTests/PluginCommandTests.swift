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
/// The plugin author guide's tutorial, exactly as written: its files are taken from
/// docs/plugin-author-guide.md, built as a separate package outside the repository (it depends
/// on this package for PluginKit only), installed, and used by the guide's playbook in a running
/// project. About 30 s (it resolves and builds its own copy of PluginKit).
@Suite struct ExternalPluginPackageTests {
    /// The guide's fenced blocks marked `file=PATH`, by path.
    static func tutorialFiles(_ guide: String) -> [String: String] {
        var files: [String: String] = [:]
        var current: (path: String, lines: [String])?
        for line in guide.components(separatedBy: "\n") {
            if let open = current {
                if line == "```" {
                    files[open.path] = open.lines.joined(separator: "\n") + "\n"
                    current = nil
                } else {
                    current?.lines.append(line)
                }
            } else if line.hasPrefix("```"), let range = line.range(of: " file=") {
                current = (String(line[range.upperBound...]), [])
            }
        }
        return files
    }

    @Test(.timeLimit(.minutes(10)))
    func theGuidesTutorialPluginBuiltFromASeparatePackageRunsInAProject() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let guide = try String(contentsOf: root.appendingPathComponent("docs/plugin-author-guide.md"), encoding: .utf8)
        let files = Self.tutorialFiles(guide)
        #expect(files.keys.sorted() == ["Package.swift", "Sources/Loyalty/Loyalty.swift", "loyalty-pilot.yaml", "plugin.yaml"])
        let package = try TemporaryDirectory("external-plugin")
        for (path, text) in files {
            try FileManager.default.createDirectory(atPath: (package.file(path) as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            // The guide's package sits beside a checkout of rollout; here it is wherever the repository is.
            try _ = package.write(path, text.replacingOccurrences(of: #".package(path: "../rollout")"#,
                                                                with: #".package(path: "\#(root.path)")"#)
                                            .replacingOccurrences(of: #"package: "rollout")"#,
                                                                  with: #"package: "\#(root.lastPathComponent)")"#))
        }
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "--product", "Loyalty", "--package-path", package.path]
        let log = package.file("build.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        build.standardOutput = FileHandle(forWritingAtPath: log)
        build.standardError = build.standardOutput
        try build.run()
        build.waitUntilExit()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try #require(build.terminationStatus == 0, "swift build of the external plugin failed:\n\(output.suffix(3000))")

        let db = try E2E.seededWorkspace(in: package) + "/rollout.sqlite"
        let installed = try E2E.binary.run(["plugin", "install", package.path, "--library",
                                            package.file(".build/debug/libLoyalty.so"), "--db", db])
        #expect(installed.status == 0, "\(installed.stderr)")
        let check = try E2E.binary.run(["check", package.file("loyalty-pilot.yaml"), "--db", db])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let run = try E2E.binary.run(["run", package.file("loyalty-pilot.yaml"), "--db", db, "--as-of", "2025-03-03"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")

        // The action's figures are the database's: customers with orders in the year, and those above the bar.
        func sql(_ query: String) throws -> String { try E2E.sql(db, query) }
        let year = "ordered_at >= strftime('%s', '2024-03-03') AND ordered_at < strftime('%s', '2025-03-03') AND status <> 'cancelled'"
        let customers = try sql("SELECT count(DISTINCT account_id) FROM orders WHERE \(year)")
        let gold = try sql("SELECT count(*) FROM (SELECT account_id FROM orders WHERE \(year) GROUP BY account_id HAVING sum(total_minor) >= 500000)")
        #expect(Int(customers) ?? 0 > 0)
        #expect(run.stdout.contains("loyalty.assign-tiers: \(customers) customers tiered, \(gold) gold (\(customers) rows inserted)"),
                "\(run.stdout)")
        #expect(try sql("SELECT count(*) FROM loyalty_tiers WHERE tier = 'gold'") == gold)
        // The metric measured the share of gold customers among the owned ones, in the sandbox.
        let owned = try sql("SELECT count(*) || ' ' || sum(tier = 'gold') FROM loyalty_tiers WHERE owner_id IS NOT NULL")
            .split(separator: " ").compactMap { Double($0) }
        let taken = try E2E.binary.run(["snapshot", "take", "--label", "tiers", "--db", db, "--as-of", "2025-03-04", "--json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(taken.stdout.utf8)) as? [String: Any]
        let measurements = ((parsed?["snapshot"] as? [String: Any] ?? parsed)?["measurements"] as? [[String: Any]]) ?? []
        let all = try #require(measurements.first { $0["group"] as? String == "all" }, "\(taken.stdout)\(taken.stderr)")
        #expect(all["sampleSize"] as? Int == Int(owned[0]))
        #expect(abs((all["value"] as? Double ?? -1) - 100 * owned[1] / owned[0]) < 1e-9, "\(taken.stdout)")
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
