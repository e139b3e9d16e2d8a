import Foundation

/// A MallocReport's charts, one per workload, as standalone SVG files:
/// ops/s (log scale, median, min–max bars) against threads (log2 scale),
/// one line per variant. The 1-thread run on the main thread is drawn as a
/// hollow marker; lines use the spawned runs.
public enum MallocChart {
    public static func svg(_ report: MallocReport, workload: String) -> String {
        let rows = report.results.filter { $0.workload == workload && $0.opsPerSec.median > 0 }
        let series = report.settings.variants.map { variant in
            LineChart.Series(name: variant, points: rows.filter { $0.variant == variant }.sorted { $0.threads < $1.threads }.map { r in
                let run = r.threads == 1 ? (r.spawned ? ", spawned" : ", main thread") : "s"
                return LineChart.Point(x: Double(r.threads), y: r.opsPerSec.median, low: r.opsPerSec.min, high: r.opsPerSec.max,
                                       hollow: !r.spawned,
                                       note: "\(variant), \(r.threads) thread\(run): \(label(r.opsPerSec.median)) ops/s")
            })
        }
        let chart = LineChart(title: "malloc: \(workload)",
                              subtitle: "\(report.machine.cores) cores, \(report.settings.durationS) s × \(report.settings.repetitions)",
                              xLabel: "threads", yLabel: "ops/s (log, median; bars: min–max)", series: series,
                              hollowMeaning: "1 thread, main thread")
        return SVG.line(chart, standalone: true) + "\n"
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
}
