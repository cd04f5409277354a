import CRMCore
import Foundation
import RolloutMetrics
import Playbook

/// The summary of one sample: size, mean and sample variance (n − 1 in the denominator).
public struct SampleSummary: Sendable, Hashable, Codable {
    public var count: Int
    public var mean: Double?
    /// nil below two observations.
    public var variance: Double?

    public init(_ values: [Double]) {
        count = values.count
        guard !values.isEmpty else { return }
        let mean = values.reduce(0, +) / Double(values.count)
        self.mean = mean
        if values.count > 1 {
            variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        }
    }
}

/// Pilot against control on one KPI (S1 step 3): the difference in differences, with its 95 %
/// bootstrap confidence interval and a Welch t-test.
///
/// The four samples (pilot and control, before and after) are independent observations of the
/// KPI's unit (a lead's first-response hours, a ticket's resolution time). The estimate uses
/// the KPI's own aggregate `A` (mean, median, p90, …), as the report's KPI values do:
///
///     DiD = (A(pilot after) − A(pilot before)) − (A(control after) − A(control before))
///
/// The confidence interval is the percentile bootstrap of that estimate: each sample is
/// resampled with replacement on its own, the DiD computed again, `resamples` times from a fixed
/// seed; the interval runs from the 2.5th to the 97.5th percentile (linear interpolation between
/// order statistics). The same data and seed always give the same interval.
///
/// The test is Welch's, on the means: `t = DiD of means / √(Σ s²ᵢ / nᵢ)` with the
/// Welch–Satterthwaite degrees of freedom `(Σ vᵢ)² / Σ (vᵢ² / (nᵢ − 1))`, `vᵢ = s²ᵢ / nᵢ`: the
/// two-sample test extended to a contrast of four means. The p-value is two-sided.
public struct PilotControlTest: Sendable, Hashable, Codable {
    public var pilotBefore: SampleSummary
    public var pilotAfter: SampleSummary
    public var controlBefore: SampleSummary
    public var controlAfter: SampleSummary
    /// The KPI's aggregate the estimate and the interval use.
    public var aggregate: KPIDefinition.Aggregate
    /// The estimate; nil when a sample is empty.
    public var differenceInDifferences: Double?
    /// The difference in differences of the means, which the t-test tests.
    public var meanDifferenceInDifferences: Double?
    public var standardError: Double?
    public var degreesOfFreedom: Double?
    public var tStatistic: Double?
    public var pValue: Double?
    public var confidenceLevel = 0.95
    public var confidenceInterval: ClosedRange<Double>?
    public var resamples: Int
    public var seed: UInt64
    /// Why the result should not be relied on, in words (small groups, no variance).
    public var warnings: [String]

    /// Below this many observations in a sample the test warns that nothing can be concluded.
    public static let minimumSampleSize = 10
    public static let defaultSeed: UInt64 = 20_250_303
    public static let defaultResamples = 2_000

    public init(pilotBefore: [Double], pilotAfter: [Double], controlBefore: [Double], controlAfter: [Double],
                aggregate: KPIDefinition.Aggregate = .mean,
                resamples: Int = PilotControlTest.defaultResamples, seed: UInt64 = PilotControlTest.defaultSeed) {
        let samples = [pilotBefore, pilotAfter, controlBefore, controlAfter]
        let summaries = samples.map(SampleSummary.init)
        self.pilotBefore = summaries[0]
        self.pilotAfter = summaries[1]
        self.controlBefore = summaries[2]
        self.controlAfter = summaries[3]
        self.aggregate = aggregate
        self.resamples = resamples
        self.seed = seed
        self.warnings = []

        let names = ["pilot before", "pilot after", "control before", "control after"]
        let small = zip(names, summaries).filter { $0.1.count < Self.minimumSampleSize }
        if !small.isEmpty {
            warnings.append("too few observations to conclude anything: "
                            + small.map { "\($0.0) \($0.1.count)" }.joined(separator: ", ")
                            + " (at least \(Self.minimumSampleSize) in each)")
        }
        let means = summaries.compactMap(\.mean)
        guard means.count == 4 else { return }
        meanDifferenceInDifferences = Self.did(means)
        let estimates = samples.compactMap { aggregate.apply(to: $0) }
        if estimates.count == 4 { differenceInDifferences = Self.did(estimates) }

        let variances = summaries.compactMap(\.variance)
        if variances.count == 4 {
            let terms = zip(variances, summaries).map { $0 / Double($1.count) }
            let total = terms.reduce(0, +)
            if total > 0 {
                let se = total.squareRoot()
                standardError = se
                let denominator = zip(terms, summaries).reduce(0) { $0 + $1.0 * $1.0 / Double($1.1.count - 1) }
                let df = total * total / denominator
                degreesOfFreedom = df
                let t = meanDifferenceInDifferences! / se
                tStatistic = t
                pValue = StudentT.twoSidedPValue(t: t, degreesOfFreedom: df)
            } else {
                warnings.append("no sample varies, so there is no test")
            }
        } else {
            warnings.append("a sample has fewer than two observations, so there is no test")
        }
        if resamples > 0 && differenceInDifferences != nil {
            confidenceInterval = Self.bootstrap(samples, aggregate: aggregate, resamples: resamples, seed: seed,
                                                level: confidenceLevel)
        }
    }

    private static func did(_ means: [Double]) -> Double {
        (means[1] - means[0]) - (means[3] - means[2])
    }

    static func bootstrap(_ samples: [[Double]], aggregate: KPIDefinition.Aggregate, resamples: Int, seed: UInt64,
                          level: Double) -> ClosedRange<Double> {
        var random = SeededRandom(seed: seed, stream: 0x0B00_7578)
        var estimates: [Double] = []
        estimates.reserveCapacity(resamples)
        var resample: [Double] = []
        let quantile: Double? = switch aggregate {
        case .median: 0.5
        case .p90: 0.9
        default: nil
        }
        // A quantile of a resample needs its order, not the resample itself: each sample is
        // sorted once, a resample is the count of draws of each rank, and the quantile is read
        // off the cumulative counts. The draws are the same as drawing values, so the result
        // is too, without a sort per resample.
        let ranked = quantile == nil ? [] : samples.map(RankedSample.init)
        var counts: [Int32] = []
        for _ in 0..<resamples {
            var values: [Double] = []
            for (index, sample) in samples.enumerated() {
                if let quantile {
                    let ranks = ranked[index]
                    counts.removeAll(keepingCapacity: true)
                    counts.append(contentsOf: repeatElement(0, count: sample.count))
                    for _ in 0..<sample.count { counts[ranks.rank[random.int(below: sample.count)]] += 1 }
                    values.append(ranks.quantile(quantile, counts: counts) ?? .nan)
                } else {
                    resample.removeAll(keepingCapacity: true)
                    for _ in 0..<sample.count { resample.append(sample[random.int(below: sample.count)]) }
                    values.append(aggregate.apply(to: resample) ?? .nan)
                }
            }
            estimates.append(did(values))
        }
        estimates.sort()
        let tail = (1 - level) / 2
        // Same rule as the KPIs' own percentiles (type 7); the estimates are never empty here.
        let low = KPIDefinition.Aggregate.percentile(tail, of: estimates) ?? .nan
        let high = KPIDefinition.Aggregate.percentile(1 - tail, of: estimates) ?? .nan
        return low...high
    }

    /// A sample with each observation's rank in sorted order, for resampling by counts.
    struct RankedSample {
        let sorted: [Double]
        /// rank[i] is the position of sample[i] in `sorted`.
        let rank: [Int]

        init(_ sample: [Double]) {
            let order = sample.indices.sorted { (sample[$0], $0) < (sample[$1], $1) }
            sorted = order.map { sample[$0] }
            var rank = [Int](repeating: 0, count: sample.count)
            for (position, index) in order.enumerated() { rank[index] = position }
            self.rank = rank
        }

        /// The `p` quantile of the resample that drew rank r `counts[r]` times, by the rule of
        /// `KPIDefinition.Aggregate.percentile` (type 7), with the same arithmetic.
        func quantile(_ p: Double, counts: [Int32]) -> Double? {
            guard !sorted.isEmpty else { return nil }
            let position = p * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down))
            let upper = min(lower + 1, sorted.count - 1)
            var seen = 0
            var lowerValue: Double?
            for (r, count) in counts.enumerated() where count > 0 {
                seen += Int(count)
                if lowerValue == nil && seen > lower { lowerValue = sorted[r] }
                if seen > upper {
                    let low = lowerValue ?? sorted[r]
                    return low + (sorted[r] - low) * (position - Double(lower))
                }
            }
            return nil
        }
    }
}

/// Whether pilot and control moved in parallel before the pilot (the assumption a difference
/// in differences rests on): the slopes of each group's values over time before the pilot,
/// estimated by least squares, and a Welch test of their difference.
public struct ParallelTrendsCheck: Sendable, Hashable, Codable {
    /// Change per unit of time (per week, when the times are in weeks).
    public var pilotSlope: Double?
    public var controlSlope: Double?
    public var slopeDifference: Double?
    public var pValue: Double?
    /// False when the slopes differ at the 5 % level; nil when it cannot be tested.
    public var parallel: Bool?
    public var warning: String?

    /// `pilot` and `control`: (time, value) observations before the pilot started.
    public init(pilot: [(time: Double, value: Double)], control: [(time: Double, value: Double)]) {
        let p = Self.slope(pilot), c = Self.slope(control)
        pilotSlope = p?.slope
        controlSlope = c?.slope
        guard let p, let c else {
            warning = "not enough data before the pilot to check that pilot and control moved in parallel"
            return
        }
        slopeDifference = p.slope - c.slope
        let variance = p.variance + c.variance
        guard variance > 0 else {
            parallel = p.slope == c.slope
            if parallel == false { warning = "pilot and control did not move in parallel before the pilot" }
            return
        }
        let df = variance * variance / (p.variance * p.variance / p.df + c.variance * c.variance / c.df)
        let pValue = StudentT.twoSidedPValue(t: (p.slope - c.slope) / variance.squareRoot(), degreesOfFreedom: df)
        self.pValue = pValue
        parallel = pValue >= 0.05
        if parallel == false {
            warning = String(format: "pilot and control did not move in parallel before the pilot (slopes %.3g and %.3g per period, p = %.3f): the difference in differences may be biased",
                             p.slope, c.slope, pValue)
        }
    }

    /// The least-squares slope, its variance and its residual degrees of freedom (n − 2).
    static func slope(_ points: [(time: Double, value: Double)]) -> (slope: Double, variance: Double, df: Double)? {
        let n = Double(points.count)
        guard points.count >= 3 else { return nil }
        let meanT = points.reduce(0) { $0 + $1.time } / n
        let meanV = points.reduce(0) { $0 + $1.value } / n
        let sxx = points.reduce(0) { $0 + ($1.time - meanT) * ($1.time - meanT) }
        guard sxx > 0 else { return nil }
        let sxy = points.reduce(0) { $0 + ($1.time - meanT) * ($1.value - meanV) }
        let slope = sxy / sxx
        let intercept = meanV - slope * meanT
        let residuals = points.reduce(0) { total, point in
            let r = point.value - (intercept + slope * point.time)
            return total + r * r
        }
        let sigma2 = residuals / (n - 2)
        return (slope, sigma2 / sxx, n - 2)
    }
}
