import CRMCore
import Foundation

/// The ROI section as the templates see it: money formatted in the playbook's currency, the
/// cumulative cash-flow chart drawn.
struct ROIView {
    let roi: ROIAnalysis
    let format: ReportFormat

    func money(_ v: Double) -> String { Money(major: v, currency: roi.currency).formatted }

    func percent(_ v: Double?) -> String {
        guard let v else { return "n/a" }
        return String(format: "%.1f %%", v)
    }

    func months(_ v: Double?) -> String {
        guard let v else { return "not within \(roi.horizonYears) years" }
        return String(format: "%.1f months", v)
    }

    func label(_ year: Int) -> String { year == 0 ? "Initial" : "Year \(year)" }

    var context: [String: Any] {
        var c: [String: Any] = [
            "currency": roi.currency,
            "discountRate": String(format: "%.1f %%", roi.discountRate * 100),
            "horizonYears": roi.horizonYears,
            "npv": money(roi.npv), "npvClass": roi.npv >= 0 ? "good" : "bad",
            "spreadsheetNPV": money(roi.spreadsheetNPV),
            "irr": roi.irr.map { String(format: "%.1f %%", $0 * 100) } ?? "not defined",
            "roiPercent": percent(roi.roiPercent),
            "payback": months(roi.paybackMonths),
            "discountedPayback": months(roi.discountedPaybackMonths),
            "pvBenefits": money(roi.pvBenefits), "pvCosts": money(roi.pvCosts),
            "conventions": roi.conventions,
            "hasNotes": !roi.notes.isEmpty, "notes": roi.notes,
        ]
        c["years"] = roi.years.map { y -> [String: Any] in
            ["label": label(y.year), "costs": money(y.costs.total), "benefits": money(y.totalBenefits), "net": money(y.net),
             "factor": String(format: "%.4f", y.discountFactor), "presentValue": money(y.presentValue),
             "cumulative": money(y.cumulativeDiscountedNet)]
        }
        c["projections"] = roi.projections.map { p -> [String: Any] in
            ["months": p.months, "benefits": money(p.cumulativeBenefits), "costs": money(p.cumulativeCosts),
             "net": money(p.net), "class": p.net >= 0 ? "good" : "bad", "roi": percent(p.roiPercent)]
        }
        c["tcoHeader"] = roi.tco.columns.map { label($0.year) } + ["Total"]
        let categories: [(String, (CostBreakdown) -> Double)] = [
            ("Licences", \.licence), ("Implementation", \.implementation), ("Internal staff", \.internalStaff),
            ("Training", \.training), ("Maintenance", \.maintenance), ("Total", \.total),
        ]
        c["tco"] = categories.map { name, amount -> [String: Any] in
            ["category": name, "values": roi.tco.columns.map { money(amount($0.costs)) } + [money(amount(roi.tco.total))]]
        }
        c["benefits"] = roi.benefits.map { b -> [String: Any] in
            ["name": b.name, "fullYear": money(b.fullYearValue), "confidence": String(format: "%.0f %%", b.confidence * 100),
             "ramp": b.rampUp.map { String(format: "%.0f %%", $0 * 100) }.joined(separator: " → "), "basis": b.basis]
        }
        if format == .html { c["cashflowChart"] = cashflowChart }
        return c
    }

    /// Cumulative undiscounted net value by month after go-live, with yearly flows accruing evenly.
    var cashflowChart: String {
        var points: [(x: Double, y: Double)] = []
        let initial = roi.years.first?.net ?? 0
        points.append((0, initial))
        var cumulative = initial
        for year in roi.years where year.year > 0 {
            for month in 1...12 {
                points.append((Double((year.year - 1) * 12 + month), cumulative + year.net * Double(month) / 12))
            }
            cumulative += year.net
        }
        var markers = roi.projections.map { (x: Double($0.months), label: "\($0.months) m") }
        if let payback = roi.paybackMonths { markers.append((payback, "payback")) }
        return SVGChart.line(title: "Cumulative net value after go-live (\(roi.currency), undiscounted)", points: points,
                             xLabel: { "\(Int($0.rounded())) m" },
                             yLabel: { Self.compact($0) }, markers: markers)
    }

    /// `1.2 M`, `-350 k`: axis labels.
    static func compact(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1_000_000 { return String(format: "%.1f M", v / 1_000_000) }
        if a >= 1_000 { return String(format: "%.0f k", v / 1_000) }
        return String(format: "%.0f", v)
    }
}
