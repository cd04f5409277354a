import Foundation
import Playbook
import PluginKit

/// A plugin's `plugin.yaml`: who it is, which library holds it, what it provides and may do.
///
/// ```yaml
/// id: retail
/// name: Retail
/// version: 1.0.0
/// abi_version: 1
/// host_version: ">=0.1.0"
/// library: libRolloutRetail.so
/// library_sha256: 3f5a…          # written by `rollout plugin install`
/// provides: { metrics: [retail.repeat_purchase_rate], actions: [retail.enroll-loyalty], checks: [] }
/// permissions: [create:campaign, create:campaign-member]
/// ```
public struct PluginManifest: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var version: String
    public var abiVersion: Int
    public var hostVersion: String?
    /// The shared library's file name, beside the manifest.
    public var library: String
    /// The library's SHA-256 as recorded when the plugin was installed; nil until then.
    public var librarySHA256: String?
    public var metrics: [String]
    public var actions: [String]
    /// Checks a gate can use as criteria.
    public var checks: [String]
    public var permissions: [String]

    public static let fileName = "plugin.yaml"

    /// The prefix of the plugin's tables (`retail_…`) and views (`v_retail_…`).
    public var namespace: String { PluginDeclaration.namespace(of: id) }

    /// Whether `permissions` allow `verb` on `object` (`create:activity`).
    public func permits(_ verb: String, _ object: String) -> Bool {
        permissions.contains("\(verb):\(object)")
    }

    /// Reads and checks the manifest at `path`; every problem is one message with the file.
    public static func read(at path: String) throws -> PluginManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PluginError(.manifest, "\(path): cannot read the plugin's manifest")
        }
        let value: YAMLValue
        do {
            value = try YAMLValue.parse(String(decoding: data, as: UTF8.self), path: path)
        } catch {
            throw PluginError(.manifest, "\(error)")
        }
        func text(_ key: String, required: Bool = true) throws -> String? {
            guard let scalar = value[key]?.scalarText else {
                if required { throw PluginError(.manifest, "\(path): the manifest needs `\(key):`") }
                return nil
            }
            return scalar
        }
        func list(_ key: String, in v: YAMLValue?) -> [String] {
            v?[key]?.sequence?.compactMap(\.scalarText) ?? []
        }
        let version = try text("version")!
        guard SemanticVersion(version) != nil else {
            throw PluginError(.manifest, "\(path): version '\(version)' is not a semantic version such as 1.2.0")
        }
        guard let abi = Int(try text("abi_version")!) else {
            throw PluginError(.manifest, "\(path): abi_version must be a whole number")
        }
        return PluginManifest(
            id: try text("id")!, name: try text("name")!, version: version, abiVersion: abi,
            hostVersion: try text("host_version", required: false), library: try text("library")!,
            librarySHA256: try text("library_sha256", required: false),
            metrics: list("metrics", in: value["provides"]), actions: list("actions", in: value["provides"]),
            checks: list("checks", in: value["provides"]),
            permissions: value["permissions"]?.sequence?.compactMap(\.scalarText) ?? [])
    }
}

/// `MAJOR.MINOR.PATCH`, compared numerically.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int, minor: Int, patch: Int

    public init?(_ text: String) {
        let core = text.split(separator: "-", maxSplits: 1).first.map(String.init) ?? text
        let parts = core.split(separator: ".").map { Int($0) }
        guard parts.count == 3, let major = parts[0], let minor = parts[1], let patch = parts[2] else { return nil }
        (self.major, self.minor, self.patch) = (major, minor, patch)
    }

    public static func < (a: Self, b: Self) -> Bool { (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }
    public var description: String { "\(major).\(minor).\(patch)" }

    /// Whether this version satisfies a range such as `>=0.1.0 <1.0.0` (space-separated
    /// comparisons, all of which must hold); nil when the range cannot be read.
    public func satisfies(_ range: String) -> Bool? {
        for clause in range.split(separator: " ") {
            let ops = [">=", "<=", ">", "<", "="]
            guard let op = ops.first(where: { clause.hasPrefix($0) }),
                  let bound = SemanticVersion(String(clause.dropFirst(op.count))) else { return nil }
            let ok = switch op {
            case ">=": self >= bound
            case "<=": self <= bound
            case ">": self > bound
            case "<": self < bound
            default: self == bound
            }
            if !ok { return false }
        }
        return true
    }
}

extension YAMLValue {
    var scalarText: String? {
        if case .scalar(let text) = self { text } else { nil }
    }

    var sequence: [YAMLValue]? {
        if case .list(let items) = self { items } else { nil }
    }
}
