import Evaluation
import Playbook

/// The economics of the bundled playbook, the worked example of docs/finance.md: costs in CNY,
/// licence 1200 × 80 users a year, implementation 350 000, internal staff 120 000 up front and
/// 60 000 a year, training 40 000, maintenance on a 500 000 contract (S2: year 1 free, years 2–3
/// at 4 %, from year 4 at 3 %), two time-saved benefits ramping 50 % → 100 % at 90 % confidence,
/// 46 working weeks, 10 % discount rate, 3 years.
enum FinanceFixtures {
    static let here = SourceLocation(file: "finance-fixture.yaml", line: 1, column: 1)

    static func s2Maintenance(contractValue: Double = 500_000) -> MaintenanceSchedule {
        MaintenanceSchedule(contractValue: contractValue, freeYears: 1, rates: [
            MaintenanceRate(fromYear: 2, toYear: 3, rate: 0.04, location: here),
            MaintenanceRate(fromYear: 4, toYear: nil, rate: 0.03, location: here),
        ])
    }

    static let bundledCosts = CostModel(
        currency: "CNY", licence: Licence(perUserPerYear: 1200, users: 80), implementation: 350_000,
        internalStaffInitial: 120_000, internalStaffPerYear: 60_000, training: 40_000,
        maintenance: s2Maintenance(), location: here)

    static let bundledBenefits = [
        Benefit(id: "sales-admin-time", name: "Sales admin time saved",
                kind: .timeSaved(role: "sales-rep", hoursPerWeek: 2, hourlyCost: 150, headcount: 40),
                rampUp: [0.5, 1], confidence: 0.9, location: here),
        Benefit(id: "service-lookup-time", name: "Service look-up time saved",
                kind: .timeSaved(role: "service-agent", hoursPerWeek: 1.5, hourlyCost: 120, headcount: 30),
                rampUp: [0.5, 1], confidence: 0.9, location: here),
    ]

    static let bundledSettings = EvaluationSettings(discountRate: 0.10, horizonYears: 3, projectionMonths: [6, 12, 24],
                                                    workingWeeksPerYear: 46)

    static func bundledAnalysis(settings: EvaluationSettings = bundledSettings) -> ROIAnalysis {
        ROICalculator.analyse(costs: bundledCosts,
                              benefits: BenefitValuation.resolve(bundledBenefits, settings: settings, kpiImprovements: [:]),
                              settings: settings)
    }

    /// A cost model with only the given one-off and yearly amounts (as implementation and yearly internal staff).
    static func costs(initial: Double, perYear: Double) -> CostModel {
        CostModel(currency: "CNY", implementation: initial, internalStaffPerYear: perYear, location: here)
    }
}
