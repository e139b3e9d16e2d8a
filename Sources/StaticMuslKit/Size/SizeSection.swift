import Foundation

extension SuiteID { public static let size: SuiteID = "size" }

/// The report's collection of `static-musl size --json FILE` runs, one per
/// variant: `{"runs": [{"variant", "product", "size": <the size JSON>}]}`.
/// The report reads only what it can recognise in each size document (see `SizeInput.row`).
public struct SizeInput: Codable, Sendable {
    public var runs: [Run]

    public struct Run: Codable, Sendable {
        public var variant: String
        public var product: String?
        public var size: JSONValue
    }
}

extension SizeInput: SuiteResult {
    static var id: SuiteID { .size }

    /// One size document per variant of the product, with its link map.
    static var suite: ReportRunner.ReportSuite? {
        ReportRunner.ReportSuite(.size) { ctx in
            try ReportRunner.collectRuns((ctx.productArtifacts + ctx.otherMuslProductArtifacts).map { a in
                (a, try SizeAttribution.analyze(binary: a.path, map: a.linkMap).jsonData())
            }, key: "size")
        }
    }

    var sectionRows: [SizeRow] { runs.map { Self.row(variant: $0.variant, product: $0.product, json: $0.size) } }
    var suiteVersions: JSONValue? { nil }

    /// Reads what it recognises in a `static-musl size --json` document: a total,
    /// an explained share, and the largest archives, modules or sections.
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
    public var size: Section<SizeRow> { get { self[SizeInput.self] } set { self[SizeInput.self] = newValue } }
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
