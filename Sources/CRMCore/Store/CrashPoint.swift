import Foundation

/// Deterministic process death for the crash-safety tests.
///
/// `ROLLOUT_CRASH_POINT=before-commit:3` makes the process send itself SIGKILL inside its third
/// write transaction, after the writes and before the commit; `after-commit:3` right after the
/// third commit. Nothing reads this variable unless it is set; it exists so that tests can kill
/// the real binary at every transaction boundary, not only at the random moments an outside
/// `kill -9` happens to hit (those are tested too).
public enum CrashPoint: String, Sendable {
    case beforeCommit = "before-commit"
    case afterCommit = "after-commit"

    private static let configured: (CrashPoint, Int)? = {
        guard let spec = ProcessInfo.processInfo.environment["ROLLOUT_CRASH_POINT"] else { return nil }
        let parts = spec.split(separator: ":")
        guard parts.count == 2, let point = CrashPoint(rawValue: String(parts[0])), let n = Int(parts[1]), n > 0
        else { return nil }
        return (point, n)
    }()

    private static let counter = Counter()

    static func reached(_ point: CrashPoint) {
        guard let (target, n) = configured, target == point else { return }
        if counter.increment() == n {
            kill(getpid(), SIGKILL)
        }
    }

    private final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func increment() -> Int { lock.withLock { value += 1; return value } }
    }
}
