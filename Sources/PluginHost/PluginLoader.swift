import CRolloutPlugin
import Crypto
import Foundation
import PluginKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plugin found on disk: its folder and manifest, not yet checked or loaded.
public struct PluginCandidate: Sendable, Hashable {
    public var directory: String
    public var manifest: PluginManifest

    public init(directory: String, manifest: PluginManifest) {
        self.directory = directory
        self.manifest = manifest
    }

    public var libraryPath: String { (directory as NSString).appendingPathComponent(manifest.library) }
}

/// Finds plugins, checks them before `dlopen`, and loads them through the C ABI
/// (`Sources/CRolloutPlugin/include/rollout_plugin.h`).
///
/// The checks before loading are what make loading safe to attempt: the manifest's ABI version
/// and host range, the file's presence, its being a shared library (ELF or Mach-O magic), and
/// its SHA-256 against the one recorded at install. A library is never unloaded (`dlclose` on a
/// Swift library is unsafe), so each is loaded once per process.
///
/// ```swift
/// let candidates = try PluginLoader.discover(in: ["/ws/plugins"])
/// let plugin = try PluginLoader.shared.load(candidates[0])
/// let response = try plugin.call("action:retail.enroll-loyalty", request: Data("{}".utf8), timeLimit: 5)
/// ```
public final class PluginLoader: @unchecked Sendable {
    /// The ABI version this host speaks.
    public static let abiVersion = Int(ROLLOUT_PLUGIN_ABI_VERSION)
    public static let shared = PluginLoader()

    private let lock = NSLock()
    private var loaded: [String: LoadedPlugin] = [:]

    public init() {}

    /// Every plugin in `directories`: each directory is either a plugin's folder (it holds a
    /// plugin.yaml) or a folder of plugin folders. A folder without a manifest is skipped; a
    /// manifest that cannot be read is an error naming it.
    public static func discover(in directories: [String]) throws -> [PluginCandidate] {
        var found: [PluginCandidate] = []
        let files = FileManager.default
        for directory in directories where files.fileExists(atPath: directory) {
            var folders = [directory]
            if !files.fileExists(atPath: (directory as NSString).appendingPathComponent(PluginManifest.fileName)) {
                folders = (try? files.contentsOfDirectory(atPath: directory))?.sorted()
                    .map { (directory as NSString).appendingPathComponent($0) } ?? []
            }
            for folder in folders {
                let manifest = (folder as NSString).appendingPathComponent(PluginManifest.fileName)
                guard files.fileExists(atPath: manifest) else { continue }
                let candidate = PluginCandidate(directory: folder, manifest: try PluginManifest.read(at: manifest))
                if !found.contains(where: { $0.manifest.id == candidate.manifest.id }) { found.append(candidate) }
            }
        }
        return found
    }

    /// The SHA-256 of a file, in hex.
    public static func sha256(ofFileAt path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PluginError(.missingFile, "\(path): no such file")
        }
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Everything that can be checked without loading the library; throws the first problem.
    public static func verify(_ candidate: PluginCandidate, hostVersion: String) throws {
        let id = candidate.manifest.id
        guard candidate.manifest.abiVersion == abiVersion else {
            throw PluginError(.abiVersion, "plugin '\(id)' speaks ABI version \(candidate.manifest.abiVersion), this "
                + "rollout speaks \(abiVersion): rebuild the plugin against this version of PluginKit "
                + "(rollout_plugin.h), or use a rollout that speaks its ABI")
        }
        if let range = candidate.manifest.hostVersion, let host = SemanticVersion(hostVersion) {
            guard let satisfied = host.satisfies(range) else {
                throw PluginError(.manifest, "plugin '\(id)': host_version '\(range)' is not a range such as \">=0.1.0 <1.0.0\"")
            }
            if !satisfied {
                throw PluginError(.hostVersion, "plugin '\(id)' needs rollout \(range); this is \(host)")
            }
        }
        let path = candidate.libraryPath
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PluginError(.missingFile, "plugin '\(id)': its library \(path) does not exist; build the plugin "
                + "(swift build --product …) and install it again with `rollout plugin install DIR`")
        }
        let magic = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
        try? handle.close()
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]
        let machO: [[UInt8]] = [[0xCF, 0xFA, 0xED, 0xFE], [0xCE, 0xFA, 0xED, 0xFE], [0xCA, 0xFE, 0xBA, 0xBE]]
        guard magic == elf || machO.contains(magic) else {
            throw PluginError(.notALibrary, "plugin '\(id)': \(path) is not a shared library (no ELF header); "
                + "`library:` must name the .so the plugin's build produces")
        }
        guard let recorded = candidate.manifest.librarySHA256 else {
            throw PluginError(.checksum, "plugin '\(id)' has no recorded checksum (library_sha256): install it with "
                + "`rollout plugin install \(candidate.directory)`, which records it")
        }
        let actual = try sha256(ofFileAt: path)
        guard actual == recorded.lowercased() else {
            throw PluginError(.checksum, "plugin '\(id)': \(path) has SHA-256 \(actual.prefix(16))…, not the "
                + "\(recorded.prefix(16))… recorded at install; it was changed or rebuilt since. If you rebuilt it "
                + "yourself, install it again (`rollout plugin install DIR`); otherwise do not load it")
        }
    }

    /// Verifies and loads `candidate` (once per process), giving it `services`.
    public func load(_ candidate: PluginCandidate, hostVersion: String, services: PluginServices = PluginServices())
        throws -> LoadedPlugin
    {
        lock.lock()
        defer { lock.unlock() }
        if let plugin = loaded[candidate.manifest.id] {
            plugin.use(services)
            return plugin
        }
        try Self.verify(candidate, hostVersion: hostVersion)
        let id = candidate.manifest.id
        guard let handle = dlopen(candidate.libraryPath, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw PluginError(.load, "plugin '\(id)' could not be loaded: \(reason)")
        }
        // Never dlclose: a Swift library's metadata and threads may outlive any call.
        guard let symbol = dlsym(handle, ROLLOUT_PLUGIN_ENTRY_SYMBOL) else {
            throw PluginError(.load, "plugin '\(id)': \(candidate.libraryPath) has no entry symbol "
                + "`\(ROLLOUT_PLUGIN_ENTRY_SYMBOL)`; export it with @_cdecl(\"\(ROLLOUT_PLUGIN_ENTRY_SYMBOL)\") "
                + "(see docs/plugin-author-guide.md)")
        }
        let entry = unsafeBitCast(symbol, to: rollout_plugin_entry_fn.self)
        let box = ServicesBox(services)
        let table = box.withHostTable { entry($0) }
        guard let table else {
            throw PluginError(.load, "plugin '\(id)': its entry returned no plugin table")
        }
        guard Int(table.pointee.abi_version) == Self.abiVersion else {
            throw PluginError(.abiVersion, "plugin '\(id)' was built for ABI version \(table.pointee.abi_version), "
                + "this rollout speaks \(Self.abiVersion); its manifest says \(candidate.manifest.abiVersion): rebuild it")
        }
        let manifestJSON = table.pointee.manifest_json.map { String(cString: $0) } ?? "{}"
        let declaration: PluginDeclaration
        do {
            declaration = try JSONDecoder().decode(PluginDeclaration.self, from: Data(manifestJSON.utf8))
        } catch {
            throw PluginError(.load, "plugin '\(id)': the manifest its library declares is not valid JSON of the "
                + "contract (PluginKit's PluginDeclaration): \(error)")
        }
        try Self.check(declaration, against: candidate.manifest)
        let plugin = LoadedPlugin(candidate: candidate, declaration: declaration, table: table, services: box)
        loaded[id] = plugin
        return plugin
    }
}

extension PluginLoader {
    /// The library's declaration must be the plugin of plugin.yaml: the same id, exactly the
    /// metrics, actions and checks `provides:` lists, each named `<id>.…`, and migrations that
    /// are named and hold statements.
    static func check(_ declaration: PluginDeclaration, against manifest: PluginManifest) throws {
        let id = manifest.id
        guard declaration.id == id else {
            throw PluginError(.load, "plugin.yaml says '\(id)' but the library says it is '\(declaration.id)'")
        }
        let kinds: [(String, [String], [String])] = [
            ("metrics", declaration.metrics.map(\.id), manifest.metrics),
            ("actions", declaration.actions.map(\.id), manifest.actions),
            ("checks", declaration.checks.map(\.id), manifest.checks),
        ]
        for (kind, declared, listed) in kinds {
            if let stray = declared.first(where: { !$0.hasPrefix(id + ".") }) {
                throw PluginError(.load, "plugin '\(id)' declares \(kind) '\(stray)'; a plugin's names start with "
                    + "its id ('\(id).…')")
            }
            if Set(declared) != Set(listed) {
                let missing = Set(declared).subtracting(listed).sorted()
                let extra = Set(listed).subtracting(declared).sorted()
                var parts: [String] = []
                if !missing.isEmpty { parts.append("the library declares \(missing.joined(separator: ", ")) which plugin.yaml does not list") }
                if !extra.isEmpty { parts.append("plugin.yaml lists \(extra.joined(separator: ", ")) which the library does not declare") }
                throw PluginError(.load, "plugin '\(id)': provides.\(kind) differs from the library: "
                    + parts.joined(separator: "; "))
            }
        }
        var seen: Set<String> = []
        for migration in declaration.migrations {
            guard !migration.id.isEmpty, seen.insert(migration.id).inserted, !migration.statements.isEmpty else {
                throw PluginError(.load, "plugin '\(id)': migration '\(migration.id)' needs a unique id and statements")
            }
        }
    }
}

/// What the host offers a plugin through the services table.
public struct PluginServices: Sendable {
    /// level 0 debug … 3 error.
    public var log: @Sendable (Int, String) -> Void
    /// A read-only query request (JSON) → its response (JSON); throws with the message to return.
    public var query: @Sendable (Data) throws -> Data

    public init(log: @escaping @Sendable (Int, String) -> Void = { _, _ in },
                query: @escaping @Sendable (Data) throws -> Data = { _ in
                    throw PluginError(.call, "this command offers plugins no data access")
                }) {
        self.log = log
        self.query = query
    }
}

/// Holds the services for the C callbacks, and the table that points at them.
final class ServicesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var current: PluginServices

    var services: PluginServices {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func replace(_ services: PluginServices) {
        lock.lock()
        current = services
        lock.unlock()
    }
    /// A plugin may keep the host table's address, so it lives at a fixed place as long as the
    /// box, which the loaded plugin keeps for the life of the process.
    private let table = UnsafeMutablePointer<rollout_host_services>.allocate(capacity: 1)

    init(_ services: PluginServices) {
        self.current = services
        table.initialize(to: rollout_host_services())
    }

    deinit {
        table.deallocate()
    }

    func withHostTable<T>(_ body: (UnsafePointer<rollout_host_services>) -> T) -> T {
        table.pointee.abi_version = UInt32(PluginLoader.abiVersion)
        table.pointee.context = Unmanaged.passUnretained(self).toOpaque()
        table.pointee.log = { context, level, message in
            guard let context, let message else { return }
            Unmanaged<ServicesBox>.fromOpaque(context).takeUnretainedValue().services.log(Int(level), String(cString: message))
        }
        table.pointee.query = { context, request, length, response, responseLength in
            guard let context, let response, let responseLength else { return ROLLOUT_ERROR }
            let box = Unmanaged<ServicesBox>.fromOpaque(context).takeUnretainedValue()
            let input = request.map { Data(bytes: $0, count: length) } ?? Data()
            let (status, output): (Int32, Data)
            do {
                (status, output) = (ROLLOUT_OK, try box.services.query(input))
            } catch {
                (status, output) = (ROLLOUT_ERROR, PluginBuffers.errorJSON("\(error)"))
            }
            (response.pointee, responseLength.pointee) = PluginBuffers.copy(output)
            return status
        }
        table.pointee.free_buffer = { _, buffer in free(buffer) }
        return body(table)
    }
}

enum PluginBuffers {
    /// A malloc'd copy of `data` (the receiver frees it with `free`).
    static func copy(_ data: Data) -> (UnsafeMutablePointer<UInt8>?, Int) {
        let buffer = malloc(max(1, data.count))!.assumingMemoryBound(to: UInt8.self)
        data.copyBytes(to: buffer, count: data.count)
        return (buffer, data.count)
    }

    static func errorJSON(_ message: String) -> Data {
        (try? JSONSerialization.data(withJSONObject: ["error": message])) ?? Data(#"{"error":"?"}"#.utf8)
    }
}
