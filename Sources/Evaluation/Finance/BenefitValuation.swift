import Playbook

/// A benefit with its full yearly value already resolved, ready for the ROI analysis: the caller
/// resolves KPI benefits from measured data (see `BenefitValuation`).
public struct ResolvedBenefit: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// Major units a year at 100 % realisation, before risk adjustment.
    public var fullYearValue: Double
    /// Share realised in years 1, 2, 3, …; the last value repeats; empty means fully realised.
    public var rampUp: [Double]
    /// Share kept after risk adjustment (Forrester TEI), 0…1.
    public var confidence: Double
    /// How the value was derived, in words, for the report.
    public var basis: String

    public init(id: String, name: String, fullYearValue: Double, rampUp: [Double] = [1], confidence: Double = 1,
                basis: String) {
        self.id = id
        self.name = name
        self.fullYearValue = fullYearValue
        self.rampUp = rampUp
        self.confidence = confidence
        self.basis = basis
    }

    /// The ramp-up share of year `year` after go-live (1-based; the last value repeats); 0 before
    /// go-live.
    public func rampShare(inYear year: Int) -> Double {
        guard year > 0 else { return 0 }
        guard let last = rampUp.last else { return 1 }
        return year <= rampUp.count ? rampUp[year - 1] : last
    }

    /// Full-year value × ramp-up share × confidence: the benefit counted for year `year`.
    public func riskAdjustedValue(inYear year: Int) -> Double {
        fullYearValue * rampShare(inYear: year) * confidence
    }
}

/// Turns a playbook's benefits into `ResolvedBenefit`s by putting a yearly value on each.
///
/// ```swift
/// let benefits = BenefitValuation.resolve(playbook.benefits, settings: playbook.evaluation,
///                                         kpiImprovements: ["faster-leads": 3.5])
/// ```
public enum BenefitValuation {
    /// - `timeSaved`: hours a week × hourly cost × headcount × `settings.workingWeeksPerYear`.
    /// - `kpiImprovement`: the improvement in `kpiImprovements[benefit.id]` (in the KPI's units,
    ///   signed so that positive is better) × value of one unit a year; a missing or non-finite
    ///   improvement is valued at 0 and the basis says the KPI is not measured yet.
    /// - `fixed`: the yearly amount.
    ///
    /// Ramp-up and confidence are carried over unchanged.
    public static func resolve(_ benefits: [Benefit], settings: EvaluationSettings,
                               kpiImprovements: [String: Double]) -> [ResolvedBenefit] {
        benefits.map { benefit in
            let (value, basis) = valuation(of: benefit, settings: settings, kpiImprovements: kpiImprovements)
            return ResolvedBenefit(id: benefit.id, name: benefit.name, fullYearValue: value, rampUp: benefit.rampUp,
                                   confidence: benefit.confidence, basis: basis)
        }
    }

    private static func valuation(of benefit: Benefit, settings: EvaluationSettings,
                                  kpiImprovements: [String: Double]) -> (value: Double, basis: String) {
        func n(_ value: Double, _ fractionDigits: Int = 2) -> String {
            FinanceText.number(value, fractionDigits: fractionDigits)
        }
        switch benefit.kind {
        case .timeSaved(let role, let hoursPerWeek, let hourlyCost, let headcount):
            let value = hoursPerWeek * hourlyCost * Double(headcount) * settings.workingWeeksPerYear
            return (value, "\(n(hoursPerWeek)) h a week saved × \(n(hourlyCost)) an hour × \(headcount) people "
                + "(\(role)) × \(n(settings.workingWeeksPerYear)) working weeks = \(n(value)) a year")
        case .kpiImprovement(let kpi, let valuePerUnit):
            guard let improvement = kpiImprovements[benefit.id], improvement.isFinite else {
                return (0, "KPI \(kpi.id) not measured yet: valued at 0 until its improvement is measured "
                    + "(\(n(valuePerUnit)) a year for each unit of improvement)")
            }
            let value = improvement * valuePerUnit
            return (value, "improvement of \(n(improvement, 4)) in KPI \(kpi.id) (pilot's change minus control's, "
                + "positive = better) × \(n(valuePerUnit)) a unit a year = \(n(value)) a year")
        case .fixed(let perYear):
            return (perYear, "fixed estimate of \(n(perYear)) a year by people who know the business")
        }
    }
}
