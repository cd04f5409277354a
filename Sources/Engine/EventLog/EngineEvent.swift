import CRMCore
import Foundation

/// A gate decision: the project goes on, stops, or the phase is reworked.
public enum GateDecision: String, Sendable, Hashable, Codable, CaseIterable {
    case go
    case noGo = "no-go"
    case rework

    /// How strongly a vote holds the project back; the most conservative vote decides a gate.
    var severity: Int {
        switch self {
        case .go: 0
        case .rework: 1
        case .noGo: 2
        }
    }
}

/// Something that happened in a project, as recorded in the append-only event log.
///
/// Each case carries the facts needed to rebuild every projection; the log row adds the
/// project, time, actor and idempotency key.
public enum EngineEvent: Sendable, Hashable {
    case projectStarted(ProjectStarted)
    case phaseStarted(PhaseStarted)
    case actionCompleted(ActionCompleted)
    /// An action threw (a plugin's error, a time limit): recorded in its own transaction after
    /// the step rolled back, so the failure is in the log and a rerun tries the action again.
    case actionFailed(ActionFailed)
    case taskCompleted(TaskCompleted)
    case gateEvaluated(GateEvaluated)
    case voteRecorded(VoteRecorded)
    case gateDecided(GateDecided)
    case phaseReworked(PhaseReworked)
    case phaseCompleted(PhaseCompleted)
    case pilotStarted(PilotChanged)
    case pilotEnded(PilotChanged)
    case wentLive(WentLive)
    case projectCompleted(ProjectEnded)
    case projectStopped(ProjectEnded)
    case playbookUpgraded(PlaybookUpgraded)
    case cycleIterationEnded(CycleIterationEnded)

    public var kind: String {
        switch self {
        case .projectStarted: "project.started"
        case .phaseStarted: "phase.started"
        case .actionCompleted: "action.completed"
        case .actionFailed: "action.failed"
        case .taskCompleted: "task.completed"
        case .gateEvaluated: "gate.evaluated"
        case .voteRecorded: "gate.vote-recorded"
        case .gateDecided: "gate.decided"
        case .phaseReworked: "phase.reworked"
        case .phaseCompleted: "phase.completed"
        case .pilotStarted: "pilot.started"
        case .pilotEnded: "pilot.ended"
        case .wentLive: "project.went-live"
        case .projectCompleted: "project.completed"
        case .projectStopped: "project.stopped"
        case .playbookUpgraded: "playbook.upgraded"
        case .cycleIterationEnded: "cycle.iteration-ended"
        }
    }

    public var phaseID: String? {
        switch self {
        case .projectStarted, .wentLive, .projectCompleted, .projectStopped, .playbookUpgraded: nil
        case .phaseStarted(let e): e.phaseID
        case .actionCompleted(let e): e.phaseID
        case .actionFailed(let e): e.phaseID
        case .taskCompleted(let e): e.phaseID
        case .gateEvaluated(let e): e.phaseID
        case .voteRecorded(let e): e.phaseID
        case .gateDecided(let e): e.phaseID
        case .phaseReworked(let e): e.phaseID
        case .phaseCompleted(let e): e.phaseID
        case .pilotStarted(let e), .pilotEnded(let e): e.phaseID
        case .cycleIterationEnded(let e): e.phaseIDs.last
        }
    }

    public struct ProjectStarted: Sendable, Hashable, Codable {
        public var title: String
        public var playbookID: String
        public var playbookVersion: Int
        public var playbookPath: String
        public var playbookSHA256: String
        public var playbookText: String
        public var phaseIDs: [String]
    }

    public struct OpenedTask: Sendable, Hashable, Codable {
        public var taskID: String
        public var position: Int
        public var name: String
        public var ownerRole: String
        public var deliverableID: String?
        public var dueAt: Timestamp?
    }

    public struct PhaseStarted: Sendable, Hashable, Codable {
        public var phaseID: String
        public var plannedEndAt: Timestamp
        public var tasks: [OpenedTask]
    }

    public struct ActionCompleted: Sendable, Hashable, Codable {
        public var phaseID: String
        public var position: Int
        public var action: String
        public var summary: String
    }

    public struct ActionFailed: Sendable, Hashable, Codable {
        public var phaseID: String
        public var position: Int
        public var action: String
        /// The round of the phase's cycle.
        public var iteration: Int
        /// Which try this was: 1 for the first failure of the action in this round.
        public var attempt: Int
        public var message: String
    }

    public struct TaskCompleted: Sendable, Hashable, Codable {
        public var phaseID: String
        public var taskID: String
        public var by: String
        public var note: String?
    }

    public struct GateEvaluated: Sendable, Hashable, Codable {
        public var phaseID: String
        public var attempt: Int
        public var passed: Bool
        public var criteria: [CriterionResult]
        public var snapshotID: Int64?
        public var snapshotSHA256: String?
    }

    public struct VoteRecorded: Sendable, Hashable, Codable {
        public var phaseID: String
        public var attempt: Int
        public var role: String
        public var by: String
        public var decision: GateDecision
        public var note: String?
        /// Gate criteria not met that a go vote goes ahead without; nil in events recorded
        /// before waivers were kept.
        public var waived: [String]?
        /// What a go vote requires to happen next ("train the West team before cut-over").
        public var conditions: [String]?
    }

    public struct GateDecided: Sendable, Hashable, Codable {
        public var phaseID: String
        public var attempt: Int
        public var decision: GateDecision
    }

    public struct PhaseReworked: Sendable, Hashable, Codable {
        public var phaseID: String
        public var attempt: Int
        public var reworkTask: OpenedTask
    }

    public struct PhaseCompleted: Sendable, Hashable, Codable {
        public var phaseID: String
        public var decision: GateDecision?
    }

    public struct PilotChanged: Sendable, Hashable, Codable {
        public var phaseID: String
        public var pilotGroupID: String
    }

    public struct WentLive: Sendable, Hashable, Codable {
        public var phaseID: String
    }

    public struct ProjectEnded: Sendable, Hashable, Codable {
        public var reason: String?
    }

    /// A round of a cycle ended at its last phase's completion: the cycle's phases run again
    /// (`repeat`), or the project goes on past them because `until:` held (`met`) or the cycle ran
    /// `max_iterations` rounds (`exhausted`).
    public struct CycleIterationEnded: Sendable, Hashable, Codable {
        public enum Outcome: String, Sendable, Hashable, Codable {
            case `repeat`, met, exhausted
        }

        public var cycleID: String
        public var iteration: Int
        public var outcome: Outcome
        /// The `until:` condition's result in words, with the values it read.
        public var detail: String
        /// The cycle's phases: pending again, in round `iteration + 1`, when the outcome is `repeat`.
        public var phaseIDs: [String]
    }

    /// The running project moved to another version of its playbook (`rollout run FILE --upgrade`).
    public struct PlaybookUpgraded: Sendable, Hashable, Codable {
        public var fromVersion: Int
        public var fromSHA256: String
        public var toVersion: Int
        public var toSHA256: String
        public var title: String
        public var playbookPath: String
        public var playbookText: String
        /// Every phase of the new version, in its order.
        public var phaseIDs: [String]
        /// The phase that was active, which `openedTasks` and `changedTasks` belong to.
        public var activePhaseID: String?
        /// Tasks the new version adds to the active phase; they open now.
        public var openedTasks: [OpenedTask]
        /// Open tasks of the active phase whose name, owner, deliverable or due date changed.
        public var changedTasks: [OpenedTask]
        /// What changed, in words (`PlaybookDiff.summary`).
        public var changes: [String]
    }
}

extension EngineEvent {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// The JSON stored in `engine_events.payload`.
    func payloadJSON() throws -> String {
        let data: Data
        switch self {
        case .projectStarted(let e): data = try Self.encoder.encode(e)
        case .phaseStarted(let e): data = try Self.encoder.encode(e)
        case .actionCompleted(let e): data = try Self.encoder.encode(e)
        case .actionFailed(let e): data = try Self.encoder.encode(e)
        case .taskCompleted(let e): data = try Self.encoder.encode(e)
        case .gateEvaluated(let e): data = try Self.encoder.encode(e)
        case .voteRecorded(let e): data = try Self.encoder.encode(e)
        case .gateDecided(let e): data = try Self.encoder.encode(e)
        case .phaseReworked(let e): data = try Self.encoder.encode(e)
        case .phaseCompleted(let e): data = try Self.encoder.encode(e)
        case .pilotStarted(let e), .pilotEnded(let e): data = try Self.encoder.encode(e)
        case .wentLive(let e): data = try Self.encoder.encode(e)
        case .projectCompleted(let e), .projectStopped(let e): data = try Self.encoder.encode(e)
        case .playbookUpgraded(let e): data = try Self.encoder.encode(e)
        case .cycleIterationEnded(let e): data = try Self.encoder.encode(e)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes a logged event from its kind and payload.
    static func decode(kind: String, payload: String) throws -> EngineEvent {
        let data = Data(payload.utf8)
        let d = JSONDecoder()
        switch kind {
        case "project.started": return .projectStarted(try d.decode(ProjectStarted.self, from: data))
        case "phase.started": return .phaseStarted(try d.decode(PhaseStarted.self, from: data))
        case "action.completed": return .actionCompleted(try d.decode(ActionCompleted.self, from: data))
        case "action.failed": return .actionFailed(try d.decode(ActionFailed.self, from: data))
        case "task.completed": return .taskCompleted(try d.decode(TaskCompleted.self, from: data))
        case "gate.evaluated": return .gateEvaluated(try d.decode(GateEvaluated.self, from: data))
        case "gate.vote-recorded": return .voteRecorded(try d.decode(VoteRecorded.self, from: data))
        case "gate.decided": return .gateDecided(try d.decode(GateDecided.self, from: data))
        case "phase.reworked": return .phaseReworked(try d.decode(PhaseReworked.self, from: data))
        case "phase.completed": return .phaseCompleted(try d.decode(PhaseCompleted.self, from: data))
        case "pilot.started": return .pilotStarted(try d.decode(PilotChanged.self, from: data))
        case "pilot.ended": return .pilotEnded(try d.decode(PilotChanged.self, from: data))
        case "project.went-live": return .wentLive(try d.decode(WentLive.self, from: data))
        case "project.completed": return .projectCompleted(try d.decode(ProjectEnded.self, from: data))
        case "project.stopped": return .projectStopped(try d.decode(ProjectEnded.self, from: data))
        case "playbook.upgraded": return .playbookUpgraded(try d.decode(PlaybookUpgraded.self, from: data))
        case "cycle.iteration-ended": return .cycleIterationEnded(try d.decode(CycleIterationEnded.self, from: data))
        default: throw EngineError("the event log holds an event of unknown kind '\(kind)'; upgrade rollout")
        }
    }
}

/// An event as stored: the event plus its place in the log.
public struct LoggedEvent: Sendable, Hashable {
    public var seq: Int64
    public var projectID: String
    public var at: Timestamp
    public var actor: String?
    public var idempotencyKey: String
    public var event: EngineEvent
}

/// A refusal or failure of the engine, worded for the person who ran the command.
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
