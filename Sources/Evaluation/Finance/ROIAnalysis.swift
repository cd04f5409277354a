/// The return on a CRM rollout, as the steering committee reads it (S1 step 5, S2 key point 3):
/// yearly cash flows from go-live over the horizon, NPV, IRR, ROI, payback, the value expected
/// at 6, 12 and 24 months, and the total cost of ownership, with the conventions used and notes.
///
/// Amounts are in major units of `currency`, unrounded: reports round for display. No field is
/// ever NaN or infinite; a figure that is not defined is nil and `notes` says why. Encodes with
/// camelCase keys; lists keep the order of the playbook so the JSON is the same on every run.
///
/// ```swift
/// let analysis = ROICalculator.analyse(costs: costs, benefits: resolved, settings: playbook.evaluation)
/// analysis.npv                  // 534488.20…
/// analysis.paybackMonths        // 18.74…
/// analysis.projections[0]       // value 6 months after go-live
/// analysis.sensitivity.bars[0]   // the driver that moves the NPV most
/// analysis.monteCarlo.p10        // 10 % of the simulated runs end below this NPV
/// ```
public struct ROIAnalysis: Sendable, Codable {
    /// One column of the cash-flow table: year 0 is the Initial column (one-off costs up to go-live).
    public struct Year: Sendable, Hashable, Codable {
        public var year: Int
        public var costs: CostBreakdown
        /// Risk-adjusted benefits of the year, in the order of `ROIAnalysis.benefits`.
        public var benefits: [BenefitAmount]
        public var totalBenefits: Double
        /// totalBenefits − costs.total.
        public var net: Double
        /// 1 / (1 + r)ᵗ; 1 for the Initial column.
        public var discountFactor: Double
        /// net × discountFactor.
        public var presentValue: Double
        public var cumulativeNet: Double
        public var cumulativeDiscountedNet: Double
    }

    /// One benefit's risk-adjusted value in one year.
    public struct BenefitAmount: Sendable, Hashable, Codable {
        public var benefitId: String
        public var value: Double
    }

    /// The cumulative value some months after go-live, undiscounted (S1 step 5: 6, 12, 24 months).
    public struct Projection: Sendable, Hashable, Codable {
        public var months: Int
        public var cumulativeBenefits: Double
        /// Including the Initial column.
        public var cumulativeCosts: Double
        /// cumulativeBenefits − cumulativeCosts.
        public var net: Double
        /// net / cumulativeCosts × 100; nil when cumulativeCosts is not above zero.
        public var roiPercent: Double?
    }

    public var currency: String
    /// The discount rate used, a fraction (0.1 = 10 %).
    public var discountRate: Double
    public var horizonYears: Int
    /// Initial, Year 1, …, Year H.
    public var years: [Year]
    /// CF₀ + Σₜ CFₜ / (1 + r)ᵗ.
    public var npv: Double
    /// What a spreadsheet's `NPV(r, CF0:CFH)` shows: NPV / (1 + r). Not a result; shown so that a
    /// reader checking in a spreadsheet can tell where a difference comes from.
    public var spreadsheetNPV: Double
    /// nil when no rate makes NPV zero (see `notes`).
    public var irr: Double?
    /// (pvBenefits − pvCosts) / pvCosts × 100; nil when pvCosts is not above zero.
    public var roiPercent: Double?
    /// Months after go-live; nil when not paid back within the horizon.
    public var paybackMonths: Double?
    public var discountedPaybackMonths: Double?
    public var pvBenefits: Double
    /// Including the Initial column.
    public var pvCosts: Double
    public var tco: TotalCostOfOwnership
    public var projections: [Projection]
    public var benefits: [ResolvedBenefit]
    /// The NPV with each driver 20 % lower and higher, widest swing first: the tornado.
    public var sensitivity: Sensitivity
    /// P10 / P50 / P90 of the NPV over runs with every driver drawn from its distribution.
    public var monteCarlo: MonteCarlo
    /// How the figures are computed, in sentences, for the report.
    public var conventions: [String]
    /// Warnings and explanations specific to these figures.
    public var notes: [String]
}
