/// The payback period: how many months after go-live an investment takes to pay for itself.
///
/// Index 0 of the cash flows falls at go-live (normally −Initial); the flow of year t accrues
/// evenly over that year's 12 months, so the cumulative flow is linear within each year and the
/// month is found by linear interpolation. Pass present values for the discounted payback.
///
/// ```swift
/// Payback.months(cashFlows: [-100, 60, 80])   // 18.0: −40 after year 1, then 80 a year
/// Payback.months(cashFlows: [-100, 40, 40])   // nil: −20 at the end of year 2
/// ```
public enum Payback {
    /// Months after go-live from which the cumulative net cash flow is at or above zero and stays
    /// there to the end of the last year; 0 when it never falls below zero; nil when it ends below
    /// zero.
    ///
    /// "Stays" matters only for unusual flows whose cumulative rises above zero and then falls below
    /// it again: a steering committee should not read "paid back" for money that is lost again.
    /// Differences within 1e-9 of the largest flow count as zero, so that rounding in a cumulative
    /// sum that should be exactly zero does not move or hide the payback.
    public static func months(cashFlows: [Double]) -> Double? {
        crossings(of: cashFlows).sustained
    }

    /// The sustained payback month and the first month at which the cumulative flow reached zero
    /// (they differ when the cumulative flow later falls below zero again).
    static func crossings(of cashFlows: [Double]) -> (sustained: Double?, first: Double?) {
        guard let initial = cashFlows.first else { return (nil, nil) }
        let tolerance = 1e-9 * max(1, cashFlows.map(abs).max() ?? 0)
        var cumulative = initial
        var sustained: Double? = cumulative >= -tolerance ? 0 : nil
        var first = sustained
        for (offset, flow) in cashFlows.dropFirst().enumerated() {
            let start = 12 * Double(offset)
            let end = cumulative + flow
            if end < -tolerance {
                sustained = nil
            } else if cumulative < -tolerance {
                // Crosses zero during this year; flow > 0 here since end > cumulative.
                sustained = start + min(12, 12 * -cumulative / flow)
                first = first ?? sustained
            }
            cumulative = end
        }
        return (sustained, first)
    }
}
