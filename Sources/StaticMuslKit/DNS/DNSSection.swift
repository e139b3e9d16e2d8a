import Foundation

extension SuiteID { public static let dns: SuiteID = "dns" }

/// The DNS suite's own report (`static-musl dns --json OUT`) is what the report
/// reads. A scenario's verdict, when the suite gives one, wins over the
/// report's own comparison; an empty one leaves it to the report.
extension DNSReport: SuiteResult {
    static var id: SuiteID { .dns }

    /// The full catalogue in both modes, on the probes the report built before
    /// any suite ran: the Swift ones (each other musl's beside them) and the C ones.
    static var suite: ReportRunner.ReportSuite? {
        ReportRunner.ReportSuite(.dns) { ctx in
            var o = DNSSuite.Options()
            o.projectRoot = ctx.projectRoot
            o.probes = ctx.dnsProbes.paths
            o.unavailable = ctx.dnsProbes.unavailable
            return try DNSSuite.run(o).json()
        }
    }

    var suiteVersions: JSONValue? { JSONValue(encoding: versions) }

    /// One row per scenario, in the suite's order.
    var sectionRows: [DNSRow] {
        var order: [String] = []
        var byScenario: [String: [DNSResult]] = [:]
        for r in results {
            if byScenario[r.scenario] == nil { order.append(r.scenario) }
            byScenario[r.scenario, default: []].append(r)
        }
        let meta = Dictionary(verdicts.map { ($0.scenario, $0) }, uniquingKeysWith: { a, _ in a })
        return order.map { id -> DNSRow in
            let results = byScenario[id] ?? []
            var differing = Self.differing(results)
            var verdict = differing.isEmpty ? "same" : "differs: " + Self.what(results, differing)
            if let given = meta[id]?.verdict, !given.isEmpty {
                verdict = given                               // the suite's own verdict wins
                // Its verdict is about glibc against musl; an alternative (musl+c-ares,
                // another musl, whichever version the report's run had) that differs from glibc stays marked.
                let base = Set(DNSVariant.base.map(\.rawValue))
                if given == "same" { differing = differing.filter { !base.contains($0) } }
            }
            let out = results.map { r in
                DNSRow.Result(variant: r.variant, column: VariantColumns.columnName(for: r.variant), status: r.status,
                              addresses: r.addresses, canonicalName: r.canonicalName, queryCount: r.queryCount,
                              queries: r.queries.map(DNSRow.Query.init), elapsedMs: r.elapsedMs)
            }
            let observations = meta[id]?.observations ?? []
            return DNSRow(id: "dns/" + id, scenario: id, title: meta[id]?.title, why: meta[id]?.why,
                          verdict: verdict, differing: differing, observations: observations.isEmpty ? nil : observations,
                          results: out)
        }
    }

    /// Two probes behave the same when the status, the addresses in order and
    /// the sequence of queried names (retransmissions collapsed) match.
    static func signature(_ r: DNSResult) -> String {
        r.status + "|" + r.addresses.joined(separator: ",") + "|" + r.queriedNames.map { $0.lowercased() }.joined(separator: " ")
    }

    /// The glibc-dynamic probe of `variant`'s language (C or Swift), or another baseline the run had.
    static func baseline<Answer: DNSProbeAnswer>(for variant: String, in results: [Answer]) -> Answer? {
        let lang = variant.hasPrefix("c-") ? "c-" : "swift-"
        return results.first { $0.variant == lang + "glibc-dynamic" }
            ?? results.first { VariantColumns.dnsBaselines.contains($0.variant) }
    }

    /// The variants whose behaviour differs from the glibc-dynamic probe of
    /// the same language (C against c-glibc-dynamic, Swift against swift-glibc-dynamic).
    static func differing(_ results: [DNSResult]) -> [String] {
        results.compactMap { r in
            guard let b = baseline(for: r.variant, in: results), b.variant != r.variant else { return nil }
            if DNSStatus.probeFailed(r.status) || DNSStatus.probeFailed(b.status) { return r.variant }
            return signature(r) == signature(b) ? nil : r.variant
        }
    }

    /// "c-musl-static: status … vs … (vs c-glibc-dynamic)": what the first differing probe did otherwise.
    static func what<Answer: DNSProbeAnswer>(_ results: [Answer], _ differing: [String]) -> String {
        guard let d = results.first(where: { $0.variant == differing[0] }) else { return differing.joined(separator: ", ") }
        guard let b = baseline(for: d.variant, in: results) else { return d.variant }
        var what: [String] = []
        if d.status != b.status { what.append("status \(d.status) vs \(b.status)") }
        if d.addresses != b.addresses {
            func list(_ a: [String]) -> String {
                a.count <= 3 ? a.joined(separator: " ") : a.prefix(3).joined(separator: " ") + " +\(a.count - 3) more"
            }
            what.append("addresses [\(list(d.addresses))] vs [\(list(b.addresses))]")
        }
        if what.isEmpty { what.append("queried names differ (\(d.queryCount) vs \(b.queryCount) queries)") }
        return "\(differing.joined(separator: ", ")): " + what.joined(separator: "; ") + " (vs \(b.variant))"
    }

    static func blocks(_ s: Section<DNSRow>, in r: MatrixReport) -> [Block] {
        var out = ReportDocument.sectionStart("DNS", "dns", s)
        guard s.status == .ok else { return out }
        let variants = orderedVariants(s.rows)
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
        out.append(.prerendered(html: detailsHTML(s.rows), markdown: "Query logs per scenario and variant: see index.html "
                                + "or matrix.json (`sections.dns.rows[].results[].queries`).\n\n"))
        return out
    }

    static func orderedVariants(_ rows: [DNSRow]) -> [String] {
        let preferred = DNSVariant.allCases.map(\.rawValue)
        let all = Set(rows.flatMap { $0.results.map(\.variant) })
        return preferred.filter(all.contains) + all.subtracting(preferred).sorted()
    }

    /// A collapsible part per scenario with its probes' answers and query logs (HTML only).
    static func detailsHTML(_ rows: [DNSRow]) -> String {
        var s = "<h3 id=\"dns-details\">Scenarios and query logs</h3>\n"
        for row in rows {
            let mark = row.verdict == "same" ? "pass" : "warn"
            s += "<details id=\"\(HTML.escape(row.id))\"><summary><code>\(HTML.escape(row.scenario))</code> "
            s += "<span class=\"\(mark)\">\(HTML.escape(row.verdict))</span></summary>\n"
            if let title = row.title { s += "<p><b>\(HTML.escape(title))</b>" + (row.why.map { ". " + HTML.escape($0) } ?? "") + "</p>\n" }
            if let notes = row.observations {
                s += "<ul class=\"obs\">" + notes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>\n"
            }
            s += HTMLRenderer.table(Table(headers: ["variant", "status", "addresses", "canonical name", "queries", "time"], rows: row.results.map { r in
                [Cell(r.variant, code: true), Cell(r.status, mark: row.differing.contains(r.variant) ? .warn : nil),
                 Cell(r.addresses.isEmpty ? "–" : r.addresses.joined(separator: " "), code: true),
                 Cell(r.canonicalName ?? "–", code: true), Cell("\(r.queryCount)"), Cell(Fmt.ms(r.elapsedMs))]
            }))
            for r in row.results where !r.queries.isEmpty {
                s += "<p class=\"qlog\">Query log of <code>\(HTML.escape(r.variant))</code>:</p>\n"
                s += HTMLRenderer.table(Table(headers: ["#", "server", "transport", "type", "name", "EDNS"], rows: r.queries.enumerated().map { i, q in
                    [Cell("\(i + 1)"), Cell(q.server ?? "–", code: true), Cell(q.transport ?? "–"), Cell(q.type),
                     Cell(q.name, code: true), Cell(q.edns.map(ednsText) ?? "–")]
                }))
            }
            s += "</details>\n"
        }
        return s
    }

    static func ednsText(_ v: JSONValue) -> String {
        switch v {
        case .null, .bool(false): return "no"
        case .bool(true): return "yes"
        default: return v.text
        }
    }

    /// Probes that stand in for a column without its own DNS probe: the
    /// resolver is the libc's, so Embedded Swift on musl behaves as the C musl
    /// probe, and mimalloc does not change musl's resolver.
    static let standIns = ["embedded-musl": "c-musl-static", "musl+mimalloc": "swift-musl-static"]

    static func verdictRows(_ t: VerdictTable) -> [VerdictRow] {
        [t.row("dns", "DNS differences vs \(t.baseline)") { c in
            let section = t.sections.dns
            if let cell = t.notBuilt(c) { return cell }
            guard section.status == .ok else { return VerdictCell(.na, t.clipped(section.missingText)) }
            var pick: (DNSRow.Result) -> Bool = { $0.column == c }
            var via = ""
            if !section.rows.contains(where: { $0.results.contains(where: pick) }), let standIn = standIns[c] {
                pick = { $0.variant == standIn }
                via = " (\(standIn) probe)"
            }
            let probed = section.rows.filter { row in row.results.contains(where: pick) }
            guard !probed.isEmpty else { return VerdictCell(.na, "no DNS probe stands for this variant") }
            let failed = probed.filter { row in row.results.contains { pick($0) && DNSStatus.probeFailed($0.status) } }
            if !failed.isEmpty {
                return VerdictCell(.fail, "probe failed in \(failed.count) of \(probed.count)" + via, value: Double(failed.count))
            }
            if c == t.baseline { return VerdictCell(.info, "baseline (\(probed.count) scenarios)") }
            let differ = probed.filter { row in row.results.contains { pick($0) && row.differing.contains($0.variant) } }
            if differ.isEmpty { return VerdictCell(.pass, "same in all \(probed.count)" + via, value: 0) }
            return VerdictCell(.warn, "\(differ.count) of \(probed.count) differ" + via, value: Double(differ.count))
        }]
    }

    static func columns(_ rows: [DNSRow]) -> [String] { rows.flatMap { $0.results.compactMap(\.column) } }

    static func changes(old: [DNSRow], new: [DNSRow], into log: inout ChangeLog) {
        let oldRows = ReportCompare.index(old)
        for d in new {
            let before = oldRows[d.id]
            if d.verdict != "same" && (before == nil || before?.verdict == "same") {
                log.add(before == nil ? .note : .regression, .dns, d.id,
                        before == nil ? "new scenario, \(d.verdict)" : "new difference: \(d.verdict)")
            } else if d.verdict == "same", let b = before, b.verdict != "same" {
                log.add(.improvement, .dns, d.id, "no longer differs (was \(b.verdict))")
            } else if let b = before, b.verdict != d.verdict, d.verdict != "same" {
                log.add(.note, .dns, d.id, "difference changed: \(b.verdict) → \(d.verdict)")
            }
        }
    }

    /// Each scenario as the column's probes saw it: "same", or "differs: <probes>: <what>" against
    /// the glibc-dynamic probe of their language, as the report decided it for the whole row.
    static func project(_ rows: [DNSRow], through view: ColumnView, baseline: String) -> [DNSRow] {
        rows.compactMap { row in
            let probes = Set([view.names.swiftProbe, view.names.cProbe].compactMap { $0 })
            let mine = Set(row.results.filter { probes.contains($0.variant) || $0.column == view.names.column }.map(\.variant))
            guard !mine.isEmpty else { return nil }
            var out = row
            out.results = row.results.filter { mine.contains($0.variant) || VariantColumns.dnsBaselines.contains($0.variant) }
                .map { r in var r = r; r.variant = view.name(r.variant); r.column = r.column.map(view.name); return r }
            out.differing = row.differing.filter(mine.contains).map(view.name)
            out.verdict = out.differing.isEmpty ? "same" : "differs: " + what(out.results, out.differing)
            return out
        }
    }
}

extension ReportSections {
    public var dns: Section<DNSRow> { get { self[DNSReport.self] } set { self[DNSReport.self] = newValue } }
}

public struct DNSRow: Codable, Sendable, IdentifiedRow {
    public var id: String                       // dns/<scenario>
    public var scenario: String
    public var title: String?
    public var why: String?
    /// "same", or "differs: <what>".
    public var verdict: String
    /// DNS variants (c-/swift-…) that differ from the baseline probe on the same language.
    public var differing: [String]
    public var observations: [String]?
    public var results: [Result]

    public struct Result: Codable, Sendable {
        public var variant: String
        public var column: String?              // the build variant it stands for, if any
        public var status: String
        public var addresses: [String]
        public var canonicalName: String?
        public var queryCount: Int
        public var queries: [Query]
        public var elapsedMs: Double?

        enum CodingKeys: String, CodingKey {
            case variant, column, status, addresses, queries
            case canonicalName = "canonical_name", queryCount = "query_count", elapsedMs = "elapsed_ms"
        }
    }

    /// One query the probe sent, as the query log shows it.
    public struct Query: Codable, Sendable, Equatable {
        public var server: String?
        public var transport: String?
        public var type: String
        public var name: String
        /// The advertised EDNS UDP size; absent without EDNS.
        public var edns: JSONValue?

        init(_ record: DNSQueryRecord) {
            server = record.server; transport = record.transport; type = record.type; name = record.name
            edns = record.edns.map { .number(Double($0)) }
        }
    }
}

/// What `DNSReport.what` reads of a probe's answer: the suite's JSON and matrix.json
/// both carry it, so one description serves the report and `--compare --column`.
protocol DNSProbeAnswer {
    var variant: String { get }
    var status: String { get }
    var addresses: [String] { get }
    var queryCount: Int { get }
}
extension DNSResult: DNSProbeAnswer {}
extension DNSRow.Result: DNSProbeAnswer {}

enum DNSStatus {
    /// The probe itself did not finish: never counted as "same".
    static func probeFailed(_ status: String) -> Bool { status.hasPrefix("probe-failed") }
}
