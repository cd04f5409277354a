import CRMCore
import GRDB
import RolloutMetrics
import Playbook

/// How one business process runs: conformance to each variant of its model, and cycle times
/// before and after the change for pilot and control. What `rollout process stats` prints and
/// the evaluation report's "Business processes" section shows.
public struct ProcessStatistics: Sendable, Hashable, Codable {
    public var processID: String
    public var name: String
    public var entity: String
    /// Records with a trace, per source.
    public var sources: [SourceCount]
    /// What transition times and SLAs are measured in, in words.
    public var clock: String
    /// The business calendar SLAs are held against; nil: elapsed time.
    public var businessCalendar: String?
    /// One per variant written, to-be first. A record is measured on the variant the runtime
    /// ran it on; a record the runtime never ran, on the as-is variant (the to-be when the
    /// model has no as-is).
    public var conformance: [ProcessConformance]
    public var cycleTimes: CycleTimeComparison
    /// What could not be measured, and why.
    public var notes: [String]

    public struct SourceCount: Sendable, Hashable, Codable {
        public var source: ProcessTrace.Source
        public var records: Int
    }

    /// Every record measured.
    public var records: Int { sources.map(\.records).reduce(0, +) }
}

/// A process that cannot be measured as asked.
public struct ProcessStatisticsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Measures the processes of a playbook on a workspace's CRM data and process runtime history.
///
/// ```swift
/// let stats = try workspace.read { db in
///     try ProcessStatisticsBuilder(playbook: playbook, projectID: "acme").measure(db, processID: "lead-handling")
/// }
/// ```
public struct ProcessStatisticsBuilder: Sendable {
    public let playbook: Playbook
    /// The project whose activations and pilot groups count; nil: none (everything is "before").
    public let projectID: String?

    public init(playbook: Playbook, projectID: String?) {
        self.playbook = playbook
        self.projectID = projectID
    }

    /// The statistics of `processID`, or of every process when nil, as of `asOf` (nil: all data).
    public func measure(_ db: Database, processID: String? = nil, asOf: Timestamp? = nil) throws -> [ProcessStatistics] {
        var processes = playbook.processes
        if let processID {
            guard let process = playbook.process(processID) else {
                throw ProcessStatisticsError(playbook.processes.isEmpty
                    ? "the playbook models no processes (no `processes:` section), so there is no process '\(processID)' to measure"
                    : "the playbook has no process '\(processID)'; its processes: "
                        + playbook.processes.map(\.id).joined(separator: ", "))
            }
            processes = [process]
        }
        let calendar = try BusinessCalendarStore.workspaceCalendar(db)
        return try processes.map { try measure($0, calendar: calendar, asOf: asOf, db) }
    }

    private func measure(_ process: ProcessModel, calendar: (name: String, timeZone: String, calendar: BusinessCalendar)?,
                         asOf: Timestamp?, _ db: Database) throws -> ProcessStatistics {
        let reader = ProcessTraces(process: process, asOf: asOf)
        let traces = try reader.read(db)
        var notes: [String] = []
        // The variant CRM data is measured on: CRM data shows the old way of working.
        let crmVariant = process.asIs ?? process.toBe
        func variant(of trace: ProcessTrace) -> ProcessVariant? {
            trace.variant.flatMap { kind in process.variants.first { $0.kind == kind } } ?? crmVariant
        }
        if let crmVariant {
            notes += coverageNotes(process, crmVariant, traces: traces.filter { $0.source != .runtime })
        }
        let untraced = try reader.recordsWithoutHistory(traced: traces.count, db)
        if untraced > 0 {
            notes.append("\(untraced) \(process.entity.id) record\(untraced == 1 ? " has" : "s have") no status history and "
                + "\(untraced == 1 ? "is" : "are") not measured.")
        }

        let conformance = [process.toBe, process.asIs].compactMap { $0 }.map { v in
            ProcessConformance.measure(traces.filter { variant(of: $0)?.kind == v.kind }, on: v, calendar: calendar?.calendar)
        }
        let (changeAt, pilotGroup) = try change(of: process, asOf: asOf, db)
        var sides: CycleTimeComparison.Sides?
        if let projectID, let pilotGroup {
            let groups = MeasuredGroups()
            sides = .init(pilotGroup: pilotGroup,
                          pilot: Set(try groups.members(projectID: projectID, group: .pilot(pilotGroup), db)),
                          control: Set(try groups.members(projectID: projectID, group: .control(pilotGroup), db)))
        }
        let comparison = CycleTimeComparison.compare(traces.compactMap { t in variant(of: t).map { (t, $0) } },
                                                     changeAt: changeAt, sides: sides)
        let clock = calendar.map {
            "working hours on the business calendar '\($0.name)' (\($0.timeZone)); SLAs are held against working hours"
        } ?? "elapsed hours; the workspace has no business calendar, so SLAs are held against elapsed time"
        return ProcessStatistics(
            processID: process.id, name: process.name, entity: process.entity.id,
            sources: ProcessTrace.Source.allCases.compactMap { source in
                let n = traces.filter { $0.source == source }.count
                return n == 0 ? nil : .init(source: source, records: n)
            },
            clock: clock, businessCalendar: calendar?.name, conformance: conformance,
            cycleTimes: comparison, notes: notes)
    }

    /// The process's first activation in the project (the change), if it happened by `asOf`, and
    /// the pilot group to compare: the first pilot activation's, else the project's first.
    private func change(of process: ProcessModel, asOf: Timestamp?, _ db: Database) throws -> (Timestamp?, String?) {
        guard let projectID else { return (nil, nil) }
        let activations = try Row.fetchAll(db, sql: """
            SELECT started_at, pilot_group_id FROM process_activations
            WHERE project_id = ? AND process_id = ? AND started_at <= ?
            ORDER BY started_at, id
            """, arguments: [projectID, process.id, asOf?.secondsSinceEpoch ?? Int64.max])
        let changeAt = activations.first.map { Timestamp(secondsSinceEpoch: $0["started_at"]) }
        let activated: String? = activations.lazy.compactMap { $0["pilot_group_id"] as String? }.first
        let frozen = try MeasuredGroups().groups(projectID: projectID, db).compactMap(\.pilotGroup).first
        return (changeAt, activated ?? frozen)
    }

    /// What CRM data can and cannot show of `variant`: states the entity's status values never
    /// take, and status values the model does not have.
    private func coverageNotes(_ process: ProcessModel, _ variant: ProcessVariant, traces: [ProcessTrace]) -> [String] {
        let entity = process.entity.id
        let kind = variant.kind.label
        guard let values = ProcessTraces.statusValues(of: entity) else {
            return ["The CRM keeps no status history for '\(entity)' records: only records the process runtime ran are measured."]
        }
        let states = variant.states.map(\.id)
        let unseen = states.filter { !values.contains($0) }
        if unseen.count == states.count {
            return ["None of the \(kind) model's states (\(states.joined(separator: ", "))) is a \(entity) status in the CRM "
                + "(\(values.joined(separator: ", "))): nothing can be measured from CRM data, only from the process runtime's "
                + "history. Name the states after the status values to measure the CRM's history."]
        }
        var notes: [String] = []
        if !unseen.isEmpty {
            notes.append("The \(kind) model's state\(unseen.count == 1 ? "" : "s") \(unseen.map { "'\($0)'" }.joined(separator: ", ")) "
                + "\(unseen.count == 1 ? "is not a" : "are not") \(entity) status value\(unseen.count == 1 ? "" : "s") in the CRM, "
                + "so CRM data never shows \(unseen.count == 1 ? "it" : "them").")
        }
        var ignored: [String: Int] = [:]
        for trace in traces {
            for value in Set(trace.steps.map(\.state)) where !states.contains(value) { ignored[value, default: 0] += 1 }
        }
        if !ignored.isEmpty {
            let list = ignored.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "'\($0.key)' (\($0.value) record\($0.value == 1 ? "" : "s"))" }
            notes.append("CRM status values that are not states of the \(kind) model were left out of the traces: "
                + list.joined(separator: ", ") + ".")
        }
        return notes
    }
}
