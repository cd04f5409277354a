import CRMCore
import RolloutMetrics
import Playbook

/// The range of NPVs that the uncertainty in costs and benefits allows (issue #6): the NPV
/// computed again in many runs, each with every driver drawn from a triangular distribution
/// around its value in the playbook, summarised as P10 / P50 / P90, the mean and the probability
/// that the NPV is negative.
///
/// The runs start from a fixed seed (`Settings.defaultSeed`), so the same playbook gives the same
/// range, to the bit, every time the report is written. docs/finance.md gives the distributions
/// and why they were chosen.
///
/// ```swift
/// let analysis = ROICalculator.analyse(costs: costs, benefits: benefits, settings: settings)
/// analysis.monteCarlo.p10                        // 10 % of the runs end below this NPV
/// analysis.monteCarlo.probabilityOfNegativeNPV   // share of the runs that lose money
/// ```
public struct MonteCarlo: Sendable, Hashable, Codable {
    /// How many runs, from which seed, and how wide the distributions are.
    public struct Settings: Sendable, Hashable {
        public static let defaultRuns = 10_000
        /// The evaluation's fixed seed, the one the pilot's bootstrap uses (20 250 303).
        public static let defaultSeed: UInt64 = PilotControlTest.defaultSeed
        public static let defaultBenefitSpread = 0.2
        public static let defaultCostBelow = 0.1
        public static let defaultCostAbove = 0.3
        /// Runs outside 1…1 000 000 are clamped, with a note.
        public static let runsRange = 1...1_000_000

        public var runs: Int
        public var seed: UInt64
        /// A benefit's full-year value ranges over ±w of itself, w = max(benefitSpread, 1 − confidence),
        /// at most 1; 0…1.
        public var benefitSpread: Double
        /// A cost category ranges from costBelow below its amounts…; 0…1.
        public var costBelow: Double
        /// …to costAbove above them; 0…10.
        public var costAbove: Double

        public init(runs: Int = Settings.defaultRuns, seed: UInt64 = Settings.defaultSeed,
                    benefitSpread: Double = Settings.defaultBenefitSpread, costBelow: Double = Settings.defaultCostBelow,
                    costAbove: Double = Settings.defaultCostAbove) {
            self.runs = runs
            self.seed = seed
            self.benefitSpread = benefitSpread
            self.costBelow = costBelow
            self.costAbove = costAbove
        }
    }

    /// The triangular distribution one driver is drawn from, in multiples of its value in the
    /// playbook: from `low` to `high`, most likely `mode` (always 1, the value as planned).
    public struct Distribution: Sendable, Hashable, Codable {
        public var driver: ROIDriver
        public var low: Double
        public var mode: Double
        public var high: Double
    }

    public var runs: Int
    public var seed: UInt64
    /// 10 % of the runs have an NPV below P10, 50 % below P50, 90 % below P90 (linear
    /// interpolation between the sorted NPVs, NumPy's default, as the KPIs' p90).
    public var p10: Double
    public var p50: Double
    public var p90: Double
    public var mean: Double
    /// The share of the runs whose NPV is below zero, 0…1.
    public var probabilityOfNegativeNPV: Double
    /// One per driver that is not zero in the playbook (the discount rate is not drawn): benefits in
    /// the playbook's order, then cost categories in the TCO table's order.
    public var distributions: [Distribution]
    /// How the figures are computed, in sentences for the reports.
    public var method: String

    /// The stream of `SeededRandom` the runs draw from, so that they never share numbers with another
    /// user of the same seed.
    static let stream: UInt64 = 0x4D4F_4E54_4543_4152   // "MONTECAR"

    /// Runs `model` `settings.runs` times. Settings out of range are repaired with a note in `notes`.
    init(_ model: NPVModel, settings: Settings, notes: inout [String]) {
        let settings = Self.repaired(settings, notes: &notes)
        let drawn = model.drivers.filter { !$0.isZero && $0.input != .discountRate }
        let distributions = drawn.map { driver -> (input: NPVModel.Input, triangle: TriangularDistribution) in
            switch driver.input {
            case .benefit(let index):
                let confidence = model.benefits[index].confidence
                let width = min(1, max(settings.benefitSpread, 1 - confidence))
                return (driver.input, TriangularDistribution(low: 1 - width, mode: 1, high: 1 + width))
            default:
                return (driver.input, TriangularDistribution(low: 1 - settings.costBelow, mode: 1,
                                                             high: 1 + settings.costAbove))
            }
        }

        let base = model.npv()
        var random = SeededRandom(seed: settings.seed, stream: Self.stream)
        var run = model   // one model, changed in place: a run allocates nothing
        var npvs: [Double] = []
        npvs.reserveCapacity(settings.runs)
        var deviations = 0.0, negative = 0
        for _ in 0..<settings.runs {
            for (input, triangle) in distributions {
                run.set(input, to: triangle.quantile(random.unit()), of: model)
            }
            let npv = run.npv()
            npvs.append(npv)
            // Summing deviations from the base keeps the mean exact when nothing varies.
            deviations += npv - base
            if npv < 0 { negative += 1 }
        }

        runs = settings.runs
        seed = settings.seed
        npvs.sort()
        p10 = KPIDefinition.Aggregate.percentile(0.1, of: npvs) ?? base
        p50 = KPIDefinition.Aggregate.percentile(0.5, of: npvs) ?? base
        p90 = KPIDefinition.Aggregate.percentile(0.9, of: npvs) ?? base
        mean = base + deviations / Double(settings.runs)
        probabilityOfNegativeNPV = Double(negative) / Double(settings.runs)
        self.distributions = zip(drawn, distributions).map { driver, distribution in
            Distribution(driver: driver.driver, low: distribution.triangle.low, mode: distribution.triangle.mode,
                         high: distribution.triangle.high)
        }
        method = Self.method(settings)
    }

    private static func repaired(_ settings: Settings, notes: inout [String]) -> Settings {
        var settings = settings
        if !Settings.runsRange.contains(settings.runs) {
            let clamped = min(max(settings.runs, Settings.runsRange.lowerBound), Settings.runsRange.upperBound)
            notes.append("The number of Monte Carlo runs, \(settings.runs), is outside 1–1000000; \(clamped) is used.")
            settings.runs = clamped
        }
        func share(_ value: Double, _ range: ClosedRange<Double>, _ fallback: Double, _ what: String) -> Double {
            if value.isFinite, range.contains(value) { return value }
            let repaired = value.isFinite ? min(max(value, range.lowerBound), range.upperBound) : fallback
            notes.append("The Monte Carlo \(what) \(value) is not a number in \(FinanceText.number(range.lowerBound))–"
                + "\(FinanceText.number(range.upperBound)); \(FinanceText.number(repaired, fractionDigits: 4)) is used.")
            return repaired
        }
        settings.benefitSpread = share(settings.benefitSpread, 0...1, Settings.defaultBenefitSpread, "benefit spread")
        settings.costBelow = share(settings.costBelow, 0...1, Settings.defaultCostBelow, "cost spread below")
        settings.costAbove = share(settings.costAbove, 0...10, Settings.defaultCostAbove, "cost spread above")
        return settings
    }

    private static func method(_ settings: Settings) -> String {
        let b = FinanceText.percent(settings.benefitSpread)
        let below = FinanceText.percent(settings.costBelow), above = FinanceText.percent(settings.costAbove)
        return "\(settings.runs) runs from the fixed seed \(settings.seed), so the same playbook always gives the "
            + "same range. Each run draws every driver independently from a triangular distribution whose most "
            + "likely value is the playbook's, and computes the NPV again: a benefit's full-year value from \(b) "
            + "below to \(b) above it, or ±(1 − confidence) when that is wider (a benefit at 60 % confidence "
            + "ranges over ±40 %); a cost category's amounts from \(below) below to \(above) above them, because "
            + "overruns are likelier than savings. A draw holds for every year of the run. The discount rate, "
            + "ramp-up and confidence stay as in the playbook. P10, P50 and P90 interpolate linearly between the "
            + "sorted NPVs: 10 % of the runs end below P10, 10 % above P90."
    }
}

/// A triangular distribution from `low` to `high`, most likely `mode`: the three-point estimate of
/// Forrester's TEI risk analysis, drawn by its inverse distribution function.
struct TriangularDistribution: Sendable, Hashable {
    var low: Double
    var mode: Double
    var high: Double

    /// The value below which a share `p` (0…1) of the draws fall; `mode` when the range is empty.
    func quantile(_ p: Double) -> Double {
        guard high > low else { return mode }
        if p * (high - low) < mode - low {
            return low + (p * (high - low) * (mode - low)).squareRoot()
        }
        return high - ((1 - p) * (high - low) * (high - mode)).squareRoot()
    }
}
