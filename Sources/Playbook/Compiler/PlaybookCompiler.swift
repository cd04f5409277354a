import Crypto
import Foundation

/// Turns a playbook file into a checked `Playbook`, or into every problem that stops it, each
/// located like a compiler's message (`Playbooks/x.yaml:14:9: error: …`).
///
/// ```swift
/// let compilation = PlaybookCompiler(context: workspace.playbookContext).compile(path: "Playbooks/standard-nine-phase.yaml")
/// compilation.diagnostics.forEach { print($0) }
/// guard let playbook = compilation.playbook else { return }   // nil whenever there is an error
/// ```
public struct PlaybookCompiler: Sendable {
    public var context: PlaybookContext
    /// `--param name=value`: values for the playbook's `parameters:`, winning over its defaults.
    public var parameters: [String: String]

    public init(context: PlaybookContext = PlaybookContext(), parameters: [String: String] = [:]) {
        self.context = context
        self.parameters = parameters
    }

    /// Reads the file as UTF-8 and compiles it; a file that cannot be read is one error at `path:1:1`.
    public func compile(path: String) -> PlaybookCompilation {
        switch Self.read(path) {
        case .success(let text):
            return compile(text: text, path: path)
        case .failure(let problem):
            let location = SourceLocation(file: path, line: 1, column: 1)
            return PlaybookCompilation(playbook: nil, diagnostics: [.error(.unreadableFile, problem.message, at: location)])
        }
    }

    /// Compiles `text`; `path` is only used to name the file in diagnostics and in `PlaybookSource`.
    public func compile(text: String, path: String) -> PlaybookCompilation {
        let source = PlaybookSource(path: path, text: text, sha256: Self.sha256(of: text))
        let loaded = PlaybookLoader(parameters: parameters, pluginDirectories: context.pluginDirectories).load(source)
        var diagnostics = loaded.diagnostics
        if let playbook = loaded.playbook {
            // Warnings about a model that could not be read whole would often be echoes of the
            // errors (a misspelt `approvers:` is also "a gate without approvers"): keep them for later.
            let readWhole = !loaded.diagnostics.contains { $0.severity == .error }
            diagnostics += PlaybookValidator(context: context).validate(playbook)
                .filter { readWhole || $0.severity == .error }
        }
        return PlaybookCompilation(playbook: loaded.playbook, diagnostics: diagnostics, sources: loaded.sources)
    }

    /// Hex SHA-256 of the UTF-8 text: what `PlaybookSource.sha256` records.
    package static func sha256(of text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private struct ReadProblem: Error {
        var message: String
    }

    private static func read(_ path: String) -> Result<String, ReadProblem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(ReadProblem(message: "cannot read playbook: no such file"))
        }
        guard !isDirectory.boolValue else {
            return .failure(ReadProblem(message: "cannot read playbook: this is a directory, not a YAML file"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ReadProblem(message: "cannot read playbook: permission denied or unreadable file"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ReadProblem(message: "cannot read playbook: the file is not UTF-8 text"))
        }
        return .success(text)
    }
}
