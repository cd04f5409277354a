/// A business calendar or SLA setting that cannot be used, naming the setting, the offending
/// piece of input and why, so the person who wrote it can fix it:
/// `hours: 'fry': unknown day; use mon, tue, wed, thu, fri, sat or sun`.
public struct BusinessCalendarError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The setting at fault: `timeZone`, `hours`, `holidays`, `extraWorkingDays`,
    /// `extraWorkingDaysUseHoursOf`, `targetMinutes` or `warning`.
    public let setting: String
    /// The piece of input at fault (a day name, an interval, a date), when there is one.
    public let token: String?
    /// Why it cannot be used, and what would work instead.
    public let reason: String

    public init(setting: String, token: String? = nil, reason: String) {
        self.setting = setting
        self.token = token
        self.reason = reason
    }

    public var description: String {
        if let token { return "\(setting): '\(token)': \(reason)" }
        return "\(setting): \(reason)"
    }

    /// The same error, attributed to another setting (a date parsed for `holidays`, say).
    func attributed(to setting: String) -> BusinessCalendarError {
        BusinessCalendarError(setting: setting, token: token, reason: reason)
    }
}
