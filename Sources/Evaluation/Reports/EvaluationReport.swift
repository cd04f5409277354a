import CRMCore
import Engine
import RolloutMetrics
import Playbook

/// The steering committee's evaluation of a project (S0 §5, S1 steps 5–6): per phase the gate
/// result and decision, each KPI's baseline → target → actual for pilot and control, lessons,
/// and the ROI. The JSON report is this value; the HTML and Markdown reports render it.
/// A report section a plugin contributed: its context from the plugin, rendered with the
/// plugin's own templates; `problem` says why a section could not be rendered.
public struct PluginSection: Sendable, Hashable, Codable {
    public var plugin: String
    public var id: String
    public var title: String
    public var markdown: String
    public var html: String
    /// The JSON the plugin returned for the section.
    public var data: String
    public var problem: String?

    public init(plugin: String, id: String, title: String, markdown: String, html: String, data: String,
                problem: String? = nil) {
        self.plugin = plugin
        self.id = id
        self.title = title
        self.markdown = markdown
        self.html = html
        self.data = data
        self.problem = problem
    }
}

public struct EvaluationReport: Sendable, Codable {
    /// Bumped when a field changes meaning, so scripts reading the JSON can tell.
    public var schemaVersion = 1
    public var title: String
    /// The moment the report describes (the project's latest event, or the as-of time).
    public var asOf: Timestamp
    public var project: ProjectStatus.ProjectInfo
    public var playbook: PlaybookInfo
    public var pilot: PilotSummary?
    public var goals: [GoalSummary]
    public var phases: [PhaseEvaluation]
    /// KPIs at the end of the pilot phase: the causal comparison of pilot against control.
    public var pilotKPIs: [KPIResult]
    /// KPIs at the latest snapshot: where the whole organisation stands.
    public var latestKPIs: [KPIResult]
    /// Each business process of the playbook: conformance, transition times against SLAs,
    /// cycle times before and after the change (empty when the playbook models none).
    public var processes: [ProcessStatistics]
    public var lessons: [LessonLearned]
    public var lessonSummary: LessonSummary
    public var roi: ROIAnalysis?
    /// How the KPI-based benefits were valued, in words.
    public var benefitBasis: String
    public var snapshots: [SnapshotReference]
    /// Go, no-go or rework at the latest gate, computed from the criteria, the evidence and the
    /// ROI, with its reasons; the committee's own decision is recorded by its votes.
    public var recommendation: Recommendation?
    /// Sections the playbook's plugins add (a vertical's own figures), already rendered.
    public var pluginSections: [PluginSection] = []
    /// The evidence report's six questions (S1 step 6), answered from the data and by the
    /// judgements recorded on them.
    public var evidence: [EvidenceAnswer] = []
    /// The performance and outcome evaluation (S0 §5).
    public var projectEvaluation: ProjectEvaluation?
    /// Each KPI per group across every snapshot, oldest first.
    public var trends: [KPITrend] = []
    /// The productivity value of time saved, per role (S1 step 5: "value per role").
    public var valuePerRole: [RoleValue] = []

    public struct RoleValue: Sendable, Codable {
        public var role: String
        public var people: Int
        /// Hours a week saved per person.
        public var hoursPerWeek: Double
        /// All the role's people, a full year at full realisation, before risk adjustment.
        public var fullYearValue: Double
        /// The same after the benefits' confidence (TEI's risk adjustment).
        public var riskAdjustedValue: Double
        /// riskAdjustedValue / people.
        public var perPerson: Double
        public var currency: String
    }

    public struct PlaybookInfo: Sendable, Codable {
        public var id: String
        public var version: Int
        public var path: String
        public var sha256: String
    }

    public struct PilotSummary: Sendable, Codable {
        public var id: String
        public var name: String
        public var phaseID: String
        public var pilotUsers: Int
        public var controlUsers: Int
        public var startedAt: Timestamp?
        public var endedAt: Timestamp?
    }

    public struct GoalSummary: Sendable, Codable {
        public var id: String
        public var level: String
        public var department: String?
        public var statement: String
        public var kpis: [String]
    }

    public struct GroupResult: Sendable, Codable {
        /// `all`, `pilot:<id>`, `control:<id>`.
        public var group: String
        /// `pilot`, `control` or `everyone`.
        public var label: String
        public var baseline: Double?
        public var actual: Double?
        /// actual − baseline.
        public var change: Double?
        public var sampleSize: Int
        /// nil when the KPI has no target or no value.
        public var meetsTarget: Bool?
    }

    public struct KPIResult: Sendable, Codable {
        public var id: String
        public var name: String
        public var metric: String
        public var unit: String
        public var direction: String
        public var target: Double?
        public var measuredAt: Timestamp?
        public var snapshotLabel: String?
        public var groups: [GroupResult]
        /// (pilot actual − pilot baseline) − (control actual − control baseline).
        public var differenceInDifferences: Double?
        /// The difference in differences signed so that positive means better.
        public var improvement: Double?
        /// The pilot against the control on the KPI's unit values (pilot KPIs only): a 95 %
        /// bootstrap interval of the difference in differences and a Welch test; nil when the
        /// project has no pilot, no measured baseline, or the pilot has not been evaluated.
        public var statistics: PilotControlTest?
        /// Whether pilot and control moved in parallel in the weeks before the baseline (the
        /// assumption the difference in differences rests on); pilot KPIs only.
        public var parallelTrends: ParallelTrendsCheck?
    }

    public struct GateAttempt: Sendable, Codable {
        public var attempt: Int
        public var evaluatedAt: Timestamp
        public var passed: Bool
        public var criteria: [CriterionResult]
        public var votes: [ProjectState.Vote]
        public var decision: GateDecision?
        public var snapshotLabel: String?
        public var snapshotSHA256: String?
    }

    public struct DeliverableState: Sendable, Codable {
        public var id: String
        public var name: String
        public var delivered: Bool
    }

    public struct PhaseEvaluation: Sendable, Codable {
        public var id: String
        public var name: String
        public var description: String?
        public var status: String
        public var start: Timestamp
        public var end: Timestamp
        public var plannedDays: Int
        public var actualDays: Int?
        public var daysLate: Int
        public var tasksDone: Int
        public var tasksTotal: Int
        public var deliverables: [DeliverableState]
        public var actions: [String]
        public var gateApprovers: [String]
        public var attempts: [GateAttempt]
        /// KPIs at this phase's last gate evaluation.
        public var kpis: [KPIResult]
        public var lessons: [LessonLearned]
    }

    public struct SnapshotReference: Sendable, Codable {
        public var label: String
        public var takenAt: Timestamp
        public var sha256: String
    }
}
