import Foundation

extension SuiteID { public static let scratch: SuiteID = "scratch" }

/// The scratch-readiness battery's own report is what the report reads:
/// each binary's run per root configuration, with the "check: value" lines it printed.
extension ScratchReadinessReport: SuiteResult {
    static var id: SuiteID { .scratch }

    /// The readiness battery on the report's product (from its own dist), the
    /// Embedded stand-in (from the probes') and the C probes the report compiled.
    static var suite: ReportRunner.ReportSuite? {
        ReportRunner.ReportSuite(.scratch) { ctx in
            var o = ScratchReadiness.Options(store: ctx.probes, cProbes: try ctx.scratchCProbes.get())
            o.products = [SuiteArtifacts.embeddedStandIn]
            o.artifacts = ctx.productArtifacts
            return try ScratchReadiness.run(o).jsonData()
        }
    }

    var sectionRows: [ScratchRow] {
        runs.map { r -> ScratchRow in
            let product = r.product ?? r.binary
            return ScratchRow(id: "scratch/\(product)/\(r.variant)/\(r.config)", variant: r.variant, product: product,
                              config: r.config, passed: r.exitStatus == 0 && r.signal == nil, verdict: r.verdict.rawValue,
                              reason: r.reason, exitStatus: r.exitStatus.map(Int.init), signal: r.signal.map { String($0) },
                              stdout: "", stderr: Fmt.clip(r.stderr), checks: r.checks.isEmpty ? nil : r.checks)
        }
    }

    var suiteVersions: JSONValue? { JSONValue(encoding: versions) }

    static func blocks(_ s: Section<ScratchRow>, in r: MatrixReport) -> [Block] {
        var out = ReportDocument.sectionStart("FROM scratch run", "scratch", s)
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
                return [Cell(k, code: true)] + values.map { Cell(Fmt.clip($0, 80), mark: differ ? .warn : nil) }
            })
            let differing = table.rows.filter { $0.dropFirst().contains { $0.mark == .warn } }.count
            out.append(.collapsible("Readiness battery, root \"\(config)\": \(keys.count) checks, \(differing) answered differently",
                                    [.table(table)]))
        }
        return out
    }

    static func verdictRows(_ t: VerdictTable) -> [VerdictRow] {
        [t.row("scratch", "Runs in FROM scratch") { c in
            if let s = preferredRun(t.sections.scratch.rows.filter { $0.variant == c && t.about($0.product, c) }) {
                return verdict(s, t.standIn(c))
            }
            if let cell = t.notBuilt(c) { return cell }
            // Another musl's column: the battery's C probe linked against that musl stands in.
            if t.otherMusl(c) != nil, let probe = VariantColumns.names(ofColumn: c)?.cProbe,
               let s = preferredRun(t.sections.scratch.rows.filter { $0.variant == probe }) {
                return verdict(s, " (\(probe) probe)")
            }
            return VerdictCell(.na, t.clipped(t.sections.scratch.missingText ?? "no scratch run of this variant"))
        }]
    }

    /// The `docker run FROM scratch` configuration when the battery ran several.
    private static func preferredRun(_ runs: [ScratchRow]) -> ScratchRow? {
        let preferred = ["docker", "empty"].lazy.compactMap { cfg in runs.first { $0.config == cfg } }.first
        return preferred ?? runs.first(where: { $0.config == nil }) ?? runs.first
    }

    private static func verdict(_ s: ScratchRow, _ via: String) -> VerdictCell {
        if s.passed { return VerdictCell(.pass, s.verdict + via) }
        return VerdictCell(.fail, s.verdict + (s.reason.map { ": \($0)" } ?? "") + via)
    }

    static func columns(_ rows: [ScratchRow]) -> [String] { rows.map(\.variant) }

    static func measures(_ names: VariantColumns.Names, _ rows: [ScratchRow]) -> Bool {
        rows.contains { names.suiteNames.contains($0.variant) }
    }

    static func changes(old: [ScratchRow], new: [ScratchRow], into log: inout ChangeLog) {
        let before = ReportCompare.index(old)
        for s in new {
            guard let a = before[s.id], a.passed != s.passed else { continue }
            if a.passed { log.add(.regression, .scratch, s.id, "ran in scratch before, now \(s.verdict): \(s.reason ?? "")") }
            else { log.add(.improvement, .scratch, s.id, "now runs in scratch (was \(a.verdict))") }
        }
    }

    static func project(_ rows: [ScratchRow], through view: ColumnView, baseline: String) -> [ScratchRow] {
        rows.filter { $0.variant == view.names.column || $0.variant == view.names.cProbe }.map { x in
            var x = x; x.id = view.renamed(id: x.id); x.variant = view.name(x.variant); x.product = x.product.map(view.name); return x
        }
    }
}

extension ReportSections {
    public var scratch: Section<ScratchRow> { get { self[ScratchReadinessReport.self] } set { self[ScratchReadinessReport.self] = newValue } }
}

public struct ScratchRow: Codable, Sendable, IdentifiedRow {
    public var id: String                       // scratch/<product>/<variant>[/<config>]
    public var variant: String
    public var product: String?
    public var config: String?
    public var passed: Bool
    public var verdict: String
    public var reason: String?
    public var exitStatus: Int?
    public var signal: String?
    public var stdout: String
    public var stderr: String
    /// The scratch-readiness battery's "check: value" lines, when it ran one.
    public var checks: [String: String]?

    enum CodingKeys: String, CodingKey {
        case id, variant, product, config, passed, verdict, reason, signal, stdout, stderr, checks
        case exitStatus = "exit_status"
    }
}
