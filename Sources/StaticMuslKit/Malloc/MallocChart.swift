import Foundation

/// Self-contained SVG charts of a MallocReport: ops/s (log scale) against
/// threads (log2 scale), one line per variant. The 1-thread run on the
/// main thread is drawn as a hollow marker; lines use the spawned runs.
public enum MallocChart {
    public static func svg(_ report: MallocReport, workload: String) -> String {
        let width = 660.0, height = 400.0
        let left = 70.0, right = 190.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let rows = report.results.filter { $0.workload == workload && $0.opsPerSec.median > 0 }
        let threads = report.settings.threads
        let values = rows.flatMap { [$0.opsPerSec.min, $0.opsPerSec.max] }.filter { $0 > 0 }
        var lo = floor(log10(values.min() ?? 1e5)), hi = ceil(log10(values.max() ?? 1e8))
        if hi <= lo { hi = lo + 1 }
        let tMax = log2(Double(threads.max() ?? 1)), tMin = log2(Double(threads.min() ?? 1))
        func x(_ t: Int) -> Double {
            tMax > tMin ? left + (log2(Double(t)) - tMin) / (tMax - tMin) * plotW : left + plotW / 2
        }
        func y(_ v: Double) -> Double { top + (hi - log10(max(v, pow(10, lo)))) / (hi - lo) * plotH }
        func f(_ d: Double) -> String { String(format: "%.1f", d) }

        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <title>malloc \(escape(workload)): ops/s against threads</title>
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(left))" y="22" font-size="15" font-weight="bold">malloc: \(escape(workload))</text>
        <text x="\(f(left + plotW))" y="22" text-anchor="end" fill="#555">\(report.machine.cores) cores, \(report.settings.durationS) s × \(report.settings.repetitions)</text>

        """
        // Grid: decades and thread counts.
        var e = lo
        while e <= hi {
            let yy = y(pow(10, e))
            s += "<line x1=\"\(f(left))\" y1=\"\(f(yy))\" x2=\"\(f(left + plotW))\" y2=\"\(f(yy))\" stroke=\"#ddd\"/>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(yy + 4))\" text-anchor=\"end\">\(label(pow(10, e)))</text>\n"
            e += 1
        }
        for t in threads {
            s += "<line x1=\"\(f(x(t)))\" y1=\"\(f(top))\" x2=\"\(f(x(t)))\" y2=\"\(f(top + plotH))\" stroke=\"#eee\"/>\n"
            s += "<text x=\"\(f(x(t)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(t)</text>\n"
        }
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">threads</text>\n"
        s += "<text transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">ops/s (log scale, median; bars: min–max)</text>\n"

        for (i, variant) in report.settings.variants.enumerated() {
            let color = SVG.color(variant, i)   // the same colour per variant as in the report
            let line = rows.filter { $0.variant == variant && $0.spawned }.sorted { $0.threads < $1.threads }
            if !line.isEmpty {
                let pts = line.map { "\(f(x($0.threads))),\(f(y($0.opsPerSec.median)))" }.joined(separator: " ")
                s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(pts)\"/>\n"
            }
            for r in rows where r.variant == variant {
                let cx = f(x(r.threads)), cy = f(y(r.opsPerSec.median))
                s += "<line x1=\"\(cx)\" y1=\"\(f(y(r.opsPerSec.min)))\" x2=\"\(cx)\" y2=\"\(f(y(r.opsPerSec.max)))\" stroke=\"\(color)\" stroke-opacity=\"0.5\"/>\n"
                let fill = r.spawned ? color : "white"
                s += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"3.5\" fill=\"\(fill)\" stroke=\"\(color)\"><title>\(escape(variant)), \(r.threads) thread\(r.threads == 1 ? (r.spawned ? ", spawned" : ", main thread") : "s"): \(label(r.opsPerSec.median)) ops/s</title></circle>\n"
            }
            let ly = top + 10 + Double(i) * 20
            s += "<line x1=\"\(f(left + plotW + 15))\" y1=\"\(f(ly))\" x2=\"\(f(left + plotW + 40))\" y2=\"\(f(ly))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            s += "<text x=\"\(f(left + plotW + 46))\" y=\"\(f(ly + 4))\">\(escape(variant))</text>\n"
        }
        let ny = top + 10 + Double(report.settings.variants.count) * 20 + 10
        s += "<circle cx=\"\(f(left + plotW + 27))\" cy=\"\(f(ny))\" r=\"3.5\" fill=\"white\" stroke=\"#333\"/>\n"
        s += "<text x=\"\(f(left + plotW + 46))\" y=\"\(f(ny + 4))\">1 thread, main thread</text>\n"
        s += "</svg>\n"
        return s
    }

    /// 1234567 → "1.2M".
    static func label(_ v: Double) -> String {
        switch v {
        case 1e9...: return trim(v / 1e9) + "G"
        case 1e6...: return trim(v / 1e6) + "M"
        case 1e3...: return trim(v / 1e3) + "k"
        default: return trim(v)
        }
    }

    private static func trim(_ d: Double) -> String {
        d >= 100 || d == d.rounded() ? String(format: "%.0f", d) : String(format: "%.1f", d)
    }

    static func escape(_ s: String) -> String { HTML.escape(s) }
}
