import Foundation

/// The project's one chart writer: SVG with no scripts and no external
/// assets. The report draws its charts inline (styled by index.html's CSS);
/// the suites write the same charts as standalone files (`bench malloc`'s
/// per-workload charts, `size --svg`), which carry their own style.
struct LineChart {
    var title: String
    /// Right-aligned beside the title (how the numbers were taken).
    var subtitle: String? = nil
    var xLabel: String
    var yLabel: String
    var series: [Series]
    /// Legend lines after the series: a hollow marker and what it means.
    var hollowMeaning: String? = nil

    init(title: String, subtitle: String? = nil, xLabel: String, yLabel: String, series: [Series], hollowMeaning: String? = nil) {
        self.title = title; self.subtitle = subtitle; self.xLabel = xLabel; self.yLabel = yLabel
        self.series = series; self.hollowMeaning = hollowMeaning
    }

    /// Series of (x, y) points, each drawn as a line through its points.
    init(title: String, xLabel: String, yLabel: String, series: [(name: String, points: [(Double, Double)])]) {
        self.init(title: title, xLabel: xLabel, yLabel: yLabel,
                  series: series.map { Series(name: $0.name, points: $0.points.map { Point(x: $0.0, y: $0.1) }) })
    }

    struct Series {
        var name: String
        var points: [Point]
    }

    struct Point {
        var x: Double
        var y: Double
        /// A range drawn as a bar through the point (min–max of repetitions).
        var low: Double? = nil
        var high: Double? = nil
        /// Drawn as an open circle and left out of the line.
        var hollow = false
        /// The point's tooltip; by default "<series>: <x> threads, <ops/s>".
        var note: String? = nil
    }
}

struct BarChart {
    var title: String
    var subtitle: String? = nil
    var bars: [Bar]

    init(title: String, subtitle: String? = nil, bars: [Bar]) { self.title = title; self.subtitle = subtitle; self.bars = bars }

    /// Bars labelled with their value's text, coloured per build variant.
    init(title: String, bars: [(label: String, value: Double, text: String)]) {
        self.init(title: title, bars: bars.map { Bar(label: $0.label, value: $0.value, text: $0.text) })
    }

    struct Bar {
        var label: String
        var value: Double
        var text: String
        /// By default the variant colour of the label.
        var color: String? = nil
        var note: String? = nil
    }
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

    /// A file of its own carries the style index.html gives inline charts.
    static let standaloneStyle = "<style>text{font-family:sans-serif;font-size:12px} .ct{font-weight:600;font-size:13px} "
        + ".tick,.legend{font-size:11px} .axis{font-size:12px} .grid{stroke:#e4e7ec;stroke-width:1} .frame{fill:none;stroke:#b6bdc9}</style>"

    static func open(width w: Double, height h: Double, title: String, standalone: Bool) -> String {
        let size = "viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\""
        guard standalone else { return "<svg class=\"chart\" \(size) role=\"img\" aria-label=\"\(esc(title))\">" }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) role=\"img\" aria-label=\"\(esc(title))\">" + standaloneStyle
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
    }

    /// y against x: x on a log2 scale, y on a log10 scale with decade grid lines.
    static func line(_ c: LineChart, standalone: Bool = false) -> String {
        let w = 600.0, h = 320.0, left = 70.0, right = 180.0, top = 34.0, bottom = 44.0
        let pw = w - left - right, ph = h - top - bottom
        let points = c.series.flatMap(\.points).filter { $0.x > 0 && $0.y > 0 }
        guard !points.isEmpty else {
            let head = standalone ? "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"60\" role=\"img\">"
                : "<svg class=\"chart\" width=\"\(Int(w))\" height=\"60\" role=\"img\">"
            return head + "<text x=\"10\" y=\"30\">\(esc(c.title)): no data</text></svg>"
        }
        let xs = points.map { log2($0.x) }, ys = points.flatMap { [$0.y, $0.low, $0.high].compactMap { $0 }.filter { $0 > 0 }.map(log10) }
        let xMin = xs.min() ?? 0, xMax = max(xs.max() ?? 1, xMin + 1)
        let yMin = floor(ys.min() ?? 0), yMax = max(ceil(ys.max() ?? 1), yMin + 1)
        func px(_ x: Double) -> Double { left + (log2(x) - xMin) / (xMax - xMin) * pw }
        func py(_ y: Double) -> Double { top + ph - (log10(y) - yMin) / (yMax - yMin) * ph }
        var s = open(width: w, height: h, title: c.title, standalone: standalone)
        s += "<title>\(esc(c.title))</title>"
        s += "<text x=\"\(num(left))\" y=\"20\" class=\"ct\">\(esc(c.title))</text>"
        if let sub = c.subtitle {
            s += "<text x=\"\(num(left + pw))\" y=\"20\" text-anchor=\"end\" class=\"tick\">\(esc(sub))</text>"
        }
        var d = yMin
        while d <= yMax + 1e-9 {
            let y = top + ph - (d - yMin) / (yMax - yMin) * ph
            s += "<line x1=\"\(num(left))\" x2=\"\(num(left + pw))\" y1=\"\(num(y))\" y2=\"\(num(y))\" class=\"grid\"/>"
            s += "<text x=\"\(num(left - 6))\" y=\"\(num(y + 4))\" text-anchor=\"end\" class=\"tick\">\(esc(decade(d)))</text>"
            d += 1
        }
        for t in Set(points.map(\.x)).sorted() {
            s += "<line x1=\"\(num(px(t)))\" x2=\"\(num(px(t)))\" y1=\"\(num(top))\" y2=\"\(num(top + ph))\" class=\"grid\"/>"
            s += "<text x=\"\(num(px(t)))\" y=\"\(num(top + ph + 16))\" text-anchor=\"middle\" class=\"tick\">\(Int(t))</text>"
        }
        s += "<rect x=\"\(num(left))\" y=\"\(num(top))\" width=\"\(num(pw))\" height=\"\(num(ph))\" class=\"frame\"/>"
        s += "<text x=\"\(num(left + pw / 2))\" y=\"\(num(h - 6))\" text-anchor=\"middle\" class=\"axis\">\(esc(c.xLabel))</text>"
        s += "<text x=\"14\" y=\"\(num(top + ph / 2))\" text-anchor=\"middle\" class=\"axis\" transform=\"rotate(-90 14 \(num(top + ph / 2)))\">\(esc(c.yLabel))</text>"
        for (i, series) in c.series.enumerated() {
            let color = color(series.name, i)
            let pts = series.points.filter { $0.x > 0 && $0.y > 0 }
            let path = pts.filter { !$0.hollow }.map { "\(num(px($0.x))),\(num(py($0.y)))" }.joined(separator: " ")
            s += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            for p in pts {
                if let low = p.low, let high = p.high, low > 0, high > 0 {
                    s += "<line x1=\"\(num(px(p.x)))\" x2=\"\(num(px(p.x)))\" y1=\"\(num(py(low)))\" y2=\"\(num(py(high)))\" stroke=\"\(color)\" stroke-opacity=\"0.5\"/>"
                }
                let fill = p.hollow ? "white\" stroke=\"\(color)" : color
                let note = p.note ?? "\(series.name): \(Int(p.x)) threads, \(Fmt.ops(p.y))"
                s += "<circle cx=\"\(num(px(p.x)))\" cy=\"\(num(py(p.y)))\" r=\"3\" fill=\"\(fill)\"><title>\(esc(note))</title></circle>"
            }
            let ly = top + 10 + Double(i) * 18
            s += "<line x1=\"\(num(left + pw + 12))\" x2=\"\(num(left + pw + 30))\" y1=\"\(num(ly))\" y2=\"\(num(ly))\" stroke=\"\(color)\" stroke-width=\"3\"/>"
            s += "<text x=\"\(num(left + pw + 35))\" y=\"\(num(ly + 4))\" class=\"legend\">\(esc(series.name))</text>"
        }
        if let hollow = c.hollowMeaning {
            let ly = top + 10 + Double(c.series.count) * 18
            s += "<circle cx=\"\(num(left + pw + 21))\" cy=\"\(num(ly))\" r=\"3\" fill=\"white\" stroke=\"#333\"/>"
            s += "<text x=\"\(num(left + pw + 35))\" y=\"\(num(ly + 4))\" class=\"legend\">\(esc(hollow))</text>"
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

    /// Horizontal bars, labelled with the value; the label column fits the longest label.
    static func bars(_ c: BarChart, standalone: Bool = false) -> String {
        let longest = c.bars.map(\.label.count).max() ?? 0
        let longestText = c.bars.map(\.text.count).max() ?? 0
        let left = min(330, max(130, Double(longest) * 7 + 10)), right = max(90, Double(longestText) * 7 + 16)
        let top = c.subtitle == nil ? 34.0 : 52.0, w = left + 380 + right, barH = 22.0, gap = 8.0
        let h = top + Double(c.bars.count) * (barH + gap) + 10
        let maxV = max(c.bars.map(\.value).max() ?? 1, 1e-9)
        var s = open(width: w, height: h, title: c.title, standalone: standalone)
        s += "<title>\(esc(c.title))</title><text x=\"10\" y=\"20\" class=\"ct\">\(esc(c.title))</text>"
        if let sub = c.subtitle { s += "<text x=\"10\" y=\"38\" class=\"tick\">\(esc(sub))</text>" }
        for (i, b) in c.bars.enumerated() {
            let y = top + Double(i) * (barH + gap)
            let bw = max(1, (w - left - right) * b.value / maxV)
            let bar = "<rect x=\"\(num(left))\" y=\"\(num(y))\" width=\"\(num(bw))\" height=\"\(num(barH))\" fill=\"\(b.color ?? color(b.label, i))\"/>"
            s += "<text x=\"\(num(left - 8))\" y=\"\(num(y + barH / 2 + 4))\" text-anchor=\"end\" class=\"tick\">\(esc(b.label))</text>"
            s += b.note.map { "<g><title>\(esc($0))</title>\(bar)</g>" } ?? bar
            s += "<text x=\"\(num(left + bw + 6))\" y=\"\(num(y + barH / 2 + 4))\" class=\"tick\">\(esc(b.text))</text>"
        }
        return s + "</svg>"
    }
}
