import ArgumentParser
import CRMCore
import Engine
import Foundation
import RolloutKit

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the business processes: queued CRM changes and due timers, in time order.",
        discussion: """
            Every CRM change to a record in a running process (`process.start` in the playbook) is \
            queued in the same transaction as the change; the worker moves each record along the \
            process model, fires SLA, escalation and `after:` timers, assigns records and queues \
            notifications in the outbox. Each batch is one transaction: kill the worker at any \
            moment and the next run finishes the work exactly once.

            Without --follow it works until nothing is due and exits: by the machine's clock, or, \
            with --until (or --as-of), on a virtual clock up to that moment (a simulated month runs \
            in seconds). With --follow it keeps running, polling for new work.

            Several workers may run on one workspace: one holds the lease and works, the others \
            wait and take over when it stops or its lease (--lease-seconds) expires.

            Examples:
              rollout worker --until 2025-07-01
              rollout worker --follow
            """)

    @Option(help: ArgumentHelp("Work on a virtual clock up to this moment (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ).",
                               valueName: "date"))
    var until: String?

    @Flag(help: "Keep running: process new work as it arrives (stop with Ctrl-C).")
    var follow = false

    @Option(help: "Changes and timers per transaction.")
    var batch = 500

    @Option(name: .customLong("lease-seconds"), help: "How long the lease lasts without renewal.")
    var leaseSeconds = 30.0

    @Flag(help: "Print progress after each batch to stderr.")
    var progress = false

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard leaseSeconds > 0 else { throw ValidationError("--lease-seconds must be more than 0") }
        if follow && (until != nil || workspace.asOf != nil) {
            throw ValidationError("--follow works on the machine's clock; leave out --until and --as-of")
        }
    }

    func run() throws {
        try Terminal.failing {
            var worker = try workspace.session().processWorker()
            worker.batchSize = batch
            worker.leaseSeconds = leaseSeconds
            let started = Date()
            let report: (ProcessWorker.Report) -> Void = { r in
                guard progress || follow else { return }
                FileHandle.standardError.write(Data(
                    "worker: \(r.changes) changes, \(r.timers) timers, \(r.transitions) transitions in \(r.batches) batches\n".utf8))
            }
            if follow { try worker.follow(progress: report) }
            let horizon = try until.map { try Timestamp(parsing: $0) } ?? workspace.asOf.map { try Timestamp(parsing: $0) }
            let result = try worker.run(until: horizon, progress: report)
            let seconds = Date().timeIntervalSince(started)
            try output.emit(WorkerSummary(report: result, seconds: seconds)) { s in
                let rate = s.seconds > 0 ? Int(Double(s.report.transitions) / s.seconds) : 0
                return "processed \(s.report.changes) CRM changes and \(s.report.timers) timers: "
                    + "\(s.report.transitions) transitions in \(s.report.batches) batches, "
                    + String(format: "%.2f s (%d transitions/s)", s.seconds, rate)
                    + (s.report.waitedSeconds >= 0.5 ? String(format: "; waited %.1f s for another worker's lease", s.report.waitedSeconds) : "")
            }
        }
    }
}

struct WorkerSummary: Encodable {
    var report: ProcessWorker.Report
    var seconds: Double
}
