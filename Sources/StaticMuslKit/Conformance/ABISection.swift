import Foundation

extension SuiteID { public static let abi: SuiteID = "abi" }

/// The ABI audit's own report (`static-musl abi --json OUT`) is what the report reads.
extension ABIReport: SuiteResult {
    static var id: SuiteID { .abi }

    static var suite: ReportRunner.ReportSuite? {
        ReportRunner.ReportSuite(.abi) { ctx in
            try JSONCoding.line(ABIAudit.run(.init(projectRoot: ctx.projectRoot, toolchainRoot: ToolchainVersions.detect().root)))
        }
    }

    var sectionRows: [ABIRow] {
        items.map { i in
            ABIRow(id: "abi/\(i.kind)/\(i.name)", name: i.name, kind: i.kind, match: i.match, risk: i.risk,
                   glibc: Self.text(i.glibc), musl: i.musl.map(Self.text) ?? "missing",
                   status: i.status, differences: i.differences.isEmpty ? nil : i.differences)
        }
    }

    var suiteVersions: JSONValue? { JSONValue(encoding: versions) }

    /// "size 64, align 8" for a layout, the value for a constant.
    static func text(_ v: Value) -> String {
        switch v {
        case .layout(let l): return "size \(l.size), align \(l.align)"
        case .value(let n): return String(n)
        }
    }

    static func blocks(_ s: Section<ABIRow>, in r: MatrixReport) -> [Block] {
        var out = ReportDocument.sectionStart("ABI layout audit (glibc headers vs musl headers)", "abi", s)
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

    static func changes(old: [ABIRow], new: [ABIRow], into log: inout ChangeLog) {
        let before = ReportCompare.index(old)
        for x in new {
            guard let a = before[x.id], a.match != x.match else { continue }
            log.add(a.match ? .regression : .improvement, .abi, x.id,
                    a.match ? "now mismatches: glibc \(x.glibc), musl \(x.musl)" : "now matches")
        }
    }
}

extension ReportSections {
    public var abi: Section<ABIRow> { get { self[ABIReport.self] } set { self[ABIReport.self] = newValue } }
}

public struct ABIRow: Codable, Sendable, IdentifiedRow {
    public var id: String                       // abi/<kind>/<name>
    public var name: String
    public var kind: String
    public var match: Bool
    public var risk: String?
    public var glibc: String
    public var musl: String
    public var status: String?
    public var differences: [String]?
}
