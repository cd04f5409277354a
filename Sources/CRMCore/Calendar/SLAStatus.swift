/// Where a service-level clock stands: still running (`onTrack`, `atRisk`, `breached`) or
/// stopped by the response or resolution it waited for (`met`, `missed`).
public enum SLAState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Open, before the due instant, with more working time left than the warning threshold.
    case onTrack = "on_track"
    /// Open, before the due instant, with at most the warning threshold left.
    case atRisk = "at_risk"
    /// Open at or after the due instant.
    case breached
    /// Completed at or before the due instant.
    case met
    /// Completed after the due instant.
    case missed

    /// Whether the clock still runs.
    public var isOpen: Bool { self == .onTrack || self == .atRisk || self == .breached }
}

/// A service-level clock at one moment: its state, when it is due, and the working time used,
/// left and overrun. `SLAClock.status(startedAt:completedAt:now:)` computes it.
///
/// Times are working seconds on the clock's calendar, measured up to the completion when there
/// is one and up to `now` otherwise. For an open clock before its due instant, elapsed plus
/// remaining is the target; the minute figures round so that this stays true in minutes.
public struct SLAStatus: Sendable, Hashable, Codable {
    public let state: SLAState
    public let startedAt: Int64
    /// The instant the target runs out.
    public let dueAt: Int64
    /// The first instant at which an open clock counts as at risk (`dueAt` when the warning
    /// threshold is 0, `startedAt` when it is the whole target or more).
    public let atRiskFrom: Int64
    /// The completion that stopped the clock, nil while it runs.
    public let completedAt: Int64?
    /// Working seconds from the start to the completion, or to now.
    public let elapsedSeconds: Int64
    /// Working seconds from the completion, or from now, to the due instant; 0 once past it.
    /// For a met clock: the working time to spare.
    public let remainingSeconds: Int64
    /// Working seconds from the due instant to the completion, or to now; 0 before it.
    public let overdueSeconds: Int64

    /// Whole working minutes elapsed, rounded down.
    public var elapsedMinutes: Int { Int(elapsedSeconds / 60) }
    /// Working minutes remaining, rounded up: 0 only when nothing at all is left.
    public var remainingMinutes: Int { Int((remainingSeconds + 59) / 60) }
    /// Working minutes overdue, rounded up: 1 from the first second past due.
    public var overdueMinutes: Int { Int((overdueSeconds + 59) / 60) }
}
