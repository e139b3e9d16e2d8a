import Foundation

/// What each suite produced: its JSON, or why there is none.
public enum SuiteOutput: Sendable {
    case json(Data, elapsedMs: Double?)
    case notRun(String)
    case failed(String)
}

/// The suites a report has a section for, in report order.
public enum SuiteID: String, CaseIterable, Sendable {
    case build, inspect, scratch, dns, malloc, server, conformance, abi, size

    /// The file name a saved suite JSON has in a `--from-json` folder.
    public var fileName: String { self == .build ? "manifest.json" : rawValue + ".json" }
}

/// Turns suite JSON into a MatrixReport. It decodes and summarises; it never
/// runs anything.
public enum ReportBuilder {
    public static func build(header: ReportHeader, outputs: [SuiteID: SuiteOutput]) -> MatrixReport {
        func output(_ id: SuiteID) -> SuiteOutput { outputs[id] ?? .notRun("no output for suite \(id.rawValue)") }
        let product = header.product
        var sections = ReportSections(
            build: section(output(.build), .build) { (m: Manifest) in buildRows(m) },
            inspect: section(output(.inspect), .inspect) { (i: InspectInput) in inspectRows(i) },
            scratch: section(output(.scratch), .scratch) { (s: ScratchInput) in scratchRows(s) },
            dns: section(output(.dns), .dns) { (d: DNSInput) in dnsRows(d) },
            malloc: section(output(.malloc), .malloc) { (m: MallocInput) in mallocRows(m) },
            server: section(output(.server), .server) { (x: ServerInput) in serverRows(x) },
            conformance: section(output(.conformance), .conformance) { (c: ConformanceInput) in conformanceRows(c) },
            abi: section(output(.abi), .abi) { (a: ABIInput) in abiRows(a) },
            size: section(output(.size), .size) { (s: SizeInput) in sizeRows(s) })
        sections.build.suiteVersions = manifestToolchain(output(.build))
        let columns = columnsFor(sections, product: product)
        let baseline = columns.contains(Variant.glibcDynamic.rawValue) ? Variant.glibcDynamic.rawValue
            : (columns.first(where: { Variant(rawValue: $0)?.libc == "glibc" }) ?? columns.first ?? "glibc-dynamic")
        let verdict = VerdictTable(sections: sections, columns: columns, baseline: baseline, product: product,
                                   cores: header.machine.cores, musl: header.toolchain.musl).rows()
        return MatrixReport(schemaVersion: MatrixReport.currentSchema, header: header, variants: columns,
                            baseline: baseline, verdict: verdict, sections: sections)
    }

    // MARK: decoding

    static func section<Input: Decodable, Row>(_ output: SuiteOutput, _ id: SuiteID,
                                               _ rows: (Input) -> ([Row], JSONValue?)) -> Section<Row> {
        switch output {
        case .notRun(let why): return .notRun(why)
        case .failed(let why): return .failed(why)
        case .json(let data, let elapsed):
            do {
                let input = try JSONDecoder().decode(Input.self, from: data)
                let (r, versions) = rows(input)
                return Section(status: .ok, reason: nil, elapsedMs: elapsed, suiteVersions: versions,
                               rows: uniqueIDs(r))
            } catch {
                return .failed("\(id.fileName) does not match the documented JSON: \(ReportError.describe(error))")
            }
        }
    }

    static func manifestToolchain(_ output: SuiteOutput) -> JSONValue? {
        guard case .json(let data, _) = output, let m = try? JSONDecoder().decode(Manifest.self, from: data) else { return nil }
        var o: [String: JSONValue] = ["swift": .string(m.toolchain.swift), "musl": .string(m.toolchain.musl),
                                      "glibc": .string(m.toolchain.glibc), "root": .string(m.toolchain.root),
                                      "generated": .string(m.generated)]
        if let gcc = m.toolchain.gcc { o["gcc"] = .string(gcc) }
        return .object(o)
    }

    /// Stable ids must also be unique: a repeated id gets "#2", "#3"…
    static func uniqueIDs<Row>(_ rows: [Row]) -> [Row] {
        var seen: [String: Int] = [:]
        return rows.map { row in
            guard var r = row as? IdentifiedRow else { return row }
            let n = (seen[r.id] ?? 0) + 1
            seen[r.id] = n
            if n > 1 { r.id += "#\(n)" }
            return (r as? Row) ?? row
        }
    }

    // MARK: rows per suite

    static func buildRows(_ m: Manifest) -> ([BuildRow], JSONValue?) {
        let rows = m.products.flatMap { p in
            p.variants.map { v in
                BuildRow(id: "build/\(p.product)/\(v.variant)", product: p.product, variant: v.variant, status: v.status,
                         reason: v.reason, size: v.size, strippedSize: v.strippedSize, isStatic: v.isStatic,
                         interpreter: v.interpreter, needed: v.needed, allocator: v.allocator,
                         linkWarnings: v.linkWarnings?.count, unresolved: v.unresolved?.map { "\($0.symbol) (wanted by \($0.wantedBy))" })
            }
        }
        return (rows, nil)
    }

    /// dist/<variant>/<product> → (variant, product), the layout build-static.sh writes.
    static func variantAndProduct(fromPath path: String) -> (String?, String?) {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2 else { return (nil, parts.last) }
        let dir = parts[parts.count - 2]
        return (Variant(rawValue: dir) != nil ? dir : nil, parts[parts.count - 1])
    }

    static func inspectRows(_ input: InspectInput) -> ([InspectRow], JSONValue?) {
        let rows = input.files.map { f -> InspectRow in
            let inferred = variantAndProduct(fromPath: f.path)
            let variant = f.variant ?? inferred.0, product = f.product ?? inferred.1
            let id = variant.map { "inspect/\(product ?? "?")/\($0)" } ?? "inspect/" + f.path
            return InspectRow(id: id, path: f.path, variant: variant, product: product, class: f.class, libc: f.libc,
                              libcEvidence: f.libcEvidence ?? [], interpreter: f.interpreter, needed: f.needed ?? [],
                              stripped: f.stripped, swiftRuntime: f.swiftRuntime, embeddedSwift: f.embeddedSwift,
                              nssRisk: f.nssRisk, size: f.size, arch: f.arch, warnings: f.warnings ?? [])
        }
        return (rows, input.versions)
    }

    static func scratchRows(_ input: ScratchInput) -> ([ScratchRow], JSONValue?) {
        let rows = input.runs.map { r -> ScratchRow in
            let signal = r.signal.flatMap { $0 == .null ? nil : $0.text }
            let passed = r.exitStatus == 0 && signal == nil
            let product = r.product ?? r.binary
            return ScratchRow(id: "scratch/\(product ?? "?")/\(r.variant)" + (r.config.map { "/" + $0 } ?? ""),
                              variant: r.variant, product: product, config: r.config,
                              passed: passed, verdict: r.verdict, reason: r.reason, exitStatus: r.exitStatus,
                              signal: signal, stdout: clip(r.stdout ?? ""), stderr: clip(r.stderr ?? ""),
                              checks: r.checks?.isEmpty == false ? r.checks : nil)
        }
        return (rows, input.versions ?? input.findings.map { .object(["findings": .array($0.map(JSONValue.string))]) })
    }

    static func clip(_ s: String, _ limit: Int = 2000) -> String {
        s.count <= limit ? s : String(s.prefix(limit)) + "… (\(s.count - limit) more characters)"
    }

    /// Two probes behave the same when the status, the addresses in order and
    /// the sequence of distinct queried names match. Retransmissions (the
    /// same name asked again) are counted, not compared.
    static func dnsSignature(_ r: DNSInput.Result) -> String {
        if let given = r.queriedNames {
            return r.status + "|" + r.addresses.joined(separator: ",") + "|" + given.map { $0.lowercased() }.joined(separator: " ")
        }
        var names: [String] = []
        for q in r.queries {
            let n = q.name.lowercased()
            if names.last != n && !names.contains(n) { names.append(n) }
        }
        return r.status + "|" + r.addresses.joined(separator: ",") + "|" + names.joined(separator: " ")
    }

    static func dnsRows(_ input: DNSInput) -> ([DNSRow], JSONValue?) {
        var order: [String] = []
        var byScenario: [String: [DNSInput.Result]] = [:]
        for r in input.results {
            if byScenario[r.scenario] == nil { order.append(r.scenario) }
            byScenario[r.scenario, default: []].append(r)
        }
        let meta = Dictionary(((input.scenarios ?? []) + (input.verdicts ?? [])).map { ($0.id, $0) },
                              uniquingKeysWith: { a, _ in a })
        let rows = order.map { id -> DNSRow in
            let results = byScenario[id] ?? []
            var differing = dnsDiffering(results)
            var verdict = differing.isEmpty ? "same" : "differs: " + dnsWhat(results, differing)
            if let given = meta[id]?.verdict, !given.isEmpty {
                verdict = given                               // the suite's own verdict wins
                // Its verdict is about glibc against musl; an alternative (musl+c-ares,
                // another musl, whichever version the report's run had) that differs from glibc stays marked.
                let base = Set(DNSVariant.base.map(\.rawValue))
                if given == "same" { differing = differing.filter { !base.contains($0) } }
            }
            let out = results.map { r in
                DNSRow.Result(variant: r.variant, column: VariantColumns.columnName(for: r.variant), status: r.status,
                              addresses: r.addresses, canonicalName: r.canonicalName, queryCount: r.queries.count,
                              queries: r.queries, elapsedMs: r.elapsedMs)
            }
            let observations = meta[id]?.observations
            return DNSRow(id: "dns/" + id, scenario: id, title: meta[id]?.title, why: meta[id]?.why,
                          verdict: verdict, differing: differing, observations: observations?.isEmpty == false ? observations : nil,
                          results: out)
        }
        return (rows, input.versions)
    }

    /// The variants whose behaviour differs from the glibc-dynamic probe of
    /// the same language (C against c-glibc-dynamic, Swift against swift-glibc-dynamic).
    static func dnsDiffering(_ results: [DNSInput.Result]) -> [String] {
        func base(for variant: String) -> DNSInput.Result? {
            let lang = variant.hasPrefix("c-") ? "c-" : "swift-"
            return results.first { $0.variant == lang + "glibc-dynamic" }
                ?? results.first { VariantColumns.dnsBaselines.contains($0.variant) }
        }
        return results.compactMap { r in
            guard let b = base(for: r.variant), b.variant != r.variant else { return nil }
            if DNSStatus.probeFailed(r.status) || DNSStatus.probeFailed(b.status) { return r.variant }
            return dnsSignature(r) == dnsSignature(b) ? nil : r.variant
        }
    }

    static func dnsWhat<Answer: DNSProbeAnswer>(_ results: [Answer], _ differing: [String]) -> String {
        guard let d = results.first(where: { $0.variant == differing[0] }) else { return differing.joined(separator: ", ") }
        let lang = d.variant.hasPrefix("c-") ? "c-" : "swift-"
        guard let b = results.first(where: { $0.variant == lang + "glibc-dynamic" })
                ?? results.first(where: { VariantColumns.dnsBaselines.contains($0.variant) }) else { return d.variant }
        var what: [String] = []
        if d.status != b.status { what.append("status \(d.status) vs \(b.status)") }
        if d.addresses != b.addresses {
            func list(_ a: [String]) -> String {
                a.count <= 3 ? a.joined(separator: " ") : a.prefix(3).joined(separator: " ") + " +\(a.count - 3) more"
            }
            what.append("addresses [\(list(d.addresses))] vs [\(list(b.addresses))]")
        }
        if what.isEmpty { what.append("queried names differ (\(d.queries.count) vs \(b.queries.count) queries)") }
        return "\(differing.joined(separator: ", ")): " + what.joined(separator: "; ") + " (vs \(b.variant))"
    }

    static func mallocRows(_ input: MallocInput) -> ([MallocRow], JSONValue?) {
        let rows = input.results.map { r in
            MallocRow(id: "malloc/\(r.workload)/\(r.variant)/\(r.threads)" + (r.runMode.map { "/" + $0 } ?? ""),
                      workload: r.workload, variant: r.variant, column: VariantColumns.columnName(for: r.variant),
                      threads: r.threads, mode: r.runMode, opsPerSec: r.opsPerSec, nsPerOp: r.nsPerOp,
                      efficiency: r.efficiency, userS: r.userS, sysS: r.sysS, peakRssKb: r.peakRssKb)
        }
        return (rows, input.machine)
    }

    /// One row per variant the server bench measured. The ratios are the
    /// bench's own (same run); a document without them gets them from its
    /// glibc-static row. The bench's setup is kept as the section's suite_versions.
    static func serverRows(_ input: ServerInput) -> ([ServerRow], JSONValue?) {
        let base = input.rows.first { $0.variant == Variant.glibcStatic.rawValue }
        func ratio(_ given: Double?, _ value: Double, _ baseValue: Double?) -> Double? {
            given ?? baseValue.flatMap { $0 > 0 ? value / $0 : nil }
        }
        let rows = input.rows.map { r in
            ServerRow(id: "server/\(input.product)/\(r.variant)", product: input.product, variant: r.variant,
                      column: VariantColumns.columnName(for: r.variant), requestsPerSecond: r.requestsPerSecond,
                      requestsRatio: ratio(r.requestsRatio, r.requestsPerSecond, base?.requestsPerSecond),
                      p50Ms: r.p50Ms, p99Ms: r.p99Ms, p99Ratio: ratio(r.p99Ratio, r.p99Ms, base?.p99Ms),
                      peakRssKib: r.peakRssKib, runs: r.runs ?? [])
        }
        return (rows, input.setup)
    }

    static func conformanceRows(_ input: ConformanceInput) -> ([ConformanceRow], JSONValue?) {
        // A label stands for a column when its name maps onto one or the suite says so (host runs only).
        // The name comes first: a build on another musl is the variant "musl" in a label of its own.
        var labelColumns: [String: String] = [:]
        for l in input.variants ?? [] where l.place == nil || l.place == "host" {
            if let c = VariantColumns.columnName(for: l.label) ?? l.variant.flatMap(VariantColumns.columnName(for:)) {
                labelColumns[l.label] = c
            }
        }
        let rows = input.checks.map { c -> ConformanceRow in
            var columns: [String: String] = [:]
            for label in c.results.keys {
                if let col = labelColumns[label] ?? (input.variants == nil ? VariantColumns.columnName(for: label) : nil) {
                    columns[label] = col
                }
            }
            let explained = c.explained ?? (c.verdict == "same" || !(c.explanation ?? "").isEmpty)
            return ConformanceRow(id: "conformance/" + c.id, check: c.id, verdict: c.verdict, explanation: c.explanation,
                                  explained: explained, results: c.results.mapValues { $0.text }, columns: columns)
        }
        return (rows, input.versions)
    }

    static func abiRows(_ input: ABIInput) -> ([ABIRow], JSONValue?) {
        let rows = input.items.map { i in
            ABIRow(id: "abi/\(i.kind)/\(i.name)", name: i.name, kind: i.kind, match: i.match, risk: i.risk,
                   glibc: i.glibc.map(abiText) ?? "missing", musl: i.musl.map(abiText) ?? "missing",
                   status: i.status, differences: i.differences?.isEmpty == false ? i.differences : nil)
        }
        return (rows, input.versions)
    }

    /// "size 64, align 8" for a layout, the value for a constant, "missing" for null.
    static func abiText(_ v: JSONValue) -> String {
        if v == .null { return "missing" }
        if let size = v["size"]?.doubleValue {
            return "size \(Int(size))" + (v["align"]?.doubleValue.map { ", align \(Int($0))" } ?? "")
        }
        return v.text
    }

    static func sizeRows(_ input: SizeInput) -> ([SizeRow], JSONValue?) {
        (input.runs.map { r in SizeSummary.row(variant: r.variant, product: r.product, json: r.size) }, nil)
    }

    // MARK: columns

    static func columnsFor(_ s: ReportSections, product: String) -> [String] {
        var found = Set(s.build.rows.map(\.variant))
        if found.isEmpty {
            found.formUnion(s.inspect.rows.compactMap(\.variant))
            found.formUnion(s.scratch.rows.map(\.variant))
            found.formUnion(s.dns.rows.flatMap { $0.results.compactMap(\.column) })
            found.formUnion(s.malloc.rows.compactMap(\.column))
            found.formUnion(s.server.rows.compactMap(\.column))
        }
        if found.isEmpty { found = Set(Variant.standard.map(\.rawValue)) }
        found.formUnion(otherMuslColumns(s))
        return found.sorted(by: VariantColumns.precedes)
    }

    /// The columns of builds on another musl that some suite measured: the
    /// manifest and the inspect run cover one musl, so these come from the
    /// suites that build their own (DNS, malloc, conformance, the scratch battery).
    static func otherMuslColumns(_ s: ReportSections) -> [String] {
        VariantColumns.all.filter { $0.otherMuslVersion != nil }.filter { names in
            let c = names.column
            return s.build.rows.contains { $0.variant == c } || s.inspect.rows.contains { $0.variant == c }
                || s.scratch.rows.contains { names.suiteNames.contains($0.variant) }
                || s.dns.rows.contains { $0.results.contains { $0.column == c } }
                || s.malloc.rows.contains { $0.column == c }
                || s.conformance.rows.contains { $0.columns.values.contains(c) }
        }.map(\.column)
    }
}

/// What `dnsWhat` reads of a probe's answer: the suite's JSON and matrix.json
/// both carry it, so one description serves the report and `--compare --column`.
protocol DNSProbeAnswer {
    var variant: String { get }
    var status: String { get }
    var addresses: [String] { get }
    var queries: [DNSInput.Query] { get }
}
extension DNSInput.Result: DNSProbeAnswer {}
extension DNSRow.Result: DNSProbeAnswer {}

/// Rows with a stable id, so duplicates can be numbered.
protocol IdentifiedRow { var id: String { get set } }
extension BuildRow: IdentifiedRow {}
extension InspectRow: IdentifiedRow {}
extension ScratchRow: IdentifiedRow {}
extension DNSRow: IdentifiedRow {}
extension MallocRow: IdentifiedRow {}
extension ServerRow: IdentifiedRow {}
extension ConformanceRow: IdentifiedRow {}
extension ABIRow: IdentifiedRow {}
extension SizeRow: IdentifiedRow {}

/// Reads what it recognises in a `static-musl size --json` document: a total,
/// an explained share, and the largest archives, modules or sections.
enum SizeSummary {
    static func row(variant: String, product: String?, json: JSONValue) -> SizeRow {
        let root = json["files"]?.arrayValue?.first ?? json
        func number(_ keys: [String]) -> Double? {
            for k in keys { if let n = root[k]?.doubleValue { return n } }
            return nil
        }
        var top: [SizeRow.Part] = []
        for key in ["archives", "modules", "targets", "sections"] {
            guard let items = root[key]?.arrayValue, !items.isEmpty else { continue }
            top = items.compactMap { item -> SizeRow.Part? in
                guard let name = ["name", "archive", "module", "section"].lazy.compactMap({ item[$0]?.stringValue }).first,
                      let bytes = ["bytes", "size"].lazy.compactMap({ item[$0]?.doubleValue }).first else { return nil }
                let chainValue = item["chain"] ?? item["why"]
                let chain = chainValue?.arrayValue?.map(\.text) ?? chainValue?.stringValue.map { [$0] }
                    ?? chainValue?["text"]?.stringValue.map { [$0] }
                return SizeRow.Part(name: name, bytes: Int(bytes), chain: chain)
            }.sorted { $0.bytes > $1.bytes }
            if !top.isEmpty { break }
        }
        return SizeRow(id: "size/\(product ?? "?")/\(variant)", variant: variant, product: product,
                       totalBytes: number(["total_bytes", "total", "file_size", "size"]).map { Int($0) },
                       explainedPercent: number(["explained_percent"]) ?? number(["explained_fraction"]).map { $0 * 100 },
                       top: Array(top.prefix(10)))
    }
}
