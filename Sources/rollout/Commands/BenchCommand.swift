import ArgumentParser
import CRMCore
import Foundation
import RolloutKit

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Rollout's speed on generated data and print the figures.",
        discussion: """
            `rollout bench` generates the demo CRM at a scale, then times: the seed, compiling the bundled playbook, one KPI snapshot as a gate takes it, and the whole demo project. It also writes the KPI snapshot's SQL with its parameters inlined, so the sqlite3 shell can run the same queries as the raw floor. docs/benchmarks.md records the figures and how they compare with the floors.

            Examples:
              rollout bench --scale medium
              rollout bench kpi --db DIR/rollout.sqlite --repeat 20 --emit-sql floor.sql
              rollout bench playbook Playbooks/standard-nine-phase.yaml --repeat 200
            """,
        subcommands: [BenchAll.self, BenchKPI.self, BenchPlaybook.self, BenchImport.self, BenchProcesses.self],
        defaultSubcommand: BenchAll.self)

    static func print(_ figures: [Benchmark.Figure], json: Bool) throws {
        if json { return try Terminal.json(figures) }
        Swift.print(Terminal.table([["figure", "time", "throughput", "what"]] + figures.map { f in
            let time = f.seconds >= 1 ? String(format: "%.2f s", f.seconds) : String(format: "%.2f ms", f.seconds * 1000)
            let rate = f.perSecond.map { String(format: "%.0f %@/s", $0, f.unit ?? "") } ?? ""
            return [f.name, time + (f.iterations > 1 ? " each (×\(f.iterations))" : ""), rate, f.note]
        }, indent: ""))
    }
}

struct BenchAll: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Every figure (the default).")

    @OptionGroup var data: DemoDataOptions

    @Option(help: "Where the workspace and the floor SQL go (default: a new temporary directory).")
    var dir: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let directory = dir ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("rollout-bench-\(ProcessInfo.processInfo.processIdentifier)").path
            let bench = Benchmark()
            let databasePath = URL(fileURLWithPath: directory).appendingPathComponent("rollout.sqlite").path
            let (workspace, seed) = try bench.seed(scale: data.scale, seed: data.seed, databasePath: databasePath)
            let playbook = try ResourceLocator.playbooks().path(of: "standard-nine-phase.yaml")
            let compile = try bench.compilePlaybook(at: playbook, repeat: 100)
            let floor = URL(fileURLWithPath: directory).appendingPathComponent("kpi-floor.sql").path
            let kpi = try bench.measureKPIs(workspace, at: nil, repeat: 20, floorSQL: floor)
            let project = try bench.runProject(directory: directory, scale: data.scale, seed: data.seed)
            try BenchCommand.print([seed, compile, kpi, project], json: output.json)
            if !output.json {
                print("")
                print("workspace: \(databasePath)")
                print("raw floor: sqlite3 \(databasePath) < \(floor)   (the same KPI SQL, 20 snapshots)")
            }
        }
    }
}

struct BenchKPI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpi", abstract: "Time KPI snapshots on a workspace holding the demo CRM.")

    @Option(help: "The workspace database (the demo's, or one made by `rollout demo seed`).")
    var db: String

    @Option(help: "The moment measured (default: the demo's pilot gate).")
    var at: String?

    @Option(help: "How many snapshots to take.")
    var `repeat`: Int = 20

    @Option(name: .customLong("emit-sql"), help: "Write the same queries, parameters inlined, to this file.")
    var emitSQL: String?

    @Flag(help: "Measure every metric of the catalog (30-day window) on the pilot and the control group, instead of the bundled playbook's KPIs.")
    var catalog = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let workspace = try Workspace.open(databasePath: db)
            let figure = try Benchmark().measureKPIs(workspace, at: try at.map(Timestamp.init(parsing:)), repeat: self.repeat,
                                                      floorSQL: emitSQL, wholeCatalog: catalog)
            try BenchCommand.print([figure], json: output.json)
        }
    }
}

struct BenchPlaybook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playbook", abstract: "Time compiling a playbook (parse, model, validation).",
        discussion: """
            With --generate N, first writes FILE: a valid multi-country rollout playbook (the nine phases per country, 8 tasks each): 64 countries make about 1 MB. Time `rollout check FILE` against the libyaml floor (Benchmarks/yaml-parse-floor.c), as docs/benchmarks.md does:

              rollout bench playbook /tmp/big.yaml --generate 64 --repeat 5
              cc -O2 -o /tmp/yaml-parse-floor Benchmarks/yaml-parse-floor.c -lyaml
              farm-bench -n 21 --vs '/tmp/yaml-parse-floor /tmp/big.yaml 1' -- rollout check /tmp/big.yaml
            """)

    @Argument(help: "The playbook file.")
    var file: String

    @Option(help: "How many compiles.")
    var `repeat`: Int = 100

    @Option(help: "Write a generated playbook with this many countries to FILE first.")
    var generate: Int?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            if let generate {
                guard generate >= 1 else { throw ValidationError("--generate needs at least 1 country") }
                let text = PlaybookGenerator(countries: generate).text()
                try text.write(toFile: file, atomically: true, encoding: .utf8)
                if !output.json { print("wrote \(file): \(text.utf8.count) bytes, \(generate * 9) phases, \(generate * 72) tasks") }
            }
            try BenchCommand.print([try Benchmark().compilePlaybook(at: file, repeat: self.repeat)], json: output.json)
        }
    }
}

struct BenchImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Time importing generated contacts from CSV, against the sqlite3 shell's .import.",
        discussion: """
            Writes DIR/contacts.csv (--rows contacts, unique e-mail and phone), imports it into a new
            workspace DIR/import.sqlite with duplicate detection on, and writes DIR/floor.sql, which
            the sqlite3 shell runs on DIR/floor.sqlite (a second new workspace: same table, same
            indexes) as the raw floor:

              rollout bench import --rows 1000000 --dir /tmp/ib
              sqlite3 /tmp/ib/floor.sqlite < /tmp/ib/floor.sql
            """)

    @Option(help: "How many contacts.") var rows = 1_000_000
    @Option(help: "Where the files go (default: a new temporary directory).") var dir: String?
    @Flag(name: .customLong("prepare-only"), help: "Write the CSV, the two empty workspaces and the floor script; import nothing.")
    var prepareOnly = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let directory = dir ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("rollout-bench-import-\(ProcessInfo.processInfo.processIdentifier)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let csv = directory + "/contacts.csv"
            let bench = Benchmark()
            if !FileManager.default.fileExists(atPath: csv) { try bench.writeContactsCSV(rows: rows, to: csv) }
            for name in ["import.sqlite", "floor.sqlite"] {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory + "/" + name + suffix) }
            }
            let workspace = try Workspace.openOrCreate(databasePath: directory + "/import.sqlite")
            _ = try Workspace.openOrCreate(databasePath: directory + "/floor.sqlite")
            try Benchmark.importFloorScript(csv: csv).write(toFile: directory + "/floor.sql", atomically: true, encoding: .utf8)
            if prepareOnly {
                print("prepared \(directory): contacts.csv, import.sqlite, floor.sqlite, floor.sql")
                return
            }
            let figure = try bench.importContacts(workspace, csv: csv)
            try BenchCommand.print([figure], json: output.json)
            if !output.json {
                print("\nraw floor: sqlite3 \(directory)/floor.sqlite < \(directory)/floor.sql")
            }
        }
    }
}

struct BenchProcesses: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "processes",
        abstract: "Time the process worker on generated lead work, with and without many open timers.",
        discussion: """
            Writes a new workspace (DIR/processes.sqlite): 20 sales reps, a lead process with round-robin
            assignment, SLA, escalation and an `after:` timer, and --days of lead work (--leads-per-day);
            then times `rollout worker` over it. With --open-timers N, N more timers due far in the future
            are open while it runs. --model plain runs a process of plain transitions instead (a lead is
            created, set contacted, set qualified, closed a day later by a timer: four transitions).

              rollout bench processes --days 30 --leads-per-day 1000 --open-timers 100000
            """)

    @Option(help: "Days of lead work.") var days = 30
    @Option(name: .customLong("leads-per-day"), help: "Leads a day.") var leadsPerDay = 200
    @Option(name: .customLong("open-timers"), help: "Extra open timers (0: none).") var openTimers = 0
    @Option(help: "Changes and timers per transaction.") var batch = 500
    @Option(help: "Where the workspace goes (default: a temporary directory).") var dir: String?
    @Option(help: ArgumentHelp("lead (assignment, SLAs, escalation) or plain (four transitions a lead, nothing else).",
                               valueName: "model"))
    var model = "lead"
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard Benchmark.ProcessModelKind(rawValue: model) != nil else {
            throw ValidationError("--model is lead or plain, not '\(model)'")
        }
    }

    func run() throws {
        try Terminal.failing {
            let directory = dir ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("rollout-bench-processes-\(ProcessInfo.processInfo.processIdentifier)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let figure = try Benchmark().processes(databasePath: directory + "/processes.sqlite", days: days,
                                                   leadsPerDay: leadsPerDay, openTimers: openTimers, batch: batch,
                                                   model: Benchmark.ProcessModelKind(rawValue: model)!)
            try BenchCommand.print([figure], json: output.json)
        }
    }
}
