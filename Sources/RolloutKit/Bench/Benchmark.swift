import CRMCore
import Engine
import Foundation
import GRDB
import RolloutMetrics
import Playbook

/// The figures `rollout bench` measures, each with what it is compared against.
///
/// Times are wall-clock, measured in the process with a monotonic clock around the work alone
/// (no process start, no printing). docs/benchmarks.md records them with whole-process figures.
public struct Benchmark: Sendable {
    public struct Figure: Sendable, Codable {
        public var name: String
        /// Seconds for one iteration.
        public var seconds: Double
        public var iterations: Int
        /// Work per iteration in `unit`s (rows, queries, phases), when it makes sense.
        public var work: Double?
        public var unit: String?
        public var note: String

        public var perSecond: Double? { work.map { $0 / seconds } }
    }

    public init() {}

    static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let value = try body()
        let elapsed = ContinuousClock.now - start
        return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Generates the demo CRM at `scale` into a new workspace at `databasePath`.
    public func seed(scale: DemoScale, seed: UInt64, databasePath: String) throws -> (Workspace, Figure) {
        if FileManager.default.fileExists(atPath: databasePath) {
            throw DemoError("\(databasePath) exists; the seed benchmark needs a new file (remove it or pick another --dir)")
        }
        let workspace = try Workspace.openOrCreate(databasePath: databasePath)
        let playbook = try DemoRunner.bundledPlaybook(workspace)
        let plan = DemoRunner(options: .init(scale: scale, seed: seed)).plan(for: playbook)
        let (summary, seconds) = try Self.time {
            try workspace.database.write { db in
                try DemoDataGenerator(plan: plan).generate(into: db, createdAt: plan.historyStart)
            }
        }
        return (workspace, Figure(name: "seed \(scale.rawValue)", seconds: seconds, iterations: 1,
                                  work: Double(summary.totalRows), unit: "rows",
                                  note: "demo CRM generated and committed in one transaction (WAL, synchronous=FULL)"))
    }

    /// Compiles `path` `repeat` times (YAML parse with Yams/libyaml, model, validation).
    public func compilePlaybook(at path: String, repeat count: Int) throws -> Figure {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let compiler = PlaybookCompiler(context: Workspace.builtInPlaybookContext)
        let (_, seconds) = Self.time {
            for _ in 0..<count { _ = compiler.compile(text: text, path: path) }
        }
        return Figure(name: "compile playbook", seconds: seconds / Double(count), iterations: count,
                      work: Double(text.utf8.count) / 1024, unit: "KiB",
                      note: "\(URL(fileURLWithPath: path).lastPathComponent): parse, build the model, validate every reference")
    }

    /// Measures every KPI of the bundled playbook on all, pilot and control at `at` (default:
    /// the demo's pilot gate), `repeat` times, as a gate does; and writes the same queries,
    /// parameters inlined, to `floorSQL` so the sqlite3 shell can run exactly that SQL as the raw floor.
    ///
    /// With `wholeCatalog`, the playbook's KPIs are replaced by one KPI per metric of the catalog
    /// (a 30-day window, the metric's own aggregate) measured on the pilot and the control group:
    /// the full snapshot issue #6 sets a target for.
    public func measureKPIs(_ workspace: Workspace, at requested: Timestamp?, repeat count: Int, floorSQL: String?,
                            wholeCatalog: Bool = false) throws -> Figure
    {
        var playbook = try DemoRunner.bundledPlaybook(workspace)
        let at = requested ?? DemoRunner.plannedPilotGate(of: playbook) ?? DemoRunner.projectStart
        let measurer = KPIMeasurer(catalog: workspace.catalog)
        var groups = try workspace.database.read { db in try MeasuredGroups().resolve(playbook, db) }
        if wholeCatalog {
            let here = SourceLocation(file: "bench", line: 1, column: 1)
            playbook.kpis = workspace.catalog.metrics.map { metric in
                KPIDefinition(id: metric.id, name: metric.name, metric: Reference(metric.id, at: here), windowDays: 30,
                              direction: metric.naturalDirection, location: here)
            }
            groups = groups.filter { $0.0 != .all }
        }
        var queries = 0
        let (_, seconds) = try Self.time {
            for _ in 0..<count {
                try workspace.database.read { db in
                    for kpi in playbook.kpis {
                        for (key, users) in groups {
                            _ = try measurer.measure(kpi, users: users, group: key, at: at, db)
                            queries += 1
                        }
                    }
                }
            }
        }
        if let floorSQL {
            var script = ""
            for _ in 0..<count {
                for kpi in playbook.kpis {
                    guard let metric = kpi.metric.flatMap({ workspace.catalog.metric($0.id) }) else { continue }
                    for (_, users) in groups {
                        script += Self.inline(metric.sql, from: at.adding(days: -kpi.windowDays), to: at, users: users) + ";\n"
                    }
                }
            }
            try script.write(toFile: floorSQL, atomically: true, encoding: .utf8)
        }
        return Figure(name: "KPI snapshot", seconds: seconds / Double(count), iterations: count,
                      work: Double(queries / count), unit: "queries",
                      note: "\(playbook.kpis.count) KPIs × \(groups.count) groups (\(groups.map { $0.0.side.rawValue }.joined(separator: ", "))) "
                        + "at \(at.dateString), values fetched and aggregated")
    }

    /// The metric's SQL with its parameters written in as literals (benchmark output only).
    static func inline(_ sql: String, from: Timestamp, to: Timestamp, users: [Int64]) -> String {
        sql.replacingOccurrences(of: ":from", with: String(from.secondsSinceEpoch))
            .replacingOccurrences(of: ":to", with: String(to.secondsSinceEpoch))
            .replacingOccurrences(of: ":users", with: "'[" + users.map(String.init).joined(separator: ",") + "]'")
            .replacingOccurrences(of: ":working_days", with: String(max(1, KPIMeasurer.workingDays(from: from, to: to))))
    }

    /// Runs the whole demo project (engine, metrics, lessons, reports) on a seeded workspace.
    public func runProject(directory: String, scale: DemoScale, seed: UInt64) throws -> Figure {
        let runner = DemoRunner(options: .init(directory: directory, scale: scale, seed: seed))
        let (result, seconds) = try Self.time { try runner.run() }
        return Figure(name: "run the project", seconds: seconds, iterations: 1,
                      work: Double(result.report.phases.count), unit: "phases",
                      note: "nine phases on the virtual clock: tasks, gates with KPI snapshots, votes, lessons, three reports")
    }
}
