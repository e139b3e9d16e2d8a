import Foundation

extension SuiteID { public static let server: SuiteID = "server" }

/// The server bench's own report (`static-musl bench server --json OUT`) is
/// what the report reads: one row per variant, the median run's figures, and
/// ratios to glibc-static taken in the same run.
extension ServerBench.Report: SuiteResult {
    static var id: SuiteID { .server }
    static var absentReason: String? { "no server section in this matrix.json (written before the report had one)" }

    /// The Vapor fixture under wrk, as the report's build step found or built
    /// it (`SuiteArtifacts.serverArtifacts`). --quick is one 3 s run per
    /// variant; full, the bench's 3 × 5 s.
    static var suite: ReportRunner.ReportSuite? {
        ReportRunner.ReportSuite(.server, exclusive: true) { ctx in
            var o = ServerBench.Options()
            if ctx.mode == .quick { o.runs = 1; o.seconds = 3 }
            o.artifacts = try ctx.serverArtifacts.get()
            return try ServerBench.run(o).jsonData()
        }
    }

    /// The rows the report keeps. The ratios are the bench's own (same run); a
    /// document without them gets them from its glibc-static row.
    var sectionRows: [ServerRow] {
        let base = rows.first { $0.variant == Variant.glibcStatic.rawValue }
        func ratio(_ given: Double?, _ value: Double, _ baseValue: Double?) -> Double? {
            given ?? baseValue.flatMap { $0 > 0 ? value / $0 : nil }
        }
        return rows.map { r in
            ServerRow(id: "server/\(product)/\(r.variant)", product: product, variant: r.variant,
                      column: VariantColumns.columnName(for: r.variant), requestsPerSecond: r.requestsPerSecond,
                      requestsRatio: ratio(r.requestsRatio, r.requestsPerSecond, base?.requestsPerSecond),
                      p50Ms: r.p50Ms, p99Ms: r.p99Ms, p99Ratio: ratio(r.p99Ratio, r.p99Ms, base?.p99Ms),
                      peakRssKib: r.peakRSSKiB, runs: r.runs)
        }
    }

    /// How the bench ran (the section's `suite_versions`): everything but the rows.
    var suiteVersions: JSONValue? {
        var o: [String: JSONValue] = ["product": .string(product), "seconds": .number(Double(seconds)),
                                      "runs": .number(Double(runs)), "connections": .number(Double(connections))]
        o["path"] = .string(path)
        o["cores"] = .number(Double(cores))
        o["pinning"] = .string(pinning)
        o["versions"] = JSONValue(encoding: versions)
        return .object(o)
    }

    static func blocks(_ s: Section<ServerRow>, in r: MatrixReport) -> [Block] {
        let setup = ServerSetup(s.suiteVersions)
        let product = s.rows.first?.product ?? setup.product
        var out = ReportDocument.sectionStart("HTTP server under load" + (product.map { " (\($0))" } ?? ""), "server", s)
        guard s.status == .ok else { return out }
        out.append(.paragraph(setup.text(quick: r.header.mode == ReportRunner.Mode.quick.rawValue)))
        out.append(.paragraph("Every ratio is to glibc-static measured in the same run, on a noisy machine: compare the ratios, "
                              + "not req/s across runs or machines. Peak RSS is the server's VmHWM after the runs. "
                              + "musl+mimalloc is expected at 0.9× glibc-static or better; below that it is marked ⚠."))
        let perRun = s.rows.contains { $0.runs.count > 1 }
        let median = s.rows.map(\.runs.count).max().map { $0 > 1 ? " (median of \($0))" : "" } ?? ""
        let headers = ["variant", "req/s" + median, "× glibc-static", "p50", "p99", "p99 × glibc-static", "peak RSS"]
            + (perRun ? ["req/s of each run"] : [])
        out.append(.table(Table(headers: headers, rows: s.rows.map { x in
            let low = x.column == Variant.muslMimalloc.rawValue && (x.requestsRatio ?? 1) < mimallocFloor
            return [Cell(x.variant, code: true), Cell(Fmt.grouped(x.requestsPerSecond)),
                    Cell(x.requestsRatio.map(Fmt.ratio) ?? "–", mark: low ? .warn : nil),
                    Cell(String(format: "%.2f ms", x.p50Ms)), Cell(String(format: "%.2f ms", x.p99Ms)),
                    Cell(x.p99Ratio.map(Fmt.ratio) ?? "–"),
                    Cell(x.peakRssKib.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "–")]
                + (perRun ? [Cell(x.runs.map { Fmt.grouped($0.requestsPerSecond) }.joined(separator: " · "))] : [])
        })))
        return out
    }

    /// The floor for musl+mimalloc against glibc-static; below it the cell warns.
    static let mimallocFloor = 0.9

    /// The server bench's req/s ratio to glibc-static, taken in the same run. A
    /// number without a judgement, except musl+mimalloc below 0.9×, which warns.
    static func verdictRows(_ t: VerdictTable) -> [VerdictRow] {
        let section = t.sections.server
        // " (vapor-hello)": the server bench measures its own product, not the report's.
        let product = section.rows.first.map { " (\($0.product))" } ?? ""
        return [t.row("server", "HTTP server req/s vs glibc-static" + product) { c in
            if let x = section.rows.first(where: { $0.column == c }) {
                let rps = Fmt.requests(x.requestsPerSecond)
                if c == Variant.glibcStatic.rawValue { return VerdictCell(.info, "baseline (\(rps))") }
                guard let ratio = x.requestsRatio else { return VerdictCell(.info, "\(rps), no glibc-static in the same run") }
                let mark: VerdictCell.Mark = c == Variant.muslMimalloc.rawValue && ratio < mimallocFloor ? .warn : .info
                return VerdictCell(mark, "\(Fmt.ratio(ratio)) (\(rps))", value: ratio)
            }
            if let cell = t.notBuilt(c) { return cell }
            guard section.status == .ok else { return VerdictCell(.na, t.clipped(section.missingText)) }
            if t.otherMusl(c) != nil { return VerdictCell(.na, "not benchmarked: the server bench builds on musl \(t.musl) only") }
            return VerdictCell(.na, "not benchmarked")
        }]
    }

    static func columns(_ rows: [ServerRow]) -> [String] { rows.compactMap(\.column) }

    static func project(_ rows: [ServerRow], through view: ColumnView, baseline: String) -> [ServerRow] {
        rows.filter { $0.column == view.names.column }.map { x in
            var x = x; x.id = view.renamed(id: x.id); x.variant = view.name(x.variant); x.column = x.column.map(view.name); return x
        }
    }
}

extension ReportSections {
    public var server: Section<ServerRow> { get { self[ServerBench.Report.self] } set { self[ServerBench.Report.self] = newValue } }
}

public struct ServerRow: Codable, Sendable, IdentifiedRow {
    public var id: String                       // server/<product>/<variant>
    public var product: String
    public var variant: String
    public var column: String?
    /// The median run's req/s, p50 and p99.
    public var requestsPerSecond: Double
    /// To glibc-static, measured in the same run.
    public var requestsRatio: Double?
    public var p50Ms: Double
    public var p99Ms: Double
    public var p99Ratio: Double?
    /// The server's VmHWM after the runs.
    public var peakRssKib: Int?
    /// Every wrk run behind the median.
    public var runs: [ServerBench.Run]

    enum CodingKeys: String, CodingKey {
        case id, product, variant, column, runs
        case requestsPerSecond = "requests_per_second", requestsRatio = "requests_ratio_to_glibc_static"
        case p50Ms = "p50_ms", p99Ms = "p99_ms", p99Ratio = "p99_ratio_to_glibc_static", peakRssKib = "peak_rss_kib"
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
