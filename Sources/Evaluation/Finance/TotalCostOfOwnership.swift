import Playbook

/// What the CRM costs in one column of the TCO table, by category (S2 key point 3).
public struct CostBreakdown: Sendable, Hashable, Codable {
    public let licence: Double
    public let implementation: Double
    public let internalStaff: Double
    public let training: Double
    public let maintenance: Double
    /// The sum of the categories.
    public let total: Double

    public init(licence: Double = 0, implementation: Double = 0, internalStaff: Double = 0, training: Double = 0,
                maintenance: Double = 0) {
        self.licence = licence
        self.implementation = implementation
        self.internalStaff = internalStaff
        self.training = training
        self.maintenance = maintenance
        total = licence + implementation + internalStaff + training + maintenance
    }

    static let zero = CostBreakdown()

    static func + (left: CostBreakdown, right: CostBreakdown) -> CostBreakdown {
        CostBreakdown(licence: left.licence + right.licence,
                      implementation: left.implementation + right.implementation,
                      internalStaff: left.internalStaff + right.internalStaff,
                      training: left.training + right.training,
                      maintenance: left.maintenance + right.maintenance)
    }
}

/// The total cost of ownership over the evaluation horizon (S2 key point 3): the Initial column
/// (one-off costs up to go-live), years 1…H after go-live, and their undiscounted sum.
///
/// ```swift
/// let tco = TotalCostOfOwnership(costs: playbook.costs!, horizonYears: 3)
/// tco.columns[0].costs.total   // implementation + internal staff initial + training
/// tco.total.maintenance        // maintenance over the three years
/// ```
public struct TotalCostOfOwnership: Sendable, Hashable, Codable {
    /// One column of the table: year 0 is the Initial column.
    public struct Column: Sendable, Hashable, Codable {
        public let year: Int
        public let costs: CostBreakdown

        public init(year: Int, costs: CostBreakdown) {
            self.year = year
            self.costs = costs
        }
    }

    /// Initial, Year 1, …, Year H.
    public let columns: [Column]
    /// The sum of all columns, the Initial column included.
    public let total: CostBreakdown

    public init(costs: CostModel, horizonYears: Int) {
        columns = (0...max(0, horizonYears)).map { Column(year: $0, costs: Self.costs(of: costs, inYear: $0)) }
        total = columns.reduce(.zero) { $0 + $1.costs }
    }

    /// The costs of one column. Year 0 (Initial) holds the one-off costs: implementation, internal
    /// staff's initial effort and training. Year t ≥ 1 holds the yearly costs: licences (price per
    /// user × users), internal staff per year and maintenance.
    public static func costs(of model: CostModel, inYear year: Int) -> CostBreakdown {
        if year == 0 {
            return CostBreakdown(implementation: model.implementation, internalStaff: model.internalStaffInitial,
                                 training: model.training)
        }
        guard year > 0 else { return .zero }
        let licence = model.licence.map { $0.perUserPerYear * Double($0.users) } ?? 0
        return CostBreakdown(licence: licence, internalStaff: model.internalStaffPerYear,
                             maintenance: maintenance(model.maintenance, inYear: year))
    }

    /// Maintenance in year `year` after go-live: contract value × the schedule's rate for that year
    /// (0 in the free years and where no rate applies).
    public static func maintenance(_ schedule: MaintenanceSchedule?, inYear year: Int) -> Double {
        guard let schedule, year > 0 else { return 0 }
        return schedule.contractValue * schedule.rate(forYear: year)
    }
}
