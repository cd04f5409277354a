import CRMCore
import Engine
import Evaluation
import Foundation
import GRDB
import RolloutMetrics
import Playbook

/// `rollout demo`: seeds a deterministic CRM, runs the bundled nine-phase playbook from
/// preparation to support on a virtual clock, and writes the steering committee's evaluation.
///
/// The runner is an autopilot playing the project team: it reads the engine's state, takes
/// the next action a team would take (finish the task that is due, evaluate the gate at the
/// planned end, vote, record the phase's lessons) at the planned time, and repeats. Because
/// every decision is derived from the stored state, a demo killed at any point resumes where it
/// stopped, and the same seed always gives the same workspace.
public struct DemoRunner: Sendable {
    public struct Options: Sendable {
        public var directory: String
        public var scale: DemoScale
        public var seed: UInt64
        /// nil: `Playbooks/standard-nine-phase.yaml`.
        public var playbookPath: String?
        public var templates: ResourceLocator

        public init(directory: String = "rollout-demo", scale: DemoScale = .small, seed: UInt64 = 42,
                    playbookPath: String? = nil, templates: ResourceLocator = .templates()) {
            self.directory = directory
            self.scale = scale
            self.seed = seed
            self.playbookPath = playbookPath
            self.templates = templates
        }
    }

    /// What the demo did.
    public struct Result: Sendable, Codable {
        public var directory: String
        public var databasePath: String
        /// True when DIR held a finished demo: nothing was changed.
        public var alreadyFinished: Bool
        /// True when DIR held an unfinished demo that this run completed.
        public var resumed: Bool
        public var reports: [String]
        public var report: EvaluationReport
    }

    /// The demo project's first day: a Monday. Fixed, so every demo is the same.
    public static let projectStart = Timestamp(year: 2025, month: 3, day: 3)

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public var databasePath: String {
        URL(fileURLWithPath: options.directory).appendingPathComponent(Workspace.databaseFileName).path
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> Result {
        let formats: [ReportFormat] = [.html, .md, .json, .xlsx]
        let reportPaths = formats.map {
            URL(fileURLWithPath: options.directory).appendingPathComponent("evaluation.\($0.fileExtension)").path
        }
        let existed = FileManager.default.fileExists(atPath: databasePath)
        let workspace = try Workspace.openOrCreate(databasePath: databasePath)
        let playbookPath = try options.playbookPath ?? ResourceLocator.playbooks().path(of: "standard-nine-phase.yaml")
        let state = try workspace.database.read { try ProjectState.load($0) }
        let writer = ReportWriter(templates: options.templates)

        if let state, state.project.status != "active",
           reportPaths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) {
            let session = try workspace.session(playbookPath: nil)
            return Result(directory: options.directory, databasePath: databasePath, alreadyFinished: true,
                          resumed: false, reports: reportPaths, report: try writer.report(session))
        }

        let session = try state == nil ? bundledSession(workspace, path: playbookPath) : workspace.session(playbookPath: nil)
        if existed { progress("Resuming the unfinished demo in \(options.directory)") }
        try seed(workspace, playbook: session.playbook, progress: progress)
        try drive(session, progress: progress)

        let report = try writer.report(session)
        let paths = try writer.write(report, formats: formats, to: options.directory)
        return Result(directory: options.directory, databasePath: databasePath, alreadyFinished: false,
                      resumed: existed, reports: paths, report: report)
    }

    /// The session for the bundled playbook, recorded under its repository-relative name
    /// (`Playbooks/standard-nine-phase.yaml`) so that demo workspaces are the same on every machine.
    func bundledSession(_ workspace: Workspace, path: String) throws -> ProjectSession {
        guard options.playbookPath == nil else { return try workspace.session(playbookPath: path) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try workspace.session(playbookText: text, displayPath: "Playbooks/" + URL(fileURLWithPath: path).lastPathComponent)
    }

    // MARK: - Seeding

    /// The demo data's plan, derived from the playbook's timeline: 12 months of history before
    /// the project; the pilot teams change when the pilot phase is planned to start, everyone at
    /// the planned cut-over; data runs 16 weeks past the planned end, room for reworks.
    func plan(for playbook: Playbook) -> DemoDataPlan {
        let (offsets, day) = Self.plannedStarts(of: playbook)
        let pilotPhase = playbook.phases.first { $0.pilot != nil }
        let goLivePhase = playbook.phases.first { $0.actions.contains { $0.name.id == "project.go-live" } }
        let start = Self.projectStart
        return DemoDataPlan(
            scale: options.scale, seed: options.seed,
            historyStart: start.adding(months: -12),
            end: start.adding(days: day + 16 * 7),
            pilotStart: start.adding(days: pilotPhase.flatMap { offsets[$0.id] } ?? day / 2),
            cutover: start.adding(days: goLivePhase.flatMap { offsets[$0.id] } ?? day * 3 / 4),
            currency: playbook.costs?.currency ?? "CNY")
    }

    /// Days from the project's start to each phase's planned start, and the planned length.
    static func plannedStarts(of playbook: Playbook) -> (starts: [String: Int], totalDays: Int) {
        var starts: [String: Int] = [:]
        var day = 0
        for phase in playbook.phases {
            starts[phase.id] = day
            day += phase.durationDays
        }
        return (starts, day)
    }

    /// When the demo evaluates the pilot's gate: the planned end of the first phase with a pilot.
    static func plannedPilotGate(of playbook: Playbook) -> Timestamp? {
        guard let phase = playbook.phases.first(where: { $0.pilot != nil }),
              let start = plannedStarts(of: playbook).starts[phase.id] else { return nil }
        return projectStart.adding(days: start + phase.durationDays)
    }

    func seed(_ workspace: Workspace, playbook: Playbook, progress: (String) -> Void) throws {
        let plan = plan(for: playbook)
        let done = try workspace.database.read { db in
            try Row.fetchOne(db, sql: "SELECT seed, scale FROM demo_seed_runs ORDER BY id LIMIT 1")
        }
        if let done {
            let seed: Int64 = done["seed"], scale: String = done["scale"]
            guard UInt64(bitPattern: seed) == plan.seed, scale == plan.scale.rawValue else {
                throw DemoError("""
                    \(options.directory) holds a demo seeded with --seed \(UInt64(bitPattern: seed)) --scale \(scale); \
                    use another --out directory for --seed \(plan.seed) --scale \(plan.scale.rawValue)
                    """)
            }
            return
        }
        progress("Seeding \(plan.scale.rawValue) demo CRM (seed \(plan.seed)): \(plan.historyStart.dateString) – \(plan.end.dateString)")
        let summary = try workspace.database.write { db in
            try DemoDataGenerator(plan: plan).generate(into: db, createdAt: plan.historyStart)
        }
        progress("  \(summary.totalRows) rows written")
    }

    // MARK: - Autopilot

    func drive(_ session: ProjectSession, progress: (String) -> Void) throws {
        let scenario = DemoScenario()
        let database = session.workspace.database
        var announcedPhase: String?
        // Each loop iteration commits one step; the bound only guards against a bug looping forever.
        for _ in 0..<10_000 {
            guard let state = try database.read({ try ProjectState.load($0) }) else {
                progress("Starting project '\(session.playbook.id)' on \(Self.projectStart.dateString) (virtual clock)")
                _ = try session.run(clock: .fixed(Self.projectStart))
                continue
            }
            guard state.project.status == "active" else {
                progress("Project \(state.project.status) on \(state.project.endedAt?.dateString ?? "?")")
                return
            }
            let now = state.project.lastEventAt
            guard let current = state.currentPhase, let phase = session.playbook.phase(current.phaseId) else {
                _ = try session.run(clock: .fixed(now))
                continue
            }
            if announcedPhase != phase.id, current.status != "pending" {
                progress("▶ \(phase.name) (from \(current.startedAt?.dateString ?? now.dateString))")
                announcedPhase = phase.id
            }
            switch current.status {
            case "active":
                let actionsDone = state.actions.filter { $0.phaseId == phase.id }.count
                let open = state.tasks(of: phase.id).filter { $0.status == "open" }
                if actionsDone < phase.actions.count || open.isEmpty {
                    // Evaluate the gate no earlier than the phase's planned end.
                    let at = open.isEmpty && actionsDone == phase.actions.count ? max(now, current.plannedEndAt ?? now) : now
                    _ = try session.run(clock: .fixed(at))
                    continue
                }
                let ready = open.filter { state.openDependencies(of: $0, in: phase).isEmpty }
                guard let task = ready.min(by: { ($0.dueAt ?? now, $0.position) < ($1.dueAt ?? now, $1.position) }) else {
                    throw DemoError("no open task of '\(phase.id)' can be done: a dependency cycle? (\(open.map(\.taskId)))")
                }
                _ = try session.completeTask(task.taskId, by: scenario.person(for: task.ownerRole), note: nil,
                                             clock: .fixed(max(now, task.dueAt ?? now)))

            case "awaiting_decision":
                if current.decision != nil {
                    _ = try session.run(clock: .fixed(now))
                    continue
                }
                try recordLessons(of: phase, scenario: scenario, session: session, at: now)
                guard let evaluation = state.evaluation(of: phase.id, attempt: current.attempt), let gate = phase.gate else {
                    throw DemoError("the gate of '\(phase.id)' awaits a decision but has no evaluation")
                }
                let (decision, note) = committeeDecision(evaluation, attempt: current.attempt)
                let voted = Set(state.votes(of: phase.id, attempt: current.attempt).map(\.role))
                for role in gate.approvers.map(\.id) where !voted.contains(role) {
                    _ = try session.approve(phaseID: phase.id, role: role, by: scenario.person(for: role), decision: decision,
                                            note: note, clock: .fixed(now))
                }
                progress("  gate \(evaluation.passed ? "passed" : "not passed") (attempt \(current.attempt)): \(decision.rawValue)"
                    + (decision == .go ? "" : ": \(note)"))

            default:
                _ = try session.run(clock: .fixed(now))
            }
        }
        throw DemoError("the demo did not finish after 10000 steps; this is a bug")
    }

    /// The scripted committee: go when the criteria are met; otherwise rework, twice at most,
    /// then go with the risk accepted on record.
    func committeeDecision(_ evaluation: ProjectState.GateEvaluation, attempt: Int) -> (GateDecision, String) {
        let failed = evaluation.criteria.filter { $0.status != .passed }
        if failed.isEmpty { return (.go, "All criteria met") }
        let list = failed.map { "\($0.criterion) (\($0.detail))" }.joined(separator: "; ")
        if attempt < 3 { return (.rework, "Not yet met: \(list)") }
        return (.go, "Proceed with the risk accepted: \(list)")
    }

    func recordLessons(of phase: Phase, scenario: DemoScenario, session: ProjectSession, at: Timestamp) throws {
        for (index, lesson) in (scenario.lessons[phase.id] ?? []).enumerated() {
            try session.addLesson(phaseID: phase.id, category: lesson.category, whatHappened: lesson.what,
                                  delayDays: lesson.delayDays, causedBy: lesson.causedBy, cost: lesson.cost,
                                  remedy: lesson.remedy, by: lesson.by, clock: .fixed(at),
                                  idempotencyKey: "demo:lesson:\(phase.id):\(index)")
        }
    }
}

/// The demo could not run, in words the user can act on.
public struct DemoError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension DemoRunner {
    /// The bundled standard playbook, compiled for `workspace`.
    static func bundledPlaybook(_ workspace: Workspace) throws -> Playbook {
        let path = try ResourceLocator.playbooks().path(of: "standard-nine-phase.yaml")
        let compilation = workspace.compile(playbookAt: path)
        guard let playbook = compilation.playbook else {
            throw PlaybookCompilationError(diagnostics: compilation.diagnostics)
        }
        return playbook
    }

    /// `rollout demo seed`: loads the demo CRM into `workspace` on the bundled playbook's timeline.
    /// Returns what was done, in words.
    public static func seedOnly(_ workspace: Workspace, scale: DemoScale, seed: UInt64) throws -> String {
        let playbook = try bundledPlaybook(workspace)
        let runner = DemoRunner(options: .init(directory: ".", scale: scale, seed: seed))
        var lines: [String] = []
        try runner.seed(workspace, playbook: playbook, progress: { lines.append($0) })
        return lines.isEmpty ? "the workspace already holds this demo data (seed \(seed), \(scale.rawValue)); nothing changed"
            : lines.joined(separator: "\n")
    }
}
