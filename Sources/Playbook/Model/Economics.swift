/// What the CRM costs (S2 key point 3): licences, implementation, internal staff, training and
/// maintenance after the free-service period. Amounts are in major units of `currency`.
public struct CostModel: Sendable, Hashable {
    public var currency: String
    public var licence: Licence?
    /// One-off implementation fees, paid at the start (time 0).
    public var implementation: Double
    /// One-off internal costs at the start (staff time on the project, data migration…).
    public var internalStaffInitial: Double
    /// Yearly internal staff cost of running the system (administration, key users).
    public var internalStaffPerYear: Double
    /// One-off training cost at the start.
    public var training: Double
    public var maintenance: MaintenanceSchedule?
    public var location: SourceLocation

    public init(currency: String, licence: Licence? = nil, implementation: Double = 0, internalStaffInitial: Double = 0,
                internalStaffPerYear: Double = 0, training: Double = 0, maintenance: MaintenanceSchedule? = nil,
                location: SourceLocation) {
        self.currency = currency
        self.licence = licence
        self.implementation = implementation
        self.internalStaffInitial = internalStaffInitial
        self.internalStaffPerYear = internalStaffPerYear
        self.training = training
        self.maintenance = maintenance
        self.location = location
    }
}

/// Subscription licences, a yearly cost in years 1…H after go-live, counted at the end of each year
/// like every yearly flow (Forrester TEI; see docs/finance.md).
public struct Licence: Sendable, Hashable {
    public var perUserPerYear: Double
    public var users: Int

    public init(perUserPerYear: Double, users: Int) {
        self.perUserPerYear = perUserPerYear
        self.users = users
    }
}

/// Maintenance after go-live: free for some years, then a share of the contract value a year.
/// S2's example: year 1 free, years 2–3 at 4 %, from year 4 at 3 %.
public struct MaintenanceSchedule: Sendable, Hashable {
    public var contractValue: Double
    public var freeYears: Int
    public var rates: [MaintenanceRate]

    public init(contractValue: Double, freeYears: Int, rates: [MaintenanceRate]) {
        self.contractValue = contractValue
        self.freeYears = freeYears
        self.rates = rates
    }

    /// The rate for year `year` (1-based), 0 in the free years or where no rate applies.
    public func rate(forYear year: Int) -> Double {
        guard year > freeYears else { return 0 }
        return rates.last { $0.fromYear <= year && ($0.toYear.map { year <= $0 } ?? true) }?.rate ?? 0
    }
}

/// `{ years: 2-3, rate: 0.04 }` or `{ from_year: 4, rate: 0.03 }`.
public struct MaintenanceRate: Sendable, Hashable {
    public var fromYear: Int
    /// nil: open-ended.
    public var toYear: Int?
    public var rate: Double
    public var location: SourceLocation

    public init(fromYear: Int, toYear: Int?, rate: Double, location: SourceLocation) {
        self.fromYear = fromYear
        self.toYear = toYear
        self.rate = rate
        self.location = location
    }
}

/// A benefit the rollout is expected to bring (S1 step 5), valued per year.
public struct Benefit: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Time saved per person in a role: hours a week × hourly cost × headcount × working weeks.
        case timeSaved(role: String, hoursPerWeek: Double, hourlyCost: Double, headcount: Int)
        /// A KPI's improvement (pilot's change minus control's change) × value of one unit a year.
        case kpiImprovement(kpi: Reference, valuePerUnit: Double)
        /// A fixed yearly amount estimated by people who know the business (S0 §5).
        case fixed(perYear: Double)
    }

    public var id: String
    public var name: String
    public var kind: Kind
    /// Share of the full benefit realised in years 1, 2, 3… (last value repeats); default [1].
    public var rampUp: [Double]
    /// Share of the benefit kept after risk adjustment (Forrester TEI), 0…1; default 1.
    public var confidence: Double
    public var location: SourceLocation

    public init(id: String, name: String, kind: Kind, rampUp: [Double] = [1], confidence: Double = 1,
                location: SourceLocation) {
        self.id = id
        self.name = name
        self.kind = kind
        self.rampUp = rampUp
        self.confidence = confidence
        self.location = location
    }
}

/// How the ROI is computed: discount rate, horizon, projection points.
public struct EvaluationSettings: Sendable, Hashable {
    public var discountRate: Double
    public var horizonYears: Int
    /// Months after go-live at which the cumulative value is reported (S1: 6, 12, 24).
    public var projectionMonths: [Int]
    /// Working weeks a year used to turn weekly time savings into yearly ones.
    public var workingWeeksPerYear: Double

    public init(discountRate: Double = 0.10, horizonYears: Int = 3, projectionMonths: [Int] = [6, 12, 24],
                workingWeeksPerYear: Double = 46) {
        self.discountRate = discountRate
        self.horizonYears = horizonYears
        self.projectionMonths = projectionMonths
        self.workingWeeksPerYear = workingWeeksPerYear
    }
}
