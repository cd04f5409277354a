import CRMCore
import Foundation
import RolloutMetrics
import Playbook

/// How far the records' histories follow one variant of a process model: the share that
/// conforms, the most common deviations, and the time each modelled transition took against
/// its SLA.
///
/// A trace conforms when it starts in the initial state and every move in it is a modelled
/// transition. A record still on its way (not in a final state yet) can conform.
///
/// ```swift
/// let conformance = ProcessConformance.measure(traces, on: process.toBe!, calendar: nil)
/// conformance.conformingPercent   // 75.0
/// conformance.deviations.first?.summary   // "new → converted: 41 records (skips a modelled step)"
/// ```
public struct ProcessConformance: Sendable, Hashable, Codable {
    public var variant: ProcessVariant.Kind
    /// Records with at least one state of the variant in their trace.
    public var recordsMeasured: Int
    public var recordsConforming: Int
    /// 100 × conforming / measured; nil when nothing was measured.
    public var conformingPercent: Double?
    /// The most common deviations first (at most `maximumDeviations`), counted in records.
    public var deviations: [ProcessDeviation]
    /// One row per modelled `from → to` pair, in the order the model lists them.
    public var transitions: [TransitionTimes]

    /// How many deviations a result keeps.
    public static let maximumDeviations = 10

    /// Replays each trace on `variant`'s state machine. Traces are restricted to the variant's
    /// states first (`ProcessTrace.restricted(to:)`); times are wall-clock hours, and also
    /// working hours on `calendar` when there is one, which is then what SLAs are held against.
    public static func measure(_ traces: [ProcessTrace], on variant: ProcessVariant,
                               calendar: BusinessCalendar?) -> ProcessConformance {
        let machine = StateMachine(variant)
        var measured = 0, conforming = 0
        var deviationRecords: [ProcessDeviation.Key: Int] = [:]
        var durations: [Pair: [(wall: Double, business: Double?)]] = [:]
        for trace in traces.map({ $0.restricted(to: variant) }) where !trace.steps.isEmpty {
            measured += 1
            let found = machine.deviations(of: trace.steps.map(\.state))
            if found.isEmpty { conforming += 1 }
            for key in Set(found) { deviationRecords[key, default: 0] += 1 }
            for (step, next) in zip(trace.steps, trace.steps.dropFirst()) {
                let pair = Pair(from: step.state, to: next.state)
                guard machine.modelled.contains(pair) else { continue }
                let wall = Double(step.at.seconds(until: next.at)) / 3600
                let business = calendar.map {
                    Double($0.workingSeconds(from: step.at.secondsSinceEpoch, to: next.at.secondsSinceEpoch)) / 3600
                }
                durations[pair, default: []].append((wall, business))
            }
        }
        let deviations = deviationRecords
            .map { ProcessDeviation(key: $0.key, records: $0.value) }
            .sorted { ($1.records, $0.summary) < ($0.records, $1.summary) }
        return ProcessConformance(
            variant: variant.kind, recordsMeasured: measured, recordsConforming: conforming,
            conformingPercent: measured == 0 ? nil : 100 * Double(conforming) / Double(measured),
            deviations: Array(deviations.prefix(maximumDeviations)),
            transitions: machine.pairs.map { pair in
                TransitionTimes(pair: pair, variant: variant, durations: durations[pair] ?? [], onCalendar: calendar != nil)
            })
    }
}

extension ProcessVariant.Kind {
    /// `to-be` or `as-is`, as reports write it.
    public var label: String { self == .toBe ? "to-be" : "as-is" }
}

/// One way records left the model, and how many records did so.
public struct ProcessDeviation: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The first state is not the initial one.
        case wrongStart = "wrong_start"
        /// A move to a state the model reaches only through other states.
        case skipsStep = "skips_step"
        /// A move back to a state the model passes before.
        case goesBack = "goes_back"
        /// A move out of a final state.
        case leavesFinal = "leaves_final"
        /// A move the model has no path for.
        case notModelled = "not_modelled"
    }

    struct Key: Hashable {
        var kind: Kind
        var from: String?
        var to: String
    }

    public var kind: Kind
    /// The state left; nil for a wrong start.
    public var from: String?
    /// The state entered (the first state, for a wrong start).
    public var to: String
    /// Records with this deviation at least once.
    public var records: Int
    /// `new → converted: 41 records (skips a modelled step)`, `starts in 'contacted': 3 records`.
    public var summary: String

    init(key: Key, records: Int) {
        kind = key.kind
        from = key.from
        to = key.to
        self.records = records
        let count = "\(records) record\(records == 1 ? "" : "s")"
        summary = switch key.kind {
        case .wrongStart: "starts in '\(key.to)': \(count)"
        case .skipsStep: "\(key.from ?? "?") → \(key.to): \(count) (skips a modelled step)"
        case .goesBack: "\(key.from ?? "?") → \(key.to): \(count) (goes back to an earlier state)"
        case .leavesFinal: "\(key.from ?? "?") → \(key.to): \(count) (leaves a final state)"
        case .notModelled: "\(key.from ?? "?") → \(key.to): \(count) (not a modelled transition)"
        }
    }
}

/// The time records took over one modelled `from → to` transition, against its SLA.
///
/// A transition's time runs from the record's entering `from` to its entering `to`. Several
/// transitions of the model between the same two states (an action and a timer) are one row:
/// the history does not say which of them fired.
public struct TransitionTimes: Sendable, Hashable, Codable {
    public enum SLASource: String, Sendable, Hashable, Codable {
        /// The transition's own `sla:`.
        case transition
        /// The source state's `sla:` (the transition has none).
        case state
    }

    public var from: String
    public var to: String
    /// How the model moves records: `event activity_logged`, `action convert by sales-rep`, `after 336h`.
    public var triggers: [String]
    /// Moves recorded over this transition.
    public var count: Int
    /// Median elapsed (wall-clock) hours.
    public var medianHours: Double?
    /// Median working hours on the workspace's business calendar; nil without one.
    public var medianBusinessHours: Double?
    /// The SLA in hours: the smallest `sla:` of the transitions between the two states, else
    /// the source state's `sla:`; nil when neither has one.
    public var slaHours: Double?
    public var slaSource: SLASource?
    /// Moves that took at most `slaHours` (working hours with a business calendar, else elapsed).
    public var withinSLA: Int?
    public var withinSLAPercent: Double?

    init(pair: Pair, variant: ProcessVariant, durations: [(wall: Double, business: Double?)], onCalendar: Bool) {
        let modelled = variant.transitions.filter { $0.from.id == pair.from && $0.to.id == pair.to }
        from = pair.from
        to = pair.to
        triggers = modelled.map { Self.describe($0.trigger) }
        count = durations.count
        medianHours = KPIDefinition.Aggregate.percentile(0.5, of: durations.map(\.wall))
        medianBusinessHours = onCalendar ? KPIDefinition.Aggregate.percentile(0.5, of: durations.compactMap(\.business)) : nil
        if let sla = modelled.compactMap(\.slaHours).min() {
            slaHours = sla
            slaSource = .transition
        } else if let sla = variant.state(pair.from)?.slaHours {
            slaHours = sla
            slaSource = .state
        }
        if let sla = slaHours, !durations.isEmpty {
            let within = durations.filter { ($0.business ?? $0.wall) <= sla }.count
            withinSLA = within
            withinSLAPercent = 100 * Double(within) / Double(durations.count)
        }
    }

    static func describe(_ trigger: ProcessTransition.Trigger) -> String {
        switch trigger {
        case .event(let event, let field): "event \(event.rawValue)" + (field.map { "(\($0))" } ?? "")
        case .timer(let hours): "after \(Self.hours(hours))"
        case .action(let action, let by): "action \(action)" + (by.map { " by \($0.id)" } ?? "")
        }
    }

    /// `4h`, `1.5h`.
    static func hours(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))h" : String(format: "%gh", value)
    }
}

/// A move between two states, modelled or not.
struct Pair: Hashable {
    var from: String
    var to: String
}

/// A variant's transitions as a graph: which moves are modelled, and which states can be
/// reached from which, to tell a skipped step from a step back.
struct StateMachine {
    let initial: String?
    let finals: Set<String>
    /// The modelled pairs, in the order the model lists them, each once.
    let pairs: [Pair]
    let modelled: Set<Pair>
    private let successors: [String: [String]]

    init(_ variant: ProcessVariant) {
        initial = variant.initialState?.id
        finals = Set(variant.finalStates.map(\.id))
        var pairs: [Pair] = []
        var successors: [String: [String]] = [:]
        for transition in variant.transitions {
            let pair = Pair(from: transition.from.id, to: transition.to.id)
            guard !pairs.contains(pair) else { continue }
            pairs.append(pair)
            successors[pair.from, default: []].append(pair.to)
        }
        self.pairs = pairs
        self.modelled = Set(pairs)
        self.successors = successors
    }

    /// Whether the model leads from `start` to `goal` over at least one transition.
    func reaches(_ goal: String, from start: String) -> Bool {
        var seen: Set<String> = []
        var queue = successors[start] ?? []
        while let state = queue.popLast() {
            if state == goal { return true }
            if seen.insert(state).inserted { queue += successors[state] ?? [] }
        }
        return false
    }

    /// The deviations of a sequence of states, in order (empty: it conforms).
    func deviations(of states: [String]) -> [ProcessDeviation.Key] {
        var found: [ProcessDeviation.Key] = []
        if let first = states.first, let initial, first != initial {
            found.append(.init(kind: .wrongStart, from: nil, to: first))
        }
        for (from, to) in zip(states, states.dropFirst()) where !modelled.contains(Pair(from: from, to: to)) {
            let kind: ProcessDeviation.Kind =
                if finals.contains(from) { .leavesFinal }
                else if reaches(to, from: from) { .skipsStep }
                else if reaches(from, from: to) { .goesBack }
                else { .notModelled }
            found.append(.init(kind: kind, from: from, to: to))
        }
        return found
    }
}
