import Foundation

/// Markdown rendering of a MallocReport: one table per workload (median
/// Mops/s, min–max), then the comparisons the issue asks for.
public enum MallocTable {
    public static func markdown(_ report: MallocReport) -> String {
        let m = report.machine
        var s = "Machine: \(m.cpuModel), \(m.cores) cores, Linux \(m.kernel); musl \(report.versions.musl), glibc \(report.versions.glibc). "
        s += "\(report.settings.durationS) s per run, median of \(report.settings.repetitions) (min–max), millions of ops/s.\n\n"
        let variants = report.settings.variants
        for w in report.settings.workloads {
            s += "### \(w)\n\n| threads | " + variants.joined(separator: " | ") + " |\n"
            s += "|---|" + String(repeating: "---|", count: variants.count) + "\n"
            var rows: [(Int, Bool)] = []
            for t in report.settings.threads { if t == 1 { rows.append((1, false)) }; rows.append((t, true)) }
            for (t, spawned) in rows {
                s += "| \(t == 1 ? (spawned ? "1 (spawned)" : "1 (main)") : "\(t)") |"
                for v in variants {
                    if let r = report.result(w, v, threads: t, spawned: spawned) {
                        s += " " + mops(r.opsPerSec.median) + " (" + mops(r.opsPerSec.min) + "–" + mops(r.opsPerSec.max) + ") |"
                    } else { s += " – |" }
                }
                s += "\n"
            }
            s += "\n"
        }
        s += ratios(report)
        let f = findings(report)
        if !f.isEmpty { s += "Findings:\n" + f.map { "- \($0)\n" }.joined() + "\n" }
        for n in report.notes { s += "Note: \(n)\n" }
        return s
    }

    /// The comparisons the issue asks for: musl-static against glibc-static
    /// at 2 threads, and every cell where musl+mimalloc is below glibc-static.
    public static func findings(_ report: MallocReport) -> [String] {
        var out: [String] = []
        let v = report.settings.variants
        if v.contains("musl-static"), v.contains("glibc-static") {
            for w in report.settings.workloads {
                if let m = report.result(w, "musl-static", threads: 2), let g = report.result(w, "glibc-static", threads: 2),
                   g.opsPerSec.median > 0 {
                    out.append(String(format: "%@ at 2 threads: musl-static %.1f%% of glibc-static (%@ vs %@ Mops/s)",
                                      w, 100 * m.opsPerSec.median / g.opsPerSec.median,
                                      mops(m.opsPerSec.median), mops(g.opsPerSec.median)))
                }
            }
        }
        // mallocng of each other musl the run measured ("musl-1.2.3-static") against the default's.
        for version in MuslSource.versions {
            let other = OtherMuslNames(version).malloc
            guard v.contains(other), v.contains("musl-static") else { continue }
            for w in report.settings.workloads {
                if let n = report.result(w, other, threads: 2), let o = report.result(w, "musl-static", threads: 2),
                   o.opsPerSec.median > 0 {
                    out.append(String(format: "%@ at 2 threads: mallocng of musl %@ %.2f× musl %@'s (%@ vs %@ Mops/s)",
                                      w, version, n.opsPerSec.median / o.opsPerSec.median, report.versions.musl,
                                      mops(n.opsPerSec.median), mops(o.opsPerSec.median)))
                }
            }
        }
        if v.contains("musl-static+mimalloc"), v.contains("glibc-static") {
            var below: [String] = []
            for r in report.results where r.variant == "musl-static+mimalloc" {
                guard let g = report.result(r.workload, "glibc-static", threads: r.threads, spawned: r.spawned),
                      g.opsPerSec.median > 0 else { continue }
                if r.opsPerSec.median < g.opsPerSec.median {
                    let ratio = r.opsPerSec.median / g.opsPerSec.median
                    // Ranges that overlap are within this machine's noise.
                    let overlap = r.opsPerSec.max >= g.opsPerSec.min
                    below.append(String(format: "%@ ×%d%@: %.0f%% of glibc-static%@", r.workload, r.threads,
                                        r.threads == 1 ? (r.spawned ? " spawned" : " main") : "", 100 * ratio,
                                        overlap ? " (min–max ranges overlap)" : ""))
                }
            }
            out.append(below.isEmpty ? "musl-static+mimalloc ≥ glibc-static in every cell measured"
                       : "musl-static+mimalloc below glibc-static in: " + below.joined(separator: "; "))
        }
        return out
    }

    /// Each variant's median as a ratio to glibc-static's, measured in the
    /// same run: one row per workload, at 2 threads (the first count above 1).
    public static func ratios(_ report: MallocReport) -> String {
        let variants = report.settings.variants
        guard variants.contains("glibc-static"), let t = report.settings.threads.first(where: { $0 > 1 }) else { return "" }
        var s = "### ratio to glibc-static, \(t) threads (same run)\n\n| workload | " + variants.joined(separator: " | ") + " |\n"
        s += "|---|" + String(repeating: "---:|", count: variants.count) + "\n"
        for w in report.settings.workloads {
            guard let g = report.result(w, "glibc-static", threads: t), g.opsPerSec.median > 0 else { continue }
            s += "| \(w) |" + variants.map { v in
                report.result(w, v, threads: t).map { String(format: " %.2f× |", $0.opsPerSec.median / g.opsPerSec.median) } ?? " – |"
            }.joined() + "\n"
        }
        return s + "\n"
    }

    static func mops(_ v: Double) -> String {
        let m = v / 1e6
        return m >= 100 ? String(format: "%.0f", m) : m >= 10 ? String(format: "%.1f", m) : String(format: "%.2f", m)
    }
}
