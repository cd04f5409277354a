import ArgumentParser
import CRMCore
import Evaluation
import Foundation
import RolloutKit

struct RoiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roi",
        abstract: "Print the project's ROI: NPV, IRR, ROI %, payback, TCO by year, value at 6/12/24 months, sensitivity and a Monte Carlo NPV range.",
        discussion: """
            Costs and benefits come from the playbook; KPI benefits are valued on the pilot's measured improvement over the control group (difference in differences). Conventions (Forrester TEI): time 0 is go-live; one-off costs up to go-live are the undiscounted Initial column; yearly flows are discounted at the end of each year. docs/finance.md has the formulas.

            Sensitivity: the NPV with each driver (each benefit, each cost category, the discount rate) 20 % lower and higher, widest swing first. Monte Carlo: P10 / P50 / P90 of the NPV over 10 000 runs from a fixed seed, every benefit and cost category drawn from a triangular distribution.

            Example: rollout roi --db rollout-demo/rollout.sqlite --json
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Terminal.failing {
            let session = try workspace.session()
            let report = try ReportWriter(templates: .templates()).report(session)
            guard let roi = report.roi else {
                throw ValidationError("the playbook has no `costs:` section, so there is no ROI to compute")
            }
            if output.json { return try Terminal.json(roi) }
            print(Self.render(roi, basis: report.benefitBasis))
        }
    }

    static func render(_ roi: ROIAnalysis, basis: String) -> String {
        func money(_ v: Double) -> String { Money(major: v, currency: roi.currency).formatted }
        func months(_ v: Double?) -> String { v.map { String(format: "%.1f months", $0) } ?? "not within the horizon" }
        var lines = [
            "ROI over \(roi.horizonYears) years after go-live, discounted at \(String(format: "%.1f", roi.discountRate * 100)) %",
            "",
            Terminal.table([
                ["NPV", money(roi.npv)],
                ["IRR", roi.irr.map { String(format: "%.1f %%", $0 * 100) } ?? "not defined"],
                ["ROI", roi.roiPercent.map { String(format: "%.1f %%", $0) } ?? "n/a"],
                ["Payback", months(roi.paybackMonths)],
                ["Discounted payback", months(roi.discountedPaybackMonths)],
                ["PV benefits / costs", "\(money(roi.pvBenefits)) / \(money(roi.pvCosts))"],
            ]),
            "",
            "Cash flows:",
        ]
        var rows = [["", "Costs", "Benefits", "Net", "Discount", "Present value", "Cumulative PV"]]
        for y in roi.years {
            rows.append([y.year == 0 ? "Initial" : "Year \(y.year)", money(y.costs.total), money(y.totalBenefits),
                         money(y.net), String(format: "%.4f", y.discountFactor), money(y.presentValue),
                         money(y.cumulativeDiscountedNet)])
        }
        lines.append(Terminal.table(rows))
        lines.append("")
        lines.append("Total cost of ownership:")
        var tco = [["", "Licences", "Implementation", "Internal staff", "Training", "Maintenance", "Total"]]
        for c in roi.tco.columns + [.init(year: -1, costs: roi.tco.total)] {
            tco.append([c.year == -1 ? "Total" : c.year == 0 ? "Initial" : "Year \(c.year)",
                        money(c.costs.licence), money(c.costs.implementation), money(c.costs.internalStaff),
                        money(c.costs.training), money(c.costs.maintenance), money(c.costs.total)])
        }
        lines.append(Terminal.table(tco))
        lines.append("")
        lines.append("Value after go-live:")
        lines.append(Terminal.table(roi.projections.map {
            ["\($0.months) months", "benefits \(money($0.cumulativeBenefits))", "costs \(money($0.cumulativeCosts))",
             "net \(money($0.net))", $0.roiPercent.map { String(format: "ROI %.1f %%", $0) } ?? ""]
        }))
        lines.append("")
        let spread = roi.sensitivity.spread * 100
        lines.append(String(format: "Sensitivity (±%g %%), widest swing first:", spread))
        if roi.sensitivity.bars.isEmpty {
            lines.append("  no driver moves the NPV")
        } else {
            var rows = [["Driver", String(format: "NPV at −%g %%", spread), String(format: "NPV at +%g %%", spread), "Swing"]]
            for bar in roi.sensitivity.bars {
                let name = bar.driver.kind == .discountRate
                    ? bar.driver.name + String(format: " (%.1f %% / %.1f %%)", bar.baseValue * (100 - spread),
                                               bar.baseValue * (100 + spread))
                    : bar.driver.name
                rows.append([name, money(bar.npvLow), money(bar.npvHigh), money(bar.swing)])
            }
            lines.append(Terminal.table(rows))
        }
        if !roi.sensitivity.zeroDrivers.isEmpty {
            lines.append("  Not varied (zero in the playbook): " + roi.sensitivity.zeroDrivers.map(\.name).joined(separator: ", "))
        }
        lines.append("")
        let mc = roi.monteCarlo
        lines.append("Monte Carlo (\(mc.runs) runs, seed \(mc.seed)):")
        lines.append(Terminal.table([
            ["P10", "P50", "P90", "Mean", "P(NPV < 0)"],
            [money(mc.p10), money(mc.p50), money(mc.p90), money(mc.mean),
             String(format: "%.1f %%", mc.probabilityOfNegativeNPV * 100)],
        ]))
        lines.append("  " + mc.method)
        lines.append("")
        lines.append("Benefits (full year, before risk adjustment):")
        lines.append(Terminal.table(roi.benefits.map {
            [$0.name, money($0.fullYearValue), String(format: "confidence %.0f %%", $0.confidence * 100), $0.basis]
        }))
        lines.append("")
        lines.append(basis)
        lines.append("")
        lines.append("Conventions:")
        lines += roi.conventions.map { "  - \($0)" }
        if !roi.notes.isEmpty {
            lines.append("Notes:")
            lines += roi.notes.map { "  - \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
