import Foundation

/// Where "now" comes from. Everything that reads the time takes one, so a whole rollout can run
/// on a virtual clock (`--as-of`), which is also how the demo and the tests run.
///
/// ```swift
/// let clock = ProjectClock.fixed(try Timestamp(parsing: "2025-06-30"))
/// try engine.run(clock: clock)
/// ```
public struct ProjectClock: Sendable {
    private let read: @Sendable () -> Timestamp
    /// True when the clock does not follow the machine's time (`--as-of`, simulations, tests).
    public let isVirtual: Bool

    public init(isVirtual: Bool, _ read: @escaping @Sendable () -> Timestamp) {
        self.read = read
        self.isVirtual = isVirtual
    }

    public var now: Timestamp { read() }

    /// The machine's wall clock.
    public static let system = ProjectClock(isVirtual: false) { Timestamp(Date()) }

    /// A virtual clock that always reads `timestamp`.
    public static func fixed(_ timestamp: Timestamp) -> ProjectClock {
        ProjectClock(isVirtual: true) { timestamp }
    }
}
