import Playbook

extension KPIDefinition.Aggregate {
    /// Applies the aggregate to per-unit values; nil when there are none.
    ///
    /// Percentiles interpolate linearly between closest ranks (Hyndman & Fan type 7, the default
    /// of R, NumPy and spreadsheets' PERCENTILE.INC), so figures match an analyst's own check.
    public func apply(to values: [Double]) -> Double? {
        switch self {
        case .count: return Double(values.count)
        case .sum: return values.isEmpty ? nil : values.reduce(0, +)
        case .mean: return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        case .median: return Self.percentile(0.5, of: values)
        case .p90: return Self.percentile(0.9, of: values)
        }
    }

    /// The `p` quantile (0…1) by the same rule; the process measurement's p75 uses it too.
    package static func percentile(_ p: Double, of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
