import Foundation

/// Text table and SVG for a `SizeReport`. Renderers only format: they
/// never read files or run anything.
public enum SizeRender {
    public static func mb(_ n: Int) -> String {
        n >= 1_000_000 ? String(format: "%.2f MB", Double(n) / 1e6)
            : n >= 1_000 ? String(format: "%.1f kB", Double(n) / 1e3) : "\(n) B"
    }

    static func pct(_ n: Int, of total: Int) -> String {
        total > 0 ? String(format: "%5.1f%%", 100 * Double(n) / Double(total)) : "    -"
    }

    static func row(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { c, w in
            w < 0 ? c.padding(toLength: max(-w, c.count), withPad: " ", startingAt: 0)
                : String(repeating: " ", count: max(0, w - c.count)) + c
        }.joined(separator: "  ")
    }

    /// The human table `static-musl size FILE` prints.
    public static func table(_ r: SizeReport, top: Int = 15) -> String {
        var out: [String] = []
        out.append("\(r.binary): \(mb(r.fileSize)) (\(r.fileSize) bytes)")
        out.append("musl \(r.versions.musl), glibc \(r.versions.glibc), Swift \(r.versions.swift)")
        if let map = r.map {
            out.append("link map: \(map) (\(r.linker ?? "?")); explained \(String(format: "%.1f", 100 * r.explainedFraction))% of the file; "
                       + "by archive or module \(String(format: "%.1f", 100 * r.inputFraction))% of the file, "
                       + "\(String(format: "%.1f", 100 * r.inputFractionOfMapped))% of the sections the map describes")
        } else {
            out.append("no link map: sections and segments only (pass --map FILE, or keep <binary>.map beside it)")
        }

        out.append("")
        out.append("Where the bytes come from")
        for b in r.buckets.prefix(top) {
            out.append("  " + row([mb(b.bytes), pct(b.bytes, of: r.fileSize), b.kind, b.name], [10, 6, -11, -1]))
        }
        if r.buckets.count > top {
            let rest = r.buckets.dropFirst(top).reduce(0) { $0 + $1.bytes }
            out.append("  " + row([mb(rest), pct(rest, of: r.fileSize), "", "\(r.buckets.count - top) more"], [10, 6, -11, -1]))
        }

        if !r.modules.isEmpty {
            out.append("")
            out.append("By module (SwiftPM target or library)")
            for m in r.modules.prefix(top) {
                out.append("  " + row([mb(m.bytes), pct(m.bytes, of: r.fileSize), m.kind, m.module], [10, 6, -17, -1]))
            }
        }

        out.append("")
        out.append("Sections (file bytes)")
        for s in r.sections.filter({ $0.fileSize > 0 }).sorted(by: { $0.fileSize > $1.fileSize }).prefix(top) {
            out.append("  " + row([mb(s.fileSize), pct(s.fileSize, of: r.fileSize), s.alloc ? "loaded" : "file only", s.name],
                                  [10, 6, -9, -1]))
        }
        out.append("  Swift metadata (swift5_*): \(mb(r.swiftMetadata.total)) in \(r.swiftMetadata.sections.count) sections")
        out.append("")
        out.append("Segments")
        for s in r.segments where s.type == "LOAD" || s.type == "TLS" {
            out.append("  " + row([s.type, s.flags, mb(s.fileSize) + " in file", mb(s.memSize) + " in memory"], [-5, -3, -16, -1]))
        }

        if !r.members.isEmpty {
            out.append("")
            out.append("Largest archive members (\(r.membersTotal) in all)")
            for m in r.members.prefix(10) {
                out.append("  " + row([mb(m.bytes), "\(m.archive)(\(m.member))"], [10, -1]))
            }
        }

        let chained = r.archives.filter { $0.why != nil }.prefix(8)
        if !chained.isEmpty {
            out.append("")
            out.append("Why each large archive is in (first reference that pulled it)")
            for a in chained {
                out.append("  \(a.archive) \(mb(a.bytes)):")
                out.append("    " + (a.why?.text ?? ""))
            }
        }
        for h in r.heavyArchives {
            out.append("")
            out.append("Heavy archive \(h.archive): \(mb(h.bytes)) from \(h.members) members"
                       + " (the map records the first reference to each member only; other references may need it too)")
            for e in h.entryReferences.prefix(5) {
                out.append("  needed for \(e.symbol) by \(e.from)")
            }
            for root in h.rootReferences.prefix(5) {
                out.append("  root: \(root.object) references \(root.symbol): \(mb(root.attributedBytes)) were first pulled in through it")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A self-contained horizontal bar chart of the largest buckets.
    public static func svg(_ r: SizeReport, top: Int = 16) -> String {
        let rest = r.buckets.dropFirst(top).reduce(0) { $0 + $1.bytes }
        let all = r.buckets.prefix(top).map { ($0.name, $0.kind, $0.bytes) }
            + (rest > 0 ? [("\(r.buckets.count - top) more", "other", rest)] : [])
        let colors = ["archive": "#4e79a7", "target": "#59a14f", "object": "#8cd17d", "linker": "#f28e2b",
                      "symbols": "#b07aa1", "headers": "#9c755f", "unexplained": "#e15759", "other": "#bab0ac"]
        let chart = BarChart(
            title: "\((r.binary as NSString).lastPathComponent): \(mb(r.fileSize))",
            subtitle: "explained \(String(format: "%.1f", 100 * r.explainedFraction))% · musl \(r.versions.musl) · glibc \(r.versions.glibc) · Swift \(r.versions.swift)",
            bars: all.map { name, kind, bytes in
                BarChart.Bar(label: name.count > 48 ? String(name.prefix(47)) + "…" : name, value: Double(bytes),
                             text: "\(mb(bytes)) \(pct(bytes, of: r.fileSize).trimmingCharacters(in: .whitespaces))",
                             color: colors[kind] ?? "#bab0ac", note: "\(name) (\(kind)): \(bytes) bytes")
            })
        return SVG.bars(chart, standalone: true) + "\n"
    }
}
