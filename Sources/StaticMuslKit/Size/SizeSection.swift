import Foundation

extension SuiteID { public static let size: SuiteID = "size" }

/// The size suite as the report runs it: `static-musl size --json` of each
/// variant of the product, with the artifact it is about.
public struct SizeRuns: Codable, Sendable {
    public var runs: [Run]

    public struct Run: Codable, Sendable {
        public var variant: String
        public var product: String
        public var size: SizeReport
    }
}

extension SizeRuns: SuiteResult {
    static var id: SuiteID { .size }

    /// One size document per variant of the product, with its link map.
    static var suite: ReportRunner.ReportSuite? {
        ReportRunner.ReportSuite(.size) { ctx in
            try JSONCoding.line(SizeRuns(runs: (ctx.productArtifacts + ctx.otherMuslProductArtifacts).map { a in
                Run(variant: a.reportColumn, product: a.product, size: try SizeAttribution.analyze(binary: a.path, map: a.linkMap))
            }))
        }
    }

    var sectionRows: [SizeRow] { runs.map { Self.row(variant: $0.variant, product: $0.product, report: $0.size) } }
    var suiteVersions: JSONValue? { nil }

    /// The total, the explained share, and the largest archives (or modules, or sections when the map gave none).
    static func row(variant: String, product: String, report: SizeReport) -> SizeRow {
        var top = report.archives.map { SizeRow.Part(name: $0.archive, bytes: $0.bytes, chain: $0.why.map { [$0.text] }) }
        if top.isEmpty { top = report.modules.map { SizeRow.Part(name: $0.module, bytes: $0.bytes, chain: nil) } }
        if top.isEmpty { top = report.sections.map { SizeRow.Part(name: $0.name, bytes: $0.size, chain: nil) } }
        return SizeRow(id: "size/\(product)/\(variant)", variant: variant, product: product, totalBytes: report.fileSize,
                       explainedPercent: report.explainedFraction * 100,
                       top: Array(top.sorted { $0.bytes > $1.bytes }.prefix(10)))
    }

    static func blocks(_ s: Section<SizeRow>, in r: MatrixReport) -> [Block] {
        var out = ReportDocument.sectionStart("Where the bytes come from", "size", s)
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

    static func project(_ rows: [SizeRow], through view: ColumnView, baseline: String) -> [SizeRow] {
        rows.filter { $0.variant == view.names.column }.map { z in
            var z = z; z.id = view.renamed(id: z.id); z.variant = view.name(z.variant); return z
        }
    }
}

extension ReportSections {
    public var size: Section<SizeRow> { get { self[SizeRuns.self] } set { self[SizeRuns.self] = newValue } }
}

public struct SizeRow: Codable, Sendable, IdentifiedRow {
    public var id: String                       // size/<product>/<variant>
    public var variant: String
    public var product: String?
    public var totalBytes: Int?
    public var explainedPercent: Double?
    /// The largest contributors the size JSON names (archives, modules or sections).
    public var top: [Part]

    public struct Part: Codable, Sendable {
        public var name: String
        public var bytes: Int
        public var chain: [String]?
    }

    enum CodingKeys: String, CodingKey {
        case id, variant, product, top, totalBytes = "total_bytes", explainedPercent = "explained_percent"
    }
}
