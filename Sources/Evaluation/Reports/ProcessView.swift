import CRMCore
import Foundation

/// The "Business processes" section as the templates see it: one entry per process with its
/// conformance per variant, transition times against SLAs and cycle times, all formatted.
struct ProcessView {
    let stats: ProcessStatistics

    static func hours(_ v: Double?) -> String { v.map { ReportView.number($0) + " h" } ?? "n/a" }
    static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f %%", $0) } ?? "n/a" }

    /// Colours a share: 80 % and more is good, under 50 % bad.
    static func shareClass(_ percent: Double?) -> String {
        percent.map { $0 >= 80 ? "good" : $0 >= 50 ? "warn" : "bad" } ?? "na"
    }

    static func signedHours(_ v: Double?) -> String {
        guard let v else { return "n/a" }
        return (v > 0 ? "+" : v < 0 ? "−" : "±") + hours(abs(v))
    }

    var context: [String: Any] {
        let s = stats
        let onCalendar = s.businessCalendar != nil
        var c: [String: Any] = [
            "name": s.name, "id": s.processID, "entity": s.entity, "records": s.records, "clock": s.clock,
            "sources": s.sources.map { "\($0.source.label) \($0.records)" }.joined(separator: ", "),
            "onCalendar": onCalendar,
            "hasNotes": !(s.notes + s.cycleTimes.notes).isEmpty, "notes": s.cycleTimes.notes + s.notes,
        ]
        c["variants"] = s.conformance.map { v -> [String: Any] in
            let conforming = v.conformingPercent
            return [
                "variant": v.variant.label,
                "conformance": v.recordsMeasured == 0 ? "no record has been measured on it yet"
                    : "\(v.recordsConforming) of \(v.recordsMeasured) records conform (\(Self.percent(conforming)))",
                "class": Self.shareClass(conforming),
                "hasDeviations": !v.deviations.isEmpty, "deviations": v.deviations.prefix(5).map(\.summary),
                "transitions": v.transitions.map { t -> [String: Any] in
                    [
                        "from": t.from, "to": t.to, "triggers": t.triggers.joined(separator: " / "), "count": t.count,
                        "median": Self.hours(t.medianHours), "medianWorking": Self.hours(t.medianBusinessHours),
                        "onCalendar": onCalendar,
                        "sla": t.slaHours.map { "\(ReportView.number($0)) h (\(t.slaSource?.rawValue ?? ""))" } ?? "–",
                        "within": t.withinSLAPercent.map { Self.percent($0) + " (\(t.withinSLA ?? 0))" } ?? "–",
                        "withinClass": Self.shareClass(t.withinSLAPercent),
                    ]
                },
            ]
        }
        let ct = s.cycleTimes
        var cycle: [String: Any] = [
            "change": ct.changeAt.map { "first activation on \($0.dateString)" } ?? "not activated yet",
            "activated": ct.changeAt != nil,
            "groups": ct.groups.map { g -> [String: Any] in
                var row: [String: Any] = ["label": g.label, "before": Self.cells(g.before)]
                if let after = g.after {
                    row["after"] = Self.cells(after)
                    row["medianChange"] = Self.signedHours(g.medianChangeHours)
                }
                return row
            },
        ]
        if let group = ct.pilotGroup { cycle["pilotGroup"] = group }
        if let did = ct.medianDifferenceInDifferences { cycle["did"] = Self.signedHours(did) }
        c["cycle"] = cycle
        return c
    }

    static func cells(_ c: CycleTimes) -> [String: Any] {
        ["records": c.records, "final": percent(c.reachedFinalPercent), "median": hours(c.medianHours), "p75": hours(c.p75Hours)]
    }
}
