/// Why a report could not be computed, in words a user can act on: `amounts are in CNY and EUR;
/// choose one currency (--currency CNY)`.
public struct AnalysisError: Error, CustomStringConvertible, Sendable, Hashable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
