/// Renders appointments as an iCalendar (RFC 5545) file that calendar programs import.
///
/// ```swift
/// let text = try ICalendarWriter.render(calendarName: "Visits — Wang Fang", events: visits,
///                                       stamp: clock.now.secondsSinceEpoch)
/// try text.write(toFile: "visits.ics", atomically: true, encoding: .utf8)
/// ```
///
/// Times are written in UTC (`20250304T093000Z`). Text is escaped (`\\`, `\;`, `\,`, `\n`),
/// lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
public enum ICalendarWriter {
    /// The calendar as text. `stamp` (seconds since 1970, UTC) is when the file was made,
    /// written as every event's `DTSTAMP`; pass it in so that output is reproducible.
    /// Throws when an event has no `uid`, ends before it starts, falls outside years 1–9999,
    /// or has an organizer without an email address.
    public static func render(calendarName: String? = nil, events: [ICalEvent], stamp: Int64) throws -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Rollout//CRM//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ]
        if let calendarName, !calendarName.isEmpty { lines.append("X-WR-CALNAME:" + escaped(calendarName)) }
        let dtstamp = try utc(stamp, uid: nil)
        for event in events {
            guard !event.uid.isEmpty else {
                throw ICalendarError(eventUID: nil,
                                     reason: "the event \"\(event.summary)\" has no uid, which calendars need to update it later")
            }
            guard event.end >= event.start else {
                throw ICalendarError(eventUID: event.uid, reason: "it ends before it starts")
            }
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + escaped(event.uid))
            lines.append("DTSTAMP:" + dtstamp)
            lines.append("DTSTART:" + (try utc(event.start, uid: event.uid)))
            // Without DTEND an event with a start time lasts no time at all (RFC 5545 3.6.1).
            if event.end > event.start { lines.append("DTEND:" + (try utc(event.end, uid: event.uid))) }
            lines.append("SUMMARY:" + escaped(event.summary))
            if let location = event.location { lines.append("LOCATION:" + escaped(location)) }
            if let notes = event.notes { lines.append("DESCRIPTION:" + escaped(notes)) }
            let categories = event.categories.filter { !$0.isEmpty }
            if !categories.isEmpty { lines.append("CATEGORIES:" + categories.map(escaped).joined(separator: ",")) }
            if let status = event.status { lines.append("STATUS:" + status.rawValue) }
            if let organizer = event.organizer {
                guard !organizer.email.isEmpty else {
                    throw ICalendarError(eventUID: event.uid, reason: "the organizer has no email address")
                }
                var line = "ORGANIZER"
                if let name = organizer.name, !name.isEmpty { line += ";CN=" + quotedParameter(name) }
                lines.append(line + ":mailto:" + String(organizer.email.unicodeScalars.filter { $0.value > 0x20 && $0 != "\u{7F}" }))
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        var text = ""
        for line in lines { appendFolded(line, to: &text) }
        return text
    }

    /// `YYYYMMDDTHHMMSSZ`.
    private static func utc(_ seconds: Int64, uid: String?) throws -> String {
        let (days, _) = OfficeGregorian.split(secondsSince1970: seconds)
        let year = OfficeGregorian.date(daysSince1970: days).year
        guard (1...9999).contains(year) else {
            throw ICalendarError(eventUID: uid, reason: "\(seconds) seconds since 1970 is outside years 1–9999")
        }
        // 2025-03-04T09:30:00Z → 20250304T093000Z
        return String(OfficeGregorian.isoDateTime(secondsSince1970: seconds).filter { $0 != "-" && $0 != ":" })
    }

    /// TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line ends; other
    /// control characters, which TEXT cannot hold, are dropped.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A parameter value in double quotes, which may then hold `:;,`; it cannot hold a
    /// double quote or a control character, so those go.
    private static func quotedParameter(_ text: String) -> String {
        let kept = text.unicodeScalars.filter { $0 != "\"" && ($0.value >= 0x20 || $0 == "\t") && $0 != "\u{7F}" }
        return "\"" + String(String.UnicodeScalarView(kept)) + "\""
    }

    /// Appends `line` with CRLF, folded so no physical line exceeds 75 octets: continuation
    /// lines start with a space, and a cut never falls inside a UTF-8 character.
    static func appendFolded(_ line: String, to text: inout String) {
        let bytes = Array(line.utf8)
        var start = 0
        var limit = 75
        while bytes.count - start > limit {
            var cut = start + limit
            while cut > start, bytes[cut] & 0xC0 == 0x80 { cut -= 1 } // a continuation byte
            text += String(decoding: bytes[start..<cut], as: UTF8.self) + "\r\n "
            start = cut
            limit = 74 // the leading space counts
        }
        text += String(decoding: bytes[start...], as: UTF8.self) + "\r\n"
    }
}
