import ArgumentParser
import Foundation
import Engine
import RolloutKit

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "List the project's tasks or mark one done.",
        subcommands: [TaskList.self, TaskDone.self],
        defaultSubcommand: TaskList.self)
}

struct TaskList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List open tasks (--all: every task).")

    @Flag(help: "Include done tasks.")
    var all = false

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let session = try workspace.session()
            let tasks = try session.tasks(includeDone: all)
            if output.json { return try Terminal.json(tasks) }
            if tasks.isEmpty { print(all ? "no tasks yet" : "no open tasks") }
            print(Terminal.table(tasks.map { t in
                [t.status == "done" ? "✔" : "·", t.taskId, t.phaseId, t.ownerRole,
                 t.status == "done" ? "done \(t.doneAt?.dateString ?? "") by \(t.doneBy ?? "")" : "due \(t.dueAt?.dateString ?? "-")",
                 t.name]
            }, indent: ""))
        }
    }
}

struct TaskDone: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Mark a task done (its deliverable counts as delivered).",
        discussion: "Example: rollout task done define-goals-and-scope --by \"Zhou Min\"")

    @Argument(help: "The task id.")
    var task: String

    @Option(help: "Who did it (default: $USER).")
    var by: String?

    @Option(help: "A note for the record.")
    var note: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
            let session = try workspace.session()
            try output.emit(try session.completeTask(task, by: who, note: note, clock: try workspace.clock()), \.message)
        }
    }
}
