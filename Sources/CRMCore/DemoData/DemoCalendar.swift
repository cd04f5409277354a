import Foundation

/// The demo company's working calendar: Monday–Friday, office hours 08:00–18:00 UTC, and the
/// swing of work volume over the year that both regions share.
///
/// Days are counted as whole days since 1970-01-01 (UTC), the form the generator loops over.
struct DemoCalendar: Sendable {
    static let secondsPerDay: Int64 = 86_400
    static let officeOpens: Int64 = 8 * 3600
    static let officeCloses: Int64 = 18 * 3600

    /// Amplitude of the yearly sine on volumes (±12 %), peaking in mid-October.
    static let seasonalAmplitude = 0.12
    /// Day of the year where the sine crosses 1 going up; the peak is a quarter year later.
    static let seasonalPhaseDay = 200.0
    /// Depth of the dip around Chinese New Year: volume falls to 45 % in the holiday week.
    static let springFestivalDepth = 0.55
    /// Width (days) of the Gaussian dip, centred on the middle of the holiday week.
    static let springFestivalWidthDays = 7.0
    /// Mild common growth of volumes: +5 % a year from the first day of history.
    static let yearlyGrowth = 0.05

    let firstDay: Int64

    init(historyStart: Timestamp) {
        firstDay = historyStart.secondsSinceEpoch.floorDivided(by: Self.secondsPerDay)
    }

    static func isWorkingDay(_ day: Int64) -> Bool {
        Timestamp(secondsSinceEpoch: day * secondsPerDay).isoWeekday <= 5
    }

    /// Volume of leads, tickets and customer work on `day` relative to an average day at the
    /// start of history: yearly season × Spring Festival dip × growth.
    func volumeFactor(day: Int64) -> Double {
        let start = Timestamp(secondsSinceEpoch: day * Self.secondsPerDay)
        let year = start.civil.year
        let dayOfYear = Double(day - Timestamp(year: year, month: 1, day: 1).secondsSinceEpoch / Self.secondsPerDay)
        let season = 1 + Self.seasonalAmplitude * sin(2 * Double.pi * (dayOfYear - Self.seasonalPhaseDay) / 365.25)
        let growth = 1 + Self.yearlyGrowth * Double(day - firstDay) / 365.25
        return season * Self.springFestivalFactor(day: day) * growth
    }

    /// 1 on ordinary days, down to 0.45 in the Spring Festival holiday week: fewer people at work.
    static func springFestivalFactor(day: Int64) -> Double {
        let year = Timestamp(secondsSinceEpoch: day * secondsPerDay).civil.year
        var factor = 1.0
        for candidate in [year, year + 1] {
            let centre = chineseNewYear(year: candidate) + 3   // the middle of the 7-day holiday
            let distance = Double(day - centre) / springFestivalWidthDays
            factor = min(factor, 1 - springFestivalDepth * exp(-distance * distance))
        }
        return factor
    }

    /// The day (since 1970-01-01) of Chinese New Year; outside 2015–2040, 5 February, its average.
    static func chineseNewYear(year: Int) -> Int64 {
        let (month, day) = springFestivalDates[year] ?? (2, 5)
        return Timestamp(year: year, month: month, day: day).secondsSinceEpoch / secondsPerDay
    }

    /// Chinese New Year's Day (first day of the first lunar month), Gregorian dates.
    private static let springFestivalDates: [Int: (Int, Int)] = [
        2015: (2, 19), 2016: (2, 8), 2017: (1, 28), 2018: (2, 16), 2019: (2, 5),
        2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10),
        2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13),
        2030: (2, 3), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31), 2034: (2, 19),
        2035: (2, 8), 2036: (1, 28), 2037: (2, 15), 2038: (2, 4), 2039: (1, 24), 2040: (2, 12),
    ]

    /// `instant` when it falls in office hours of a working day, else the next opening (08:00 to
    /// 09:30, keeping the instant's scatter): when people do the things they do at work.
    static func atWork(_ instant: Int64) -> Int64 {
        var day = instant.floorDivided(by: secondsPerDay)
        let secondOfDay = instant - day * secondsPerDay
        if isWorkingDay(day) {
            if secondOfDay >= officeOpens && secondOfDay < officeCloses { return instant }
            if secondOfDay < officeOpens { return day * secondsPerDay + officeOpens + secondOfDay % 5400 }
        }
        repeat { day += 1 } while !isWorkingDay(day)
        return day * secondsPerDay + officeOpens + secondOfDay % 5400
    }

    /// A calendar month (the part of it in a span) and the volume factor in its middle.
    struct Month: Sendable {
        var start: Int64
        var end: Int64
        var volume: Double
    }

    /// The calendar months from `start` to `end`: what monthly work (reorders) follows the same
    /// season, Spring Festival dip and growth as the daily work.
    func months(from start: Int64, to end: Int64) -> [Month] {
        var months: [Month] = []
        let first = Timestamp(secondsSinceEpoch: start).civil
        var month = Timestamp(year: first.year, month: first.month, day: 1)
        while month.secondsSinceEpoch < end {
            let next = month.adding(months: 1)
            let from = max(start, month.secondsSinceEpoch)
            let to = min(end, next.secondsSinceEpoch)
            months.append(Month(start: from, end: to,
                                volume: volumeFactor(day: ((from + to) / 2).floorDivided(by: Self.secondsPerDay))))
            month = next
        }
        return months
    }

    /// A uniform instant within office hours of `day`, in seconds since the epoch.
    static func officeTime(day: Int64, _ random: inout SeededRandom) -> Int64 {
        day * secondsPerDay + officeOpens + Int64(random.int(below: Int(officeCloses - officeOpens)))
    }
}
