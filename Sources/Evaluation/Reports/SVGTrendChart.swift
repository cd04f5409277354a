import CRMCore

extension SVGChart {
    /// One series of a trend chart: a group's values over time; nil values break the line.
    public struct TrendSeries: Sendable {
        public var name: String
        /// The CSS class of the line and its legend (`pilot`, `control`, `everyone`).
        public var style: String
        public var points: [(time: Timestamp, value: Double?)]

        public init(name: String, style: String, points: [(time: Timestamp, value: Double?)]) {
            self.name = name
            self.style = style
            self.points = points
        }
    }

    /// A KPI over time, one line per group, a dot per snapshot, dates on the x axis.
    public static func trend(title: String, series: [TrendSeries], yLabel: (Double) -> String) -> String {
        let width = 640.0, height = 200.0, left = 70.0, right = 110.0, top = 22.0, bottom = 30.0
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" "
            + "aria-label=\"\(escape(title))\" class=\"chart\"><title>\(escape(title))</title>"
        svg += "<text x=\"\(f(left))\" y=\"14\" class=\"legend\">\(escape(title))</text>"
        let times = series.flatMap { $0.points.map { Double($0.time.secondsSinceEpoch) } }
        let values = series.flatMap { $0.points.compactMap(\.value) }
        guard let minX = times.min(), let maxX = times.max(), let low = values.min(), let high = values.max() else {
            return svg + "<text x=\"\(f(width / 2))\" y=\"\(f(height / 2))\" class=\"na\">not measured</text></svg>"
        }
        let spanX = maxX > minX ? maxX - minX : 1
        let padding = high > low ? (high - low) * 0.1 : max(abs(high) * 0.1, 1)
        let minY = low - padding, maxY = high + padding
        func px(_ x: Double) -> Double { left + (x - minX) / spanX * (width - left - right) }
        func py(_ y: Double) -> Double { top + (maxY - y) / (maxY - minY) * (height - top - bottom) }
        for i in 0...3 {
            let value = minY + (maxY - minY) * Double(i) / 3
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(value)))\" x2=\"\(f(width - right))\" y2=\"\(f(py(value)))\" class=\"grid\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(value) + 4))\" class=\"ylabel\">\(escape(yLabel(value)))</text>"
        }
        let dates = Array(Set(series.flatMap { $0.points.map(\.time) })).sorted()
        let step = max(1, dates.count / 5)
        for (index, date) in dates.enumerated() where index % step == 0 {
            let x = px(Double(date.secondsSinceEpoch))
            svg += "<text x=\"\(f(x))\" y=\"\(f(height - bottom + 16))\" class=\"xlabel\">\(date.dateString)</text>"
        }
        for (index, line) in series.enumerated() {
            var path = "", pen = "M"
            for point in line.points {
                guard let value = point.value else { pen = "M"; continue }
                let x = px(Double(point.time.secondsSinceEpoch)), y = py(value)
                path += "\(pen)\(f(x)),\(f(y))"
                pen = "L"
                svg += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"2.5\" class=\"dot \(line.style)\"/>"
            }
            if !path.isEmpty { svg += "<path d=\"\(path)\" class=\"trend \(line.style)\"/>" }
            let legendY = top + 14 + Double(index) * 16
            svg += "<line x1=\"\(f(width - right + 10))\" y1=\"\(f(legendY - 4))\" x2=\"\(f(width - right + 26))\" "
                + "y2=\"\(f(legendY - 4))\" class=\"trend \(line.style)\"/>"
            svg += "<text x=\"\(f(width - right + 30))\" y=\"\(f(legendY))\" class=\"legend\">\(escape(line.name))</text>"
        }
        return svg + "</svg>"
    }
}
