import Playbook

/// The analysis's NPV as a function of its inputs, so that the sensitivity analysis and the Monte
/// Carlo run can recompute it with drivers changed. It computes the NPV and nothing else, by the
/// rules of `ROICalculator` and in the same order of operations: costs from
/// `TotalCostOfOwnership.costs(of:inYear:)`, benefits from `ResolvedBenefit.riskAdjustedValue`,
/// net flows discounted by `NetPresentValue.discountFactor`. On unchanged inputs it returns the
/// analysis's NPV to the last bit.
///
/// ```swift
/// let model = NPVModel(costs: costs, benefits: benefits, rate: 0.1, horizon: 3)
/// model.npv()                                        // the analysis's NPV
/// model.scaled(.implementation, by: 1.2).npv()       // with implementation 20 % dearer
/// ```
struct NPVModel: Sendable {
    /// What scaling a driver changes.
    enum Input: Hashable, Sendable {
        /// The full-year value of `benefits[index]`.
        case benefit(Int)
        /// The licence price per user (so every year's licences).
        case licence
        case implementation
        /// The initial effort and the yearly cost together: one row of the TCO table.
        case internalStaff
        case training
        /// The contract value (so every year's maintenance).
        case maintenance
        case discountRate
    }

    /// One driver as the inputs have it.
    struct Driver: Sendable {
        var input: Input
        var driver: ROIDriver
        /// A benefit's full-year value; a cost category's undiscounted total over the horizon, the
        /// Initial column included; the discount rate.
        var baseValue: Double
        /// True when the driver counts for nothing within the horizon, so that scaling it cannot move
        /// the NPV: a benefit valued at 0 (or at 0 % confidence, or 0 % ramp-up in every year), a cost
        /// category with no amount in any column, a discount rate of 0 or a horizon of 0 years.
        var isZero: Bool
    }

    /// Costs and benefits as repaired by `ROICalculator` (finite amounts).
    var costs: CostModel
    var benefits: [ResolvedBenefit]
    /// Inside `InternalRateOfReturn.searchRange`.
    var rate: Double
    /// At least 0.
    var horizon: Int

    /// CF₀ + Σₜ CFₜ / (1 + r)ᵗ, with CFₜ = risk-adjusted benefits − costs of year t.
    func npv() -> Double {
        var npv = 0.0
        for year in 0...max(0, horizon) {
            let benefits = self.benefits.reduce(0) { $0 + $1.riskAdjustedValue(inYear: year) }
            let net = benefits - TotalCostOfOwnership.costs(of: costs, inYear: year).total
            npv += net * NetPresentValue.discountFactor(rate: rate, year: year)
        }
        return npv
    }

    /// Every driver, in the order the reports list them before sorting: the benefits in the
    /// playbook's order, the cost categories in the TCO table's order, the discount rate.
    var drivers: [Driver] {
        let tco = TotalCostOfOwnership(costs: costs, horizonYears: horizon)
        let benefitDrivers = benefits.enumerated().map { index, benefit in
            let counted = stride(from: 1, through: horizon, by: 1).contains { benefit.riskAdjustedValue(inYear: $0) != 0 }
            return Driver(input: .benefit(index), driver: ROIDriver(kind: .benefit, id: benefit.id, name: benefit.name),
                          baseValue: benefit.fullYearValue, isZero: !counted)
        }
        let categories: [(Input, String, String, KeyPath<CostBreakdown, Double>)] = [
            (.licence, "licence", "Licences", \.licence),
            (.implementation, "implementation", "Implementation", \.implementation),
            (.internalStaff, "internalStaff", "Internal staff", \.internalStaff),
            (.training, "training", "Training", \.training),
            (.maintenance, "maintenance", "Maintenance", \.maintenance),
        ]
        let costDrivers = categories.map { input, id, name, amount in
            Driver(input: input, driver: ROIDriver(kind: .cost, id: id, name: name), baseValue: tco.total[keyPath: amount],
                   isZero: tco.columns.allSatisfy { $0.costs[keyPath: amount] == 0 })
        }
        let rateDriver = Driver(input: .discountRate,
                                driver: ROIDriver(kind: .discountRate, id: "discountRate", name: "Discount rate"),
                                baseValue: rate, isZero: rate == 0 || horizon == 0)
        return benefitDrivers + costDrivers + [rateDriver]
    }

    /// Sets `input` to `factor` × its value in `base`, leaving everything else as it is. The Monte
    /// Carlo run calls it on one reused model, so that a run allocates nothing.
    mutating func set(_ input: Input, to factor: Double, of base: NPVModel) {
        switch input {
        case .benefit(let index):
            benefits[index].fullYearValue = base.benefits[index].fullYearValue * factor
        case .licence:
            if let price = base.costs.licence?.perUserPerYear { costs.licence?.perUserPerYear = price * factor }
        case .implementation:
            costs.implementation = base.costs.implementation * factor
        case .internalStaff:
            costs.internalStaffInitial = base.costs.internalStaffInitial * factor
            costs.internalStaffPerYear = base.costs.internalStaffPerYear * factor
        case .training:
            costs.training = base.costs.training * factor
        case .maintenance:
            if let contract = base.costs.maintenance?.contractValue { costs.maintenance?.contractValue = contract * factor }
        case .discountRate:
            rate = base.rate * factor
        }
    }

    /// This model with `input` at `factor` × its value, everything else unchanged.
    func scaled(_ input: Input, by factor: Double) -> NPVModel {
        var model = self
        model.set(input, to: factor, of: self)
        return model
    }
}
