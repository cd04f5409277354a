extension SVGChart {
    /// One row of an interval chart: an estimate with its confidence interval.
    public struct IntervalRow: Sendable {
        public var label: String
        public var estimate: Double
        public var interval: ClosedRange<Double>?
        /// How the estimate is written beside the row ("−19.2 h [−24.0, −14.1]").
        public var text: String
        /// `good`, `bad` or `na`: the verdict's colour.
        public var style: String

        public init(label: String, estimate: Double, interval: ClosedRange<Double>?, text: String, style: String) {
            self.label = label
            self.estimate = estimate
            self.interval = interval
            self.text = text
            self.style = style
        }
    }

    /// A forest plot of the pilot's difference in differences per KPI: the estimate as a dot, its
    /// 95 % interval as a line, and zero as the reference. KPIs have different units, so each row
    /// has its own symmetric scale around zero; what the eye compares is whether the line
    /// crosses zero, not lengths across rows.
    public static func intervals(title: String, rows: [IntervalRow]) -> String {
        let width = 640.0, rowHeight = 26.0, top = 30.0, left = 210.0, right = 170.0
        let height = top + rowHeight * Double(rows.count) + 12
        let middle = left + (width - left - right) / 2, half = (width - left - right) / 2 - 6
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" "
            + "aria-label=\"\(escape(title))\" class=\"chart\"><title>\(escape(title))</title>"
        svg += "<text x=\"8\" y=\"16\" class=\"legend\">\(escape(title))</text>"
        svg += "<line x1=\"\(f(middle))\" y1=\"\(f(top - 6))\" x2=\"\(f(middle))\" y2=\"\(f(height - 8))\" class=\"zero\"/>"
        svg += "<text x=\"\(f(middle))\" y=\"\(f(top - 10))\" class=\"xlabel\">0</text>"
        for (index, row) in rows.enumerated() {
            let y = top + rowHeight * (Double(index) + 0.5)
            let bounds = [abs(row.estimate)] + (row.interval.map { [abs($0.lowerBound), abs($0.upperBound)] } ?? [])
            let scale = (bounds.max() ?? 0) > 0 ? half / (bounds.max()! * 1.05) : 1
            func x(_ v: Double) -> Double { middle + v * scale }
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" class=\"ylabel\">\(escape(row.label))</text>"
            if let interval = row.interval {
                svg += "<line x1=\"\(f(x(interval.lowerBound)))\" y1=\"\(f(y))\" x2=\"\(f(x(interval.upperBound)))\" "
                    + "y2=\"\(f(y))\" class=\"ci \(row.style)\"/>"
                for bound in [interval.lowerBound, interval.upperBound] {
                    svg += "<line x1=\"\(f(x(bound)))\" y1=\"\(f(y - 5))\" x2=\"\(f(x(bound)))\" y2=\"\(f(y + 5))\" "
                        + "class=\"ci \(row.style)\"/>"
                }
            }
            svg += "<circle cx=\"\(f(x(row.estimate)))\" cy=\"\(f(y))\" r=\"4\" class=\"est \(row.style)\"/>"
            svg += "<text x=\"\(f(width - right + 8))\" y=\"\(f(y + 4))\">\(escape(row.text))</text>"
        }
        return svg + "</svg>"
    }
}
