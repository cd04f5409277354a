/// Where a run stopped.
public enum RunOutcome: Sendable, Hashable, Codable {
    /// The phase has open tasks: `rollout task done` them.
    case waitingForTasks(phaseID: String, taskIDs: [String])
    /// The gate was evaluated and needs the named roles' votes.
    case awaitingDecision(phaseID: String, attempt: Int, passed: Bool, missingRoles: [String])
    /// The next phase's entry criteria do not hold (yet): each unmet one with what it read.
    case waitingForEntry(phaseID: String, unmet: [String])
    /// A phase's action failed (its error is recorded as `action.failed`); rerun after fixing
    /// the cause and the engine tries the action again.
    case actionFailed(phaseID: String, action: String, attempt: Int, message: String)
    case completed
    case stopped(reason: String)
}

/// What a run did and where it stopped.
public struct RunReport: Sendable, Hashable, Codable {
    /// One line per committed step, in order; empty when there was nothing to do.
    public var steps: [String]
    public var outcome: RunOutcome
}

/// The result of `approve`.
public struct ApprovalReport: Sendable, Hashable, Codable {
    public var phaseID: String
    public var attempt: Int
    /// False when the same vote was already recorded (nothing changed).
    public var recorded: Bool
    /// The gate's decision, once every approver role has voted.
    public var decided: GateDecision?
    public var missingRoles: [String]
    public var message: String
}

/// The result of `completeTask`.
public struct TaskReport: Sendable, Hashable, Codable {
    public var taskID: String
    /// False when the task was already done (nothing changed).
    public var recorded: Bool
    public var message: String
}
