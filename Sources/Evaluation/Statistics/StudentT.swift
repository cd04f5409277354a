import Foundation

/// Student's t distribution, for the p-values of the pilot-versus-control tests.
///
/// The tail probability comes from the regularized incomplete beta function:
/// `P(|T| ≥ t) = I_x(ν/2, 1/2)` with `x = ν / (ν + t²)`, evaluated by its continued fraction
/// (modified Lentz), as in Numerical Recipes §6.4 and Cephes. Degrees of freedom need not be
/// whole: Welch's test gives fractional ones.
public enum StudentT {
    /// The two-sided p-value of `t` with `degreesOfFreedom` (> 0): `P(|T| ≥ |t|)`.
    public static func twoSidedPValue(t: Double, degreesOfFreedom df: Double) -> Double {
        precondition(df > 0, "degrees of freedom must be positive")
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        return RegularizedBeta.value(x: df / (df + t * t), a: df / 2, b: 0.5)
    }
}

/// The regularized incomplete beta function `I_x(a, b)`.
enum RegularizedBeta {
    static func value(x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "I_x(a, b) needs a, b > 0")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        // ln of x^a (1−x)^b / (a B(a, b))
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The continued fraction of `I_x(a, b)` by the modified Lentz method.
    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-15
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            // Even step.
            var numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            // Odd step.
            numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            result *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return result
    }
}
