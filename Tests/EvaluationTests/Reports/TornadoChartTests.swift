import Evaluation
import Testing

/// The tornado chart of the ROI section: one labelled row per driver around the base NPV, each bar
/// with its own accessible title.
struct TornadoChartTests {
    private func chart(_ bars: [SVGChart.TornadoBar]) -> String {
        SVGChart.tornado(title: "NPV with each driver ±20 %", base: 100, bars: bars,
                         series: (low: "driver −20 %", high: "driver +20 %"),
                         valueLabel: { "NPV \(Int($0))" }, axisLabel: { "\(Int($0))" })
    }

    @Test func eachDriverHasTwoTitledBarsAroundALabelledBaseLine() {
        let svg = chart([
            .init(label: "Sales <admin> time", low: 60, high: 140),
            .init(label: "Implementation", low: 120, high: 80),
        ])
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains("role=\"img\" aria-label=\"NPV with each driver ±20 %\""))
        #expect(svg.contains("<title>NPV with each driver ±20 %</title>"))
        #expect(svg.contains("<title>Sales &lt;admin&gt; time, driver −20 %: NPV 60</title>"))
        #expect(svg.contains("<title>Sales &lt;admin&gt; time, driver +20 %: NPV 140</title>"))
        #expect(svg.contains("<title>Implementation, driver −20 %: NPV 120</title>"))
        #expect(svg.contains(">base NPV 100</text>"))
        // Two legend swatches and two bars a driver.
        #expect(svg.components(separatedBy: "<rect").count - 1 == 2 + 4)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func aBarRunsFromTheBaseToItsValue() {
        // Plot from x = 200 to 616 over 60…140 padded by 4 % each side (56.8…143.2): the base, 100, sits at
        // 200 + (100 − 56.8) / 86.4 × 416 = 408; the low bar of the first row starts at 60 → 215.4.
        let svg = chart([.init(label: "Sales", low: 60, high: 140)])
        #expect(svg.contains("<rect x=\"215.4\" y=\"53.0\" width=\"192.6\" height=\"16.0\" class=\"s0\">"))
        #expect(svg.contains("<rect x=\"408.0\" y=\"53.0\" width=\"192.6\" height=\"16.0\" class=\"s1\">"))
        #expect(svg.contains("<line x1=\"408.0\" y1=\"42.0\" x2=\"408.0\" y2=\"74.0\" class=\"zero\"/>"))
        // Grid lines at round values: a fourth of the span is 21.6, so every 20.
        let ticks = svg.components(separatedBy: "class=\"xlabel\">").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(ticks == ["60", "80", "100", "120", "140", "base NPV 100"])
    }

    @Test func noDriversDrawsAnEmptyChartWithoutNaN() {
        let svg = chart([])
        #expect(svg.hasSuffix("</svg>"))
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }
}
