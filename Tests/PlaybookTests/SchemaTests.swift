import Foundation
import Playbook
import Testing

/// `rollout schema`: derived from the grammar, committed in docs/, and accepted by a real JSON
/// Schema validator (the one YAML language servers implement) on the bundled playbooks.
@Suite struct SchemaTests {
    static let committed = Fixture.repositoryRoot.appendingPathComponent("docs/playbook.schema.json")

    @Test func theCommittedCopyInDocsIsInSyncWithTheGrammar() throws {
        let committed = try String(contentsOf: Self.committed, encoding: .utf8)
        #expect(committed == PlaybookSchema.json(),
                "docs/playbook.schema.json is stale: run `swift run rollout schema --out docs/playbook.schema.json`")
    }

    @Test func everyKeyTheLoaderReadsIsInTheSchemaAndUnknownKeysAreNot() throws {
        let schema = try JSONSerialization.jsonObject(with: Data(PlaybookSchema.json().utf8)) as? [String: Any]
        let definitions = try #require(schema?["$defs"] as? [String: [String: Any]])
        let phase = try #require(definitions["phase"]?["properties"] as? [String: Any])
        #expect(Set(phase.keys).isSuperset(of: ["id", "name", "duration", "tasks", "gate", "entry", "pilot"]))
        #expect(definitions["phase"]?["additionalProperties"] as? Bool == false)
        let top = try #require(definitions["the-playbook"]?["properties"] as? [String: Any])
        #expect(Set(top.keys).isSuperset(of: ["playbook", "phases", "processes", "cycles", "extends", "include", "parameters"]))
        #expect(Set(definitions["the-playbook"]?["required"] as? [String] ?? []) == ["playbook", "version", "title", "phases"])
    }

    /// Runs Python's `jsonschema` (Draft 2020-12) on YAML files read with PyYAML; returns each
    /// file's first validation error, or "ok".
    func validate(_ files: [String]) throws -> [String] {
        let script = """
            import json, sys, yaml, jsonschema
            class Loader(yaml.SafeLoader): pass
            Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != 'tag:yaml.org,2002:timestamp']
                                             for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft202012Validator(schema)
            for path in sys.argv[2:]:
                errors = sorted(validator.iter_errors(yaml.load(open(path), Loader=Loader)), key=lambda e: list(e.path))
                print(errors[0].message if errors else "ok")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, Self.committed.path] + files
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 with PyYAML and jsonschema is needed (.ci/install-deps): \(problem)")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func theBundledPlaybooksAreValidAndAMisspeltKeyIsNot() throws {
        let playbooks = try FileManager.default.contentsOfDirectory(
            at: Fixture.repositoryRoot.appendingPathComponent("Playbooks"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.map(\.path).sorted()
        #expect(playbooks.count >= 2)
        let misspelt = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID()).yaml")
        let text = try String(contentsOfFile: playbooks[0], encoding: .utf8)
            .replacingOccurrences(of: "    gate:", with: "    gait:")
        try text.write(to: misspelt, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: misspelt) }
        let results = try validate(playbooks + [misspelt.path])
        #expect(results.count == playbooks.count + 1)
        #expect(results.dropLast().allSatisfy { $0 == "ok" }, "\(zip(playbooks, results).filter { $0.1 != "ok" })")
        #expect(results.last?.contains("'gait'") == true, "\(results.last ?? "")")
    }
}
