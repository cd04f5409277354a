import Foundation
import GRDB

/// An amount of money: integer minor units (cents, fen) plus an ISO 4217 currency code.
///
/// Money is never a `Double`. Tables store two columns, `<name>_minor INTEGER` and `currency TEXT`.
///
/// ```swift
/// let fee = Money(major: 350_000, currency: "CNY")   // 35_000_000 fen
/// fee.formatted                                       // "CNY 350,000.00"
/// ```
public struct Money: Hashable, Sendable, Codable {
    public var minorUnits: Int64
    public var currency: String

    public init(minorUnits: Int64, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// An amount in major units (yuan, euro); rounded half away from zero to the currency's minor unit.
    public init(major: Double, currency: String) {
        let scale = Money.scale(of: currency)
        self.init(minorUnits: Int64((major * Double(scale)).rounded(.toNearestOrAwayFromZero)), currency: currency)
    }

    /// Digits after the decimal point for the currency (ISO 4217 minor unit); 2 unless listed.
    public static func minorUnitDigits(of currency: String) -> Int {
        switch currency.uppercased() {
        case "JPY", "KRW", "VND", "CLP", "ISK", "HUF": return 0
        case "BHD", "KWD", "OMR", "JOD", "TND": return 3
        default: return 2
        }
    }

    static func scale(of currency: String) -> Int64 {
        var s: Int64 = 1
        for _ in 0..<minorUnitDigits(of: currency) { s *= 10 }
        return s
    }

    /// The amount in major units, for arithmetic that is not bookkeeping (NPV, charts).
    public var majorUnits: Double { Double(minorUnits) / Double(Money.scale(of: currency)) }

    /// `CNY 350,000.00`, with thousands separators; a minus sign before the currency when negative.
    public var formatted: String {
        let digits = Money.minorUnitDigits(of: currency)
        let scale = Money.scale(of: currency)
        let magnitude = minorUnits.magnitude
        let whole = magnitude / UInt64(scale)
        let fraction = magnitude % UInt64(scale)
        var wholeText = String(whole)
        var grouped = ""
        while wholeText.count > 3 {
            grouped = "," + wholeText.suffix(3) + grouped
            wholeText.removeLast(3)
        }
        grouped = wholeText + grouped
        let fractionText = digits == 0 ? "" : "." + String(format: "%0\(digits)llu", fraction)
        return (minorUnits < 0 ? "-" : "") + currency + " " + grouped + fractionText
    }
}

extension Money: CustomStringConvertible {
    public var description: String { formatted }
}
