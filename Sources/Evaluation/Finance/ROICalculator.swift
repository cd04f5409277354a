import Playbook

/// Computes the `ROIAnalysis` of a rollout from its cost model, its resolved benefits and the
/// playbook's evaluation settings, by the conventions of Forrester's Total Economic Impact
/// (written out in `ROIAnalysis.conventions` and docs/finance.md).
///
/// ```swift
/// let benefits = BenefitValuation.resolve(playbook.benefits, settings: playbook.evaluation,
///                                         kpiImprovements: improvements)
/// let analysis = ROICalculator.analyse(costs: costs, benefits: benefits, settings: playbook.evaluation)
/// ```
public enum ROICalculator {
    /// Horizons are clamped to 0…100 years, with a note.
    public static let horizonYearsRange = 0...100
    /// Projections outside 0…1 200 months are left out, with a note.
    public static let projectionMonthsRange = 0...1_200

    /// Inputs that are not finite numbers count as 0, a discount rate outside
    /// `InternalRateOfReturn.searchRange` is replaced by 0, and each such repair adds a note, so
    /// that no figure of the result is NaN or infinite.
    ///
    /// The sensitivity analysis and the Monte Carlo run recompute the NPV on the repaired inputs
    /// (`NPVModel`); their defaults are ±20 % and 10 000 runs from the evaluation's fixed seed.
    public static func analyse(costs: CostModel, benefits: [ResolvedBenefit], settings: EvaluationSettings,
                               sensitivity: Sensitivity.Settings = .init(),
                               monteCarlo: MonteCarlo.Settings = .init()) -> ROIAnalysis {
        var notes: [String] = []
        let costs = repaired(costs, notes: &notes)
        let benefits = benefits.map { repaired($0, notes: &notes) }
        let rate = discountRate(settings.discountRate, notes: &notes)
        let horizon = horizonYears(settings.horizonYears, notes: &notes)
        notes += maintenanceNotes(costs.maintenance)

        let tco = TotalCostOfOwnership(costs: costs, horizonYears: horizon)
        let years = cashFlows(tco, benefits: benefits, rate: rate)
        let net = years.map(\.net)
        let pvBenefits = years.reduce(0) { $0 + $1.totalBenefits * $1.discountFactor }
        let pvCosts = years.reduce(0) { $0 + $1.costs.total * $1.discountFactor }
        let roiPercent = pvCosts > 0 ? (pvBenefits - pvCosts) / pvCosts * 100 : nil
        if roiPercent == nil {
            notes.append("ROI is not defined: the present value of the costs is not above zero, so there is "
                + "nothing to divide the net value by.")
        }
        let roots = InternalRateOfReturn.roots(of: net)
        notes += irrNotes(net, roots: roots)
        let payback = Payback.crossings(of: net)
        let discountedPayback = Payback.crossings(of: years.map(\.presentValue))
        notes += paybackNotes(payback, discounted: discountedPayback, years: years)
        let months = projectionMonths(settings.projectionMonths, horizon: horizon, notes: &notes)
        let model = NPVModel(costs: costs, benefits: benefits, rate: rate, horizon: horizon)
        let sensitivity = Sensitivity(model, settings: sensitivity, notes: &notes)
        let monteCarlo = MonteCarlo(model, settings: monteCarlo, notes: &notes)

        return ROIAnalysis(
            currency: costs.currency, discountRate: rate, horizonYears: horizon, years: years,
            npv: NetPresentValue.of(net, rate: rate),
            spreadsheetNPV: NetPresentValue.spreadsheetFormula(net, rate: rate),
            irr: InternalRateOfReturn.closestToZero(roots),
            roiPercent: roiPercent,
            paybackMonths: payback.sustained,
            discountedPaybackMonths: discountedPayback.sustained,
            pvBenefits: pvBenefits, pvCosts: pvCosts, tco: tco,
            projections: months.map { projection(atMonth: $0, costs: costs, benefits: benefits) },
            benefits: benefits,
            sensitivity: sensitivity, monteCarlo: monteCarlo,
            conventions: conventions(currency: costs.currency, rate: rate, horizon: horizon, months: months),
            notes: notes)
    }

    // MARK: Cash flows

    private static func cashFlows(_ tco: TotalCostOfOwnership, benefits: [ResolvedBenefit],
                                  rate: Double) -> [ROIAnalysis.Year] {
        var years: [ROIAnalysis.Year] = []
        var cumulative = 0.0, cumulativeDiscounted = 0.0
        for column in tco.columns {
            let amounts = benefits.map {
                ROIAnalysis.BenefitAmount(benefitId: $0.id, value: $0.riskAdjustedValue(inYear: column.year))
            }
            let totalBenefits = amounts.reduce(0) { $0 + $1.value }
            let net = totalBenefits - column.costs.total
            let factor = NetPresentValue.discountFactor(rate: rate, year: column.year)
            cumulative += net
            cumulativeDiscounted += net * factor
            years.append(ROIAnalysis.Year(
                year: column.year, costs: column.costs, benefits: amounts, totalBenefits: totalBenefits, net: net,
                discountFactor: factor, presentValue: net * factor, cumulativeNet: cumulative,
                cumulativeDiscountedNet: cumulativeDiscounted))
        }
        return years
    }

    /// Undiscounted cumulative value `months` after go-live; each year's flows accrue evenly over
    /// its 12 months. Years past the horizon follow the same rules (ramp-up, maintenance schedule).
    private static func projection(atMonth months: Int, costs: CostModel,
                                   benefits: [ResolvedBenefit]) -> ROIAnalysis.Projection {
        var cumulativeBenefits = 0.0
        var cumulativeCosts = TotalCostOfOwnership.costs(of: costs, inYear: 0).total
        func accrue(year: Int, share: Double) {
            cumulativeBenefits += share * benefits.reduce(0) { $0 + $1.riskAdjustedValue(inYear: year) }
            cumulativeCosts += share * TotalCostOfOwnership.costs(of: costs, inYear: year).total
        }
        let (fullYears, remainingMonths) = months.quotientAndRemainder(dividingBy: 12)
        for year in stride(from: 1, through: fullYears, by: 1) {
            accrue(year: year, share: 1)
        }
        if remainingMonths > 0 {
            accrue(year: fullYears + 1, share: Double(remainingMonths) / 12)
        }
        let net = cumulativeBenefits - cumulativeCosts
        return ROIAnalysis.Projection(months: months, cumulativeBenefits: cumulativeBenefits,
                                      cumulativeCosts: cumulativeCosts, net: net,
                                      roiPercent: cumulativeCosts > 0 ? net / cumulativeCosts * 100 : nil)
    }

    // MARK: Conventions and notes

    private static func conventions(currency: String, rate: Double, horizon: Int, months: [Int]) -> [String] {
        let r = FinanceText.percent(rate)
        let monthList = months.map(String.init).joined(separator: ", ")
        return [
            "Amounts are in \(currency), major units; the figures are computed unrounded and rounded for display.",
            "Time 0 is go-live, the end of cut-over. The Initial column holds the one-off costs incurred up to "
                + "go-live (implementation, internal staff's initial effort, training) and is not discounted.",
            "Years 1 to \(horizon) are the years after go-live. Each year's costs (licences = price per user × "
                + "users; internal staff per year; maintenance = contract value × the schedule's rate for the year, "
                + "0 in the free years) and benefits fall at the end of that year, as in Forrester's Total Economic "
                + "Impact method, and are discounted by (1 + r)^t at r = \(r).",
            "A benefit counts full-year value × the ramp-up share for the year (the last share repeats) × "
                + "confidence, the risk adjustment.",
            "NPV = CF0 + Σ CFt / (1 + r)^t with CF0 = −Initial. A spreadsheet's NPV(r, CF0:CF\(horizon)) also "
                + "discounts CF0 and so shows NPV / (1 + r) (given as the spreadsheet NPV); the correct "
                + "spreadsheet form is CF0 + NPV(r, CF1:CF\(horizon)).",
            "IRR is the rate at which NPV is zero, found by bracketing and bisection to 1e-9 between −99 % and "
                + "10 000 %. There is none when the net cash flows never change sign or no rate in that range "
                + "makes NPV zero; when several rates do, the one closest to zero is shown and a note lists all.",
            "ROI = (PV of benefits − PV of costs) / PV of costs × 100, the PV of costs including the Initial "
                + "column (Forrester); not defined when the PV of costs is zero.",
            "Payback is the number of months after go-live from which the cumulative net cash flow — starting "
                + "at −Initial, each year's net flow accruing evenly over its 12 months — is at or above zero "
                + "and stays there, by linear interpolation; none when not reached within \(horizon) years. The "
                + "discounted payback does the same with each year's discounted net flow.",
            "Values at \(monthList) months are cumulative and undiscounted: benefits, costs including the "
                + "Initial column, their difference, and ROI = net / costs × 100, with each year's flows "
                + "accruing evenly within the year (month 6 = Initial + half of year 1).",
            "Total cost of ownership is the undiscounted sum of the Initial column and years 1 to \(horizon).",
        ]
    }

    private static func maintenanceNotes(_ schedule: MaintenanceSchedule?) -> [String] {
        guard let schedule else { return [] }
        return schedule.rates.filter { $0.rate > 0.05 }.map { rate in
            let years = if let toYear = rate.toYear {
                toYear == rate.fromYear ? "year \(toYear)" : "years \(rate.fromYear)–\(toYear)"
            } else {
                "from year \(rate.fromYear)"
            }
            return "Maintenance at \(FinanceText.percent(rate.rate)) of the contract value a year (\(years)) is "
                + "above 5 %, which S2 (key point 3) calls expensive."
        }
    }

    private static func irrNotes(_ net: [Double], roots: [Double]) -> [String] {
        let signChanges = InternalRateOfReturn.signChanges(in: net)
        switch roots.count {
        case 0 where net.allSatisfy({ $0 == 0 }):
            return ["IRR is not defined: every net cash flow is zero."]
        case 0 where net.allSatisfy({ $0 >= 0 }):
            return ["IRR is not defined: no net cash flow is negative, so nothing is invested and no rate makes "
                + "NPV zero."]
        case 0 where net.allSatisfy({ $0 <= 0 }):
            return ["IRR is not defined: no net cash flow is positive, so the costs are never returned and no "
                + "rate makes NPV zero."]
        case 0:
            return ["IRR is not defined: no discount rate between −99 % and 10 000 % makes NPV zero."]
        case 1 where signChanges > 1:
            return ["The net cash flows change sign \(signChanges) times, so they could have several IRRs; one "
                + "rate between −99 % and 10 000 % makes NPV zero and is shown."]
        case 1:
            return []
        default:
            let rates = roots.map { FinanceText.percent($0, fractionDigits: 4) }.joined(separator: ", ")
            return ["NPV is zero at \(roots.count) rates (\(rates)) because the net cash flows change sign "
                + "\(signChanges) times. The IRR shown is the one closest to zero; judge the project on its NPV."]
        }
    }

    private static func paybackNotes(_ simple: (sustained: Double?, first: Double?),
                                     discounted: (sustained: Double?, first: Double?),
                                     years: [ROIAnalysis.Year]) -> [String] {
        var notes: [String] = []
        let horizon = years.count - 1
        for (kind, flow, crossings, cumulative) in [
            ("payback", "net cash flow", simple, years.last?.cumulativeNet ?? 0),
            ("discounted payback", "discounted net cash flow", discounted, years.last?.cumulativeDiscountedNet ?? 0),
        ] {
            if let first = crossings.first, first != crossings.sustained {
                let outcome = crossings.sustained.map {
                    "is month \(FinanceText.number($0, fractionDigits: 1)), from which it stays at or above zero"
                } ?? "is not reached within the horizon"
                notes.append("The cumulative \(flow) reached zero at month "
                    + "\(FinanceText.number(first, fractionDigits: 1)) but fell below zero again; the \(kind) \(outcome).")
            } else if crossings.sustained == nil {
                notes.append("No \(kind) within the \(horizon)-year horizon: the cumulative \(flow) is "
                    + "\(FinanceText.number(cumulative)) at the end of year \(horizon).")
            }
        }
        return notes
    }

    // MARK: Repairing inputs

    private static func discountRate(_ rate: Double, notes: inout [String]) -> Double {
        if InternalRateOfReturn.searchRange.contains(rate) { return rate }
        notes.append("The discount rate \(FinanceText.percent(rate, fractionDigits: 4)) is not between −99 % and "
            + "10 000 %; the figures are undiscounted (rate 0).")
        return 0
    }

    private static func horizonYears(_ years: Int, notes: inout [String]) -> Int {
        let clamped = min(max(years, horizonYearsRange.lowerBound), horizonYearsRange.upperBound)
        if clamped != years {
            notes.append("The horizon of \(years) years is outside 0–\(horizonYearsRange.upperBound); "
                + "\(clamped) years are used.")
        }
        return clamped
    }

    private static func projectionMonths(_ months: [Int], horizon: Int, notes: inout [String]) -> [Int] {
        let outside = months.filter { !projectionMonthsRange.contains($0) }
        if !outside.isEmpty {
            notes.append("Projections at \(outside.map(String.init).joined(separator: ", ")) months are left out: "
                + "months must be within 0–\(projectionMonthsRange.upperBound).")
        }
        let kept = months.filter { projectionMonthsRange.contains($0) }
        let beyond = kept.filter { $0 > 12 * horizon }
        if !beyond.isEmpty {
            notes.append("Projections at \(beyond.map(String.init).joined(separator: ", ")) months go past the "
                + "\(horizon)-year horizon; the years after it follow the same cost and benefit rules.")
        }
        return kept
    }

    private static func repaired(_ costs: CostModel, notes: inout [String]) -> CostModel {
        var costs = costs
        func finite(_ value: Double, _ what: String) -> Double {
            if value.isFinite { return value }
            notes.append("The \(what) is not a finite number (\(value)); it counts as 0.")
            return 0
        }
        costs.implementation = finite(costs.implementation, "implementation cost")
        costs.internalStaffInitial = finite(costs.internalStaffInitial, "initial internal staff cost")
        costs.internalStaffPerYear = finite(costs.internalStaffPerYear, "yearly internal staff cost")
        costs.training = finite(costs.training, "training cost")
        if var licence = costs.licence {
            licence.perUserPerYear = finite(licence.perUserPerYear, "licence price per user")
            costs.licence = licence
        }
        if var maintenance = costs.maintenance {
            maintenance.contractValue = finite(maintenance.contractValue, "maintenance contract value")
            for index in maintenance.rates.indices {
                let rate = maintenance.rates[index]
                maintenance.rates[index].rate = finite(rate.rate, "maintenance rate from year \(rate.fromYear)")
            }
            costs.maintenance = maintenance
        }
        return costs
    }

    private static func repaired(_ benefit: ResolvedBenefit, notes: inout [String]) -> ResolvedBenefit {
        var benefit = benefit
        let id = benefit.id
        func finite(_ value: Double, _ what: String) -> Double {
            if value.isFinite { return value }
            notes.append("The \(what) of benefit '\(id)' is not a finite number (\(value)); it counts as 0.")
            return 0
        }
        benefit.fullYearValue = finite(benefit.fullYearValue, "full-year value")
        benefit.confidence = finite(benefit.confidence, "confidence")
        benefit.rampUp = benefit.rampUp.map { finite($0, "ramp-up share") }
        return benefit
    }
}
