import Foundation
import GRDB

/// A moment in time, stored as whole seconds since 1970-01-01T00:00:00Z (UTC).
///
/// Every timestamp in a workspace database is an `INTEGER` column holding Unix seconds, so the
/// analytic queries behind KPIs subtract and compare integers and use plain B-tree indexes.
/// People see the ISO 8601 form, always in UTC:
///
/// ```swift
/// let t = try Timestamp(parsing: "2025-03-03")      // midnight UTC
/// t.iso8601                                          // "2025-03-03T00:00:00Z"
/// t.adding(days: 14).dateString                      // "2025-03-17"
/// ```
public struct Timestamp: Hashable, Comparable, Sendable {
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    public init(_ date: Date) {
        self.secondsSinceEpoch = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch)) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    public func adding(seconds: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: secondsSinceEpoch + seconds) }
    public func adding(hours: Double) -> Timestamp { adding(seconds: Int64((hours * 3600).rounded())) }
    public func adding(days: Int) -> Timestamp { adding(seconds: Int64(days) * 86_400) }

    /// Seconds from `self` to `other` (positive when `other` is later).
    public func seconds(until other: Timestamp) -> Int64 { other.secondsSinceEpoch - secondsSinceEpoch }

    /// Whole days from `self` to `other`, rounded down.
    public func days(until other: Timestamp) -> Int {
        Int((other.secondsSinceEpoch - secondsSinceEpoch).floorDivided(by: 86_400))
    }

    /// Midnight UTC of the same calendar day.
    public var startOfDay: Timestamp {
        Timestamp(secondsSinceEpoch: secondsSinceEpoch.floorDivided(by: 86_400) * 86_400)
    }

    /// Day of the week, 1 = Monday … 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let days = secondsSinceEpoch.floorDivided(by: 86_400)
        return Int((days + 3).positiveModulo(7)) + 1
    }

    /// `2025-03-03T09:30:00Z`.
    public var iso8601: String {
        let (y, m, d) = civil
        let secondOfDay = secondsSinceEpoch.positiveModulo(86_400)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
                      Int(secondOfDay / 3600), Int(secondOfDay % 3600 / 60), Int(secondOfDay % 60))
    }

    /// `2025-03-03`.
    public var dateString: String {
        let (y, m, d) = civil
        guard (0...9999).contains(y) else { return String(format: "%04d-%02d-%02d", y, m, d) }
        // Without String(format:), which goes through Foundation's formatter: the demo generator
        // writes hundreds of thousands of dates.
        return Self.zeroPadded(y, 4) + "-" + Self.zeroPadded(m, 2) + "-" + Self.zeroPadded(d, 2)
    }

    private static func zeroPadded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Year, month and day in the proleptic Gregorian calendar, UTC.
    public var civil: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's days-to-civil algorithm: exact, no Calendar or time zone involved.
        let z = secondsSinceEpoch.floorDivided(by: 86_400) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Midnight UTC of a calendar date.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        // Howard Hinnant's days-from-civil.
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        self.secondsSinceEpoch = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Adds calendar months, clamping the day to the target month's length.
    public func adding(months: Int) -> Timestamp {
        let (y, m, d) = civil
        let total = y * 12 + (m - 1) + months
        let year = total.floorDivided(by: 12), month = total.positiveModulo(12) + 1
        let day = min(d, Timestamp.daysIn(month: month, year: year))
        let secondOfDay = secondsSinceEpoch.positiveModulo(86_400)
        return Timestamp(year: year, month: month, day: day).adding(seconds: secondOfDay)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension Timestamp {
    /// The error thrown for text that is neither `YYYY-MM-DD` nor an ISO 8601 date-time.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let text: String
        public var description: String {
            "'\(text)' is not a date: use YYYY-MM-DD (midnight UTC), YYYY-MM-DDTHH:MM:SSZ (UTC) or an offset such as +08:00"
        }
    }

    /// Parses `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DDTHH:MM[:SS]Z` or with a `±HH:MM` offset.
    public init(parsing text: String) throws {
        let s = text.trimmingCharacters(in: .whitespaces)
        let scalars = Array(s.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var value = 0
            for i in range {
                let c = scalars[i]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard scalars.count >= 10, scalars[4] == UInt8(ascii: "-"), scalars[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...Timestamp.daysIn(month: month, year: year)).contains(day)
        else { throw ParseError(text: text) }
        if scalars.count == 10 {
            self.init(year: year, month: month, day: day)
            return
        }
        guard scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: " "),
              let hour = number(11..<13), scalars.count > 13, scalars[13] == UInt8(ascii: ":"),
              let minute = number(14..<16), hour < 24, minute < 60
        else { throw ParseError(text: text) }
        var index = 16
        var second = 0
        if index < scalars.count, scalars[index] == UInt8(ascii: ":") {
            guard let s = number(17..<19), s < 60 else { throw ParseError(text: text) }
            second = s
            index = 19
        }
        var offsetSeconds = 0
        // A time without a zone is ambiguous (whose 10 o'clock?): require Z or an offset.
        guard index < scalars.count else { throw ParseError(text: text) }
        if index < scalars.count {
            switch scalars[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                guard index + 1 == scalars.count else { throw ParseError(text: text) }
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard let oh = number(index + 1..<index + 3), index + 6 == scalars.count,
                      scalars[index + 3] == UInt8(ascii: ":"), let om = number(index + 4..<index + 6)
                else { throw ParseError(text: text) }
                offsetSeconds = (oh * 3600 + om * 60) * (scalars[index] == UInt8(ascii: "+") ? 1 : -1)
            default:
                throw ParseError(text: text)
            }
        }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        self.secondsSinceEpoch -= Int64(offsetSeconds)
    }
}

extension Timestamp: CustomStringConvertible {
    public var description: String { iso8601 }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Int64.self) {
            self.init(secondsSinceEpoch: seconds)
        } else {
            try self.init(parsing: container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}

extension Timestamp: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { secondsSinceEpoch.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Timestamp? {
        Int64.fromDatabaseValue(dbValue).map(Timestamp.init(secondsSinceEpoch:))
    }
}

extension BinaryInteger {
    func floorDivided(by divisor: Self) -> Self {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }

    func positiveModulo(_ divisor: Self) -> Self {
        let r = self % divisor
        return r < 0 ? r + divisor : r
    }
}
