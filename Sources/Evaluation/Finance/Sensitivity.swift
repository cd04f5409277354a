/// How far the NPV moves when one driver is 20 % lower or higher and everything else stays as in
/// the playbook: the tornado chart of the steering committee's report (issue #6).
///
/// Each NPV is the analysis's own calculation run again on the changed inputs (`NPVModel`), not a
/// linear estimate: the discount rate, for one, does not move the NPV linearly.
///
/// ```swift
/// let analysis = ROICalculator.analyse(costs: costs, benefits: benefits, settings: settings)
/// analysis.sensitivity.bars[0].driver.name   // "Sales admin time saved": the widest swing
/// analysis.sensitivity.bars[0].npvLow        // the NPV with that benefit at 80 % of its value
/// ```
public struct Sensitivity: Sendable, Hashable, Codable {
    /// How far each driver is moved.
    public struct Settings: Sendable, Hashable {
        public static let defaultSpread = 0.2

        /// Each driver is set to (1 − spread) and (1 + spread) × its value; 0…1. A spread that is not
        /// a finite number in 0…1 is replaced by the default, with a note.
        public var spread: Double

        public init(spread: Double = Settings.defaultSpread) {
            self.spread = spread
        }
    }

    /// One bar of the tornado: the NPV with one driver low and high.
    public struct Bar: Sendable, Hashable, Codable {
        public var driver: ROIDriver
        /// The driver as the playbook has it: a benefit's full-year value, a cost category's
        /// undiscounted total over the horizon (Initial included), the discount rate (a fraction).
        public var baseValue: Double
        /// The NPV with the driver at (1 − spread) × its value.
        public var npvLow: Double
        /// The NPV with the driver at (1 + spread) × its value.
        public var npvHigh: Double
        /// |npvHigh − npvLow|: the length of the bar.
        public var swing: Double
    }

    /// The share each driver is moved by, a fraction (0.2 = ±20 %).
    public var spread: Double
    /// The NPV with every driver as in the playbook: the analysis's NPV.
    public var baseNPV: Double
    /// The drivers that move the NPV, widest swing first; equal swings keep the order benefits (as
    /// in the playbook), costs (as in the TCO table), discount rate.
    public var bars: [Bar]
    /// The drivers left out of the tornado because they are zero in the playbook or count for
    /// nothing within the horizon (20 % of nothing is nothing), in the same order.
    public var zeroDrivers: [ROIDriver]
    /// How the figures are computed, in sentences for the reports.
    public var method: String

    /// Runs `model` again with each driver low and high. A spread outside 0…1 and a moved discount
    /// rate outside `InternalRateOfReturn.searchRange` are repaired with a note in `notes`.
    init(_ model: NPVModel, settings: Settings, notes: inout [String]) {
        let spread = Self.spread(settings.spread, notes: &notes)
        let baseNPV = model.npv()
        var bars: [Bar] = []
        var zeroDrivers: [ROIDriver] = []
        var clampedRates: [Double] = []
        for driver in model.drivers {
            if driver.isZero {
                zeroDrivers.append(driver.driver)
                continue
            }
            func npv(_ factor: Double) -> Double {
                var moved = model.scaled(driver.input, by: factor)
                if driver.input == .discountRate, !InternalRateOfReturn.searchRange.contains(moved.rate) {
                    clampedRates.append(moved.rate)
                    moved.rate = min(max(moved.rate, InternalRateOfReturn.searchRange.lowerBound),
                                     InternalRateOfReturn.searchRange.upperBound)
                }
                return moved.npv()
            }
            let low = npv(1 - spread), high = npv(1 + spread)
            bars.append(Bar(driver: driver.driver, baseValue: driver.baseValue, npvLow: low, npvHigh: high,
                            swing: abs(high - low)))
        }
        if !clampedRates.isEmpty {
            notes.append("In the sensitivity analysis the discount rate moved to "
                + clampedRates.map { FinanceText.percent($0, fractionDigits: 4) }.joined(separator: " and ")
                + ", outside −99 %…10 000 %; the nearest end of that range is used.")
        }
        self.spread = spread
        self.baseNPV = baseNPV
        // Sorted by swing; the index breaks ties so that the order never depends on the sort algorithm.
        self.bars = bars.enumerated().sorted {
            $0.element.swing != $1.element.swing ? $0.element.swing > $1.element.swing : $0.offset < $1.offset
        }.map(\.element)
        self.zeroDrivers = zeroDrivers
        method = Self.method(spread: spread, rate: model.rate, zeroDrivers: zeroDrivers)
    }

    private static func spread(_ spread: Double, notes: inout [String]) -> Double {
        if spread.isFinite, (0...1).contains(spread) { return spread }
        notes.append("The sensitivity spread \(spread) is not a number between 0 and 1; "
            + "\(FinanceText.percent(Settings.defaultSpread)) is used.")
        return Settings.defaultSpread
    }

    private static func method(spread: Double, rate: Double, zeroDrivers: [ROIDriver]) -> String {
        let s = FinanceText.percent(spread)
        var text = "Each driver is set \(s) below and \(s) above its value in the playbook, everything else "
            + "unchanged, and the NPV is computed again: a benefit's full-year value, a cost category's amounts "
            + "(licences through the price per user, internal staff's initial and yearly costs together, "
            + "maintenance through the contract value), and the discount rate"
            + (rate == 0 ? ". " : " (\(FinanceText.percent(rate)) → \(FinanceText.percent(rate * (1 - spread))) and "
                + "\(FinanceText.percent(rate * (1 + spread)))). ")
            + "The drivers are sorted by swing, the difference between the two NPVs."
        if !zeroDrivers.isEmpty {
            text += " Not varied, being zero in the playbook or counting for nothing within the horizon: "
                + zeroDrivers.map(\.name).joined(separator: ", ") + "."
        }
        return text
    }
}
