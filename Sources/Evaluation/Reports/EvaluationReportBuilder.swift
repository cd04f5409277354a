import CRMCore
import Engine
import GRDB
import RolloutMetrics
import Playbook

/// Assembles the `EvaluationReport` of the workspace's project from its event log projections,
/// KPI snapshots and lessons.
public struct EvaluationReportBuilder: Sendable {
    public let playbook: Playbook
    public let catalog: MetricCatalog

    public init(playbook: Playbook, catalog: MetricCatalog) {
        self.playbook = playbook
        self.catalog = catalog
    }

    public func build(_ db: Database, asOf requested: Timestamp? = nil) throws -> EvaluationReport {
        guard let state = try ProjectState.load(db) else {
            throw ReportError("no project has started in this workspace; there is nothing to evaluate yet")
        }
        let asOf = requested.map { max($0, state.project.lastEventAt) } ?? state.project.lastEventAt
        let status = ProjectStatus(state: state, playbook: playbook, asOf: asOf)
        let store = SnapshotStore(measurer: KPIMeasurer(catalog: catalog))
        let snapshots = try store.snapshots(projectID: state.project.id, db)
        let baseline = snapshots.first { $0.label == "baseline" }
        let lessons = try LessonLog().lessons(projectID: state.project.id, db)
        let pilotPhase = playbook.phases.first { $0.pilot != nil }
        let pilotID = pilotPhase?.pilot?.id

        func snapshot(for evaluation: ProjectState.GateEvaluation?) -> KPISnapshot? {
            guard let id = evaluation?.snapshotID else { return nil }
            return snapshots.first { $0.id == id }
        }

        var phases: [EvaluationReport.PhaseEvaluation] = []
        for phaseStatus in status.phases {
            guard let phase = playbook.phase(phaseStatus.id) else { continue }
            let evaluations = state.evaluations.filter { $0.phaseID == phase.id }.sorted { $0.attempt < $1.attempt }
            let attempts = evaluations.map { e in
                EvaluationReport.GateAttempt(
                    attempt: e.attempt, evaluatedAt: e.evaluatedAt, passed: e.passed, criteria: e.criteria,
                    votes: state.votes(of: phase.id, attempt: e.attempt),
                    decision: decision(of: phase, attempt: e.attempt, state: state),
                    snapshotLabel: snapshot(for: e)?.label, snapshotSHA256: e.snapshotSHA256)
            }
            let gateSnapshot = snapshot(for: evaluations.last)
            let progress = state.phases.first { $0.phaseId == phase.id }
            phases.append(EvaluationReport.PhaseEvaluation(
                id: phase.id, name: phase.name, description: phase.description, status: phaseStatus.status,
                start: phaseStatus.start, end: phaseStatus.end, plannedDays: phase.durationDays,
                actualDays: progress?.startedAt.flatMap { s in progress?.endedAt.map { s.days(until: $0) } },
                daysLate: phaseStatus.daysLate, tasksDone: phaseStatus.tasksDone, tasksTotal: phaseStatus.tasksTotal,
                deliverables: phase.deliverables.map {
                    .init(id: $0.id, name: $0.name, delivered: state.deliveredDeliverables.contains($0.id))
                },
                actions: state.actions.filter { $0.phaseId == phase.id }.map { "\($0.action): \($0.summary)" },
                gateApprovers: phase.gate?.approvers.map(\.id) ?? [],
                attempts: attempts,
                kpis: gateSnapshot.map { kpiResults($0, baseline: baseline, pilotID: phase.pilot?.id ?? pilotID) } ?? [],
                lessons: lessons.filter { $0.phaseID == phase.id }))
        }

        let pilotSnapshot = pilotPhase.flatMap { p in
            snapshot(for: state.evaluations.filter { $0.phaseID == p.id }.max { $0.attempt < $1.attempt })
        }
        var pilotKPIs = pilotSnapshot.map { kpiResults($0, baseline: baseline, pilotID: pilotID) } ?? []
        if let pilotID, let baseline, let pilotSnapshot {
            try addStatistics(to: &pilotKPIs, pilotID: pilotID, projectID: state.project.id, before: baseline.takenAt,
                              after: pilotSnapshot.takenAt, db)
        }
        let latestKPIs = snapshots.last.map { kpiResults($0, baseline: baseline, pilotID: pilotID) } ?? []

        var pilot: EvaluationReport.PilotSummary?
        if let pilotPhase, let group = pilotPhase.pilot.flatMap({ playbook.pilotGroup($0.id) }) {
            let groups = MeasuredGroups()
            let row = try Row.fetchOne(db, sql: """
                SELECT started_at, ended_at FROM engine_pilots WHERE project_id = ? AND pilot_group_id = ?
                """, arguments: [state.project.id, group.id])
            pilot = .init(id: group.id, name: group.name, phaseID: pilotPhase.id,
                          pilotUsers: try groups.members(projectID: state.project.id, group: .pilot(group.id), db).count,
                          controlUsers: try groups.members(projectID: state.project.id, group: .control(group.id), db).count,
                          startedAt: row?["started_at"], endedAt: row?["ended_at"])
        }

        // KPI benefits are valued on the pilot's difference in differences (the causal estimate);
        // after cut-over the control changes too, so a later comparison would understate them.
        var improvements: [String: Double] = [:]
        for benefit in playbook.benefits {
            if case .kpiImprovement(let kpi, _) = benefit.kind,
               let result = pilotKPIs.first(where: { $0.id == kpi.id }), let improvement = result.improvement {
                improvements[benefit.id] = improvement
            }
        }
        let basis: String
        if let pilotPhase, let taken = pilotSnapshot?.takenAt {
            basis = "KPI benefits are valued on the pilot's difference in differences measured at the last gate of "
                + "'\(pilotPhase.name)' (\(taken.dateString)): the pilot's change from its baseline minus the control's."
        } else {
            basis = "KPI benefits are not valued yet: the pilot phase has not been evaluated."
        }
        let roi = playbook.costs.map { costs in
            ROICalculator.analyse(costs: costs,
                                  benefits: BenefitValuation.resolve(playbook.benefits, settings: playbook.evaluation,
                                                                     kpiImprovements: improvements),
                                  settings: playbook.evaluation)
        }

        var report = EvaluationReport(
            title: "Evaluation of \(playbook.title)",
            asOf: asOf, project: status.project,
            playbook: .init(id: playbook.id, version: playbook.version, path: state.project.playbookPath,
                            sha256: state.project.playbookSha256),
            pilot: pilot,
            goals: playbook.goals.map { .init(id: $0.id, level: $0.level.rawValue, department: $0.department,
                                              statement: $0.statement, kpis: $0.kpis.map(\.id)) },
            phases: phases, pilotKPIs: pilotKPIs, latestKPIs: latestKPIs,
            processes: try ProcessStatisticsBuilder(playbook: playbook, projectID: state.project.id).measure(db, asOf: asOf),
            lessons: lessons,
            lessonSummary: LessonLog().summary(of: lessons, phaseOrder: playbook.phases.map(\.id)),
            roi: roi, benefitBasis: basis,
            snapshots: snapshots.map { .init(label: $0.label, takenAt: $0.takenAt, sha256: $0.contentSHA256) })
        report.recommendation = Recommendation(report: report)
        report.trends = playbook.kpis.flatMap { KPITrend.trends(of: $0.id, in: snapshots) }
        if let roi {
            report.valuePerRole = valuePerRole(roi)
        }
        let judgements = try JudgementLog().judgements(projectID: state.project.id, db)
        report.evidence = EvidenceAnswer.answers(for: report, judgements: judgements)
        var outcomeKPIs: [String: [EvaluationReport.KPIResult]] = [:]
        for snapshot in snapshots where snapshot.label.hasPrefix("outcome:") {
            outcomeKPIs[snapshot.label] = kpiResults(snapshot, baseline: baseline, pilotID: nil)
        }
        report.projectEvaluation = ProjectEvaluation.build(report: report, judgements: judgements, outcomeKPIs: outcomeKPIs)
        return report
    }

    /// The pilot-versus-control test of each KPI whose baseline was measured: the unit values of
    /// the frozen pilot and control members in the KPI's window ending at the baseline and at the
    /// pilot's evaluation, as the CRM holds them now.
    private func addStatistics(to results: inout [EvaluationReport.KPIResult], pilotID: String, projectID: String,
                               before: Timestamp, after: Timestamp, _ db: Database) throws {
        let groups = MeasuredGroups()
        let pilot = try groups.members(projectID: projectID, group: .pilot(pilotID), db)
        let control = try groups.members(projectID: projectID, group: .control(pilotID), db)
        let measurer = KPIMeasurer(catalog: catalog)
        for index in results.indices {
            guard let kpi = playbook.kpi(results[index].id), case .measure = kpi.baseline else { continue }
            func values(_ users: [Int64], _ at: Timestamp) throws -> [Double] {
                try measurer.unitValues(of: kpi, users: users, at: at, db).values
            }
            let aggregate = kpi.aggregate ?? kpi.metric.flatMap { catalog.metric($0.id) }?.defaultAggregate ?? .mean
            results[index].statistics = PilotControlTest(
                pilotBefore: try values(pilot, before), pilotAfter: try values(pilot, after),
                controlBefore: try values(control, before), controlAfter: try values(control, after),
                aggregate: aggregate)
            // The trend before the baseline: the KPI week by week over the eight weeks before it.
            var weekly = kpi
            weekly.windowDays = 7
            func trend(_ users: [Int64]) throws -> [(time: Double, value: Double)] {
                try (0..<Self.trendWeeks).compactMap { week in
                    let at = before.adding(days: -7 * week)
                    return aggregate.apply(to: try measurer.unitValues(of: weekly, users: users, at: at, db).values)
                        .map { (Double(-week), $0) }
                }
            }
            results[index].parallelTrends = ParallelTrendsCheck(pilot: try trend(pilot), control: try trend(control))
        }
    }

    /// Time-saved benefits summed by role, valued as the ROI values them.
    private func valuePerRole(_ roi: ROIAnalysis) -> [EvaluationReport.RoleValue] {
        var roles: [EvaluationReport.RoleValue] = []
        for benefit in playbook.benefits {
            guard case .timeSaved(let role, let hours, _, let headcount) = benefit.kind,
                  let resolved = roi.benefits.first(where: { $0.id == benefit.id }) else { continue }
            let name = playbook.role(role)?.name ?? role
            let risked = resolved.fullYearValue * resolved.confidence
            if let index = roles.firstIndex(where: { $0.role == name }) {
                let people = roles[index].people + headcount
                let hoursTotal = roles[index].hoursPerWeek * Double(roles[index].people) + hours * Double(headcount)
                roles[index].hoursPerWeek = people > 0 ? hoursTotal / Double(people) : 0
                roles[index].people = people
                roles[index].fullYearValue += resolved.fullYearValue
                roles[index].riskAdjustedValue += risked
            } else {
                roles.append(.init(role: name, people: headcount, hoursPerWeek: hours, fullYearValue: resolved.fullYearValue,
                                   riskAdjustedValue: risked, perPerson: 0, currency: roi.currency))
            }
        }
        for index in roles.indices where roles[index].people > 0 {
            roles[index].perPerson = roles[index].riskAdjustedValue / Double(roles[index].people)
        }
        return roles
    }

    /// How many weeks before the baseline the parallel-trends check looks at.
    static let trendWeeks = 8

    private func decision(of phase: Phase, attempt: Int, state: ProjectState) -> GateDecision? {
        let votes = state.votes(of: phase.id, attempt: attempt)
        let approvers = phase.gate?.approvers.map(\.id) ?? []
        guard !approvers.isEmpty, Set(votes.map(\.role)).isSuperset(of: approvers) else { return nil }
        return votes.map(\.decision).max { rank($0) < rank($1) }
    }

    private func rank(_ decision: GateDecision) -> Int {
        switch decision {
        case .go: 0
        case .rework: 1
        case .noGo: 2
        }
    }

    /// Each KPI in `snapshot` against the baseline, per group, with the pilot's difference in differences.
    func kpiResults(_ snapshot: KPISnapshot, baseline: KPISnapshot?, pilotID: String?) -> [EvaluationReport.KPIResult] {
        let groups: [(GroupKey, String)] = pilotID.map { [(.pilot($0), "pilot"), (.control($0), "control"), (.all, "everyone")] }
            ?? [(.all, "everyone")]
        return playbook.kpis.map { kpi in
            func baselineValue(_ group: GroupKey) -> Double? {
                switch kpi.baseline {
                case .value(let v): return v
                case .measure: return baseline?.value(kpi.id, group)
                }
            }
            let results = groups.map { group, label -> EvaluationReport.GroupResult in
                let m = snapshot.measurement(kpi.id, group)
                let base = baselineValue(group)
                let change = m?.value.flatMap { v in base.map { v - $0 } }
                let meets = m?.value.flatMap { v in
                    kpi.target.map { kpi.direction == .higherIsBetter ? v >= $0 : v <= $0 }
                }
                return .init(group: group.description, label: label, baseline: base, actual: m?.value, change: change,
                             sampleSize: m?.sampleSize ?? 0, meetsTarget: meets)
            }
            var did: Double?
            if results.count == 3, let p = results[0].change, let c = results[1].change { did = p - c }
            let unit = kpi.unit ?? kpi.metric.flatMap { catalog.metric($0.id) }?.unit ?? ""
            return .init(id: kpi.id, name: kpi.name, metric: kpi.metric?.id ?? "sql", unit: unit, direction: kpi.direction.rawValue,
                         target: kpi.target, measuredAt: snapshot.takenAt, snapshotLabel: snapshot.label, groups: results,
                         differenceInDifferences: did,
                         improvement: did.map { kpi.direction == .higherIsBetter ? $0 : -$0 })
        }
    }
}
