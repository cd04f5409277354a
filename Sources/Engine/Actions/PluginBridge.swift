import CRMCore
import GRDB
import RolloutMetrics
import Playbook

/// Where a plugin's action or check runs, as the engine knows it.
public struct PluginStepContext: Sendable, Hashable {
    public var projectID: String
    /// The phase running the action or whose gate is evaluated; nil in a process transition.
    public var phaseID: String?
    public var at: Timestamp
    /// Unique per step: a rerun of the same step has the same key.
    public var key: String
    /// The users of the phase's pilot group (empty without one).
    public var pilotUserIDs: [Int64]
    /// In a process transition: the record that moved.
    public var record: Record?

    public struct Record: Sendable, Hashable {
        public var entity: String
        public var id: Int64
        public var processID: String
        public var from: String
        public var to: String
    }
}

/// A check's result as the plugin gave it: passed, failed, or nil when it cannot be known yet.
public struct PluginCheckOutcome: Sendable, Hashable {
    public var passed: Bool?
    public var detail: String

    public init(passed: Bool?, detail: String) {
        self.passed = passed
        self.detail = detail
    }
}

/// What the engine needs of the loaded plugins: their actions (run inside the step's
/// transaction, their writes applied in it) and their checks. RolloutKit implements it over
/// PluginHost, so the engine knows nothing of `dlopen`, JSON or the C ABI.
public protocol PluginBridge: Sendable {
    /// Action id → one-line summary.
    var actionSummaries: [String: String] { get }
    /// Check id → one-line summary.
    var checkSummaries: [String: String] { get }
    /// Runs the action and applies its writes in `db`'s transaction; the summary line.
    func perform(_ action: String, arguments: [String: String], context: PluginStepContext, _ db: Database) throws
        -> String
    func check(_ check: String, arguments: [String: String], context: PluginStepContext) throws -> PluginCheckOutcome
}

/// A plugin's action as a phase step (`actions: [retail.enroll-loyalty]`).
struct PluginEngineAction: EngineAction {
    let name: String
    let summary: String
    let bridge: any PluginBridge

    func perform(_ context: ActionContext, _ db: Database) throws -> ActionOutcome {
        let pilot = try context.phase.pilot.map {
            try MeasuredGroups().members(projectID: context.projectID, group: .pilot($0.id), db)
        } ?? []
        let step = PluginStepContext(projectID: context.projectID, phaseID: context.phase.id, at: context.at,
                                     key: context.key, pilotUserIDs: pilot, record: nil)
        return ActionOutcome(summary: try bridge.perform(name, arguments: context.step.arguments, context: step, db))
    }
}

extension ActionRegistry {
    /// This registry with the plugins' actions added (a built-in name is never replaced).
    public func adding(_ plugins: any PluginBridge) -> ActionRegistry {
        var all = Array(actions.values)
        for (name, summary) in plugins.actionSummaries.sorted(by: { $0.key < $1.key }) where actions[name] == nil {
            all.append(PluginEngineAction(name: name, summary: summary, bridge: plugins))
        }
        return ActionRegistry(all)
    }
}
