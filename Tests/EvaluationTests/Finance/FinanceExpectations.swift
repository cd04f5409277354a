import Testing

extension FinanceFixtures {
    /// Expects `actual` within `relative` of `expected` (absolute 1e-9 when `expected` is 0).
    static func expectClose(_ actual: Double?, _ expected: Double, relative: Double = 1e-6,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        guard let actual else {
            Issue.record("expected \(expected), got nil", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(actual - expected) <= max(relative * abs(expected), 1e-9),
                "expected \(expected), got \(actual)", sourceLocation: sourceLocation)
    }
}
