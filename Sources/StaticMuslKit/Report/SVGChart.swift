import Foundation

/// Inline SVG charts for index.html: no scripts, no external assets.
struct LineChart {
    var title: String
    var xLabel: String
    var yLabel: String
    var series: [(name: String, points: [(Double, Double)])]
}

struct BarChart {
    var title: String
    var bars: [(label: String, value: Double, text: String)]
}

enum SVG {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// One colour per build variant in every chart; other names take the palette in order.
    static func color(_ name: String, _ index: Int) -> String {
        if MuslSource.versions.contains(where: { name.contains(VariantColumns.otherMuslColumn($0)) }) { return "#e377c2" }
        switch VariantColumns.column(for: name) {
        case .glibcDynamic?: return "#1f77b4"
        case .glibcStatic?: return "#2ca02c"
        case .musl?: return "#d62728"
        case .muslMimalloc?: return "#ff7f0e"
        case .muslCAres?: return "#17becf"
        case .embeddedMusl?: return "#9467bd"
        case .sdk?: return "#8c564b"
        case nil: return palette[index % palette.count]
        }
    }

    static func esc(_ s: String) -> String { HTML.escape(s) }
    static func num(_ v: Double) -> String { String(format: "%.1f", v) }

    /// ops/s against threads: x on a log2 scale, y on a log10 scale with decade grid lines.
    static func line(_ c: LineChart) -> String {
        let w = 600.0, h = 320.0, left = 70.0, right = 180.0, top = 34.0, bottom = 44.0
        let pw = w - left - right, ph = h - top - bottom
        let points = c.series.flatMap(\.points).filter { $0.0 > 0 && $0.1 > 0 }
        guard !points.isEmpty else {
            return "<svg class=\"chart\" width=\"\(Int(w))\" height=\"60\" role=\"img\">"
                + "<text x=\"10\" y=\"30\">\(esc(c.title)): no data</text></svg>"
        }
        let xs = points.map { log2($0.0) }, ys = points.map { log10($0.1) }
        let xMin = xs.min() ?? 0, xMax = max(xs.max() ?? 1, xMin + 1)
        let yMin = floor(ys.min() ?? 0), yMax = max(ceil(ys.max() ?? 1), yMin + 1)
        func px(_ x: Double) -> Double { left + (log2(x) - xMin) / (xMax - xMin) * pw }
        func py(_ y: Double) -> Double { top + ph - (log10(y) - yMin) / (yMax - yMin) * ph }
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"\(esc(c.title))\">"
        s += "<title>\(esc(c.title))</title>"
        s += "<text x=\"\(num(left))\" y=\"20\" class=\"ct\">\(esc(c.title))</text>"
        var d = yMin
        while d <= yMax + 1e-9 {
            let y = top + ph - (d - yMin) / (yMax - yMin) * ph
            s += "<line x1=\"\(num(left))\" x2=\"\(num(left + pw))\" y1=\"\(num(y))\" y2=\"\(num(y))\" class=\"grid\"/>"
            s += "<text x=\"\(num(left - 6))\" y=\"\(num(y + 4))\" text-anchor=\"end\" class=\"tick\">\(esc(decade(d)))</text>"
            d += 1
        }
        let ticks = Set(points.map(\.0)).sorted()
        for t in ticks {
            s += "<line x1=\"\(num(px(t)))\" x2=\"\(num(px(t)))\" y1=\"\(num(top))\" y2=\"\(num(top + ph))\" class=\"grid\"/>"
            s += "<text x=\"\(num(px(t)))\" y=\"\(num(top + ph + 16))\" text-anchor=\"middle\" class=\"tick\">\(Int(t))</text>"
        }
        s += "<rect x=\"\(num(left))\" y=\"\(num(top))\" width=\"\(num(pw))\" height=\"\(num(ph))\" class=\"frame\"/>"
        s += "<text x=\"\(num(left + pw / 2))\" y=\"\(num(h - 6))\" text-anchor=\"middle\" class=\"axis\">\(esc(c.xLabel))</text>"
        s += "<text x=\"14\" y=\"\(num(top + ph / 2))\" text-anchor=\"middle\" class=\"axis\" transform=\"rotate(-90 14 \(num(top + ph / 2)))\">\(esc(c.yLabel))</text>"
        for (i, series) in c.series.enumerated() {
            let color = color(series.name, i)
            let pts = series.points.filter { $0.0 > 0 && $0.1 > 0 }
            let path = pts.map { "\(num(px($0.0))),\(num(py($0.1)))" }.joined(separator: " ")
            s += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            for p in pts {
                s += "<circle cx=\"\(num(px(p.0)))\" cy=\"\(num(py(p.1)))\" r=\"3\" fill=\"\(color)\"><title>\(esc(series.name)): \(Int(p.0)) threads, \(esc(Fmt.ops(p.1)))</title></circle>"
            }
            let ly = top + 10 + Double(i) * 18
            s += "<line x1=\"\(num(left + pw + 12))\" x2=\"\(num(left + pw + 30))\" y1=\"\(num(ly))\" y2=\"\(num(ly))\" stroke=\"\(color)\" stroke-width=\"3\"/>"
            s += "<text x=\"\(num(left + pw + 35))\" y=\"\(num(ly + 4))\" class=\"legend\">\(esc(series.name))</text>"
        }
        return s + "</svg>"
    }

    static func decade(_ d: Double) -> String {
        let v = pow(10, d)
        if v >= 1e9 { return "\(Int(v / 1e9))G" }
        if v >= 1e6 { return "\(Int(v / 1e6))M" }
        if v >= 1e3 { return "\(Int(v / 1e3))k" }
        return "\(Int(v))"
    }

    /// Horizontal bars, one per variant, labelled with the value.
    static func bars(_ c: BarChart) -> String {
        let w = 600.0, left = 130.0, right = 90.0, top = 34.0, barH = 22.0, gap = 8.0
        let h = top + Double(c.bars.count) * (barH + gap) + 10
        let maxV = max(c.bars.map(\.value).max() ?? 1, 1e-9)
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"\(esc(c.title))\">"
        s += "<title>\(esc(c.title))</title><text x=\"10\" y=\"20\" class=\"ct\">\(esc(c.title))</text>"
        for (i, b) in c.bars.enumerated() {
            let y = top + Double(i) * (barH + gap)
            let bw = max(1, (w - left - right) * b.value / maxV)
            s += "<text x=\"\(num(left - 8))\" y=\"\(num(y + barH / 2 + 4))\" text-anchor=\"end\" class=\"tick\">\(esc(b.label))</text>"
            s += "<rect x=\"\(num(left))\" y=\"\(num(y))\" width=\"\(num(bw))\" height=\"\(num(barH))\" fill=\"\(color(b.label, i))\"/>"
            s += "<text x=\"\(num(left + bw + 6))\" y=\"\(num(y + barH / 2 + 4))\" class=\"tick\">\(esc(b.text))</text>"
        }
        return s + "</svg>"
    }
}
