import CRMCore
import Evaluation
import Playbook

/// What the playbook's cost model costs month by month in the first year after go-live, and
/// year by year over the evaluation horizon: Evaluation's TCO table, spread over months.
///
/// The months follow `ROICalculator`'s convention for its 6- and 12-month projections: a year's
/// costs accrue evenly over its 12 months, so months 1–12 add up to year 1 of the TCO. The
/// Initial column (implementation, internal staff's initial effort, training) is one-off, up to
/// go-live, and is not spread.
public struct PlannedCosts: Sendable, Hashable, Codable {
    /// One month after go-live.
    public struct Month: Sendable, Hashable, Codable {
        /// 1…12.
        public var month: Int
        /// The day it starts, when the plan has a go-live date.
        public var from: Timestamp?
        public var costs: CostBreakdown
    }

    public var currency: String
    /// The one-off costs up to go-live (the TCO's Initial column).
    public var initial: CostBreakdown
    public var months: [Month]
    /// The TCO table: Initial, year 1…horizon, and the total.
    public var tco: TotalCostOfOwnership

    init(costs: CostModel, settings: EvaluationSettings, goLive: Timestamp?) {
        let tco = TotalCostOfOwnership(costs: costs, horizonYears: max(1, settings.horizonYears))
        let year = TotalCostOfOwnership.costs(of: costs, inYear: 1)
        let month = CostBreakdown(licence: year.licence / 12, implementation: year.implementation / 12,
                                  internalStaff: year.internalStaff / 12, training: year.training / 12,
                                  maintenance: year.maintenance / 12)
        currency = costs.currency
        initial = TotalCostOfOwnership.costs(of: costs, inYear: 0)
        months = (1...12).map { Month(month: $0, from: goLive?.adding(months: $0 - 1), costs: month) }
        self.tco = tco
    }
}
