/// The outcome of one gate criterion.
public struct CriterionResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case passed, failed
        /// The data needed is missing (no measurement, no baseline): not a pass.
        case unknown
    }

    /// What was checked, in words: `lead_response_hours (pilot) at most 12`.
    public var criterion: String
    public var status: Status
    /// The measured value, when there is one.
    public var actual: Double?
    /// Why it passed or failed, with the numbers.
    public var detail: String

    public init(criterion: String, status: Status, actual: Double?, detail: String) {
        self.criterion = criterion
        self.status = status
        self.actual = actual
        self.detail = detail
    }
}
