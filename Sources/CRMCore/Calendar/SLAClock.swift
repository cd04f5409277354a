/// A service-level target in working time on a business calendar, with a warning before it is
/// missed: "first response within 4 working hours, at risk with 1 hour left".
///
/// ```swift
/// let firstResponse = try SLAClock(calendar: calendar, targetMinutes: 240, warning: .remainingAtMost(minutes: 60))
/// let status = firstResponse.status(startedAt: ticket.createdAt, completedAt: ticket.firstResponseAt, now: now)
/// status.state          // .onTrack, .atRisk, .breached, .met or .missed
/// status.dueAt          // when the target runs out
/// ```
///
/// The clock runs only in working hours: a ticket created on Friday at 17:00 with a 4-hour
/// target on a Monday–Friday 09:00–18:00 calendar is due on Monday at 12:00.
///
/// The boundaries, precisely (`due` is the instant the target's last working second ends):
/// - A clock completed at or before `due` is `met`, after it `missed`: a response stamped in
///   the very second the target runs out is on time.
/// - An open clock is `breached` from `due` on, including at `due` itself: by then all of the
///   target is used up and nothing remains, so the breach alert fires at that instant rather
///   than a second later. (A response stamped in that same second still turns it into `met`.)
/// - An open clock before `due` is `atRisk` when the working time remaining is at most the
///   warning threshold, `onTrack` otherwise. Equality counts as at risk.
public struct SLAClock: Sendable, Hashable {
    /// When an open clock starts to count as at risk.
    public enum Warning: Sendable, Hashable {
        /// At risk once at most this many working minutes remain.
        case remainingAtMost(minutes: Int)
        /// At risk once at most this fraction of the target remains, 0 to 1: 0.25 of a
        /// 240-minute target warns with 60 working minutes left. The threshold is rounded to
        /// the nearest second.
        case fractionOfTarget(Double)
    }

    /// The longest target accepted: ten years of round-the-clock minutes. Longer is a unit
    /// mistake (seconds typed as minutes), and would make every status a walk over decades.
    public static let maximumTargetMinutes = 10 * 365 * 24 * 60

    public let calendar: BusinessCalendar
    public let targetMinutes: Int
    public let warning: Warning

    /// Throws a `BusinessCalendarError` for a negative or too long target, a negative warning,
    /// or a fraction outside 0...1.
    public init(calendar: BusinessCalendar, targetMinutes: Int, warning: Warning = .fractionOfTarget(0.25)) throws {
        guard (0...Self.maximumTargetMinutes).contains(targetMinutes) else {
            throw BusinessCalendarError(
                setting: "targetMinutes", token: "\(targetMinutes)",
                reason: "a target is 0 to \(Self.maximumTargetMinutes) working minutes")
        }
        switch warning {
        case .remainingAtMost(let minutes) where minutes < 0:
            throw BusinessCalendarError(
                setting: "warning", token: "\(minutes)", reason: "the minutes remaining at the warning must be at least 0")
        case .fractionOfTarget(let fraction) where !(0...1).contains(fraction):
            throw BusinessCalendarError(
                setting: "warning", token: "\(fraction)", reason: "the fraction of the target must be between 0 and 1")
        default:
            break
        }
        self.calendar = calendar
        self.targetMinutes = targetMinutes
        self.warning = warning
    }

    /// When the target runs out for a clock started at `startedAt`.
    public func dueAt(startedAt: Int64) -> Int64 {
        calendar.addingWorkingSeconds(targetSeconds, to: startedAt)
    }

    /// Where the clock stands at `now`.
    ///
    /// A completion after `now` is not known yet at `now`, so the clock is still open: asking
    /// about a past moment gives the answer one would have got then.
    public func status(startedAt: Int64, completedAt: Int64?, now: Int64) -> SLAStatus {
        let due = dueAt(startedAt: startedAt)
        let threshold = thresholdSeconds
        let atRiskFrom = threshold >= targetSeconds
            ? startedAt
            : calendar.addingWorkingSeconds(targetSeconds - threshold, to: startedAt)
        if let completedAt, completedAt <= now {
            let onTime = completedAt <= due
            return SLAStatus(
                state: onTime ? .met : .missed, startedAt: startedAt, dueAt: due, atRiskFrom: atRiskFrom,
                completedAt: completedAt,
                elapsedSeconds: calendar.workingSeconds(from: startedAt, to: completedAt),
                remainingSeconds: calendar.workingSeconds(from: max(startedAt, completedAt), to: due),
                overdueSeconds: calendar.workingSeconds(from: due, to: completedAt))
        }
        let remaining = calendar.workingSeconds(from: max(startedAt, now), to: due)
        let state: SLAState = now >= due ? .breached : remaining <= threshold ? .atRisk : .onTrack
        return SLAStatus(
            state: state, startedAt: startedAt, dueAt: due, atRiskFrom: atRiskFrom, completedAt: nil,
            elapsedSeconds: calendar.workingSeconds(from: startedAt, to: now),
            remainingSeconds: remaining,
            overdueSeconds: calendar.workingSeconds(from: due, to: now))
    }

    private var targetSeconds: Int64 { Int64(targetMinutes) * 60 }

    /// The warning as working seconds remaining.
    private var thresholdSeconds: Int64 {
        switch warning {
        case .remainingAtMost(let minutes): Int64(minutes) * 60
        case .fractionOfTarget(let fraction): Int64((Double(targetSeconds) * fraction).rounded())
        }
    }
}
