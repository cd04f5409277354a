import Foundation

extension BusinessCalendar {
    /// The UTC offsets of one time zone as a table of transitions, read once from the system's
    /// time-zone database, so that converting between wall-clock and UTC time is a table lookup
    /// instead of a Foundation call per conversion (a walk over three working days converts
    /// dozens of times).
    ///
    /// The table covers 1900 to 2200, every transition Foundation reports (daylight saving
    /// time and changes of standard offset alike, such as Moscow's in 2011 and 2014). Outside
    /// that range the offset at the nearest edge applies.
    struct ZoneOffsetTable: Sendable {
        /// 1900-01-01T00:00:00Z ..< 2200-01-01T00:00:00Z.
        static let coveredRange: Range<Int64> = -2_208_988_800 ..< 7_258_118_400

        /// `offsets[i + 1]` applies from `transitions[i]` on; `offsets[0]` before `transitions[0]`.
        private let transitions: [Int64]
        private let offsets: [Int64]

        init(_ timeZone: TimeZone) {
            let range = Self.coveredRange
            var cursor = Date(timeIntervalSince1970: TimeInterval(range.lowerBound))
            var transitions: [Int64] = []
            var offsets = [Int64(timeZone.secondsFromGMT(for: cursor))]
            while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next > cursor {
                let instant = Int64(next.timeIntervalSince1970.rounded(.down))
                guard instant < range.upperBound else { break }
                let offset = Int64(timeZone.secondsFromGMT(for: next))
                // Foundation also reports changes of the zone's name alone; they move no clock.
                if offset != offsets[offsets.count - 1] {
                    transitions.append(instant)
                    offsets.append(offset)
                }
                cursor = next
            }
            self.transitions = transitions
            self.offsets = offsets
        }

        /// Seconds to add to UTC to get wall-clock time at `instant`.
        func offset(at instant: Int64) -> Int64 {
            offsets[segment(containing: instant)]
        }

        /// The index of the offset in force at `instant`: how many transitions are at or before it.
        func segment(containing instant: Int64) -> Int {
            var low = 0, high = transitions.count
            while low < high {
                let middle = (low + high) / 2
                if transitions[middle] <= instant { low = middle + 1 } else { high = middle }
            }
            return low
        }

        /// A hint for `firstInstant(atOrAfterLocal:hint:)` that is valid for every wall-clock
        /// time from `local` on.
        func hint(forLocal local: Int64) -> Int {
            // No offset reaches a day, so no instant before `local` − 1 day shows `local` or later.
            segment(containing: local - 86_400)
        }

        /// The first instant at which the wall clock reads `local` (seconds since 1970-01-01 in
        /// wall-clock time) or later.
        ///
        /// Usually that is the one instant showing `local`. In a spring-forward gap no instant
        /// shows it, and the answer is the end of the gap; in an autumn fall-back two do, and
        /// the answer is the first. The result never decreases as `local` grows, which keeps
        /// consecutive working intervals in order and apart.
        ///
        /// `hint` must come from `hint(forLocal:)` for this or an earlier wall-clock time; it is
        /// advanced, so a walk forward through time converts in constant time.
        func firstInstant(atOrAfterLocal local: Int64, hint: inout Int) -> Int64 {
            while true {
                let start = hint == 0 ? Int64.min : transitions[hint - 1]
                let end = hint == transitions.count ? Int64.max : transitions[hint]
                // Within one segment the wall clock is instant + offset, increasing.
                let candidate = max(start, local - offsets[hint])
                if candidate < end { return candidate }
                hint += 1
            }
        }

        /// `firstInstant(atOrAfterLocal:hint:)` without a hint.
        func firstInstant(atOrAfterLocal local: Int64) -> Int64 {
            var hint = hint(forLocal: local)
            return firstInstant(atOrAfterLocal: local, hint: &hint)
        }
    }
}
