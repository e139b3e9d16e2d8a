import Foundation

extension SuiteID { public static let inspect: SuiteID = "inspect" }

/// The inspect suite's own report (`static-musl inspect --json FILE…`) is what the report reads.
extension InspectReport: SuiteResult {
    static var id: SuiteID { .inspect }

    /// The product's binaries in every variant, and its musl build on each other musl.
    static var suite: ReportRunner.ReportSuite? {
        ReportRunner.ReportSuite(.inspect) { ctx in
            var report = InspectSuite.inspect(paths: ctx.productArtifacts.map(\.path))
            for other in ctx.otherMuslProductArtifacts {
                guard var file = try? InspectSuite.inspect(path: other.path) else { continue }
                file.product = other.product; file.variant = other.reportColumn
                report.files.append(file)
            }
            return try report.jsonData()
        }
    }

    var sectionRows: [InspectRow] {
        files.map { f -> InspectRow in
            let inferred = Self.variantAndProduct(fromPath: f.path)
            let variant = f.variant ?? inferred.0, product = f.product ?? inferred.1
            let id = variant.map { "inspect/\(product ?? "?")/\($0)" } ?? "inspect/" + f.path
            return InspectRow(id: id, path: f.path, variant: variant, product: product, class: f.binaryClass.rawValue,
                              libc: f.libc.rawValue, libcEvidence: f.libcEvidence, interpreter: f.interpreter, needed: f.needed,
                              stripped: f.stripped, swiftRuntime: f.swiftRuntime, embeddedSwift: f.embeddedSwift,
                              nssRisk: .string(f.nssRisk.rawValue), size: f.size, arch: f.arch, warnings: f.warnings)
        }
    }

    var suiteVersions: JSONValue? { JSONValue(encoding: versions) }

    /// dist/<variant>/<product> → (variant, product), the layout build-static.sh writes.
    static func variantAndProduct(fromPath path: String) -> (String?, String?) {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2 else { return (nil, parts.last) }
        let dir = parts[parts.count - 2]
        return (Variant(rawValue: dir) != nil ? dir : nil, parts[parts.count - 1])
    }

    static func blocks(_ s: Section<InspectRow>, in r: MatrixReport) -> [Block] {
        var out = ReportDocument.sectionStart("Inspection", "inspect", s)
        guard s.status == .ok else { return out }
        out.append(.table(Table(headers: ["file", "class", "libc", "evidence", "stripped", "Swift runtime", "NSS risk", "warnings"],
                                rows: s.rows.map { i in
            [Cell(i.variant.map { "\(i.product ?? "") (\($0))" } ?? i.path, code: true),
             Cell(i.class, mark: i.isStatic ? .pass : .fail), Cell(i.libc),
             Cell(i.libcEvidence.prefix(3).joined(separator: "; ") + (i.libcEvidence.count > 3 ? "; …" : "")),
             Cell(Fmt.yesNo(i.stripped)), Cell(Fmt.yesNo(i.swiftRuntime) + (i.embeddedSwift == true ? " (embedded)" : "")),
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

    static func columns(_ rows: [InspectRow]) -> [String] { rows.compactMap(\.variant) }

    static func changes(old: [InspectRow], new: [InspectRow], into log: inout ChangeLog) {
        let before = ReportCompare.index(old)
        for i in new {
            guard let a = before[i.id], a.class != i.class else { continue }
            log.add(a.isStatic && !i.isStatic ? .regression : .note, .inspect, i.id, "class \(a.class) → \(i.class)")
        }
    }

    static func project(_ rows: [InspectRow], through view: ColumnView, baseline: String) -> [InspectRow] {
        rows.filter { $0.variant == view.names.column }.map { i in
            var i = i; i.id = view.renamed(id: i.id); i.variant = i.variant.map(view.name); return i
        }
    }
}

extension ReportSections {
    public var inspect: Section<InspectRow> { get { self[InspectReport.self] } set { self[InspectReport.self] = newValue } }
}

public struct InspectRow: Codable, Sendable, IdentifiedRow {
    public var id: String                       // inspect/<product>/<variant>
    public var path: String
    public var variant: String?
    public var product: String?
    public var `class`: String
    public var libc: String
    public var libcEvidence: [String]
    public var interpreter: String?
    public var needed: [String]
    public var stripped: Bool?
    public var swiftRuntime: Bool?
    public var embeddedSwift: Bool?
    public var nssRisk: JSONValue?
    public var size: Int?
    public var arch: String?
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case id, path, variant, product, `class`, libc, interpreter, needed, stripped, size, arch, warnings
        case libcEvidence = "libc_evidence", swiftRuntime = "swift_runtime"
        case embeddedSwift = "embedded_swift", nssRisk = "nss_risk"
    }

    /// Whether its class is static or static-pie.
    var isStatic: Bool { ["static", "static-pie"].contains(self.class) }
}
