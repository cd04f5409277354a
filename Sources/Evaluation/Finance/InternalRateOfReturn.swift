import Foundation

/// The internal rate of return: the discount rate at which the net present value of a series of
/// yearly cash flows (index 0 at time 0) is zero.
///
/// ```swift
/// InternalRateOfReturn.rate(of: [-100, 39, 59, 55, 20])   // 0.2809…
/// InternalRateOfReturn.rate(of: [100, 50])                // nil: nothing is invested
/// InternalRateOfReturn.roots(of: [-100, 230, -132])       // [0.1, 0.2]: two sign changes, two rates
/// ```
public enum InternalRateOfReturn {
    /// Rates are searched strictly inside this range: above −99 %, below 10 000 %.
    public static let searchRange: ClosedRange<Double> = -0.99...100

    /// The IRR: of the rates in `searchRange` at which NPV is zero, the one closest to zero; nil
    /// when the flows never change sign or no rate in the range makes NPV zero.
    public static func rate(of cashFlows: [Double]) -> Double? {
        closestToZero(roots(of: cashFlows))
    }

    /// The rate reported when several make NPV zero, as numpy-financial's `irr` does.
    static func closestToZero(_ roots: [Double]) -> Double? {
        roots.min { abs($0) < abs($1) }
    }

    /// Every rate strictly inside `searchRange` at which NPV changes sign, ascending, each to 1e-12.
    ///
    /// NPV is scanned on a grid of 4 000 steps even in ln(1 + r) (so it is fine where rates are
    /// usual and coarse near 10 000 %), and each bracket with a sign change is bisected. A rate
    /// where NPV touches zero without changing sign, or two rates closer together than one grid
    /// step (about 0.23 % of 1 + r), are not found; flows that change sign once have one rate
    /// at most, which is always found when it lies in the range.
    public static func roots(of cashFlows: [Double]) -> [Double] {
        guard signChanges(in: cashFlows) > 0 else { return [] }
        let low = log(1 + searchRange.lowerBound), high = log(1 + searchRange.upperBound)
        var roots: [Double] = []
        var previous: (rate: Double, npv: Double)?
        for step in 1..<gridSteps {
            let rate = exp(low + (high - low) * Double(step) / Double(gridSteps)) - 1
            let npv = NetPresentValue.of(cashFlows, rate: rate)
            guard npv.isFinite else {
                previous = nil
                continue
            }
            if npv == 0 {
                roots.append(rate)
            } else if let previous, previous.npv != 0, (previous.npv < 0) != (npv < 0) {
                roots.append(bisect(cashFlows, from: previous, to: rate))
            }
            previous = (rate, npv)
        }
        return roots
    }

    /// How many times the flows change sign, zeros skipped. By Descartes' rule of signs this bounds
    /// the number of rates above −100 % that make NPV zero.
    public static func signChanges(in cashFlows: [Double]) -> Int {
        let signs = cashFlows.filter { $0 != 0 }.map { $0 < 0 }
        return zip(signs, signs.dropFirst()).filter { $0 != $1 }.count
    }

    private static let gridSteps = 4_000

    private static func bisect(_ cashFlows: [Double], from start: (rate: Double, npv: Double),
                               to end: Double) -> Double {
        var (low, high, npvLow) = (start.rate, end, start.npv)
        var iterations = 0
        while high - low > 1e-12, iterations < 200 {
            iterations += 1
            let middle = (low + high) / 2
            let npv = NetPresentValue.of(cashFlows, rate: middle)
            if npv == 0 { return middle }
            if (npv < 0) == (npvLow < 0) {
                (low, npvLow) = (middle, npv)
            } else {
                high = middle
            }
        }
        return (low + high) / 2
    }
}
