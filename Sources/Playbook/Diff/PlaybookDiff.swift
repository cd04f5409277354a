/// What changes between two versions of a playbook, by id, in words a project manager reads.
///
/// The comparison is on the typed model, never on the YAML text: reformatting a file, moving a
/// key or reordering a mapping changes nothing, and source locations are ignored. Each value is
/// first described in words ("14 days", "owner pm", "lead_response_hours (pilot) at most 8"), and
/// the descriptions are compared, so a change reads the same way it was detected.
///
/// ```swift
/// let diff = PlaybookDiff(from: running, to: edited)
/// for change in diff.changes { print(change) }   // task 'train' of phase 'pilot' added: Train the users, …
/// ```
public struct PlaybookDiff: Sendable, Hashable, Codable {
    /// One playbook version, as the diff names it.
    public struct Version: Sendable, Hashable, Codable {
        public var id: String
        public var version: Int
        public var title: String
        public var sha256: String
        public var path: String
    }

    /// One difference: something added, removed, changed or reordered.
    public struct Change: Sendable, Hashable, Codable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable, Codable {
            case added, removed, changed, reordered
        }

        /// The part of the playbook a change is in.
        public enum Subject: String, Sendable, Hashable, Codable {
            case playbook, role, goal, kpi, pilotGroup = "pilot-group", process, phase, task, deliverable, gate,
                 cycle, parameter, costs, benefit, evaluation
        }

        public var subject: Subject
        public var kind: Kind
        /// The id of what changed; nil for the playbook itself, its costs and evaluation settings,
        /// a phase's gate, and the order of phases.
        public var id: String?
        /// The phase a task, deliverable or gate belongs to.
        public var phaseID: String?
        /// The field that changed (`duration`, `owner`, `approvers`…), for `changed`.
        public var field: String?
        /// The value before (for `removed`: what was removed).
        public var old: String?
        /// The value after (for `added`: what was added).
        public var new: String?

        public init(subject: Subject, kind: Kind, id: String? = nil, phaseID: String? = nil, field: String? = nil,
                    old: String? = nil, new: String? = nil) {
            self.subject = subject
            self.kind = kind
            self.id = id
            self.phaseID = phaseID
            self.field = field
            self.old = old
            self.new = new
        }

        /// What the change is about: `phase 'pilot'`, `task 'train' of phase 'pilot'`, `costs`.
        public var label: String {
            let of = phaseID.map { " of phase '\($0)'" } ?? ""
            switch subject {
            case .playbook: return "playbook"
            case .costs: return "costs"
            case .evaluation: return "evaluation settings"
            case .gate: return "gate" + of
            case .phase where id == nil: return "phases"
            case .task where id == nil: return "tasks" + of
            case .pilotGroup: return "pilot group '\(id ?? "")'"
            case .kpi: return "KPI '\(id ?? "")'"
            default: return "\(subject.rawValue) '\(id ?? "")'" + of
            }
        }

        public var description: String {
            switch kind {
            case .added: "\(label) added" + (new.map { ": \($0)" } ?? "")
            case .removed: "\(label) removed" + (old.map { " (was: \($0))" } ?? "")
            case .changed: "\(label): \(field ?? "value") \(old ?? "none") → \(new ?? "none")"
            case .reordered: "\(label) reordered: \(old ?? "") → \(new ?? "")"
            }
        }
    }

    public var old: Version
    public var new: Version
    /// Every difference, in playbook order: the playbook's own fields, organisation, goals,
    /// KPIs, pilot groups, processes, phases, cycles, parameters, costs, benefits, evaluation.
    public var changes: [Change]

    public var isEmpty: Bool { changes.isEmpty }

    /// Each change in words, one a line.
    public var summary: [String] { changes.map(\.description) }

    public init(from old: Playbook, to new: Playbook) {
        self.old = Version(old)
        self.new = Version(new)
        var builder = Builder()
        builder.compare(old, new)
        changes = builder.changes
    }
}

extension PlaybookDiff.Version {
    init(_ playbook: Playbook) {
        self.init(id: playbook.id, version: playbook.version, title: playbook.title, sha256: playbook.source.sha256,
                  path: playbook.source.path)
    }
}

// MARK: - Comparison

/// A field of something compared, described in words; two values are equal when their words are.
private struct Facet {
    var name: String
    var value: String

    init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

private struct Builder {
    typealias Change = PlaybookDiff.Change
    var changes: [Change] = []

    mutating func compare(_ old: Playbook, _ new: Playbook) {
        facets(subject: .playbook, old: Describe.playbookFacets(old), new: Describe.playbookFacets(new))
        list(old.organisation.roles, new.organisation.roles, subject: .role, id: \.id, facets: Describe.roleFacets)
        list(old.goals, new.goals, subject: .goal, id: \.id, facets: Describe.goalFacets)
        list(old.kpis, new.kpis, subject: .kpi, id: \.id, facets: Describe.kpiFacets)
        list(old.pilotGroups, new.pilotGroups, subject: .pilotGroup, id: \.id, facets: Describe.pilotFacets)
        list(old.processes, new.processes, subject: .process, id: \.id, facets: Describe.processFacets)
        phases(old.phases, new.phases)
        list(old.cycles, new.cycles, subject: .cycle, id: \.id, facets: Describe.cycleFacets)
        list(old.parameters, new.parameters, subject: .parameter, id: \.name, facets: Describe.parameterFacets)
        optional(old.costs, new.costs, subject: .costs, facets: Describe.costFacets)
        list(old.benefits, new.benefits, subject: .benefit, id: \.id, facets: Describe.benefitFacets)
        facets(subject: .evaluation, old: Describe.evaluationFacets(old.evaluation), new: Describe.evaluationFacets(new.evaluation))
    }

    private mutating func phases(_ old: [Phase], _ new: [Phase]) {
        list(old, new, subject: .phase, id: \.id, ordered: true, facets: Describe.phaseFacets)
        for newPhase in new {
            guard let oldPhase = old.first(where: { $0.id == newPhase.id }) else { continue }
            let id = newPhase.id
            list(oldPhase.tasks, newPhase.tasks, subject: .task, phaseID: id, id: \.id, ordered: true, facets: Describe.taskFacets)
            list(oldPhase.deliverables, newPhase.deliverables, subject: .deliverable, phaseID: id, id: \.id,
                 facets: { [Facet("name", $0.name)] })
            optional(oldPhase.gate, newPhase.gate, subject: .gate, phaseID: id, facets: Describe.gateFacets)
        }
    }

    /// Compares two keyed lists: what was added, removed, changed field by field and, for
    /// `ordered` lists, whether the items both versions have are in another order.
    private mutating func list<T>(_ old: [T], _ new: [T], subject: Change.Subject, phaseID: String? = nil,
                                  id: (T) -> String, ordered: Bool = false, facets describe: (T) -> [Facet]) {
        let oldIDs = old.map(id), newIDs = new.map(id)
        for item in old where !newIDs.contains(id(item)) {
            changes.append(Change(subject: subject, kind: .removed, id: id(item), phaseID: phaseID,
                                  old: Self.summary(describe(item))))
        }
        if ordered {
            let kept = oldIDs.filter(newIDs.contains), keptNow = newIDs.filter(oldIDs.contains)
            if kept != keptNow {
                changes.append(Change(subject: subject, kind: .reordered, phaseID: phaseID,
                                      old: kept.joined(separator: ", "), new: keptNow.joined(separator: ", ")))
            }
        }
        for item in new {
            guard let before = old.first(where: { id($0) == id(item) }) else {
                changes.append(Change(subject: subject, kind: .added, id: id(item), phaseID: phaseID,
                                      new: Self.summary(describe(item))))
                continue
            }
            facets(subject: subject, id: id(item), phaseID: phaseID, old: describe(before), new: describe(item))
        }
    }

    /// Compares something a playbook may or may not have (costs, a phase's gate).
    private mutating func optional<T>(_ old: T?, _ new: T?, subject: Change.Subject, phaseID: String? = nil,
                                      facets describe: (T) -> [Facet]) {
        switch (old, new) {
        case (nil, nil): break
        case (nil, let new?):
            changes.append(Change(subject: subject, kind: .added, phaseID: phaseID, new: Self.summary(describe(new))))
        case (let old?, nil):
            changes.append(Change(subject: subject, kind: .removed, phaseID: phaseID, old: Self.summary(describe(old))))
        case (let old?, let new?):
            facets(subject: subject, phaseID: phaseID, old: describe(old), new: describe(new))
        }
    }

    private mutating func facets(subject: Change.Subject, id: String? = nil, phaseID: String? = nil,
                                 old: [Facet], new: [Facet]) {
        for facet in new {
            let before = old.first { $0.name == facet.name }?.value ?? "none"
            if before != facet.value {
                changes.append(Change(subject: subject, kind: .changed, id: id, phaseID: phaseID, field: facet.name,
                                      old: before, new: facet.value))
            }
        }
    }

    /// `name Train the users; owner key-users; duration 5 days`: the facets that say something.
    private static func summary(_ facets: [Facet]) -> String {
        facets.filter { $0.value != "none" && !$0.value.isEmpty }.map { "\($0.name) \($0.value)" }
            .joined(separator: "; ")
    }
}

/// Each part of a playbook described in words, field by field.
private enum Describe {
    // MARK: Facets of each part

    static func playbookFacets(_ p: Playbook) -> [Facet] {
        [Facet("id", p.id), Facet("version", "\(p.version)"), Facet("title", p.title),
         Facet("description", p.description ?? "none")]
    }

    static func roleFacets(_ r: Role) -> [Facet] {
        [Facet("name", r.name), Facet("side", r.side.rawValue), Facet("duties", words(r.duties)),
         Facet("members", words(r.members))]
    }

    static func goalFacets(_ g: Goal) -> [Facet] {
        [Facet("level", g.level.rawValue), Facet("department", g.department ?? "none"), Facet("statement", g.statement),
         Facet("KPIs", ids(g.kpis))]
    }

    static func kpiFacets(_ k: KPIDefinition) -> [Facet] {
        let baseline = switch k.baseline {
        case .measure: "measured at the start"
        case .value(let value): number(value)
        }
        return [Facet("name", k.name), Facet("metric", k.metric?.id ?? "none"), Facet("sql", k.sql?.query ?? "none"),
                Facet("groups", k.groups.isEmpty ? "every group" : k.groups.map(\.rawValue).joined(separator: ", ")),
                Facet("aggregate", k.aggregate?.rawValue ?? "the metric's default"), Facet("window", days(k.windowDays)),
                Facet("direction", k.direction.rawValue.replacingOccurrences(of: "_", with: " ")),
                Facet("baseline", baseline), Facet("target", k.target.map(number) ?? "none"), Facet("unit", k.unit ?? "none")]
    }

    static func pilotFacets(_ g: PilotGroup) -> [Facet] {
        [Facet("name", g.name), Facet("members", selector(g.members)), Facet("control", g.control.map(selector) ?? "none")]
    }

    static func processFacets(_ p: ProcessModel) -> [Facet] {
        var facets = [Facet("name", p.name), Facet("description", p.description ?? "none"), Facet("entity", p.entity.id),
                      Facet("owner", p.owner?.id ?? "none")]
        for (kind, variant) in [("as-is", p.asIs), ("to-be", p.toBe)] {
            facets.append(Facet("\(kind) states", variant.map { words($0.states.map(state)) } ?? "none"))
            facets.append(Facet("\(kind) transitions", variant.map { words($0.transitions.map(transition)) } ?? "none"))
        }
        return facets
    }

    /// A phase's own fields; its tasks, deliverables and gate are compared one by one.
    static func phaseFacets(_ p: Phase) -> [Facet] {
        [Facet("name", p.name), Facet("description", p.description ?? "none"), Facet("owner", p.owner?.id ?? "none"),
         Facet("duration", days(p.durationDays)), Facet("pilot", p.pilot?.id ?? "none"),
         Facet("actions", words(p.actions.map(action))), Facet("entry criteria", words(p.entry.map(\.text)))]
    }

    static func taskFacets(_ t: PhaseTask) -> [Facet] {
        [Facet("name", t.name), Facet("owner", t.owner.id), Facet("approver", t.approver?.id ?? "none"),
         Facet("consulted", ids(t.consulted)), Facet("informed", ids(t.informed)), Facet("duration", days(t.durationDays)),
         Facet("dependencies", ids(t.dependsOn)), Facet("deliverable", t.deliverable?.id ?? "none")]
    }

    static func gateFacets(_ g: Gate) -> [Facet] {
        [Facet("approvers", ids(g.approvers)), Facet("consulted", ids(g.consulted)), Facet("informed", ids(g.informed)),
         Facet("criteria", words(g.criteria.map(criterion)))]
    }

    static func cycleFacets(_ c: Cycle) -> [Facet] {
        [Facet("name", c.name), Facet("phases", ids(c.phases)), Facet("until", c.until?.text ?? "none"),
         Facet("at most", "\(c.maxIterations) iterations")]
    }

    static func parameterFacets(_ p: PlaybookParameter) -> [Facet] {
        [Facet("value", p.value ?? "none"), Facet("default", p.defaultValue ?? "none"),
         Facet("description", p.description ?? "none")]
    }

    static func costFacets(_ c: CostModel) -> [Facet] {
        let licence = c.licence.map { "\(number($0.perUserPerYear)) per user a year for \($0.users) users" } ?? "none"
        let maintenance = c.maintenance.map { m in
            "contract value \(number(m.contractValue)), \(m.freeYears) free years, rates "
                + m.rates.map { "\(number($0.rate)) from year \($0.fromYear)" + ($0.toYear.map { " to \($0)" } ?? "") }
                    .joined(separator: ", ")
        } ?? "none"
        return [Facet("currency", c.currency), Facet("licence", licence), Facet("implementation", number(c.implementation)),
                Facet("initial internal staff", number(c.internalStaffInitial)),
                Facet("internal staff a year", number(c.internalStaffPerYear)), Facet("training", number(c.training)),
                Facet("maintenance", maintenance)]
    }

    static func benefitFacets(_ b: Benefit) -> [Facet] {
        let kind = switch b.kind {
        case let .timeSaved(role, hours, cost, headcount):
            "time saved: \(number(hours)) h a week at \(number(cost)) an hour for \(headcount) \(role)"
        case let .kpiImprovement(kpi, value): "improvement of \(kpi.id) worth \(number(value)) a unit a year"
        case let .fixed(perYear): "fixed \(number(perYear)) a year"
        }
        return [Facet("name", b.name), Facet("value", kind), Facet("ramp-up", b.rampUp.map(number).joined(separator: ", ")),
                Facet("confidence", number(b.confidence))]
    }

    static func evaluationFacets(_ e: EvaluationSettings) -> [Facet] {
        [Facet("discount rate", number(e.discountRate)), Facet("horizon", "\(e.horizonYears) years"),
         Facet("projection months", e.projectionMonths.map(String.init).joined(separator: ", ")),
         Facet("working weeks a year", number(e.workingWeeksPerYear))]
    }

    // MARK: Words

    static func ids(_ references: [Reference]) -> String { ids(references.map(\.id)) }
    static func ids(_ ids: [String]) -> String { ids.isEmpty ? "none" : ids.joined(separator: ", ") }
    static func words(_ items: [String]) -> String { items.isEmpty ? "none" : items.joined(separator: "; ") }
    static func days(_ n: Int) -> String { n == 1 ? "1 day" : "\(n) days" }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func selector(_ s: GroupSelector) -> String {
        let parts = [("teams", s.teams), ("users", s.users), ("territories", s.territories), ("accounts", s.accounts)]
            .filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1.joined(separator: ", "))" }
        return parts.isEmpty ? "nobody" : parts.joined(separator: "; ")
    }

    static func action(_ step: ActionStep) -> String {
        guard !step.arguments.isEmpty else { return step.name.id }
        let arguments = step.arguments.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return "\(step.name.id) (\(arguments.joined(separator: ", ")))"
    }

    static func criterion(_ c: GateCriterion) -> String {
        switch c {
        case .deliverable(let reference, _): return "deliverable \(reference.id)"
        case .condition(let condition): return condition.text
        case .check(let check): return "check " + action(ActionStep(name: check.check, arguments: check.arguments))
        case .kpi(let k):
            let comparison = switch k.comparison {
            case .atMost(let x): "at most \(number(x))"
            case .atLeast(let x): "at least \(number(x))"
            case .improvesByPercent(let p): "improves by \(number(p)) %"
            case .beatsControl: "beats control"
            case .meetsTarget: "meets target"
            }
            return "\(k.kpi.id)" + (k.group.map { " (\($0.rawValue))" } ?? "") + " \(comparison)"
        }
    }

    static func state(_ s: ProcessState) -> String {
        var flags: [String] = []
        if s.initial { flags.append("initial") }
        if s.final { flags.append("final") }
        if let sla = s.slaHours { flags.append("SLA \(number(sla)) h") }
        return "\(s.id) \(s.name)" + (flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))")
    }

    static func transition(_ t: ProcessTransition) -> String {
        let trigger = switch t.trigger {
        case let .event(event, field): "on \(event.rawValue)" + (field.map { " of \($0)" } ?? "")
        case let .timer(hours): "after \(number(hours)) h"
        case let .action(name, by): "action \(name)" + (by.map { " by \($0.id)" } ?? "")
        }
        var parts = ["\(t.from.id) → \(t.to.id) \(trigger)"]
        if let guardCondition = t.guardCondition { parts.append("if \(guardCondition.text)") }
        if let sla = t.slaHours { parts.append("SLA \(number(sla)) h") }
        if let e = t.escalation { parts.append("escalate to \(e.to.id) after \(number(e.afterHours)) h") }
        if let a = t.assignment { parts.append("assign \(a.strategy.rawValue)" + (a.role.map { " to \($0.id)" } ?? "")) }
        return parts.joined(separator: ", ")
    }
}
