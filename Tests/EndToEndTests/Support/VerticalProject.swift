import Foundation
import RolloutTesting
import Testing

/// A vertical's playbook run on a copy of the seeded demo workspace, with the vertical's plugin
/// built by this package (`.build/…/libRollout<Product>.so`) and installed from `Plugins/<Folder>`.
/// `advance` does what the project's people would: it runs, marks every open task done, and
/// runs again, until the project stops for something else (a gate's decision, the end).
struct VerticalProject {
    let dir: TemporaryDirectory
    let db: String
    let playbook: String

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    init(plugin folder: String, product: String, playbook: String) throws {
        dir = try TemporaryDirectory("vertical-\(folder.lowercased())")
        db = try E2E.seededWorkspace(in: dir) + "/rollout.sqlite"
        self.playbook = Self.root.appendingPathComponent("Playbooks/\(playbook)").path
        let library = URL(fileURLWithPath: E2E.binary.path).deletingLastPathComponent()
            .appendingPathComponent("libRollout\(product).so").path
        try #require(FileManager.default.fileExists(atPath: library), "swift build makes \(library)")
        let installed = try rollout(["plugin", "install", Self.root.appendingPathComponent("Plugins/\(folder)").path,
                                     "--library", library])
        try #require(installed.status == 0, "\(installed.stderr)")
    }

    @discardableResult
    func rollout(_ arguments: [String], environment: [String: String] = [:]) throws -> RolloutBinary.Result {
        try E2E.binary.run(arguments + ["--db", db], environment: environment)
    }

    /// Runs at `date` (starting the project with the playbook the first time), marks open tasks
    /// done at `tasksDoneAt` (default `date`) and runs again then, until the run stops for
    /// another reason. Returns the outcome and every step.
    func advance(_ date: String, tasksDoneAt: String? = nil) throws -> (outcome: [String: Any], steps: [String]) {
        var steps: [String] = []
        let started = try sql("SELECT count(*) FROM projects") != "0"
        var arguments = ["run", "--as-of", date, "--json"] + (started ? [] : [playbook])
        while true {
            let run = try rollout(arguments)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
                                      "run at \(date): \(run.stdout)\(run.stderr)")
            steps += parsed["steps"] as? [String] ?? []
            let outcome = parsed["outcome"] as? [String: Any] ?? [:]
            guard let waiting = outcome["waitingForTasks"] as? [String: Any] else { return (outcome, steps) }
            let when = tasksDoneAt ?? date
            for task in waiting["taskIDs"] as? [String] ?? [] {
                let done = try rollout(["task", "done", task, "--by", "Test Person", "--as-of", when])
                try #require(done.status == 0, "\(done.stderr)")
            }
            arguments = ["run", "--as-of", when, "--json"]
        }
    }

    /// Every missing role votes go on the gate of `phase`; `people` names who holds a role the
    /// playbook gives members (anyone may vote for a role without members).
    func approve(_ phase: String, roles: [String], date: String, note: String = "agreed",
                 people: [String: String] = [:]) throws {
        for role in roles {
            let vote = try rollout(["approve", phase, "--by", people[role] ?? "Test Person", "--role", role, "--decision", "go",
                                    "--note", note, "--as-of", date])
            try #require(vote.status == 0, "\(vote.stdout)\(vote.stderr)")
        }
    }

    /// The gate criteria of `phase` as `status --json` reports them: criterion → (status, detail).
    func criteria(_ phase: String, date: String) throws -> [String: (status: String, detail: String)] {
        let status = try rollout(["status", "--json", "--as-of", date])
        let parsed = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let phases = parsed?["phases"] as? [[String: Any]] ?? []
        let gate = phases.first { $0["id"] as? String == phase }?["gate"] as? [String: Any]
        var result: [String: (String, String)] = [:]
        for criterion in gate?["criteria"] as? [[String: Any]] ?? [] {
            result[criterion["criterion"] as? String ?? ""] = (criterion["status"] as? String ?? "",
                                                              criterion["detail"] as? String ?? "")
        }
        return result
    }

    func sql(_ query: String) throws -> String {
        try E2E.sql(db, query)
    }
}
