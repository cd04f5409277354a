import ArgumentParser
import CRMCore
import Evaluation
import Foundation
import RolloutKit

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The main job: seed a CRM, run the nine-phase playbook end to end, write the evaluation.",
        discussion: """
            Creates DIR/rollout.sqlite with a deterministic CRM (two sales and two service teams, twelve months of history; East is the pilot, West the control), runs Playbooks/standard-nine-phase.yaml from preparation to support on a virtual clock with scripted tasks, gate decisions and lessons, and writes DIR/evaluation.html, .md and .json.

            On a DIR holding an unfinished demo (one killed half-way) it resumes and finishes it; on a finished one it says so and changes nothing. Afterwards every command works on the result:
              rollout status --db rollout-demo/rollout.sqlite
            """,
        subcommands: [DemoRun.self, DemoSeed.self, DemoTraffic.self],
        defaultSubcommand: DemoRun.self)
}

struct DemoRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the whole demo (the default of `rollout demo`).")

    @Option(help: "The demo's directory: its workspace database and reports go there.")
    var out: String = "rollout-demo"

    @OptionGroup var data: DemoDataOptions

    @Option(help: "A directory of templates to use before the bundled ones.")
    var templates: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let started = Date()
            let runner = DemoRunner(options: .init(directory: out, scale: data.scale, seed: data.seed,
                                                   templates: .templates(explicit: templates, workspaceDirectory: out)))
            let result = try runner.run(progress: { line in if !output.json { print(line) } })
            if output.json { return try Terminal.json(result) }
            let r = result.report
            if result.alreadyFinished {
                print("The demo in \(out) is already finished; nothing changed.")
            }
            print("")
            print("Project \(r.project.id): \(r.project.status), \(r.phases.filter { $0.status == "completed" }.count) of "
                + "\(r.phases.count) phases, \(r.phases.map { max(0, $0.attempts.count - 1) }.reduce(0, +)) rework(s), "
                + "\(r.lessons.count) lessons")
            for k in r.pilotKPIs {
                // Differences of rates are percentage points.
                let unit = k.unit == "%" ? "pp" : k.unit
                let did = k.differenceInDifferences.map { String(format: "%+.1f %@", $0, unit) } ?? "n/a"
                print("  \(k.name): pilot vs control difference in differences \(did)")
            }
            if let roi = r.roi {
                let money = { (v: Double) in Money(major: v, currency: roi.currency).formatted }
                print("  NPV \(money(roi.npv)), ROI \(roi.roiPercent.map { String(format: "%.0f %%", $0) } ?? "n/a"), "
                    + "payback \(roi.paybackMonths.map { String(format: "%.1f months", $0) } ?? "beyond the horizon")")
            }
            if let recommendation = r.recommendation {
                print("  Recommendation \(recommendation.decision.rawValue), " + (recommendation.committeeDecision.map {
                    "committee decided \($0.rawValue)"
                } ?? "committee has not decided") + " (reasons in the report)")
            }
            print("")
            print("Evaluation: \(result.reports.first ?? "")")
            for path in result.reports.dropFirst() { print("            \(path)") }
            print("Workspace:  \(result.databasePath)   (try: rollout status --db \(result.databasePath))")
            if !result.alreadyFinished { print(String(format: "Finished in %.1f s", Date().timeIntervalSince(started))) }
        }
    }
}

struct DemoSeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load the deterministic demo CRM into a workspace (no project is started).",
        discussion: """
            The data follows the bundled playbook's timeline from a project start on 2025-03-03: twelve months of history, the East teams change behaviour when the pilot is planned to start, everyone at the planned cut-over. Seeding twice with the same --seed and --scale changes nothing.

            Example: rollout init acme && rollout demo seed --db acme/rollout.sqlite --scale medium --seed 7
            """)

    @OptionGroup var data: DemoDataOptions

    @Option(help: ArgumentHelp("The workspace database, created if missing (default: $ROLLOUT_DB, else ./rollout.sqlite).",
                               valueName: "path"))
    var db: String?

    func run() throws {
        try Terminal.failing {
            let ws = try Workspace.openOrCreate(databasePath: Workspace.databasePath(option: db))
            let summary = try DemoRunner.seedOnly(ws, scale: data.scale, seed: data.seed)
            print(summary)
        }
    }
}

struct DemoTraffic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traffic",
        abstract: "Write generated lead work through the CRM, to try the business processes on.",
        discussion: """
            Leads arrive in working hours and go to the sales reps (users with job role sales_rep, \
            or the members of --team); most get a first call some hours later; some are later \
            qualified or disqualified. Every change goes through the CRM like a user's, so it is \
            audited and queued for the process runtime; `rollout worker --until DATE` then runs \
            the processes on it. Each run writes new records: run it once per period.

            Example: rollout demo traffic --from 2025-03-03 --days 30 --leads-per-day 40 && rollout worker --until 2025-04-15
            """)

    @Option(help: ArgumentHelp("The first day (YYYY-MM-DD).", valueName: "date"))
    var from: String

    @Option(help: "How many days.")
    var days = 30

    @Option(name: .customLong("leads-per-day"), help: "New leads per day.")
    var leadsPerDay = 40

    @Option(help: "The random seed: the same seed writes the same traffic.")
    var seed: UInt64 = 7

    @Option(help: ArgumentHelp("Give the leads to this team's members (repeatable).", valueName: "name"))
    var team: [String] = []

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard days >= 1, leadsPerDay >= 1 else { throw ValidationError("--days and --leads-per-day must be at least 1") }
    }

    func run() throws {
        try Terminal.failing {
            let ws = try Workspace.open(databasePath: workspace.databasePath)
            let traffic = DemoLeadTraffic(start: try Timestamp(parsing: from), days: days, leadsPerDay: leadsPerDay, seed: seed)
            let owners = try ws.database.read { db in try DemoLeadTraffic.owners(teams: team, db) }
            guard !owners.isEmpty else {
                throw ValidationError(team.isEmpty ? "the workspace has no active sales reps to give leads to; name a --team"
                                                   : "no active users in team \(team.joined(separator: ", "))")
            }
            var total = DemoLeadTraffic.Summary()
            for day in 0..<days {
                let summary = try ws.database.write { db in try traffic.write(day: day, owners: owners, db) }
                total.add(summary)
            }
            try output.emit(total) { s in
                "wrote \(s.leads) leads, \(s.activities) first calls and \(s.statusChanges) status changes over \(days) days "
                    + "for \(owners.count) sales reps"
            }
        }
    }
}
