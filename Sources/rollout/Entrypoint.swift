import ArgumentParser

@main
struct Rollout: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Run a CRM implementation from a YAML playbook, on an operational CRM kept in SQLite.",
        discussion: """
            A workspace is one SQLite database (rollout.sqlite) holding the CRM records, the project's event log, KPI snapshots and lessons. Every command takes --db PATH (or ROLLOUT_DB).

            Start here:
              rollout demo                  the main job: seed, run, evaluate
              rollout check PLAYBOOK        every problem as FILE:LINE:COL
              rollout plan PLAYBOOK         timeline, gate checks, costs; writes nothing
              rollout init DIR              create an empty workspace
              rollout run PLAYBOOK --db DB  start or continue; stops at gates
              rollout status --db DB        timeline, gates, tasks, next step

            Exit status: 0 success; 1 the input was refused or a check found errors; 64 a usage error.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, CheckCommand.self, SchemaCommand.self, RunCommand.self, StatusCommand.self, TaskCommand.self,
            ApproveCommand.self, LessonCommand.self, RoiCommand.self, ReportCommand.self, MetricsCommand.self,
            CRMCommand.self, DemoCommand.self, BenchCommand.self,
            PlanCommand.self, GraphCommand.self, PlaybookCommand.self, HandoverCommand.self,
            WorkerCommand.self, ProcessCommand.self, SimulateCommand.self, SnapshotCommand.self, JudgementCommand.self, PluginCommand.self,
            ServeCommand.self, TokenCommand.self,
        ])
}
