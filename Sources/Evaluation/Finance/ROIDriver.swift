/// One input of the ROI that the sensitivity analysis and the Monte Carlo run vary: a benefit's
/// full-year value, a cost category, or the discount rate.
///
/// ```swift
/// ROIDriver(kind: .benefit, id: "sales-admin-time", name: "Sales admin time saved")
/// ROIDriver(kind: .cost, id: "internalStaff", name: "Internal staff")
/// ```
public struct ROIDriver: Sendable, Hashable, Codable {
    /// What the driver is; encoded as `benefit`, `cost` or `discountRate`.
    public enum Kind: String, Sendable, Hashable, Codable {
        case benefit
        case cost
        case discountRate
    }

    public var kind: Kind
    /// The benefit's id; for a cost, the category's key in `CostBreakdown` (`licence`,
    /// `implementation`, `internalStaff`, `training`, `maintenance`); `discountRate` for the rate.
    public var id: String
    /// The name the reports show: the benefit's name, the category's row in the TCO table.
    public var name: String

    public init(kind: Kind, id: String, name: String) {
        self.kind = kind
        self.id = id
        self.name = name
    }
}
