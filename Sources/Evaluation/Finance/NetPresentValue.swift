import Foundation

/// The net present value of yearly cash flows: the flow at index 0 falls at time 0 (go-live) and
/// is not discounted; the flow at index t falls at the end of year t and is discounted by (1 + r)ᵗ.
///
/// ```swift
/// NetPresentValue.of([-100, 30, 40, 50, 60], rate: 0.10)                  // 38.877…
/// NetPresentValue.spreadsheetFormula([-100, 30, 40, 50, 60], rate: 0.10)  // 35.343… = 38.877… / 1.1
/// ```
public enum NetPresentValue {
    /// CF₀ + Σₜ CFₜ / (1 + r)ᵗ. `rate` must be above −1.
    public static func of(_ cashFlows: [Double], rate: Double) -> Double {
        cashFlows.enumerated().reduce(0) { $0 + $1.element * discountFactor(rate: rate, year: $1.offset) }
    }

    /// What a spreadsheet's `NPV(rate, CF0:CFn)` returns. The spreadsheet function treats its first
    /// value as falling one period after today, so it discounts CF₀ too and returns NPV / (1 + r).
    /// Reports show it so that a reader who checks them in a spreadsheet can see where a difference
    /// comes from; the correct spreadsheet form is `CF0 + NPV(rate, CF1:CFn)`.
    public static func spreadsheetFormula(_ cashFlows: [Double], rate: Double) -> Double {
        cashFlows.enumerated().reduce(0) { $0 + $1.element * discountFactor(rate: rate, year: $1.offset + 1) }
    }

    /// 1 / (1 + r)ᵗ: what one unit at the end of year `year` is worth at time 0.
    public static func discountFactor(rate: Double, year: Int) -> Double {
        1 / pow(1 + rate, Double(year))
    }
}
