import Foundation

/// Small, dependency-free SVG charts for the self-contained HTML report.
///
/// Each chart is one `<svg>` element with a `viewBox`, so it scales with the page and prints
/// to PDF as vectors. Colours come from CSS classes the report's stylesheet defines.
public enum SVGChart {
    /// One group of bars per category (e.g. per KPI: pilot baseline, pilot now, control baseline,
    /// control now). Values are drawn on each category's own scale (0 … its maximum), because
    /// KPIs have different units; each bar is labelled with its value.
    public struct BarGroup: Sendable {
        public var label: String
        public var bars: [(series: Int, value: Double?, text: String)]
        public init(label: String, bars: [(series: Int, value: Double?, text: String)]) {
            self.label = label
            self.bars = bars
        }
    }

    public static func groupedBars(title: String, series: [String], groups: [BarGroup]) -> String {
        let barWidth = 34.0, gap = 4.0, groupGap = 30.0, plotHeight = 150.0, top = 40.0, left = 16.0
        let perGroup = Double(series.count) * (barWidth + gap) - gap
        let width = left * 2 + Double(groups.count) * (perGroup + groupGap)
        let height = top + plotHeight + 58
        var svg = header(width: width, height: height, title: title)
        // Legend.
        var x = left
        for (i, name) in series.enumerated() {
            svg += "<rect x=\"\(f(x))\" y=\"8\" width=\"12\" height=\"12\" class=\"s\(i)\"/>"
            svg += "<text x=\"\(f(x + 16))\" y=\"18\" class=\"legend\">\(escape(name))</text>"
            x += 16 + Double(name.count) * 6.5 + 18
        }
        for (g, group) in groups.enumerated() {
            let gx = left + Double(g) * (perGroup + groupGap)
            let maximum = group.bars.compactMap(\.value).map(abs).max() ?? 0
            for (b, bar) in group.bars.enumerated() {
                let bx = gx + Double(b) * (barWidth + gap)
                guard let value = bar.value else {
                    svg += "<text x=\"\(f(bx + barWidth / 2))\" y=\"\(f(top + plotHeight - 4))\" class=\"na\">n/a</text>"
                    continue
                }
                let h = maximum > 0 ? max(1, abs(value) / maximum * (plotHeight - 16)) : 1
                let y = top + plotHeight - h
                svg += "<rect x=\"\(f(bx))\" y=\"\(f(y))\" width=\"\(f(barWidth))\" height=\"\(f(h))\" class=\"s\(bar.series)\">"
                svg += "<title>\(escape(series[bar.series])): \(escape(bar.text))</title></rect>"
                svg += "<text x=\"\(f(bx + barWidth / 2))\" y=\"\(f(y - 3))\" class=\"value\">\(escape(bar.text))</text>"
            }
            svg += "<line x1=\"\(f(gx - 4))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(gx + perGroup + 4))\" y2=\"\(f(top + plotHeight))\" class=\"axis\"/>"
            svg += wrappedLabel(group.label, x: gx + perGroup / 2, y: top + plotHeight + 16)
        }
        return svg + "</svg>"
    }

    /// A line of cumulative values over time with a zero line, e.g. cumulative net cash flow by month.
    public static func line(title: String, points: [(x: Double, y: Double)], xLabel: (Double) -> String,
                            yLabel: (Double) -> String, markers: [(x: Double, label: String)] = []) -> String {
        let width = 640.0, height = 260.0, left = 86.0, right = 16.0, top = 24.0, bottom = 40.0
        var svg = header(width: width, height: height, title: title)
        guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max(), maxX > minX else {
            return svg + "</svg>"
        }
        let minY = min(0, points.map(\.y).min() ?? 0), maxY = max(0, points.map(\.y).max() ?? 0)
        let spanY = maxY - minY == 0 ? 1 : maxY - minY
        func px(_ x: Double) -> Double { left + (x - minX) / (maxX - minX) * (width - left - right) }
        func py(_ y: Double) -> Double { top + (maxY - y) / spanY * (height - top - bottom) }
        for i in 0...4 {
            let value = minY + spanY * Double(i) / 4
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(value)))\" x2=\"\(f(width - right))\" y2=\"\(f(py(value)))\" class=\"grid\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(value) + 4))\" class=\"ylabel\">\(escape(yLabel(value)))</text>"
        }
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(0)))\" x2=\"\(f(width - right))\" y2=\"\(f(py(0)))\" class=\"zero\"/>"
        let ticks = 6
        for i in 0...ticks {
            let value = minX + (maxX - minX) * Double(i) / Double(ticks)
            svg += "<text x=\"\(f(px(value)))\" y=\"\(f(height - bottom + 16))\" class=\"xlabel\">\(escape(xLabel(value)))</text>"
        }
        for marker in markers where marker.x >= minX && marker.x <= maxX {
            svg += "<line x1=\"\(f(px(marker.x)))\" y1=\"\(f(top))\" x2=\"\(f(px(marker.x)))\" y2=\"\(f(height - bottom))\" class=\"marker\"/>"
            svg += "<text x=\"\(f(px(marker.x) + 3))\" y=\"\(f(top + 10))\" class=\"markerlabel\">\(escape(marker.label))</text>"
        }
        let path = points.enumerated().map { i, p in "\(i == 0 ? "M" : "L")\(f(px(p.x))),\(f(py(p.y)))" }.joined()
        svg += "<path d=\"\(path)\" class=\"series\"/>"
        return svg + "</svg>"
    }

    /// One row of a tornado chart: a value with one driver low and high.
    public struct TornadoBar: Sendable {
        public var label: String
        public var low: Double
        public var high: Double
        public init(label: String, low: Double, high: Double) {
            self.label = label
            self.low = low
            self.high = high
        }
    }

    /// A tornado chart: one row per driver, in the order given (widest first), with a bar from
    /// `base` to the value at the driver's low (class `s0`) and one to its high (class `s1`),
    /// around a labelled line at `base`. Each bar has a `<title>` with its driver, side and value.
    public static func tornado(title: String, base: Double, bars: [TornadoBar], series: (low: String, high: String),
                               valueLabel: (Double) -> String, axisLabel: (Double) -> String) -> String {
        let width = 640.0, left = 200.0, right = 24.0, top = 48.0, rowHeight = 26.0, barHeight = 16.0, bottom = 28.0
        let height = top + Double(max(bars.count, 1)) * rowHeight + bottom
        var svg = header(width: width, height: height, title: title)
        var x = left
        for (i, name) in [series.low, series.high].enumerated() {
            svg += "<rect x=\"\(f(x))\" y=\"8\" width=\"12\" height=\"12\" class=\"s\(i)\"/>"
            svg += "<text x=\"\(f(x + 16))\" y=\"18\" class=\"legend\">\(escape(name))</text>"
            x += 16 + Double(name.count) * 6.5 + 18
        }
        let values = bars.flatMap { [$0.low, $0.high] } + [base]
        var minX = values.min() ?? base, maxX = values.max() ?? base
        if maxX - minX == 0 { (minX, maxX) = (base - 1, base + 1) }
        let padding = (maxX - minX) * 0.04
        (minX, maxX) = (minX - padding, maxX + padding)
        func px(_ v: Double) -> Double { left + (v - minX) / (maxX - minX) * (width - left - right) }
        let plotBottom = top + Double(bars.count) * rowHeight
        for value in roundTicks(from: minX, to: maxX) {
            svg += "<line x1=\"\(f(px(value)))\" y1=\"\(f(top - 4))\" x2=\"\(f(px(value)))\" y2=\"\(f(plotBottom))\" class=\"grid\"/>"
            svg += "<text x=\"\(f(px(value)))\" y=\"\(f(plotBottom + 16))\" class=\"xlabel\">\(escape(axisLabel(value)))</text>"
        }
        for (row, bar) in bars.enumerated() {
            let y = top + Double(row) * rowHeight + (rowHeight - barHeight) / 2
            let label = bar.label.count > 30 ? String(bar.label.prefix(29)) + "…" : bar.label
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + barHeight - 4))\" class=\"ylabel\">\(escape(label))"
                + "<title>\(escape(bar.label))</title></text>"
            // The bar farther from the base first, so that a nearer one on the same side stays visible.
            let lowSide = (0, series.low, bar.low), highSide = (1, series.high, bar.high)
            let sides = abs(bar.low - base) >= abs(bar.high - base) ? [lowSide, highSide] : [highSide, lowSide]
            for (index, side, value) in sides {
                let x0 = px(min(base, value)), x1 = px(max(base, value))
                svg += "<rect x=\"\(f(x0))\" y=\"\(f(y))\" width=\"\(f(max(1, x1 - x0)))\" height=\"\(f(barHeight))\" class=\"s\(index)\">"
                svg += "<title>\(escape(bar.label)), \(escape(side)): \(escape(valueLabel(value)))</title></rect>"
            }
        }
        svg += "<line x1=\"\(f(px(base)))\" y1=\"\(f(top - 6))\" x2=\"\(f(px(base)))\" y2=\"\(f(plotBottom))\" class=\"zero\"/>"
        svg += "<text x=\"\(f(px(base)))\" y=\"\(f(top - 10))\" class=\"xlabel\">\(escape("base \(valueLabel(base))"))</text>"
        return svg + "</svg>"
    }

    /// Two to seven round values (multiples of 1, 2 or 5 × 10ⁿ) in `low…high`, so that axis labels
    /// name the values their grid lines stand at.
    static func roundTicks(from low: Double, to high: Double) -> [Double] {
        guard high > low, (high - low).isFinite else { return [] }
        let rough = (high - low) / 4
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let step = magnitude * (rough / magnitude < 1.5 ? 1 : rough / magnitude < 3 ? 2 : rough / magnitude < 7 ? 5 : 10)
        let first = (low / step).rounded(.up)
        return stride(from: first, through: (high / step).rounded(.down), by: 1).map { $0 * step }
    }

    private static func header(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" "
            + "aria-label=\"\(escape(title))\" class=\"chart\"><title>\(escape(title))</title>"
    }

    private static func wrappedLabel(_ text: String, x: Double, y: Double) -> String {
        var lines: [String] = [""]
        for word in text.split(separator: " ") {
            if lines[lines.count - 1].count + word.count > 18 && !lines[lines.count - 1].isEmpty { lines.append("") }
            lines[lines.count - 1] += (lines[lines.count - 1].isEmpty ? "" : " ") + word
        }
        return lines.prefix(3).enumerated().map { i, line in
            "<text x=\"\(f(x))\" y=\"\(f(y + Double(i) * 12))\" class=\"xlabel\">\(escape(line))</text>"
        }.joined()
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
