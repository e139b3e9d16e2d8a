import Foundation

/// The verdict table: one row per question, one cell per variant column.
/// Each suite writes its own rows (`SuiteResult.verdictRows`); this is what
/// they share: the columns, the baseline, and the build behind each column.
struct VerdictTable {
    let sections: ReportSections
    let columns: [String]
    let baseline: String
    let product: String
    /// The machine's cores: malloc ratios are read at the thread count closest to it.
    let cores: Int
    /// The musl the report's own builds link (the header's), named where another musl's column has no data.
    var musl: String = MuslSource.defaultVersion

    /// One row of the table: a cell per column.
    func row(_ id: String, _ title: String, _ cell: (String) -> VerdictCell) -> VerdictRow {
        VerdictRow(id: id, title: title, cells: Dictionary(uniqueKeysWithValues: columns.map { ($0, cell($0)) }))
    }

    /// The product a column's static/size/scratch cells are about: the report's
    /// product, or the one that stands in for a variant it lacks (build-static.sh
    /// builds embedded-musl as the product embedded-probe).
    func productFor(_ column: String) -> String {
        if sections.build.rows.contains(where: { $0.product == product && $0.variant == column }) { return product }
        return sections.build.rows.first { $0.variant == column }?.product ?? product
    }

    func standIn(_ column: String) -> String {
        let p = productFor(column)
        return p == product ? "" : " (\(p))"
    }

    func buildRow(_ column: String) -> BuildRow? {
        let p = productFor(column)
        return sections.build.rows.first { $0.product == p && $0.variant == column }
    }

    func about(_ rowProduct: String?, _ column: String) -> Bool {
        rowProduct == nil || rowProduct == productFor(column)
    }

    /// A variant the build skipped or failed explains every empty cell of its column.
    func notBuilt(_ column: String) -> VerdictCell? {
        guard let b = buildRow(column), b.status != "ok" else { return nil }
        return VerdictCell(.na, b.statusText)
    }

    /// The musl version of a column that is "musl, linked against another musl"; nil for the others.
    func otherMusl(_ column: String) -> String? { VariantColumns.names(ofColumn: column)?.otherMuslVersion }

    /// Why another musl's column has no row in a section that covers the report's own build only.
    func ownBuildOnly(_ column: String, _ what: String) -> String? {
        otherMusl(column).map { "no musl \($0) \(what): the report's build covers musl \(musl) only" }
    }

    /// A section's "not run"/"failed" text, short enough for a table cell (the Suites table has it whole).
    func clipped(_ text: String?) -> String {
        guard let text else { return "no result" }
        return text.count <= 90 ? text : String(text.prefix(80)) + "… (see Suites)"
    }
}

/// Number formatting shared by the renderers.
enum Fmt {
    static func bytes(_ n: Int) -> String {
        let d = Double(n)
        if d >= 1_000_000 { return String(format: "%.2f MB", d / 1_000_000) }
        if d >= 1_000 { return String(format: "%.1f kB", d / 1_000) }
        return "\(n) B"
    }
    static func ops(_ v: Double) -> String {
        if v >= 1e6 { return String(format: "%.1f M ops/s", v / 1e6) }
        if v >= 1e3 { return String(format: "%.1f k ops/s", v / 1e3) }
        return String(format: "%.0f ops/s", v)
    }
    /// "12,103 req/s".
    static func requests(_ v: Double) -> String { grouped(v) + " req/s" }
    /// A whole number with thousands separators: 12103.4 → "12,103".
    static func grouped(_ v: Double) -> String {
        let digits = String(format: "%.0f", abs(v))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (v < 0 && digits != "0" ? "-" : "") + out
    }
    static func ratio(_ r: Double) -> String { String(format: r >= 10 ? "%.0f×" : "%.2f×", r) }
    static func ms(_ v: Double?) -> String { v.map { String(format: "%.0f ms", $0) } ?? "–" }
    static func percent(_ v: Double) -> String { String(format: "%+.1f %%", v) }
    static func yesNo(_ b: Bool?) -> String { b.map { $0 ? "yes" : "no" } ?? "–" }
    /// Long output cut to `limit` characters, saying how much was left out.
    static func clip(_ s: String, _ limit: Int = 2000) -> String {
        s.count <= limit ? s : String(s.prefix(limit)) + "… (\(s.count - limit) more characters)"
    }
}
