import ArgumentParser
import RolloutKit

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace: DIR/rollout.sqlite with every migration applied.",
        discussion: """
            An existing workspace in DIR is opened and migrated to this version, never emptied. Then load CRM data (`rollout demo seed --db DIR/rollout.sqlite`) and start a project (`rollout run PLAYBOOK --db DIR/rollout.sqlite`).
            """)

    @Argument(help: "The workspace directory (created if missing).")
    var directory: String = "."

    func run() throws {
        try Terminal.failing {
            let (workspace, created) = try Workspace.create(directory: directory)
            let path = workspace.database.path ?? directory
            let migrations = try workspace.migrations()
            print(created ? "Created workspace \(path)" : "Workspace \(path) already exists; migrated to this version")
            print("  schema: \(migrations.count) migrations (\(migrations.joined(separator: ", ")))")
            print("  next:   rollout demo seed --db \(path)   or   rollout run PLAYBOOK --db \(path)")
        }
    }
}
