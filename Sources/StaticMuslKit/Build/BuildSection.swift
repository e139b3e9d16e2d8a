import Foundation

extension SuiteID { public static let build: SuiteID = "build" }

/// The build's part of the report: manifest.json, read as the engine writes
/// it. It also answers the verdict table's first two questions (is it
/// static, how big is it), from the inspection and the size runs where they have them.
extension Manifest: SuiteResult {
    static var id: SuiteID { .build }

    var sectionRows: [BuildRow] {
        products.flatMap { p in
            p.variants.map { v in
                BuildRow(id: "build/\(p.product)/\(v.variant)", product: p.product, variant: v.variant, status: v.status,
                         reason: v.reason, size: v.size, strippedSize: v.strippedSize, isStatic: v.isStatic,
                         interpreter: v.interpreter, needed: v.needed, allocator: v.allocator,
                         linkWarnings: v.linkWarnings?.count, unresolved: v.unresolved?.map { "\($0.symbol) (wanted by \($0.wantedBy))" })
            }
        }
    }

    /// The toolchain the build used.
    var suiteVersions: JSONValue? {
        var o: [String: JSONValue] = ["swift": .string(toolchain.swift), "musl": .string(toolchain.musl),
                                      "glibc": .string(toolchain.glibc), "root": .string(toolchain.root),
                                      "generated": .string(generated)]
        if let gcc = toolchain.gcc { o["gcc"] = .string(gcc) }
        return .object(o)
    }

    static func blocks(_ s: Section<BuildRow>, in r: MatrixReport) -> [Block] {
        var out = ReportDocument.sectionStart("Build", "build", s)
        guard s.status == .ok else { return out }
        out.append(.table(Table(headers: ["product", "variant", "status", "size", "stripped", "static", "allocator", "links"],
                                rows: s.rows.map { b in
            let links = b.isStatic == true ? "none" : ([b.interpreter].compactMap { $0 } + (b.needed ?? [])).joined(separator: " ")
            return [Cell(b.product), Cell(b.variant, code: true),
                    Cell(b.status == "ok" ? "ok" : b.statusText, mark: b.status == "ok" ? nil : (b.status == "failed" ? .fail : .na)),
                    Cell(b.size.map(Fmt.bytes) ?? "–"), Cell(b.strippedSize.map(Fmt.bytes) ?? "–"),
                    Cell(Fmt.yesNo(b.isStatic)), Cell(b.allocator ?? "–"), Cell(links.isEmpty ? "–" : links, code: true)]
        })))
        for b in s.rows where !(b.unresolved ?? []).isEmpty {
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

    static func verdictRows(_ t: VerdictTable) -> [VerdictRow] {
        [t.row("static", "Static (ELF inspection)") { c in staticCell(c, t) },
         t.row("size", "Size of \(t.product)") { c in sizeCell(c, t) }]
    }

    static func staticCell(_ c: String, _ t: VerdictTable) -> VerdictCell {
        if let i = t.sections.inspect.rows.first(where: { $0.variant == c && t.about($0.product, c) }) {
            let warn = i.warnings.isEmpty ? "" : " (\(i.warnings.count) warning\(i.warnings.count == 1 ? "" : "s"))"
            switch i.class {
            case "static", "static-pie":
                return VerdictCell(i.warnings.isEmpty ? .pass : .warn, "\(i.class), \(i.libc)" + warn + t.standIn(c))
            default:
                let needs = i.interpreter.map { ", needs \($0)" } ?? ""
                return VerdictCell(.fail, "\(i.class)\(needs)")
            }
        }
        if let cell = t.notBuilt(c) { return cell }
        if let b = t.buildRow(c), let s = b.isStatic {
            if s { return VerdictCell(.pass, "static (manifest)") }
            return VerdictCell(.fail, "dynamic" + (b.interpreter.map { ", needs \($0)" } ?? "") + " (manifest)")
        }
        return VerdictCell(.na, t.clipped(t.sections.inspect.missingText ?? t.ownBuildOnly(c, "binary inspected")
                                          ?? "no inspection of this variant"))
    }

    static func sizeCell(_ c: String, _ t: VerdictTable) -> VerdictCell {
        if let cell = t.notBuilt(c) { return cell }
        if let b = t.buildRow(c), let bytes = b.strippedSize ?? b.size {
            let how = b.strippedSize != nil ? "stripped" : "unstripped"
            return VerdictCell(.info, "\(Fmt.bytes(bytes)) \(how)" + t.standIn(c), value: Double(bytes))
        }
        if let s = t.sections.size.rows.first(where: { $0.variant == c && t.about($0.product, c) }),
           let total = s.totalBytes {
            return VerdictCell(.info, Fmt.bytes(total), value: Double(total))
        }
        return VerdictCell(.na, t.clipped(t.sections.build.missingText ?? t.ownBuildOnly(c, "binary in the manifest")
                                          ?? "no build of this variant"))
    }

    static func columns(_ rows: [BuildRow]) -> [String] { rows.map(\.variant) }

    static func changes(old: [BuildRow], new: [BuildRow], into log: inout ChangeLog) {
        let before = ReportCompare.index(old)
        for b in new {
            guard let a = before[b.id] else { continue }
            if a.status == "ok" && b.status != "ok" { log.add(.regression, .build, b.id, "built before, now \(b.status): \(b.reason ?? "")") }
            if a.isStatic == true && b.isStatic == false { log.add(.regression, .build, b.id, "was static, now dynamic") }
            // A size of 0 is a measurement that is missing, not a binary that shrank.
            guard let was = a.strippedSize ?? a.size, let now = b.strippedSize ?? b.size, was > 0 else { continue }
            if now == 0 {
                log.add(.regression, .size, b.id, "\(Fmt.bytes(was)) → 0 bytes: the new report has no size for it (a missing measurement)")
                continue
            }
            let growth = Double(now - was) / Double(was)
            let msg = "\(Fmt.bytes(was)) → \(Fmt.bytes(now)) (\(Fmt.percent(growth * 100)))"
            if growth > ReportCompare.sizeGrowthLimit { log.add(.regression, .size, b.id, "grew " + msg) }
            else if growth < -ReportCompare.sizeGrowthLimit { log.add(.improvement, .size, b.id, "shrank " + msg) }
        }
    }

    static func project(_ rows: [BuildRow], through view: ColumnView, baseline: String) -> [BuildRow] {
        rows.filter { $0.variant == view.names.column }.map { b in
            var b = b; b.id = view.renamed(id: b.id); b.variant = view.name(b.variant); return b
        }
    }
}

extension ReportSections {
    public var build: Section<BuildRow> { get { self[Manifest.self] } set { self[Manifest.self] = newValue } }
}

public struct BuildRow: Codable, Sendable, IdentifiedRow {
    public var id: String                       // build/<product>/<variant>
    public var product: String
    public var variant: String
    public var status: String
    public var reason: String?
    public var size: Int?
    public var strippedSize: Int?
    public var isStatic: Bool?
    public var interpreter: String?
    public var needed: [String]?
    public var allocator: String?
    public var linkWarnings: Int?
    public var unresolved: [String]?

    enum CodingKeys: String, CodingKey {
        case id, product, variant, status, reason, size, interpreter, needed, allocator, unresolved
        case strippedSize = "stripped_size", isStatic = "static", linkWarnings = "link_warnings"
    }

    /// "skipped: why", without repeating a status the reason already starts with.
    var statusText: String {
        guard let reason, !reason.isEmpty else { return "\(status): no reason given" }
        return reason.hasPrefix(status) ? reason : "\(status): \(reason)"
    }
}
