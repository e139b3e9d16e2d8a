import Foundation

extension SuiteID { public static let abi: SuiteID = "abi" }

/// `static-musl abi --json OUT`, as the report reads it. `glibc`/`musl` are a
/// layout object for types and a value for constants, kept as they came.
public struct ABIInput: Codable, Sendable {
    public var items: [Item]
    public var versions: JSONValue?

    public struct Item: Codable, Sendable {
        public var name: String
        public var kind: String
        public var glibc: JSONValue?
        public var musl: JSONValue?
        public var match: Bool
        public var risk: String?
        /// Optional detail the ABI suite adds: the header, a status word and the differences in words.
        public var header: String?
        public var status: String?
        public var differences: [String]?
    }
}

extension ABIInput: SuiteResult {
    static var id: SuiteID { .abi }

    static var suite: ReportRunner.ReportSuite? {
        ReportRunner.ReportSuite(.abi) { ctx in
            try JSONCoding.line(ABIAudit.run(.init(projectRoot: ctx.projectRoot, toolchainRoot: ToolchainVersions.detect().root)))
        }
    }

    var sectionRows: [ABIRow] {
        items.map { i in
            ABIRow(id: "abi/\(i.kind)/\(i.name)", name: i.name, kind: i.kind, match: i.match, risk: i.risk,
                   glibc: i.glibc.map(Self.text) ?? "missing", musl: i.musl.map(Self.text) ?? "missing",
                   status: i.status, differences: i.differences?.isEmpty == false ? i.differences : nil)
        }
    }

    var suiteVersions: JSONValue? { versions }

    /// "size 64, align 8" for a layout, the value for a constant, "missing" for null.
    static func text(_ v: JSONValue) -> String {
        if v == .null { return "missing" }
        if let size = v["size"]?.doubleValue {
            return "size \(Int(size))" + (v["align"]?.doubleValue.map { ", align \(Int($0))" } ?? "")
        }
        return v.text
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
    public var abi: Section<ABIRow> { get { self[ABIInput.self] } set { self[ABIInput.self] = newValue } }
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
