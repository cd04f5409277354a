import CRMCore
import Engine
import GRDB
import RolloutMetrics
import Playbook

/// What today's data says about a check: it would pass, it would fail, or it cannot be known
/// yet (a baseline not measured before the project starts, a deliverable of a phase not reached).
public enum DryRunOutcome: String, Sendable, Hashable, Codable {
    case wouldPass = "would_pass"
    case wouldFail = "would_fail"
    case unknown

    init(_ status: CriterionResult.Status) {
        switch status {
        case .passed: self = .wouldPass
        case .failed: self = .wouldFail
        case .unknown: self = .unknown
        }
    }

    /// `would pass`, `would fail`, `unknown`.
    public var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}

/// One thing checked before a phase may start (`entry`) or at its gate, in words, and, in a
/// dry run on a workspace, what today's data says about it.
public struct PlannedCheck: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case kpi, deliverable, condition
        /// A plugin's check: unknown in a dry run (it runs only when the gate is evaluated).
        case check
    }

    public var kind: Kind
    /// What is checked: `lead_response_hours (pilot:east) at most 12`, `deliverable 'Project charter'`.
    public var criterion: String
    /// nil without a workspace.
    public var outcome: DryRunOutcome?
    /// The measured value, when there is one.
    public var value: Double?
    /// Why, with the numbers; nil without a workspace.
    public var detail: String?
}

/// What a phase checks: its entry criteria and its exit gate with the roles around the decision.
public struct PhaseChecks: Sendable, Hashable, Codable {
    /// A phase's exit gate: who decides, who is asked, who is told, and the criteria.
    public struct PlannedGate: Sendable, Hashable, Codable {
        public var approvers: [PlanTimeline.RoleName]
        public var consulted: [PlanTimeline.RoleName]
        public var informed: [PlanTimeline.RoleName]
        public var criteria: [PlannedCheck]
    }

    public var phaseID: String
    public var phaseName: String
    /// The phase's state in the project the workspace already runs (`completed`, `active`…); nil otherwise.
    public var projectStatus: String?
    public var entry: [PlannedCheck]
    public var gate: PlannedGate?
}

/// Today's data from a workspace, as the gates of a dry run see it: KPIs measured in memory,
/// and the real progress of a project of the same playbook if the workspace runs one.
struct DryRunData {
    /// Today's measurements; never stored.
    var snapshot: KPISnapshot
    /// The project's baseline snapshot, nil before the project starts.
    var baseline: KPISnapshot?
    /// The project of this playbook that the workspace runs, if any.
    var state: ProjectState?
    var lessons: Int?
    /// Each measured group with its members' user ids.
    var groups: [(GroupKey, [Int64])]
    /// What could not be resolved or measured, in words.
    var problems: [String]

    /// Measures every KPI of `playbook` on every group at `asOf`, in memory. A group that cannot
    /// be resolved (a team missing from the workspace) or a KPI that cannot be measured becomes a
    /// problem and leaves its criteria unknown, because a dry run reports, it does not stop.
    static func read(playbook: Playbook, asOf: Timestamp, catalog: MetricCatalog, _ db: Database) throws -> DryRunData {
        var problems: [String] = []
        var state = try ProjectState.load(db)
        if let running = state, running.project.playbookId != playbook.id {
            problems.append("the workspace runs project '\(running.project.id)' of playbook '\(running.project.playbookId)', "
                + "not '\(playbook.id)': its progress is not used")
            state = nil
        }
        if let running = state, running.project.playbookSha256 != playbook.source.sha256 {
            problems.append("\(playbook.source.path) has changed since the project started "
                + "(\(running.project.startedAt.dateString)); the gates are read with the file as it is now")
        }
        var groups: [(GroupKey, [Int64])]
        if let running = state {
            // The engine measures the members frozen when the project started; so does the dry run.
            let measured = MeasuredGroups()
            groups = try measured.groups(projectID: running.project.id, db).map {
                ($0, try measured.members(projectID: running.project.id, group: $0, db))
            }
        } else {
            do {
                groups = try MeasuredGroups().resolve(playbook, db)
            } catch let error as MetricsError {
                problems.append(error.description)
                groups = [(.all, try Directory().allUserIDs(db))]
            }
        }
        let measurer = KPIMeasurer(catalog: catalog)
        var measurements: [KPIMeasurement] = []
        for kpi in playbook.kpis {
            do {
                for (group, users) in groups {
                    measurements.append(try measurer.measure(kpi, users: users, group: group, at: asOf, db))
                }
            } catch let error as MetricsError {
                problems.append(error.description)
            }
        }
        let projectID = state?.project.id ?? playbook.id
        let snapshot = KPISnapshot(id: 0, projectID: projectID, label: "dry-run", phaseID: nil, takenAt: asOf,
                                   measurements: measurements)
        let baseline = try state.flatMap {
            try SnapshotStore(measurer: measurer).snapshot(projectID: $0.project.id, label: "baseline", db)
        }
        let lessons = try state.map { running in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM lessons WHERE project_id = ?",
                             arguments: [running.project.id]) ?? 0
        }
        return DryRunData(snapshot: snapshot, baseline: baseline, state: state, lessons: lessons, groups: groups,
                          problems: problems)
    }

    /// The phase's progress in the running project; nil when there is none.
    func progress(of phaseID: String) -> ProjectState.PhaseProgress? {
        state?.phases.first { $0.phaseId == phaseID }
    }
}

extension PhaseChecks {
    /// The checks of every phase of `playbook`, evaluated on `data` when there is a workspace.
    ///
    /// The project's deliverables, tasks, passed phases and lessons are known only for phases it
    /// has reached; for the others they are passed as nil, so criteria reading them come out
    /// unknown — never failed because the project has simply not got there yet.
    static func all(of playbook: Playbook, data: DryRunData?) -> [PhaseChecks] {
        playbook.phases.map { phase in
            let progress = data?.progress(of: phase.id)
            let reached = progress.map { $0.status != "pending" } ?? false
            let state = reached ? data?.state : nil
            let facts = data.map {
                GateEvaluator.facts(playbook: playbook, phase: phase, snapshot: $0.snapshot, baseline: $0.baseline,
                                    delivered: state?.deliveredDeliverables, tasksDone: state?.doneTasks,
                                    phasesPassed: state?.passedPhases, lessons: reached ? $0.lessons : nil,
                                    iteration: 1)
            }
            let entry = phase.entry.map { condition in
                var check = PlannedCheck(kind: .condition, criterion: condition.text)
                if let facts {
                    check.record(GateEvaluator.evaluate(condition, of: phase, playbook: playbook, facts: facts))
                }
                return check
            }
            let gate = phase.gate.map { gate in
                // Evaluated on no data, the evaluator words each criterion without a measured value.
                let words = GateEvaluator().evaluate(gate, of: phase, playbook: playbook, snapshot: nil, baseline: nil,
                                                     delivered: nil)
                let results = data.map {
                    GateEvaluator().evaluate(gate, of: phase, playbook: playbook, snapshot: $0.snapshot,
                                             baseline: $0.baseline, delivered: state?.deliveredDeliverables,
                                             tasksDone: state?.doneTasks, phasesPassed: state?.passedPhases,
                                             lessons: reached ? $0.lessons : nil)
                }
                let criteria = gate.criteria.enumerated().map { index, criterion in
                    var check = PlannedCheck(kind: PlannedCheck.Kind(criterion), criterion: words[index].criterion)
                    if let results { check.record(results[index]) }
                    return check
                }
                let role = { (reference: Reference) in
                    PlanTimeline.RoleName(id: reference.id, name: playbook.role(reference.id)?.name)
                }
                return PlannedGate(approvers: gate.approvers.map(role), consulted: gate.consulted.map(role),
                                   informed: gate.informed.map(role), criteria: criteria)
            }
            return PhaseChecks(phaseID: phase.id, phaseName: phase.name, projectStatus: progress?.status, entry: entry,
                               gate: gate)
        }
    }
}

extension PlannedCheck {
    init(kind: Kind, criterion: String) {
        self.init(kind: kind, criterion: criterion, outcome: nil, value: nil, detail: nil)
    }

    mutating func record(_ result: CriterionResult) {
        outcome = DryRunOutcome(result.status)
        value = result.actual
        detail = result.detail
    }
}

extension PlannedCheck.Kind {
    init(_ criterion: GateCriterion) {
        switch criterion {
        case .kpi: self = .kpi
        case .deliverable: self = .deliverable
        case .condition: self = .condition
        case .check: self = .check
        }
    }
}
