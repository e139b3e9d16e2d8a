import Foundation

/// The report's content as blocks, built once and rendered as Markdown and
/// as HTML, so both show the same tables. Charts and query logs are HTML-only.
enum Block {
    case heading(Int, String, id: String)
    case paragraph(String)
    case table(Table)
    case missing(String)                                  // "not run: <reason>"
    case lineChart(LineChart)
    case barChart(BarChart)
    case dnsDetails([DNSRow])
    /// Collapsed in HTML (<details>), a plain subsection in Markdown.
    case collapsible(String, [Block])
}

struct Table {
    var headers: [String]
    var rows: [[Cell]]
}

struct Cell {
    var text: String
    var mark: VerdictCell.Mark? = nil
    var code = false
    init(_ text: String, mark: VerdictCell.Mark? = nil, code: Bool = false) {
        self.text = text; self.mark = mark; self.code = code
    }
}

enum ReportDocument {
    static func title(_ r: MatrixReport) -> String { "Compatibility matrix: \(r.header.product)" }

    static func headerLine(_ r: MatrixReport) -> String {
        let h = r.header, m = h.machine, t = h.toolchain
        let dirty = h.project.gitDirty == true ? " (uncommitted changes)" : ""
        return "Generated \(h.generated) (\(h.mode)) on \(m.hostname): \(m.cpuModel), \(m.cores) cores, \(m.arch), "
            + "Linux \(m.kernel). Swift \(t.swift), musl \(t.musl), glibc \(t.glibc)"
            + (t.gcc.map { ", gcc \($0)" } ?? "") + ". Project commit \(h.project.gitCommit)\(dirty)."
    }

    static func blocks(_ r: MatrixReport) -> [Block] {
        var out: [Block] = [.heading(2, "Verdict", id: "verdict"), .table(verdictTable(r)),
                            .paragraph("✓ good · ⚠ differs or slower · ✗ fails · – not measured (the cell says why). "
                                       + "Comparisons are against \(r.baseline). Size is the stripped size when the build stripped."),
                            .heading(2, "Suites", id: "suites"), .table(suiteTable(r))]
        out += buildBlocks(r) + inspectBlocks(r) + scratchBlocks(r) + dnsBlocks(r) + mallocBlocks(r) + serverBlocks(r)
            + conformanceBlocks(r) + abiBlocks(r) + sizeBlocks(r)
        return out
    }

    static func verdictTable(_ r: MatrixReport) -> Table {
        Table(headers: [""] + r.variants, rows: r.verdict.map { row in
            [Cell(row.title)] + r.variants.map { v in
                let c = row.cells[v] ?? VerdictCell(.na, "no cell")
                return Cell((c.symbol.isEmpty ? "" : c.symbol + " ") + c.text, mark: c.mark)
            }
        })
    }

    static func suiteTable(_ r: MatrixReport) -> Table {
        let s = r.sections
        let counts = ["build": s.build.rows.count, "inspect": s.inspect.rows.count, "scratch": s.scratch.rows.count,
                      "dns": s.dns.rows.count, "malloc": s.malloc.rows.count, "server": s.server.rows.count,
                      "conformance": s.conformance.rows.count,
                      "abi": s.abi.rows.count, "size": s.size.rows.count]
        let elapsed = ["build": s.build.elapsedMs, "inspect": s.inspect.elapsedMs, "scratch": s.scratch.elapsedMs,
                       "dns": s.dns.elapsedMs, "malloc": s.malloc.elapsedMs, "server": s.server.elapsedMs,
                       "conformance": s.conformance.elapsedMs,
                       "abi": s.abi.elapsedMs, "size": s.size.elapsedMs]
        return Table(headers: ["suite", "status", "rows", "time"], rows: s.statuses.map { name, missing in
            [Cell(name), missing.map { Cell($0, mark: .na) } ?? Cell("✓ ran", mark: .pass),
             Cell("\(counts[name] ?? 0)"), Cell(elapsed[name].flatMap { $0 }.map { String(format: "%.1f s", $0 / 1000) } ?? "–")]
        })
    }

    static func sectionStart<Row>(_ title: String, _ id: String, _ s: Section<Row>) -> [Block] {
        var out: [Block] = [.heading(2, title, id: id)]
        if let missing = s.missingText { out.append(.missing(missing)) }
        return out
    }

    /// "skipped: why", without repeating a status the reason already starts with.
    static func statusText(_ b: BuildRow) -> String {
        guard let reason = b.reason, !reason.isEmpty else { return "\(b.status): no reason given" }
        return reason.hasPrefix(b.status) ? reason : "\(b.status): \(reason)"
    }

    static func yesNo(_ b: Bool?) -> String { b.map { $0 ? "yes" : "no" } ?? "–" }

    static func buildBlocks(_ r: MatrixReport) -> [Block] {
        let s = r.sections.build
        var out = sectionStart("Build", "build", s)
        guard s.status == .ok else { return out }
        out.append(.table(Table(headers: ["product", "variant", "status", "size", "stripped", "static", "allocator", "links"],
                                rows: s.rows.map { b in
            let links = b.isStatic == true ? "none" : ([b.interpreter].compactMap { $0 } + (b.needed ?? [])).joined(separator: " ")
            return [Cell(b.product), Cell(b.variant, code: true),
                    Cell(b.status == "ok" ? "ok" : statusText(b), mark: b.status == "ok" ? nil : (b.status == "failed" ? .fail : .na)),
                    Cell(b.size.map(Fmt.bytes) ?? "–"), Cell(b.strippedSize.map(Fmt.bytes) ?? "–"),
                    Cell(yesNo(b.isStatic)), Cell(b.allocator ?? "–"), Cell(links.isEmpty ? "–" : links, code: true)]
        })))
        let unresolved = s.rows.filter { !($0.unresolved ?? []).isEmpty }
        for b in unresolved {
            out.append(.paragraph("\(b.product) \(b.variant): unresolved symbols: " + (b.unresolved ?? []).joined(separator: "; ")))
        }
        // The size row's numbers, so a stand-in (embedded-probe) is charted as the table shows it.
        let sizeRow = r.verdict.first { $0.id == "size" }
        let sizes = r.variants.compactMap { v -> (String, Double)? in
            guard let value = sizeRow?.cells[v]?.value else { return nil }
            return (v, value)
        }
        if !sizes.isEmpty {
            out.append(.barChart(BarChart(title: "Binary size of \(r.header.product) per variant",
                                          bars: sizes.map { ($0.0, $0.1, Fmt.bytes(Int($0.1))) })))
        }
        return out
    }

    static func inspectBlocks(_ r: MatrixReport) -> [Block] {
        let s = r.sections.inspect
        var out = sectionStart("Inspection", "inspect", s)
        guard s.status == .ok else { return out }
        out.append(.table(Table(headers: ["file", "class", "libc", "evidence", "stripped", "Swift runtime", "NSS risk", "warnings"],
                                rows: s.rows.map { i in
            [Cell(i.variant.map { "\(i.product ?? "") (\($0))" } ?? i.path, code: true),
             Cell(i.class, mark: ["static", "static-pie"].contains(i.class) ? .pass : .fail), Cell(i.libc),
             Cell(i.libcEvidence.prefix(3).joined(separator: "; ") + (i.libcEvidence.count > 3 ? "; …" : "")),
             Cell(yesNo(i.stripped)), Cell(yesNo(i.swiftRuntime) + (i.embeddedSwift == true ? " (embedded)" : "")),
             Cell(i.nssRisk.map(nssText) ?? "–"), Cell(i.warnings.isEmpty ? "–" : i.warnings.joined(separator: "; "))]
        })))
        return out
    }

    static func nssText(_ v: JSONValue) -> String {
        switch v {
        case .bool(let b): return b ? "yes" : "no"
        case .null: return "–"
        case .array(let a): return a.isEmpty ? "no" : a.map(\.text).joined(separator: "; ")
        default: return v.text
        }
    }

    static func scratchBlocks(_ r: MatrixReport) -> [Block] {
        let s = r.sections.scratch
        var out = sectionStart("FROM scratch run", "scratch", s)
        guard s.status == .ok else { return out }
        out.append(.table(Table(headers: ["binary", "variant", "root", "verdict", "exit", "reason", "stderr (first line)"],
                                rows: s.rows.map { x in
            [Cell(x.product ?? "–"), Cell(x.variant, code: true), Cell(x.config ?? "–"),
             Cell(x.verdict, mark: x.passed ? .pass : .fail),
             Cell(x.signal.map { "signal \($0)" } ?? x.exitStatus.map(String.init) ?? "–"), Cell(x.reason ?? "–"),
             Cell(x.stderr.split(separator: "\n").first.map(String.init) ?? "", code: true)]
        })))
        // The readiness battery: what each binary answered, per root configuration.
        for config in s.rows.filter({ $0.checks != nil }).map({ $0.config ?? "default" }).uniqued() {
            let runs = s.rows.filter { $0.checks != nil && ($0.config ?? "default") == config }
            let keys = runs.flatMap { $0.checks?.keys.map { $0 } ?? [] }.uniqued().sorted()
            let table = Table(headers: ["check"] + runs.map { ($0.product ?? "") + " " + $0.variant }, rows: keys.map { k in
                let values = runs.map { $0.checks?[k] ?? "–" }
                let differ = Set(values).count > 1
                return [Cell(k, code: true)] + values.map { Cell(ReportBuilder.clip($0, 80), mark: differ ? .warn : nil) }
            })
            let differing = table.rows.filter { $0.dropFirst().contains { $0.mark == .warn } }.count
            out.append(.collapsible("Readiness battery, root \"\(config)\": \(keys.count) checks, \(differing) answered differently",
                                    [.table(table)]))
        }
        return out
    }

    static func dnsBlocks(_ r: MatrixReport) -> [Block] {
        let s = r.sections.dns
        var out = sectionStart("DNS", "dns", s)
        guard s.status == .ok else { return out }
        let variants = orderedDNSVariants(s.rows)
        let differ = s.rows.filter { $0.verdict != "same" }.count
        out.append(.paragraph("\(s.rows.count) scenarios, \(differ) with a difference. Each variant is compared with the "
                              + "glibc-dynamic probe of the same language: status, addresses in order and the sequence of "
                              + "queried names must match. Cells: status, then the number of queries sent."))
        // The alternatives (musl+c-ares, the other musl): where a musl differs, does each answer as glibc does?
        let differing = s.rows.filter { $0.verdict.hasPrefix("differs") }
        // musl+c-ares, and each musl version's own probes (a report made with either default).
        let alternatives = [(DNSAlternative.cAres.rawValue, Set(DNSAlternative.cAres.variants.map(\.rawValue)))]
            + MuslSource.versions.map(OtherMuslNames.init).map { ($0.alternative, Set([$0.cProbe, $0.swiftProbe])) }
        for (name, names) in alternatives {
            let ran = s.rows.filter { row in row.results.contains { names.contains($0.variant) } }
            guard !ran.isEmpty else { continue }
            let fixed = differing.filter { row in row.results.contains { names.contains($0.variant) } && !row.differing.contains(where: names.contains) }
            let broken = ran.filter { row in !row.verdict.hasPrefix("differs") && row.differing.contains(where: names.contains) }
            let left = differing.filter { row in row.differing.contains(where: names.contains) }.map(\.scenario)
            out.append(.paragraph("\(name): answers as glibc does on \(fixed.count) of the \(differing.count) scenarios where musl differs"
                                  + (left.isEmpty ? "" : " (not on: \(left.joined(separator: ", ")))")
                                  + (broken.isEmpty ? "; nowhere else does it differ." : "; it differs where musl agrees on \(broken.count): \(broken.map(\.scenario).joined(separator: ", ")).")))
        }
        out.append(.table(Table(headers: ["scenario", "verdict"] + variants, rows: s.rows.map { row in
            [Cell(row.scenario, code: true), Cell(row.verdict, mark: row.verdict == "same" ? .pass : .warn)]
                + variants.map { v in
                    guard let x = row.results.first(where: { $0.variant == v }) else { return Cell("–", mark: .na) }
                    return Cell("\(x.status) · \(x.queryCount)q", mark: row.differing.contains(v) ? .warn : nil)
                }
        })))
        out.append(.dnsDetails(s.rows))
        return out
    }

    static func orderedDNSVariants(_ rows: [DNSRow]) -> [String] {
        let preferred = DNSVariant.allCases.map(\.rawValue)
        let all = Set(rows.flatMap { $0.results.map(\.variant) })
        return preferred.filter(all.contains) + all.subtracting(preferred).sorted()
    }

    static func mallocBlocks(_ r: MatrixReport) -> [Block] {
        let s = r.sections.malloc
        var out = sectionStart("malloc throughput", "malloc", s)
        guard s.status == .ok else { return out }
        out.append(.paragraph("Median operations per second over the repetitions (min–max in brackets); higher is better. "
                              + "Charts use a log scale."))
        let workloads = s.rows.map(\.workload).uniqued()
        let variants = s.rows.map(\.variant).uniqued()
        for w in workloads {
            let rows = s.rows.filter { $0.workload == w }
            let keys = rows.map { MallocKey(threads: $0.threads, mode: $0.mode) }.uniqued().sorted()
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

    static func serverBlocks(_ r: MatrixReport) -> [Block] {
        let s = r.sections.server
        let product = s.rows.first?.product ?? ServerSetup(s.suiteVersions).product
        var out = sectionStart("HTTP server under load" + (product.map { " (\($0))" } ?? ""), "server", s)
        guard s.status == .ok else { return out }
        out.append(.paragraph(ServerSetup(s.suiteVersions).text(quick: r.header.mode == ReportRunner.Mode.quick.rawValue)))
        out.append(.paragraph("Every ratio is to glibc-static measured in the same run, on a noisy machine: compare the ratios, "
                              + "not req/s across runs or machines. Peak RSS is the server's VmHWM after the runs. "
                              + "musl+mimalloc is expected at 0.9× glibc-static or better; below that it is marked ⚠."))
        let perRun = s.rows.contains { $0.runs.count > 1 }
        let median = s.rows.map(\.runs.count).max().map { $0 > 1 ? " (median of \($0))" : "" } ?? ""
        let headers = ["variant", "req/s" + median, "× glibc-static", "p50", "p99", "p99 × glibc-static", "peak RSS"]
            + (perRun ? ["req/s of each run"] : [])
        out.append(.table(Table(headers: headers, rows: s.rows.map { x in
            let low = x.column == Variant.muslMimalloc.rawValue && (x.requestsRatio ?? 1) < VerdictTable.mimallocServerFloor
            return [Cell(x.variant, code: true), Cell(Fmt.grouped(x.requestsPerSecond)),
                    Cell(x.requestsRatio.map(Fmt.ratio) ?? "–", mark: low ? .warn : nil),
                    Cell(String(format: "%.2f ms", x.p50Ms)), Cell(String(format: "%.2f ms", x.p99Ms)),
                    Cell(x.p99Ratio.map(Fmt.ratio) ?? "–"),
                    Cell(x.peakRssKib.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "–")]
                + (perRun ? [Cell(x.runs.map { Fmt.grouped($0.requestsPerSecond) }.joined(separator: " · "))] : [])
        })))
        return out
    }

    static func conformanceBlocks(_ r: MatrixReport) -> [Block] {
        let s = r.sections.conformance
        var out = sectionStart("Swift runtime conformance", "conformance", s)
        guard s.status == .ok else { return out }
        let count = { (v: String) in s.rows.filter { $0.verdict == v }.count }
        out.append(.paragraph("\(s.rows.count) checks: \(count("same")) same, \(count("differs")) differ, \(count("crash")) crash."))
        let notSame = s.rows.filter { $0.verdict != "same" }
        if !notSame.isEmpty {
            let variants = s.rows.flatMap { $0.results.keys }.uniqued().sorted()
            out.append(.table(Table(headers: ["check", "verdict"] + variants + ["explanation"], rows: notSame.map { c in
                [Cell(c.check, code: true), Cell(c.verdict, mark: c.verdict == "crash" ? .fail : .warn)]
                    + variants.map { Cell(c.results[$0] ?? "–", code: true) }
                    + [Cell((c.explained ? "" : "UNEXPLAINED ") + (c.explanation ?? ""), mark: c.explained ? nil : .fail)]
            })))
        }
        return out
    }

    static func abiBlocks(_ r: MatrixReport) -> [Block] {
        let s = r.sections.abi
        var out = sectionStart("ABI layout audit (glibc headers vs musl headers)", "abi", s)
        guard s.status == .ok else { return out }
        let mismatches = s.rows.filter { !$0.match }
        let types = s.rows.filter { $0.kind == "type" }.count
        out.append(.paragraph("\(s.rows.count) items (\(types) types, \(s.rows.count - types) constants): \(mismatches.count) mismatches."))
        if !mismatches.isEmpty {
            out.append(.table(Table(headers: ["name", "kind", "glibc", "musl", "differences", "risk"], rows: mismatches.map { a in
                [Cell(a.name, code: true), Cell(a.kind), Cell(a.glibc, code: true), Cell(a.musl, code: true),
                 Cell((a.differences ?? [a.status ?? "–"]).joined(separator: "; ")),
                 Cell(a.risk ?? "not assessed", mark: .warn)]
            })))
        }
        return out
    }

    static func sizeBlocks(_ r: MatrixReport) -> [Block] {
        let s = r.sections.size
        var out = sectionStart("Where the bytes come from", "size", s)
        guard s.status == .ok else { return out }
        for row in s.rows {
            let total = row.totalBytes.map(Fmt.bytes) ?? "size unknown"
            let explained = row.explainedPercent.map { String(format: ", %.1f %% explained", $0) } ?? ""
            out.append(.heading(3, "\(row.product ?? "") (\(row.variant)): \(total)\(explained)", id: "size-" + row.variant))
            guard !row.top.isEmpty else { out.append(.paragraph("The size JSON names no archives, modules or sections.")); continue }
            out.append(.table(Table(headers: ["part", "bytes", "share", "pulled in by"], rows: row.top.map { p in
                let share = row.totalBytes.map { String(format: "%.1f %%", 100 * Double(p.bytes) / Double(max($0, 1))) } ?? "–"
                return [Cell(p.name, code: true), Cell(Fmt.bytes(p.bytes)), Cell(share),
                        Cell((p.chain ?? []).joined(separator: " ← "), code: true)]
            })))
        }
        return out
    }
}

/// The server bench's setup, as the server section keeps it in suite_versions.
struct ServerSetup {
    var product: String?
    var path: String?
    var seconds: Int?
    var runs: Int?
    var connections: Int?
    var cores: Int?
    var pinning: String?

    init(_ v: JSONValue?) {
        func int(_ key: String) -> Int? { v?[key]?.doubleValue.map { Int($0) } }
        product = v?["product"]?.stringValue
        path = v?["path"]?.stringValue
        seconds = int("seconds"); runs = int("runs"); connections = int("connections"); cores = int("cores")
        pinning = v?["pinning"]?.stringValue
    }

    /// "wrk (…) against GET / on 127.0.0.1: 1 run of 3 s per variant (--quick; …). 2 cores; server on CPUs 0-0, wrk on CPUs 1-1."
    func text(quick: Bool) -> String {
        let load = connections.map { "\($0) keep-alive connections" } ?? "keep-alive connections"
        var out = "wrk (Debian's, \(load)) against GET \(path ?? "/") on 127.0.0.1"
        if let runs, let seconds {
            out += ": \(runs) run\(runs == 1 ? "" : "s") of \(seconds) s per variant"
            out += runs > 1 ? ", the median run shown" : ""
        }
        if quick {
            let full = ServerBench.Options()
            out += " (--quick; a full report runs \(full.runs) runs of \(full.seconds) s)"
        }
        out += "."
        let machine = [cores.map { "\($0) core\($0 == 1 ? "" : "s")" }, pinning].compactMap { $0 }
        if !machine.isEmpty { out += " " + machine.joined(separator: "; ") + "." }
        return out
    }
}

struct MallocKey: Hashable, Comparable {
    var threads: Int
    var mode: String?
    var label: String { mode.map { "\(threads) (\($0))" } ?? "\(threads)" }
    static func < (a: MallocKey, b: MallocKey) -> Bool {
        a.threads != b.threads ? a.threads < b.threads : (a.mode ?? "") < (b.mode ?? "")
    }
}

extension Array where Element: Hashable {
    /// The elements in first-seen order, without repeats.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
