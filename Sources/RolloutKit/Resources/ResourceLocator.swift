import Foundation

/// Finds the files Rollout ships beside its binary: report templates (`Templates/`) and bundled
/// playbooks (`Playbooks/`).
///
/// Consultants restyle reports without recompiling, so these are files read at run time. A
/// folder is searched in this order; the first directory holding the file wins:
/// 1. an explicit directory (`--templates DIR`, or `ROLLOUT_TEMPLATES` / `ROLLOUT_PLAYBOOKS`);
/// 2. `templates/` (or `playbooks/`) next to the workspace database: a workspace's own copies;
/// 3. `../share/rollout/<Folder>` relative to the executable: an installed copy;
/// 4. `<Folder>/` in a directory above the executable: a build inside a clone (`.build/release/rollout`);
/// 5. `<Folder>/` of the source tree this binary was built from.
public struct ResourceLocator: Sendable {
    /// `Templates` or `Playbooks`.
    public var folder: String
    public var explicitDirectory: String?
    public var workspaceDirectory: String?

    public static func templates(explicit: String? = nil, workspaceDirectory: String? = nil) -> ResourceLocator {
        ResourceLocator(folder: "Templates", explicitDirectory: explicit ?? environment("ROLLOUT_TEMPLATES"),
                        workspaceDirectory: workspaceDirectory)
    }

    public static func playbooks(explicit: String? = nil) -> ResourceLocator {
        ResourceLocator(folder: "Playbooks", explicitDirectory: explicit ?? environment("ROLLOUT_PLAYBOOKS"),
                        workspaceDirectory: nil)
    }

    static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The directories searched, in order.
    public var searchPath: [String] {
        var dirs: [String] = []
        if let explicitDirectory { dirs.append(explicitDirectory) }
        if let workspaceDirectory {
            dirs.append(URL(fileURLWithPath: workspaceDirectory).appendingPathComponent(folder.lowercased()).path)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        let binDir = executable.deletingLastPathComponent()
        dirs.append(binDir.appendingPathComponent("../share/rollout/\(folder)").standardizedFileURL.path)
        var dir = binDir
        for _ in 0..<6 {
            dirs.append(dir.appendingPathComponent(folder).path)
            dir = dir.deletingLastPathComponent()
        }
        // This file is Sources/RolloutKit/Resources/ResourceLocator.swift in the source tree.
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root = root.deletingLastPathComponent() }
        dirs.append(root.appendingPathComponent(folder).path)
        var seen: Set<String> = []
        return dirs.filter { seen.insert($0).inserted }
    }

    /// The path of `file` in the first directory of the search path that has it.
    public func path(of file: String) throws -> String {
        for dir in searchPath {
            let path = URL(fileURLWithPath: dir).appendingPathComponent(file).path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw ResourceError("""
            \(folder)/\(file) not found; looked in:
            \(searchPath.map { "  " + $0 }.joined(separator: "\n"))
            Point ROLLOUT_\(folder.uppercased()) (or --templates for templates) at the repository's \(folder)/ folder.
            """)
    }

    /// The text of `file`.
    public func text(of file: String) throws -> (text: String, path: String) {
        let path = try path(of: file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ResourceError("cannot read \(path)")
        }
        return (String(decoding: data, as: UTF8.self), path)
    }
}

/// A bundled file that could not be found or read.
public struct ResourceError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
