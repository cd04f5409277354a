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
        c["sensitivitySpread"] = spread
        c["spreadLow"] = spreadLow
        c["spreadHigh"] = spreadHigh
        c["sensitivity"] = roi.sensitivity.bars.map { bar -> [String: Any] in
            ["driver": driverLabel(bar), "npvLow": money(bar.npvLow), "npvHigh": money(bar.npvHigh),
             "swing": money(bar.swing)]
        }
        c["hasSensitivity"] = !roi.sensitivity.bars.isEmpty
        c["sensitivityMethod"] = roi.sensitivity.method
        let mc = roi.monteCarlo
        c["monteCarlo"] = [
            "p10": money(mc.p10), "p50": money(mc.p50), "p90": money(mc.p90), "mean": money(mc.mean),
            "p10Class": mc.p10 >= 0 ? "good" : "bad",
            "probabilityNegative": String(format: "%.1f %%", mc.probabilityOfNegativeNPV * 100),
            "runs": mc.runs, "seed": String(mc.seed), "method": mc.method,
        ] as [String: Any]
        if format == .html {
            c["cashflowChart"] = cashflowChart
            c["tornadoChart"] = tornadoChart
        }
        return c
    }

    /// `±20 %`, `−20 %`, `+20 %`.
    var spread: String { String(format: "±%g %%", roi.sensitivity.spread * 100) }
    var spreadLow: String { String(format: "−%g %%", roi.sensitivity.spread * 100) }
    var spreadHigh: String { String(format: "+%g %%", roi.sensitivity.spread * 100) }

    /// The driver's name; the discount rate with the rates it takes.
    func driverLabel(_ bar: Sensitivity.Bar) -> String {
        guard bar.driver.kind == .discountRate else { return bar.driver.name }
        let s = roi.sensitivity.spread
        func rate(_ v: Double) -> String { String(format: "%.1f %%", v * 100) }
        return "\(bar.driver.name) (\(rate(bar.baseValue * (1 - s))) / \(rate(bar.baseValue * (1 + s))))"
    }

    /// The NPV with each driver low and high around the base NPV, widest swing at the top.
    var tornadoChart: String {
        SVGChart.tornado(title: "NPV with each driver \(spread) (\(roi.currency)), widest swing first",
                         base: roi.sensitivity.baseNPV,
                         bars: roi.sensitivity.bars.map { .init(label: driverLabel($0), low: $0.npvLow, high: $0.npvHigh) },
                         series: (low: "driver \(spreadLow)", high: "driver \(spreadHigh)"),
                         valueLabel: { "NPV \(money($0))" }, axisLabel: { Self.tick($0) })
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

    /// `1.05 M`, `1.1 M`, `-350 k`: labels of round axis ticks, with the digits a tick needs.
    static func tick(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1_000_000 { return String(format: "%g M", (v / 10_000).rounded() / 100) }
        if a >= 1_000 { return String(format: "%g k", (v / 100).rounded() / 10) }
        return String(format: "%g", (v * 100).rounded() / 100 + 0)   // + 0: no "-0"
    }

    /// `1.2 M`, `-350 k`: axis labels.
    static func compact(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1_000_000 { return String(format: "%.1f M", v / 1_000_000) }
        if a >= 1_000 { return String(format: "%.0f k", v / 1_000) }
        return String(format: "%.0f", v)
    }
}
