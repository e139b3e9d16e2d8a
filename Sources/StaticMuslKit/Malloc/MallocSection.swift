import Foundation

extension SuiteID { public static let malloc: SuiteID = "malloc" }

/// The malloc bench's own report (`static-musl bench malloc --json OUT`) is what the report reads.
extension MallocReport: SuiteResult {
    static var id: SuiteID { .malloc }

    /// A benchmark, so it runs alone; --quick is the <= 60 s mode.
    static var suite: ReportRunner.ReportSuite? {
        ReportRunner.ReportSuite(.malloc, exclusive: true) { ctx in
            var o = MallocBench.Options()
            o.quick = ctx.mode == .quick
            o.artifacts = ctx.mallocProbes
            o.artifactSource = ctx.probes.root + " (and each other musl's dist beside it)"
            return try MallocBench.run(o).jsonData()
        }
    }

    var sectionRows: [MallocRow] {
        results.map { r in
            // The 1-thread run twice: on the main thread (musl skips its lock there) and spawned.
            let mode = r.threads == 1 ? (r.spawned ? "spawned" : "main") : nil
            let ops = MallocRow.Stat(median: r.opsPerSec.median, min: r.opsPerSec.min, max: r.opsPerSec.max)
            return MallocRow(id: "malloc/\(r.workload)/\(r.variant)/\(r.threads)" + (mode.map { "/" + $0 } ?? ""),
                             workload: r.workload, variant: r.variant, column: VariantColumns.columnName(for: r.variant),
                             threads: r.threads, mode: mode, opsPerSec: ops, nsPerOp: r.nsPerOp,
                             efficiency: r.efficiency, userS: r.userS, sysS: r.sysS, peakRssKb: Double(r.peakRssKb))
        }
    }

    var suiteVersions: JSONValue? { JSONValue(encoding: versions) }

    static func blocks(_ s: Section<MallocRow>, in r: MatrixReport) -> [Block] {
        var out = ReportDocument.sectionStart("malloc throughput", "malloc", s)
        guard s.status == .ok else { return out }
        out.append(.paragraph("Median operations per second over the repetitions (min–max in brackets); higher is better. "
                              + "Charts use a log scale."))
        let workloads = s.rows.map(\.workload).uniqued()
        let variants = s.rows.map(\.variant).uniqued()
        for w in workloads {
            let rows = s.rows.filter { $0.workload == w }
            let keys = rows.map { Key(threads: $0.threads, mode: $0.mode) }.uniqued().sorted()
            out.append(.heading(3, w, id: "malloc-" + w))
            out.append(.table(Table(headers: ["threads"] + variants, rows: keys.map { k in
                [Cell(k.label)] + variants.map { v in
                    guard let x = rows.first(where: { $0.variant == v && $0.threads == k.threads && $0.mode == k.mode }) else {
                        return Cell("–", mark: .na)
                    }
                    let range = [x.opsPerSec.min, x.opsPerSec.max].compactMap { $0 }.map { String(format: "%.1f", $0 / 1e6) }
                    return Cell(String(format: "%.1f M", x.opsPerSec.median / 1e6) + (range.count == 2 ? " (\(range[0])–\(range[1]))" : ""))
                }
            })))
            let series = variants.map { v in
                (v, rows.filter { $0.variant == v && $0.mode != "main" }.sorted { $0.threads < $1.threads }
                    .map { (Double($0.threads), $0.opsPerSec.median) })
            }.filter { !$0.1.isEmpty }
            out.append(.lineChart(LineChart(title: "\(w): ops/s against threads", xLabel: "threads",
                                            yLabel: "ops/s (log)", series: series)))
        }
        return out
    }

    /// A table row's thread count, and which 1-thread run it is.
    struct Key: Hashable, Comparable {
        var threads: Int
        var mode: String?
        var label: String { mode.map { "\(threads) (\($0))" } ?? "\(threads)" }
        static func < (a: Key, b: Key) -> Bool {
            a.threads != b.threads ? a.threads < b.threads : (a.mode ?? "") < (b.mode ?? "")
        }
    }

    static func verdictRows(_ t: VerdictTable) -> [VerdictRow] {
        [t.row("malloc", "malloc throughput vs \(t.baseline)") { c in
            if let cell = t.notBuilt(c) { return cell }
            let section = t.sections.malloc
            guard section.status == .ok else { return VerdictCell(.na, t.clipped(section.missingText)) }
            let rows = section.rows.filter { $0.mode == nil || $0.mode == "spawned" || $0.mode == "main" }
            // Embedded Swift on musl allocates with musl's mallocng: the musl column's numbers stand in for it.
            let measured = c == Variant.embeddedMusl.rawValue && !rows.contains { $0.column == c } ? Variant.musl.rawValue : c
            let via = measured == c ? "" : " (musl's mallocng, as measured for \(measured))"
            let mine = rows.filter { $0.column == measured }
            guard !mine.isEmpty else { return VerdictCell(.na, "not benchmarked") }
            guard let base = MallocSummary.baselineColumn(rows, preferred: t.baseline) else {
                return VerdictCell(.na, "no glibc baseline measured")
            }
            if c == base {
                let best = mine.map(\.opsPerSec.median).max() ?? 0
                return VerdictCell(.info, "baseline (peak \(Fmt.ops(best)))")
            }
            guard let s = MallocSummary.compare(rows, column: measured, baseline: base, cores: t.cores) else {
                return VerdictCell(.na, "no thread count shared with \(base)")
            }
            let mark: VerdictCell.Mark = s.geomean >= 0.9 ? .pass : (s.geomean >= 0.5 ? .warn : .fail)
            let worst = s.worst.map { ", worst \($0.workload) \(Fmt.ratio($0.ratio))" } ?? ""
            return VerdictCell(mark, "\(Fmt.ratio(s.geomean)) at \(s.threads) threads\(worst)" + via, value: s.geomean)
        }]
    }

    static func columns(_ rows: [MallocRow]) -> [String] { rows.compactMap(\.column) }

    static func changes(old: [MallocRow], new: [MallocRow], into log: inout ChangeLog) {
        let before = ReportCompare.index(old)
        for m in new {
            guard let a = before[m.id], a.opsPerSec.median > 0 else { continue }
            let change = (m.opsPerSec.median - a.opsPerSec.median) / a.opsPerSec.median
            let msg = "\(Fmt.ops(a.opsPerSec.median)) → \(Fmt.ops(m.opsPerSec.median)) (\(Fmt.percent(change * 100)))"
            if change < -ReportCompare.mallocDropLimit { log.add(.regression, .malloc, m.id, "slower: " + msg) }
            else if change > ReportCompare.mallocDropLimit { log.add(.improvement, .malloc, m.id, "faster: " + msg) }
        }
    }

    static func project(_ rows: [MallocRow], through view: ColumnView, baseline: String) -> [MallocRow] {
        rows.filter { $0.column == view.names.column }.map { m in
            var m = m; m.id = view.renamed(id: m.id); m.variant = view.name(m.variant); m.column = m.column.map(view.name); return m
        }
    }
}

extension ReportSections {
    public var malloc: Section<MallocRow> { get { self[MallocReport.self] } set { self[MallocReport.self] = newValue } }
}

public struct MallocRow: Codable, Sendable, IdentifiedRow {
    public var id: String                       // malloc/<workload>/<variant>/<threads>[/<mode>]
    public var workload: String
    public var variant: String
    public var column: String?
    public var threads: Int
    public var mode: String?
    public var opsPerSec: Stat
    public var nsPerOp: Double?
    public var efficiency: Double?
    public var userS: Double?
    public var sysS: Double?
    public var peakRssKb: Double?

    enum CodingKeys: String, CodingKey {
        case id, workload, variant, column, threads, mode, efficiency
        case opsPerSec = "ops_per_sec", nsPerOp = "ns_per_op", userS = "user_s", sysS = "sys_s"
        case peakRssKb = "peak_rss_kb"
    }

    /// Operations per second over the repetitions: the median, and the range when known.
    public struct Stat: Codable, Sendable, Equatable {
        public var median: Double
        public var min: Double?
        public var max: Double?
    }
}

/// Throughput of one column against the baseline at the highest thread count both measured.
enum MallocSummary {
    struct Comparison { var threads: Int; var geomean: Double; var perWorkload: [(workload: String, ratio: Double)]
        var worst: (workload: String, ratio: Double)? { perWorkload.min { $0.ratio < $1.ratio } } }

    static func baselineColumn(_ rows: [MallocRow], preferred: String) -> String? {
        let columns = Set(rows.compactMap(\.column))
        if columns.contains(preferred) { return preferred }
        return VariantColumns.mallocBaselines.first { columns.contains($0) }
    }

    /// Median ops/s per (workload, threads); a spawned-thread run wins over the main-thread one.
    static func medians(_ rows: [MallocRow], column: String) -> [String: [Int: Double]] {
        var out: [String: [Int: Double]] = [:]
        for r in rows where r.column == column {
            if out[r.workload]?[r.threads] != nil && r.mode == "main" { continue }
            out[r.workload, default: [:]][r.threads] = r.opsPerSec.median
        }
        return out
    }

    /// At the shared thread count closest to the core count (the larger on a tie).
    static func compare(_ rows: [MallocRow], column: String, baseline: String, cores: Int) -> Comparison? {
        let mine = medians(rows, column: column), base = medians(rows, column: baseline)
        var shared: Set<Int>?
        for (w, byThreads) in mine {
            guard let b = base[w] else { continue }
            let both = Set(byThreads.keys).intersection(b.keys)
            shared = shared.map { $0.intersection(both) } ?? both
        }
        guard let threads = shared?.sorted(by: { a, b in
            abs(a - cores) != abs(b - cores) ? abs(a - cores) < abs(b - cores) : a > b
        }).first else { return nil }
        var ratios: [(String, Double)] = []
        for w in mine.keys.sorted() {
            guard let m = mine[w]?[threads], let b = base[w]?[threads], b > 0, m > 0 else { continue }
            ratios.append((w, m / b))
        }
        guard !ratios.isEmpty else { return nil }
        let geomean = exp(ratios.map { log($0.1) }.reduce(0, +) / Double(ratios.count))
        return Comparison(threads: threads, geomean: geomean, perWorkload: ratios.map { (workload: $0.0, ratio: $0.1) })
    }
}
