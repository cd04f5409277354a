extension BusinessCalendar {
    /// A date on the calendar's own wall calendar, such as a public holiday: `2025-10-01` is the
    /// whole of 1 October in the calendar's time zone, whatever that is in UTC.
    public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
        public let year: Int
        public let month: Int
        public let day: Int

        public init(year: Int, month: Int, day: Int) throws {
            guard (1...9999).contains(year), (1...12).contains(month),
                  (1...Timestamp.daysIn(month: month, year: year)).contains(day)
            else {
                throw BusinessCalendarError(
                    setting: "date", token: "\(year)-\(month)-\(day)", reason: "no such date in the Gregorian calendar")
            }
            self.year = year
            self.month = month
            self.day = day
        }

        /// Parses `YYYY-MM-DD`, and nothing else: a holiday is a whole day, never a time.
        public init(parsing text: String) throws {
            let digits = Array(text.utf8)
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digits[index]) else { return nil }
                    value = value * 10 + Int(digits[index] - UInt8(ascii: "0"))
                }
                return value
            }
            guard digits.count == 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-"),
                  let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
            else { throw BusinessCalendarError(setting: "date", token: text, reason: "not a date; write YYYY-MM-DD") }
            do {
                try self.init(year: year, month: month, day: day)
            } catch {
                throw BusinessCalendarError(setting: "date", token: text, reason: "no such date in the Gregorian calendar")
            }
        }

        /// Days since 1970-01-01 (negative before), the form the calendar's arithmetic uses.
        var dayNumber: Int64 {
            Timestamp(year: year, month: month, day: day).secondsSinceEpoch / 86_400
        }

        /// `2025-10-01`.
        public var description: String {
            let paddedMonth = month < 10 ? "0\(month)" : "\(month)"
            let paddedDay = day < 10 ? "0\(day)" : "\(day)"
            return "\(String(repeating: "0", count: max(0, 4 - String(year).count)))\(year)-\(paddedMonth)-\(paddedDay)"
        }

        public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
            (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            do {
                try self.init(parsing: text)
            } catch let error as BusinessCalendarError {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }
}
