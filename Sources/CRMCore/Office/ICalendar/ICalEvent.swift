/// An appointment as an iCalendar file carries it: a visit, a call, a delivery.
///
/// Moments are whole seconds since 1970-01-01T00:00:00Z and are written in UTC, so the
/// calendar program shows them in each reader's own time zone.
public struct ICalEvent: Sendable, Hashable {
    /// Identifies the event across exports, so a calendar updates it instead of adding a
    /// copy: keep it stable, e.g. `activity-1234@rollout.example`.
    public var uid: String
    /// When it starts, in seconds since 1970-01-01T00:00:00Z.
    public var start: Int64
    /// When it ends, in seconds since 1970-01-01T00:00:00Z; not before `start`.
    public var end: Int64
    public var summary: String
    public var location: String?
    /// The longer text of the event (its `DESCRIPTION`).
    public var notes: String?
    public var categories: [String]
    public var status: ICalEventStatus?
    public var organizer: ICalOrganizer?

    public init(uid: String, start: Int64, end: Int64, summary: String, location: String? = nil,
                notes: String? = nil, categories: [String] = [], status: ICalEventStatus? = nil,
                organizer: ICalOrganizer? = nil) {
        self.uid = uid
        self.start = start
        self.end = end
        self.summary = summary
        self.location = location
        self.notes = notes
        self.categories = categories
        self.status = status
        self.organizer = organizer
    }
}

/// Whether an event takes place.
public enum ICalEventStatus: String, Sendable, Hashable, CaseIterable {
    case confirmed = "CONFIRMED"
    case tentative = "TENTATIVE"
    case cancelled = "CANCELLED"
}

/// The person who arranged an event.
public struct ICalOrganizer: Sendable, Hashable {
    public var name: String?
    public var email: String

    public init(name: String? = nil, email: String) {
        self.name = name
        self.email = email
    }
}

/// A calendar or event that cannot be written as iCalendar.
public struct ICalendarError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The `uid` of the event at fault; nil when the calendar itself is.
    public var eventUID: String?
    public var reason: String

    public var description: String {
        guard let eventUID else { return "calendar: \(reason)" }
        return "event \"\(eventUID)\": \(reason)"
    }
}
