import Foundation
import PluginHost
import RolloutTesting
import Testing

/// Loading a plugin through the C ABI, and every way loading or calling one can fail: each must
/// give a message that says what to do, refuse before `dlopen` when it can, and leave the host
/// working.
@Suite struct PluginLoaderTests {
    let host = "0.1.0"

    func error(_ body: () throws -> Any) -> PluginError? {
        do {
            _ = try body()
            return nil
        } catch let error as PluginError {
            return error
        } catch {
            Issue.record("not a PluginError: \(error)")
            return nil
        }
    }

    @Test func aPluginIsDiscoveredVerifiedLoadedAndCalledWithJSON() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("demo")
        let candidates = try PluginLoader.discover(in: [fixture.directory.path])
        #expect(candidates.map(\.manifest.id) == ["demo"])
        #expect(candidates[0].manifest.actions == ["demo.act"])
        let logged = LogLines()
        let plugin = try PluginLoader().load(candidates[0], hostVersion: host, services: PluginServices(
            log: { level, message in logged.append("\(level) \(message)") },
            query: { request in Data(#"{"rows": [[42]], "asked": "#.utf8) + request + Data("}".utf8) }))
        #expect(plugin.declaredManifest.contains(#""id": "demo""#))
        let echoed = try plugin.call("echo", request: Data(#"{"tier": "gold", "名": "王芳"}"#.utf8), timeLimit: 5)
        #expect(String(decoding: echoed, as: UTF8.self) == #"{"tier": "gold", "名": "王芳"}"#)
        _ = try plugin.call("log", request: Data(), timeLimit: 5)
        #expect(logged.lines == ["1 hello from the plugin"])
        let answer = try plugin.call("query", request: Data(#"{"sql": "SELECT 42"}"#.utf8), timeLimit: 5)
        #expect(String(decoding: answer, as: UTF8.self) == #"{"rows": [[42]], "asked": {"sql": "SELECT 42"}}"#)
    }

    @Test func aCallThatFailsOrOverrunsItsTimeLimitIsAnErrorAndTheHostGoesOn() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("demo")
        let plugin = try PluginLoader().load(try PluginLoader.discover(in: [fixture.directory.path])[0], hostVersion: host)
        let failed = error { try plugin.call("fail", request: Data(), timeLimit: 5) }
        #expect(failed?.kind == .call)
        #expect(failed?.message == "plugin 'demo' failed `fail`: the loyalty tier 'platinum' does not exist")
        let started = Date()
        let slow = error { try plugin.call("slow", request: Data(), timeLimit: 0.2) }
        #expect(slow?.kind == .timeLimit)
        #expect(slow?.message.contains("did not answer `slow` within 0.20 s") == true)
        #expect(Date().timeIntervalSince(started) < 2)
        // The host and the plugin keep working.
        #expect(try plugin.call("echo", request: Data("{}".utf8), timeLimit: 5) == Data("{}".utf8))
    }

    @Test func aLibraryWhoseDeclarationDiffersFromItsManifestIsRefused() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("listed", behaviour: .init(provides: "{ actions: [demo.act, demo.other] }"))
        let listed = error { try PluginLoader().load(try PluginLoader.discover(in: [fixture.directory.file("listed")])[0],
                                                     hostVersion: host) }
        #expect(listed?.kind == .load)
        #expect(listed?.message == "plugin 'demo': provides.actions differs from the library: plugin.yaml lists "
                    + "demo.other which the library does not declare")

        let stray = try PluginFixture()
        try stray.plugin("stray", behaviour: .init(
            declaration: #"{"id": "demo", "version": "1.0.0", "actions": [{"id": "other.act", "summary": "x"}]}"#,
            provides: "{ actions: [other.act] }"))
        let refused = error { try PluginLoader().load(try PluginLoader.discover(in: [stray.directory.file("stray")])[0],
                                                      hostVersion: host) }
        #expect(refused?.message == "plugin 'demo' declares actions 'other.act'; a plugin's names start with its id ('demo.…')")

        let broken = try PluginFixture()
        try broken.plugin("broken", behaviour: .init(declaration: #"{"id": "demo", "actions": [{"id": 7}]}"#))
        let invalid = error { try PluginLoader().load(try PluginLoader.discover(in: [broken.directory.file("broken")])[0],
                                                      hostVersion: host) }
        #expect(invalid?.message.hasPrefix("plugin 'demo': the manifest its library declares is not valid JSON of the "
                                           + "contract") == true, "\(String(describing: invalid))")
    }

    @Test func aMissingLibraryIsRefusedBeforeLoading() throws {
        let fixture = try PluginFixture()
        let folder = try fixture.plugin("demo")
        try FileManager.default.removeItem(atPath: folder + "/libdemo.so")
        let failure = error { try PluginLoader.verify(try PluginLoader.discover(in: [folder])[0], hostVersion: host) }
        #expect(failure?.kind == .missingFile)
        #expect(failure?.message.contains("libdemo.so does not exist") == true)
    }

    @Test func aFileThatIsNotASharedLibraryIsRefusedBeforeLoading() throws {
        let fixture = try PluginFixture()
        let folder = fixture.directory.file("text")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "not a library".write(toFile: folder + "/libtext.so", atomically: true, encoding: .utf8)
        try fixture.manifest(in: folder, id: "text", library: "libtext.so", sha256: try PluginFixture.sha256(folder + "/libtext.so"))
        let failure = error { try PluginLoader().load(try PluginLoader.discover(in: [folder])[0], hostVersion: host) }
        #expect(failure?.kind == .notALibrary)
        #expect(failure?.message.contains("is not a shared library") == true)
    }

    @Test func aChecksumThatDoesNotMatchOrIsNotRecordedIsRefusedBeforeLoading() throws {
        let fixture = try PluginFixture()
        let changed = try fixture.plugin("changed", sha256: String(repeating: "0", count: 64))
        let failure = error { try PluginLoader().load(try PluginLoader.discover(in: [changed])[0], hostVersion: host) }
        #expect(failure?.kind == .checksum)
        #expect(failure?.message.contains("not the 0000000000000000… recorded at install") == true)
        #expect(failure?.message.contains("install it again") == true)
        let folder = try fixture.plugin("unsealed")
        try fixture.manifest(in: folder, id: "demo", library: "libunsealed.so", sha256: nil)
        let unsealed = error { try PluginLoader.verify(try PluginLoader.discover(in: [folder])[0], hostVersion: host) }
        #expect(unsealed?.kind == .checksum)
        #expect(unsealed?.message.contains("rollout plugin install") == true)
    }

    @Test func aWrongABIVersionIsRefusedInTheManifestAndInTheLoadedTable() throws {
        let fixture = try PluginFixture()
        let declared = try fixture.plugin("future", abiVersion: 2)
        let manifest = error { try PluginLoader().load(try PluginLoader.discover(in: [declared])[0], hostVersion: host) }
        #expect(manifest?.kind == .abiVersion)
        #expect(manifest?.message.contains("speaks ABI version 2, this rollout speaks 1") == true)
        let built = try fixture.plugin("liar", defines: ["TABLE_ABI=7"])
        let table = error { try PluginLoader().load(try PluginLoader.discover(in: [built])[0], hostVersion: host) }
        #expect(table?.kind == .abiVersion)
        #expect(table?.message.contains("was built for ABI version 7") == true)
    }

    @Test func aLibraryWithoutTheEntrySymbolIsAClearError() throws {
        let fixture = try PluginFixture()
        let folder = try fixture.plugin("noentry", defines: ["NO_ENTRY"])
        let failure = error { try PluginLoader().load(try PluginLoader.discover(in: [folder])[0], hostVersion: host) }
        #expect(failure?.kind == .load)
        #expect(failure?.message.contains("has no entry symbol `rollout_plugin_entry`") == true)
    }

    @Test func aHostOutsideThePluginsRangeAndAnIdMismatchAreRefused() throws {
        let fixture = try PluginFixture()
        let picky = try fixture.plugin("picky", hostVersion: ">=2.0.0")
        let range = error { try PluginLoader().load(try PluginLoader.discover(in: [picky])[0], hostVersion: host) }
        #expect(range?.kind == .hostVersion)
        #expect(range?.message == "plugin 'demo' needs rollout >=2.0.0; this is 0.1.0")
        let other = try fixture.plugin("impostor", id: "retail")
        try fixture.manifest(in: other, id: "loyalty", library: "libimpostor.so",
                             sha256: try PluginFixture.sha256(other + "/libimpostor.so"))
        let mismatch = error { try PluginLoader().load(try PluginLoader.discover(in: [other])[0], hostVersion: host) }
        #expect(mismatch?.message == "plugin.yaml says 'loyalty' but the library says it is 'retail'")
    }

    @Test func aManifestWithoutItsKeysOrWithABadVersionSaysWhich() throws {
        let fixture = try PluginFixture()
        let path = try fixture.directory.write("bad/plugin.yaml", "id: x\nname: X\nversion: one\nabi_version: 1\nlibrary: l.so\n")
        #expect(error { try PluginManifest.read(at: path) }?.message.contains("version 'one' is not a semantic version") == true)
        let missing = try fixture.directory.write("bad2/plugin.yaml", "id: x\nname: X\nversion: 1.0.0\nabi_version: 1\n")
        #expect(error { try PluginManifest.read(at: missing) }?.message.hasSuffix("the manifest needs `library:`") == true)
    }
}

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
