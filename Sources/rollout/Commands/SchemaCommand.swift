import ArgumentParser
import Foundation
import Playbook

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the playbook language.",
        discussion: """
            The schema is derived from the grammar `rollout check` reads playbooks with, so every key it lists is accepted and no other key is. A copy is kept in docs/playbook.schema.json (a test keeps it in sync).

            Editors with the YAML language server (VS Code's YAML extension, Neovim, JetBrains) complete keys and flag unknown ones when a playbook starts with:
              # yaml-language-server: $schema=../docs/playbook.schema.json

            Examples:
              rollout schema > playbook.schema.json
              rollout schema --out docs/playbook.schema.json
            """)

    @Option(help: "Write the schema to this file instead of standard output.")
    var out: String?

    func run() throws {
        let schema = PlaybookSchema.json()
        guard let out else {
            print(schema, terminator: "")
            return
        }
        do {
            try schema.write(toFile: out, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationError("cannot write \(out): \(error.localizedDescription)")
        }
        print("wrote \(out) (\(schema.utf8.count) bytes)")
    }
}
