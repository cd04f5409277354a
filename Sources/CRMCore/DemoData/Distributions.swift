import Foundation

/// The probability distributions the demo data draws from, each a fixed algorithm on
/// `SeededRandom` so the same seed always gives the same numbers.
extension SeededRandom {
    /// Uniform in [0, 1), from the top 53 bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in `range`.
    public mutating func uniform(_ range: Range<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// Uniform in `0..<bound`, without modulo bias (Lemire's multiply-and-reject). `bound` ≥ 1.
    @inlinable
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "int(below:) needs a positive bound")
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold { product = next().multipliedFullWidth(by: n) }
        }
        return Int(product.high)
    }

    /// Uniform in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.count)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// One element of a non-empty array, each equally likely.
    mutating func pick<T>(_ elements: [T]) -> T {
        elements[int(below: elements.count)]
    }

    /// Puts `elements` in a uniformly random order (Fisher–Yates).
    mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for index in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(index, int(below: index + 1))
        }
    }

    /// Standard normal, by Box–Muller (the cosine half; the sine half is not kept, so a draw
    /// always consumes exactly two words).
    public mutating func standardNormal() -> Double {
        let u1 = 1 - unit()   // (0, 1]: log(0) never happens
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Normal with the given mean and standard deviation.
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * standardNormal()
    }

    /// Lognormal given by its median (`exp(μ)`) and the standard deviation of its logarithm.
    mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(sigma * standardNormal())
    }

    /// Pareto with the given minimum and shape α: `minimum · U^(−1/α)`. With α near 1.2 about a
    /// fifth of the draws hold three quarters of the total (the 80/20 rule is α ≈ 1.16).
    mutating func pareto(minimum: Double, shape: Double) -> Double {
        minimum * pow(1 - unit(), -1 / shape)   // 1 - unit() is in (0, 1]
    }

    /// Poisson with mean `lambda`, by Knuth's multiplication method. Means above 30 are split
    /// into chunks (a sum of Poisson variables is Poisson), which keeps `exp(-λ)` away from
    /// underflow; the rates of the demo are far smaller.
    mutating func poisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        var remaining = lambda
        var count = 0
        while remaining > 0 {
            let chunk = min(remaining, 30)
            remaining -= chunk
            let limit = exp(-chunk)
            var product = unit()
            while product > limit {
                count += 1
                product *= unit()
            }
        }
        return count
    }
}

/// A finite distribution over values with relative weights.
///
/// ```swift
/// let priority = Categorical([("urgent", 5), ("high", 20), ("normal", 55), ("low", 20)])
/// priority.sample(&random)   // "normal" about 55 % of the time
/// ```
struct Categorical<Value: Sendable>: Sendable {
    let values: [Value]
    private let cumulative: [Double]

    /// Weights need not add up to 1; they must be non-negative with a positive sum.
    init(_ weighted: [(Value, Double)]) {
        precondition(!weighted.isEmpty, "a categorical distribution needs at least one value")
        let total = weighted.reduce(0) { $0 + $1.1 }
        precondition(total > 0, "a categorical distribution needs a positive total weight")
        var running = 0.0
        values = weighted.map(\.0)
        cumulative = weighted.map { running += $0.1; return running / total }
    }

    /// The probability of `values[index]`.
    func probability(at index: Int) -> Double {
        cumulative[index] - (index == 0 ? 0 : cumulative[index - 1])
    }

    /// A value, drawn with one uniform number (tables are short, so a linear scan is fastest).
    func sample(_ random: inout SeededRandom) -> Value {
        let u = random.unit()
        for index in cumulative.indices where u < cumulative[index] {
            return values[index]
        }
        return values[values.count - 1]
    }
}

/// The standard normal quantile Φ⁻¹(p) for 0 < p < 1, by Acklam's rational approximation
/// (relative error below 1.2e-9), used to turn a target share into a lognormal median.
func standardNormalQuantile(_ p: Double) -> Double {
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    let clamped = min(max(p, 1e-12), 1 - 1e-12)
    if clamped < low {
        let q = (-2 * log(clamped)).squareRoot()
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    if clamped > 1 - low {
        let q = (-2 * log(1 - clamped)).squareRoot()
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let q = clamped - 0.5
    let r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}
