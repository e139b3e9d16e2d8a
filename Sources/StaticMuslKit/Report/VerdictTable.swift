import Foundation

/// The verdict table: one row per question, one cell per variant column.
struct VerdictTable {
    let sections: ReportSections
    let columns: [String]
    let baseline: String
    let product: String
    /// The machine's cores: malloc ratios are read at the thread count closest to it.
    let cores: Int
    /// The musl the report's own builds link (the header's), named where another musl's column has no data.
    var musl: String = MuslSource.defaultVersion

    func rows() -> [VerdictRow] {
        [row("static", "Static (ELF inspection)", staticCell),
         row("size", "Size of \(product)", sizeCell),
         row("scratch", "Runs in FROM scratch", scratchCell),
         row("dns", "DNS differences vs \(baseline)", dnsCell),
         row("malloc", "malloc throughput vs \(baseline)", mallocCell),
         row("server", "HTTP server req/s vs glibc-static" + serverProduct, serverCell),
         row("conformance", "Swift conformance vs \(baseline)", conformanceCell)]
    }

    private func row(_ id: String, _ title: String, _ cell: (String) -> VerdictCell) -> VerdictRow {
        VerdictRow(id: id, title: title, cells: Dictionary(uniqueKeysWithValues: columns.map { ($0, cell($0)) }))
    }

    /// The product a column's static/size/scratch cells are about: the report's
    /// product, or the one that stands in for a variant it lacks (build-static.sh
    /// builds embedded-musl as the product embedded-probe).
    func productFor(_ column: String) -> String {
        if sections.build.rows.contains(where: { $0.product == product && $0.variant == column }) { return product }
        return sections.build.rows.first { $0.variant == column }?.product ?? product
    }

    private func standIn(_ column: String) -> String {
        let p = productFor(column)
        return p == product ? "" : " (\(p))"
    }

    private func buildRow(_ column: String) -> BuildRow? {
        let p = productFor(column)
        return sections.build.rows.first { $0.product == p && $0.variant == column }
    }

    private func about(_ rowProduct: String?, _ column: String) -> Bool {
        rowProduct == nil || rowProduct == productFor(column)
    }

    /// A variant the build skipped or failed explains every empty cell of its column.
    private func notBuilt(_ column: String) -> VerdictCell? {
        guard let b = buildRow(column), b.status != "ok" else { return nil }
        return VerdictCell(.na, ReportDocument.statusText(b))
    }

    /// The musl version of a column that is "musl, linked against another musl"; nil for the others.
    private func otherMusl(_ column: String) -> String? { VariantColumns.names(ofColumn: column)?.otherMuslVersion }

    /// Why another musl's column has no row in a section that covers the report's own build only.
    private func ownBuildOnly(_ column: String, _ what: String) -> String? {
        otherMusl(column).map { "no musl \($0) \(what): the report's build covers musl \(musl) only" }
    }

    /// A section's "not run"/"failed" text, short enough for a table cell (the Suites table has it whole).
    private func clipped(_ text: String?) -> String {
        guard let text else { return "no result" }
        return text.count <= 90 ? text : String(text.prefix(80)) + "… (see Suites)"
    }

    func staticCell(_ c: String) -> VerdictCell {
        if let i = sections.inspect.rows.first(where: { $0.variant == c && about($0.product, c) }) {
            let warn = i.warnings.isEmpty ? "" : " (\(i.warnings.count) warning\(i.warnings.count == 1 ? "" : "s"))"
            switch i.class {
            case "static", "static-pie":
                return VerdictCell(i.warnings.isEmpty ? .pass : .warn, "\(i.class), \(i.libc)" + warn + standIn(c))
            default:
                let needs = i.interpreter.map { ", needs \($0)" } ?? ""
                return VerdictCell(.fail, "\(i.class)\(needs)")
            }
        }
        if let cell = notBuilt(c) { return cell }
        if let b = buildRow(c), let s = b.isStatic {
            if s { return VerdictCell(.pass, "static (manifest)") }
            return VerdictCell(.fail, "dynamic" + (b.interpreter.map { ", needs \($0)" } ?? "") + " (manifest)")
        }
        return VerdictCell(.na, clipped(sections.inspect.missingText ?? ownBuildOnly(c, "binary inspected")
                                        ?? "no inspection of this variant"))
    }

    func sizeCell(_ c: String) -> VerdictCell {
        if let cell = notBuilt(c) { return cell }
        if let b = buildRow(c), let bytes = b.strippedSize ?? b.size {
            let how = b.strippedSize != nil ? "stripped" : "unstripped"
            return VerdictCell(.info, "\(Fmt.bytes(bytes)) \(how)" + standIn(c), value: Double(bytes))
        }
        if let s = sections.size.rows.first(where: { $0.variant == c && about($0.product, c) }),
           let total = s.totalBytes {
            return VerdictCell(.info, Fmt.bytes(total), value: Double(total))
        }
        return VerdictCell(.na, clipped(sections.build.missingText ?? ownBuildOnly(c, "binary in the manifest")
                                        ?? "no build of this variant"))
    }

    func scratchCell(_ c: String) -> VerdictCell {
        if let s = preferredRun(sections.scratch.rows.filter { $0.variant == c && about($0.product, c) }) {
            return scratchVerdict(s, standIn(c))
        }
        if let cell = notBuilt(c) { return cell }
        // Another musl's column: the battery's C probe linked against that musl stands in.
        if otherMusl(c) != nil, let probe = VariantColumns.names(ofColumn: c)?.cProbe,
           let s = preferredRun(sections.scratch.rows.filter { $0.variant == probe }) {
            return scratchVerdict(s, " (\(probe) probe)")
        }
        return VerdictCell(.na, clipped(sections.scratch.missingText ?? "no scratch run of this variant"))
    }

    /// The `docker run FROM scratch` configuration when the battery ran several.
    private func preferredRun(_ runs: [ScratchRow]) -> ScratchRow? {
        let preferred = ["docker", "empty"].lazy.compactMap { cfg in runs.first { $0.config == cfg } }.first
        return preferred ?? runs.first(where: { $0.config == nil }) ?? runs.first
    }

    private func scratchVerdict(_ s: ScratchRow, _ via: String) -> VerdictCell {
        if s.passed { return VerdictCell(.pass, s.verdict + via) }
        return VerdictCell(.fail, s.verdict + (s.reason.map { ": \($0)" } ?? "") + via)
    }

    /// Probes that stand in for a column without its own DNS probe: the
    /// resolver is the libc's, so Embedded Swift on musl behaves as the C musl
    /// probe, and mimalloc does not change musl's resolver.
    static let dnsStandIns = ["embedded-musl": "c-musl-static", "musl+mimalloc": "swift-musl-static"]

    func dnsCell(_ c: String) -> VerdictCell {
        if let cell = notBuilt(c) { return cell }
        guard sections.dns.status == .ok else { return VerdictCell(.na, clipped(sections.dns.missingText)) }
        var pick: (DNSRow.Result) -> Bool = { $0.column == c }
        var via = ""
        if !sections.dns.rows.contains(where: { $0.results.contains(where: pick) }), let standIn = Self.dnsStandIns[c] {
            pick = { $0.variant == standIn }
            via = " (\(standIn) probe)"
        }
        let probed = sections.dns.rows.filter { row in row.results.contains(where: pick) }
        guard !probed.isEmpty else { return VerdictCell(.na, "no DNS probe stands for this variant") }
        let failed = probed.filter { row in row.results.contains { pick($0) && DNSStatus.probeFailed($0.status) } }
        if !failed.isEmpty {
            return VerdictCell(.fail, "probe failed in \(failed.count) of \(probed.count)" + via, value: Double(failed.count))
        }
        if c == baseline { return VerdictCell(.info, "baseline (\(probed.count) scenarios)") }
        let differ = probed.filter { row in row.results.contains { pick($0) && row.differing.contains($0.variant) } }
        if differ.isEmpty { return VerdictCell(.pass, "same in all \(probed.count)" + via, value: 0) }
        return VerdictCell(.warn, "\(differ.count) of \(probed.count) differ" + via, value: Double(differ.count))
    }

    func mallocCell(_ c: String) -> VerdictCell {
        if let cell = notBuilt(c) { return cell }
        guard sections.malloc.status == .ok else { return VerdictCell(.na, clipped(sections.malloc.missingText)) }
        let rows = sections.malloc.rows.filter { $0.mode == nil || $0.mode == "spawned" || $0.mode == "main" }
        // Embedded Swift on musl allocates with musl's mallocng: the musl column's numbers stand in for it.
        let measured = c == Variant.embeddedMusl.rawValue && !rows.contains { $0.column == c } ? Variant.musl.rawValue : c
        let via = measured == c ? "" : " (musl's mallocng, as measured for \(measured))"
        let mine = rows.filter { $0.column == measured }
        guard !mine.isEmpty else { return VerdictCell(.na, "not benchmarked") }
        guard let base = MallocSummary.baselineColumn(rows, preferred: baseline) else {
            return VerdictCell(.na, "no glibc baseline measured")
        }
        if c == base {
            let best = mine.map(\.opsPerSec.median).max() ?? 0
            return VerdictCell(.info, "baseline (peak \(Fmt.ops(best)))")
        }
        guard let s = MallocSummary.compare(rows, column: measured, baseline: base, cores: cores) else {
            return VerdictCell(.na, "no thread count shared with \(base)")
        }
        let mark: VerdictCell.Mark = s.geomean >= 0.9 ? .pass : (s.geomean >= 0.5 ? .warn : .fail)
        let worst = s.worst.map { ", worst \($0.workload) \(Fmt.ratio($0.ratio))" } ?? ""
        return VerdictCell(mark, "\(Fmt.ratio(s.geomean)) at \(s.threads) threads\(worst)" + via, value: s.geomean)
    }

    /// " (vapor-hello)": the server bench measures its own product, not the report's.
    private var serverProduct: String {
        sections.server.rows.first.map { " (\($0.product))" } ?? ""
    }

    /// The issue's floor for musl+mimalloc against glibc-static; below it the cell warns.
    static let mimallocServerFloor = 0.9

    /// The server bench's req/s ratio to glibc-static, taken in the same run. A
    /// number without a judgement, except musl+mimalloc below 0.9×, which warns.
    func serverCell(_ c: String) -> VerdictCell {
        if let x = sections.server.rows.first(where: { $0.column == c }) {
            let rps = Fmt.requests(x.requestsPerSecond)
            if c == Variant.glibcStatic.rawValue { return VerdictCell(.info, "baseline (\(rps))") }
            guard let ratio = x.requestsRatio else { return VerdictCell(.info, "\(rps), no glibc-static in the same run") }
            let mark: VerdictCell.Mark = c == Variant.muslMimalloc.rawValue && ratio < Self.mimallocServerFloor ? .warn : .info
            return VerdictCell(mark, "\(Fmt.ratio(ratio)) (\(rps))", value: ratio)
        }
        if let cell = notBuilt(c) { return cell }
        guard sections.server.status == .ok else { return VerdictCell(.na, clipped(sections.server.missingText)) }
        if otherMusl(c) != nil { return VerdictCell(.na, "not benchmarked: the server bench builds on musl \(musl) only") }
        return VerdictCell(.na, "not benchmarked")
    }

    func conformanceCell(_ c: String) -> VerdictCell {
        if let cell = notBuilt(c) { return cell }
        guard sections.conformance.status == .ok else { return VerdictCell(.na, clipped(sections.conformance.missingText)) }
        let mine = sections.conformance.rows.filter { $0.label(for: c) != nil }
        if mine.isEmpty && c == Variant.embeddedMusl.rawValue {
            return VerdictCell(.na, "does not apply: Embedded Swift has no Foundation or runtime to check")
        }
        guard !mine.isEmpty else { return VerdictCell(.na, "no conformance probe for this variant") }
        if c == baseline { return VerdictCell(.info, "baseline (\(mine.count) check\(mine.count == 1 ? "" : "s"))") }
        var same = 0, differs = 0, crashes = 0, unexplained = 0
        for row in mine {
            switch row.outcome(column: c, baseline: baseline) {
            case nil: continue
            case .same?: same += 1; continue
            case .crash?: crashes += 1
            case .differs?: differs += 1
            }
            if !row.explained { unexplained += 1 }
        }
        let total = same + differs + crashes
        var text = "\(same)/\(total) same"
        if differs > 0 { text += ", \(differs) differ" }
        if crashes > 0 { text += ", \(crashes) crash" }
        if unexplained > 0 { text += ", \(unexplained) unexplained" }
        let mark: VerdictCell.Mark = crashes > 0 || unexplained > 0 ? .fail : (differs > 0 ? .warn : .pass)
        return VerdictCell(mark, text, value: Double(differs + crashes))
    }
}

enum DNSStatus {
    /// The probe itself did not finish: never counted as "same".
    static func probeFailed(_ status: String) -> Bool { status.hasPrefix("probe-failed") }
}

extension ConformanceRow {
    /// How one column's probe answered a check, against the baseline column's.
    enum Outcome: String { case same, differs, crash }

    /// The result label that stands for `column` (the first by name when several do).
    func label(for column: String) -> String? { columns.keys.sorted().first { columns[$0] == column } }

    /// nil when no label stands for `column` or it has no result.
    func outcome(column: String, baseline: String) -> Outcome? {
        guard let key = label(for: column), let value = results[key] else { return nil }
        let base = label(for: baseline).flatMap { results[$0] }
            ?? VariantColumns.conformanceBaselines.lazy.compactMap { results[$0] }.first
        if value == base { return .same }
        return verdict == "crash" && ConformanceText.looksLikeCrash(value) ? .crash : .differs
    }
}

enum ConformanceText {
    static func looksLikeCrash(_ value: String) -> Bool {
        let v = value.lowercased()
        return v.hasPrefix("crash") || v.contains("signal") || v.contains("fatal error")
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

/// Number formatting shared by the renderers.
enum Fmt {
    static func bytes(_ n: Int) -> String {
        let d = Double(n)
        if d >= 1_000_000 { return String(format: "%.2f MB", d / 1_000_000) }
        if d >= 1_000 { return String(format: "%.1f kB", d / 1_000) }
        return "\(n) B"
    }
    static func ops(_ v: Double) -> String {
        if v >= 1e6 { return String(format: "%.1f M ops/s", v / 1e6) }
        if v >= 1e3 { return String(format: "%.1f k ops/s", v / 1e3) }
        return String(format: "%.0f ops/s", v)
    }
    /// "12,103 req/s".
    static func requests(_ v: Double) -> String { grouped(v) + " req/s" }
    /// A whole number with thousands separators: 12103.4 → "12,103".
    static func grouped(_ v: Double) -> String {
        let digits = String(format: "%.0f", abs(v))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (v < 0 && digits != "0" ? "-" : "") + out
    }
    static func ratio(_ r: Double) -> String { String(format: r >= 10 ? "%.0f×" : "%.2f×", r) }
    static func ms(_ v: Double?) -> String { v.map { String(format: "%.0f ms", $0) } ?? "–" }
    static func percent(_ v: Double) -> String { String(format: "%+.1f %%", v) }
}
