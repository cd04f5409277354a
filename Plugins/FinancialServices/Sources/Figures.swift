import Foundation

/// Numbers as the details and the report write them.
enum Figures {
    /// A share rounded down to one decimal, so that a share shown as meeting a threshold meets it.
    static func percent(_ value: Double) -> String {
        let tenths = (value * 10).rounded(.down) / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) + ".0" : String(tenths)
    }

    /// A threshold as written: `98`, `97.5`.
    static func threshold(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// "1 complaint", "2 complaints".
    static func count(_ n: Int64, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}

/// Unix seconds as an ISO date in UTC (`2025-03-03`), as the CRM writes `*_on` columns.
enum Day {
    static func string(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
