import ArgumentParser
import CRMCore
import Foundation
import RolloutMetrics
import RolloutKit

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Take a KPI snapshot on demand; list, show and follow snapshots over time.",
        discussion: """
            The engine takes a snapshot at the baseline, at each phase start and at each gate; `take` adds one whenever you want (a monthly review). Every snapshot measures every KPI on everyone, the pilot and the control group, and is fixed by the SHA-256 of its content.

            Examples:
              rollout snapshot take --label q3-review --db rollout-demo/rollout.sqlite
              rollout snapshot trend lead_response_hours --db rollout-demo/rollout.sqlite
            """,
        subcommands: [SnapshotTake.self, SnapshotList.self, SnapshotShow.self, SnapshotTrend.self],
        defaultSubcommand: SnapshotList.self)

    static func value(_ v: Double?) -> String {
        guard let v else { return "n/a" }
        return abs(v) >= 100 ? String(format: "%.0f", v) : String(format: "%.2f", v)
    }

    static func describe(_ s: KPISnapshot) -> String {
        var lines = ["\(s.label)  taken \(s.takenAt.iso8601)  sha256 \(s.contentSHA256)"]
        var rows = [["KPI", "group", "value", "n", "window"]]
        for m in s.measurements {
            rows.append([m.kpiID, m.group.description, value(m.value), "\(m.sampleSize)",
                         "\(m.windowFrom.dateString) … \(m.windowTo.dateString)"])
        }
        lines.append(Terminal.table(rows))
        return lines.joined(separator: "\n")
    }
}

struct SnapshotTake: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "take", abstract: "Measure every KPI now and keep it as an on-demand snapshot.")

    @Option(help: "A word naming it (stored as on-demand:LABEL); default: on-demand:N.")
    var label: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let snapshot = try workspace.session().takeSnapshot(label: label, clock: try workspace.clock())
            try output.emit(snapshot, SnapshotCommand.describe)
        }
    }
}

struct SnapshotList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the project's snapshots.")

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    struct Entry: Encodable {
        var label: String
        var phaseID: String?
        var takenAt: Timestamp
        var contentSHA256: String
        var measurements: Int
    }

    func run() throws {
        try Terminal.failing {
            let entries = try workspace.session().snapshots().map {
                Entry(label: $0.label, phaseID: $0.phaseID, takenAt: $0.takenAt, contentSHA256: $0.contentSHA256,
                      measurements: $0.measurements.count)
            }
            try output.emit(entries) { entries in
                entries.isEmpty ? "no snapshots yet" : Terminal.table([["label", "taken", "measurements", "sha256"]]
                    + entries.map { [$0.label, $0.takenAt.iso8601, "\($0.measurements)", String($0.contentSHA256.prefix(16))] })
            }
        }
    }
}

struct SnapshotShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one snapshot's measurements and its hash.")

    @Argument(help: "Its label: baseline, gate:PHASE:ATTEMPT, on-demand:N (or just N), outcome:N.")
    var label: String

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            try output.emit(try workspace.session().snapshot(label), SnapshotCommand.describe)
        }
    }
}

struct SnapshotTrend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend", abstract: "One KPI across every snapshot, per group.")

    @Argument(help: "The KPI's id in the playbook.")
    var kpi: String

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let trends = try workspace.session().trend(kpiID: kpi)
            try output.emit(trends) { trends in
                guard let first = trends.first else { return "no snapshot has measured \(kpi) yet" }
                var rows = [["snapshot", "taken"] + trends.map(\.group)]
                for (index, point) in first.points.enumerated() {
                    rows.append([point.label, point.takenAt.dateString] + trends.map { trend in
                        index < trend.points.count ? SnapshotCommand.value(trend.points[index].value) : ""
                    })
                }
                return Terminal.table(rows)
            }
        }
    }
}
