/// How a technician's visit to an installed unit ended.
enum VisitOutcome: String, CaseIterable, Sendable {
    /// The unit works again.
    case fixed
    /// Another visit is needed (more work, another technician, a test run).
    case followUp = "follow_up"
    /// A part has to come first; the technician goes back when it arrives.
    case partsOrdered = "parts_ordered"

    var words: String {
        switch self {
        case .fixed: "fixed"
        case .followUp: "follow-up visit needed"
        case .partsOrdered: "parts ordered"
        }
    }
}
