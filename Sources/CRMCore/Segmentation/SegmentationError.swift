/// Input a customer analysis cannot use, naming the row, customer or feature at fault:
/// `rows[3], feature 'revenue': nan is not a finite number`.
public struct SegmentationError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The index of the row at fault in the input, when the error is about one row.
    public let row: Int?
    /// The customer at fault, when the error is about one customer.
    public let customerId: Int64?
    /// The feature (column) at fault, when the error is about one feature.
    public let feature: String?
    /// Why the input cannot be used.
    public let reason: String

    public init(row: Int? = nil, customerId: Int64? = nil, feature: String? = nil, reason: String) {
        self.row = row
        self.customerId = customerId
        self.feature = feature
        self.reason = reason
    }

    public var description: String {
        let place = [row.map { "rows[\($0)]" }, customerId.map { "customer \($0)" }, feature.map { "feature '\($0)'" }]
            .compactMap { $0 }
            .joined(separator: ", ")
        return place.isEmpty ? reason : "\(place): \(reason)"
    }

    /// The error for a customer id that appears more than once: ties are broken by id, so ids
    /// must be unique.
    static func duplicateIds<C: Collection>(_ ids: C) -> SegmentationError? where C.Element == Int64 {
        var seen = Set<Int64>()
        for id in ids where !seen.insert(id).inserted {
            return SegmentationError(customerId: id, reason: "appears more than once; each customer must appear once")
        }
        return nil
    }
}
