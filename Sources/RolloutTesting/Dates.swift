import CRMCore

extension Timestamp {
    /// `Timestamp.day("2025-03-03")`: midnight UTC of a date written in a test. Traps on a typo,
    /// which in a test is the right outcome.
    public static func day(_ text: String) -> Timestamp {
        guard let t = try? Timestamp(parsing: text) else { preconditionFailure("bad test date \(text)") }
        return t
    }
}

extension ProjectClock {
    /// A virtual clock at midnight UTC of a date written in a test.
    public static func on(_ date: String) -> ProjectClock { .fixed(.day(date)) }
}
