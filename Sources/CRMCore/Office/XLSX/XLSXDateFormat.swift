/// Which number formats show a cell as a date, and how the reader writes such a date.
///
/// Excel stores a date as a number of days (a "serial") and only the cell's number format
/// says it is a date: built-in formats 14–22 and 45–47 (and the East Asian 27–36, 50–58),
/// or a custom format with day, month, year, hour or second codes outside quoted text.
enum XLSXDateKind: Sendable, Hashable {
    case notADate
    /// Shown as a day: the reader returns `yyyy-mm-dd`.
    case date
    /// Shown as a day and a time: `yyyy-mm-ddTHH:MM:SSZ`.
    case dateTime
    /// Shown as a time of day: `HH:MM:SS`, or a full date-time past the first day.
    case time

    init(numberFormatID id: Int, formatCode: String?) {
        if let formatCode {
            self = Self(formatCode: formatCode)
            return
        }
        switch id {
        case 14...17, 27...31, 36, 50...54, 57, 58: self = .date
        case 22: self = .dateTime
        case 18...21, 32...35, 45...47, 55, 56: self = .time
        default: self = .notADate
        }
    }

    init(formatCode: String) {
        var hasDate = false, hasTime = false, hasMonthOrMinute = false
        var scalars = formatCode.unicodeScalars.makeIterator()
        scan: while let scalar = scalars.next() {
            switch scalar {
            case "\"": // quoted literal text
                while let next = scalars.next(), next != "\"" {}
            case "\\", "_", "*": // an escaped character, a space as wide as one, a fill character
                _ = scalars.next()
            case "[":
                var bracket = ""
                while let next = scalars.next(), next != "]" { bracket.unicodeScalars.append(next) }
                // [h], [mm], [ss] are elapsed time; colours, locales and conditions are not.
                if let first = bracket.lowercased().first, "hms".contains(first), Set(bracket.lowercased()).count == 1 {
                    hasTime = true
                }
            case ";":
                break scan // only the first section decides
            case "d", "D", "y", "Y":
                hasDate = true
            case "h", "H", "s", "S":
                hasTime = true
            case "m", "M":
                hasMonthOrMinute = true
            case "A", "a":
                // AM/PM or A/P
                hasTime = hasTime || formatCode.uppercased().contains("AM/PM") || formatCode.uppercased().contains("A/P")
            default:
                continue
            }
        }
        // `m` is a month next to days or years, and a minute next to hours or seconds.
        if hasMonthOrMinute, !hasTime { hasDate = true }
        switch (hasDate, hasTime) {
        case (true, true): self = .dateTime
        case (true, false): self = .date
        case (false, true): self = .time
        case (false, false): self = .notADate
        }
    }

    /// The ISO text for an Excel serial, or nil when the number cannot be a date.
    func text(serial: Double, uses1904Dates: Bool) -> String? {
        guard self != .notADate, serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        let totalSeconds = Int64((serial * 86_400).rounded())
        let serialDay = Int(totalSeconds / 86_400)
        let secondOfDay = Int(totalSeconds % 86_400)
        if self == .time, serialDay == 0 {
            var text = ""
            OfficeGregorian.appendPadded(secondOfDay / 3600, width: 2, to: &text)
            text += ":"
            OfficeGregorian.appendPadded(secondOfDay / 60 % 60, width: 2, to: &text)
            text += ":"
            OfficeGregorian.appendPadded(secondOfDay % 60, width: 2, to: &text)
            return text
        }
        let days: Int
        if uses1904Dates {
            days = OfficeGregorian.daysSince1970(year: 1904, month: 1, day: 1) + serialDay
        } else if serialDay >= 61 {
            days = serialDay - 25_569
        } else {
            // Before March 1900, Excel's serials count from 1899-12-31 and include the
            // February 29th that 1900 did not have; serial 60 is shown as that day.
            days = OfficeGregorian.daysSince1970(year: 1899, month: 12, day: 31) + min(serialDay, 59)
        }
        if self == .date {
            let (year, month, day) = OfficeGregorian.date(daysSince1970: days)
            return OfficeGregorian.isoDate(year: year, month: month, day: day)
        }
        return OfficeGregorian.isoDateTime(secondsSince1970: Int64(days) * 86_400 + Int64(secondOfDay))
    }
}
