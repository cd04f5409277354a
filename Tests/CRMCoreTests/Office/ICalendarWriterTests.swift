@testable import CRMCore
import Foundation
import Testing

private let longChineseSummary = "拜访王芳：讨论二〇二五年第一季度客户关系管理系统上线计划、培训安排、数据迁移方案以及售后服务等级协议的细节"

private let sampleEvents = [
    ICalEvent(uid: "activity-1@rollout.example", start: 1_741_080_600, end: 1_741_084_200, // 09:30–10:30 UTC
              summary: longChineseSummary,
              location: "Beijing; Chaoyang, Building 3",
              notes: "Agenda:\n1. Pilot, scope; risks\r\n2. Back\\slash",
              categories: ["Visit", "Key account, VIP"],
              status: .confirmed,
              organizer: ICalOrganizer(name: "Li, \"Wei\"", email: "li.wei@example.com")),
    ICalEvent(uid: "activity-2@rollout.example", start: 1_741_170_000, end: 1_741_170_000,
              summary: "Call", status: .tentative),
]

@Suite("ICalendarWriter")
struct ICalendarWriterTests {
    @Test("every physical line ends in CRLF and is at most 75 octets, without splitting a character")
    func lineEndsAndFolding() throws {
        let text = try ICalendarWriter.render(calendarName: "客户拜访 — Wang Fang", events: sampleEvents, stamp: 1_741_000_000)
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            #expect(index > 0 && bytes[index - 1] == 0x0D, "a bare LF at byte \(index)")
        }
        let lines = text.components(separatedBy: "\r\n").dropLast()
        #expect(lines.contains { $0.hasPrefix(" ") }, "the long summary should have been folded")
        for line in lines {
            #expect(line.utf8.count <= 75, "\(line)")
            #expect(String(bytes: Array(line.utf8), encoding: .utf8) != nil)
        }
    }

    @Test("Python's icalendar reads back every field")
    func icalendarReadsBack() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/visits.ics"
            let text = try ICalendarWriter.render(calendarName: "客户拜访, Q1", events: sampleEvents, stamp: 1_741_000_000)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            struct Event: Decodable {
                var uid: String, stamp: String, start: String, end: String?, summary: String
                var location: String?, notes: String?, categories: [String], status: String
                var organizer: String?, organizerName: String?
            }
            struct Calendar: Decodable { var name: String; var version: String; var prodid: String; var method: String; var events: [Event] }
            let calendar = try runOfficePython("""
                import json, re, sys
                from icalendar import Calendar
                def text(value):  # RFC 5545 3.3.11 TEXT unescaping
                    return re.sub(r"\\\\([\\\\;,nN])", lambda m: "\\n" if m.group(1) in "nN" else m.group(1), value)
                cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
                events = []
                for e in cal.walk("VEVENT"):
                    cats = e.get("CATEGORIES")
                    org = e.get("ORGANIZER")
                    events.append({
                        "uid": str(e["UID"]), "stamp": e["DTSTAMP"].dt.isoformat(),
                        "start": e["DTSTART"].dt.isoformat(),
                        "end": e["DTEND"].dt.isoformat() if "DTEND" in e else None,
                        "summary": str(e["SUMMARY"]),
                        "location": str(e["LOCATION"]) if "LOCATION" in e else None,
                        "notes": str(e["DESCRIPTION"]) if "DESCRIPTION" in e else None,
                        "categories": [str(c) for c in cats.cats] if cats else [],
                        "status": str(e["STATUS"]),
                        "organizer": str(org) if org else None,
                        "organizerName": str(org.params.get("CN")) if org else None,
                    })
                # icalendar hands X- properties over raw; RFC 5545 3.8.8.2 makes them TEXT by default.
                print(json.dumps({"name": text(str(cal["X-WR-CALNAME"])), "version": str(cal["VERSION"]),
                                  "prodid": str(cal["PRODID"]), "method": str(cal["METHOD"]), "events": events}))
                """, arguments: [path], as: Calendar.self)
            #expect(calendar.name == "客户拜访, Q1")
            #expect(calendar.version == "2.0")
            #expect(calendar.prodid == "-//Rollout//CRM//EN")
            #expect(calendar.method == "PUBLISH")
            #expect(calendar.events.count == 2)
            let visit = try #require(calendar.events.first)
            #expect(visit.uid == "activity-1@rollout.example")
            #expect(visit.stamp == "2025-03-03T11:06:40+00:00")
            #expect(visit.start == "2025-03-04T09:30:00+00:00")
            #expect(visit.end == "2025-03-04T10:30:00+00:00")
            #expect(visit.summary == longChineseSummary)
            #expect(visit.location == "Beijing; Chaoyang, Building 3")
            #expect(visit.notes == "Agenda:\n1. Pilot, scope; risks\n2. Back\\slash")
            #expect(visit.categories == ["Visit", "Key account, VIP"])
            #expect(visit.status == "CONFIRMED")
            #expect(visit.organizer == "mailto:li.wei@example.com")
            #expect(visit.organizerName == "Li, Wei")
            let call = try #require(calendar.events.last)
            #expect(call.end == nil) // no duration: RFC 5545 says to leave DTEND out
            #expect(call.status == "TENTATIVE")
        }
    }

    @Test("text escaping covers backslash, semicolon, comma and every kind of line end")
    func escaping() {
        #expect(ICalendarWriter.escaped("a,b;c\\d\ne\r\nf\rg\u{01}h\ti") == "a\\,b\\;c\\\\d\\ne\\nf\\ng" + "h\ti")
    }

    @Test("an event that ends before it starts, has no uid or an organizer without email is refused")
    func refusedEvents() {
        let backwards = ICalEvent(uid: "x", start: 100, end: 50, summary: "Backwards")
        let error = #expect(throws: ICalendarError.self) { try ICalendarWriter.render(events: [backwards], stamp: 0) }
        #expect(error?.description == "event \"x\": it ends before it starts")
        let noUID = #expect(throws: ICalendarError.self) {
            try ICalendarWriter.render(events: [ICalEvent(uid: "", start: 0, end: 0, summary: "No id")], stamp: 0)
        }
        #expect(noUID?.description.hasPrefix("calendar: the event \"No id\" has no uid") == true)
        let noEmail = ICalEvent(uid: "y", start: 0, end: 60, summary: "Visit", organizer: ICalOrganizer(name: "Li", email: ""))
        #expect(throws: ICalendarError.self) { try ICalendarWriter.render(events: [noEmail], stamp: 0) }
    }
}
