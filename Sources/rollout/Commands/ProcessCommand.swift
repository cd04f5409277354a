import ArgumentParser
import CRMCore
import Engine
import Foundation
import RolloutKit

struct ProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Business processes on CRM records: where they stand, users' actions, measurements.",
        subcommands: [ProcessStatus.self, ProcessAct.self, ProcessStatsCommand.self],
        defaultSubcommand: ProcessStatus.self)
}

struct ProcessStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Each running process: records by state, open timers, SLA breaches, escalations.")

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let overview = try workspace.session().processDesk().overview()
            try output.emit(overview) { o in
                var lines: [String] = []
                if o.activations.isEmpty {
                    lines.append("no process runs yet: a phase starts one with the action `process.start: { process: ID }`")
                }
                for a in o.activations {
                    let who = a.pilotGroupID.map { "pilot group \($0)" } ?? "everyone"
                    let period = "since \(a.startedAt.dateString)" + (a.endedAt.map { ", no new records since \($0.dateString)" } ?? "")
                    lines.append("\(a.processID) (\(a.variant == "to_be" ? "to-be" : "as-is"), \(a.entity) records of \(who), \(period))")
                    lines.append(Terminal.table(a.states.map { ["\($0.state)", "\($0.open) open", "\($0.records - $0.open) ended here"] }))
                    lines.append("  \(a.openTimers) open timers, \(a.slaBreaches) SLA breaches, \(a.escalations) escalations")
                }
                lines.append("queue: \(o.queuedChanges) CRM changes waiting"
                             + (o.nextTimerAt.map { "; next timer \($0.description)" } ?? "")
                             + (o.worker.map { "; worker \($0) holds the lease" } ?? "; no worker running"))
                return lines.joined(separator: "\n")
            }
        }
    }
}

struct ProcessAct: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "act",
        abstract: "Take a user's action on a record (a transition with `action:`).",
        discussion: """
            The record moves along the first transition from its state with this action whose role \
            (`by:`) the user holds and whose guard holds; its effects run in the same transaction.

            Example: rollout process act lead:42 qualify --as wang.fang@example.com
            """)

    @Argument(help: ArgumentHelp("The record, as ENTITY:ID.", valueName: "entity:id"))
    var record: String

    @Argument(help: "The action, as the process model names it (qualify, convert, …).")
    var action: String

    @Option(name: .customLong("as"), help: ArgumentHelp("The user taking the action (e-mail or id).", valueName: "user"))
    var user: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let parts = record.split(separator: ":")
            guard parts.count == 2, let id = Int64(parts[1]) else {
                throw ValidationError("the record is ENTITY:ID, such as lead:42, not '\(record)'")
            }
            let moves = try workspace.session().processDesk()
                .act(entity: String(parts[0]), recordID: id, action: action, user: user, at: try workspace.clock().now)
            try output.emit(moves) { $0.joined(separator: "\n") }
        }
    }
}
