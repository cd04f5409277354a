/// Why a plugin was refused, not loaded, or failed a call, in words that say what to do.
public struct PluginError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// plugin.yaml is missing, unreadable or incomplete.
        case manifest
        /// The library file is not there.
        case missingFile = "missing-file"
        /// The file is not a shared library (checked before `dlopen`).
        case notALibrary = "not-a-library"
        /// Its SHA-256 is not the one recorded at install (checked before `dlopen`).
        case checksum
        /// The manifest or the loaded table has another ABI version than the host's.
        case abiVersion = "abi-version"
        /// The host's version is outside the plugin's `host_version` range.
        case hostVersion = "host-version"
        /// `dlopen` failed, or the entry symbol is missing, or it returned nothing.
        case load
        /// A call returned an error.
        case call
        /// A call ran past its time limit.
        case timeLimit = "time-limit"
        /// No installed plugin has that id, or a playbook needs one that is missing.
        case notFound = "not-found"
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
