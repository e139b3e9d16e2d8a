import Foundation

/// `report --compare --column OLD=NEW`: OLD.json's column OLD against
/// NEW.json's column NEW. The same file may be given twice, to compare two
/// columns of one report (`musl=musl-1.2.5`).
public struct ColumnPair: Sendable, Equatable {
    public var old: String
    public var new: String

    public init(old: String, new: String) { self.old = old; self.new = new }

    /// Reads `OLD=NEW`: two non-empty column names around one `=`.
    public init(parsing spec: String) throws(ReportError) {
        let parts = spec.split(separator: "=", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw .malformedColumnSpec(spec) }
        self.init(old: parts[0], new: parts[1])
    }
}

/// One report narrowed to one verdict-table column, its suite names renamed
/// to another column's (`swift-musl-static` → `swift-musl-1.2.5-static`,
/// `musl-static` → `musl-1.2.5-static`, `c-musl-static` → `c-musl-1.2.5-static`).
/// Two reports narrowed this way compare with `ReportCompare`'s own rules:
/// rows match by id, and OLD's ids carry NEW's names.
struct ColumnView {
    let names: VariantColumns.Names
    /// Suite name → the name it takes (OLD's → NEW's); empty for NEW.
    let rename: [String: String]

    /// The column's names, or `unknownColumn` when the report's verdict table has no such column.
    static func names(of column: String, in report: MatrixReport, path: String) throws(ReportError) -> VariantColumns.Names {
        guard report.variants.contains(column) else { throw .unknownColumn(column, path: path, columns: report.variants) }
        return VariantColumns.names(ofColumn: column) ?? VariantColumns.Names(column: column)
    }

    /// Each name of `from` that `to` has a counterpart for.
    static func renaming(_ from: VariantColumns.Names, to: VariantColumns.Names) -> [String: String] {
        var map = [from.column: to.column]
        for path in [\VariantColumns.Names.swiftProbe, \.cProbe, \.malloc] {
            if let a = from[keyPath: path], let b = to[keyPath: path] { map[a] = b }
        }
        return map
    }

    func name(_ suiteName: String) -> String { rename[suiteName] ?? suiteName }

    /// `malloc/medium/musl-static/2` → `malloc/medium/musl-1.2.5-static/2`; a `#2` suffix stays.
    func renamed(id: String) -> String {
        id.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            let pieces = part.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            return name(String(pieces[0])) + (pieces.count > 1 ? "#" + pieces[1] : "")
        }.joined(separator: "/")
    }

    func project(_ r: MatrixReport) -> MatrixReport {
        let c = names.column
        var s = r.sections
        s.build.rows = s.build.rows.filter { $0.variant == c }.map { b in
            var b = b; b.id = renamed(id: b.id); b.variant = name(b.variant); return b
        }
        s.inspect.rows = s.inspect.rows.filter { $0.variant == c }.map { i in
            var i = i; i.id = renamed(id: i.id); i.variant = i.variant.map(name); return i
        }
        s.scratch.rows = s.scratch.rows.filter { $0.variant == c || $0.variant == names.cProbe }.map { x in
            var x = x; x.id = renamed(id: x.id); x.variant = name(x.variant); x.product = x.product.map(name); return x
        }
        s.dns.rows = s.dns.rows.compactMap(dnsRow)
        s.malloc.rows = s.malloc.rows.filter { $0.column == c }.map { m in
            var m = m; m.id = renamed(id: m.id); m.variant = name(m.variant); m.column = m.column.map(name); return m
        }
        s.server.rows = s.server.rows.filter { $0.column == c }.map { x in
            var x = x; x.id = renamed(id: x.id); x.variant = name(x.variant); x.column = x.column.map(name); return x
        }
        s.conformance.rows = s.conformance.rows.compactMap { conformanceRow($0, baseline: r.baseline) }
        s.size.rows = s.size.rows.filter { $0.variant == c }.map { z in
            var z = z; z.id = renamed(id: z.id); z.variant = name(z.variant); return z
        }
        var out = r
        out.sections = s
        out.variants = [name(c)]
        out.verdict = r.verdict.map { row in
            var row = row
            row.cells = row.cells[c].map { [name(c): $0] } ?? [:]
            return row
        }
        return out
    }

    /// The scenario as the column's probes saw it: "same", or "differs: <probes>: <what>" against
    /// the glibc-dynamic probe of their language, as the report decided it for the whole row.
    func dnsRow(_ row: DNSRow) -> DNSRow? {
        let probes = Set([names.swiftProbe, names.cProbe].compactMap { $0 })
        let mine = Set(row.results.filter { probes.contains($0.variant) || $0.column == names.column }.map(\.variant))
        guard !mine.isEmpty else { return nil }
        var out = row
        out.results = row.results.filter { mine.contains($0.variant) || VariantColumns.dnsBaselines.contains($0.variant) }
            .map { r in var r = r; r.variant = name(r.variant); r.column = r.column.map(name); return r }
        out.differing = row.differing.filter(mine.contains).map(name)
        out.verdict = out.differing.isEmpty ? "same" : "differs: " + ReportBuilder.dnsWhat(out.results, out.differing)
        return out
    }

    /// The check as the column's probe answered it: its verdict is the column's
    /// outcome against the report's baseline (same, differs or crash).
    func conformanceRow(_ row: ConformanceRow, baseline: String) -> ConformanceRow? {
        guard let label = row.label(for: names.column), let outcome = row.outcome(column: names.column, baseline: baseline) else {
            return nil
        }
        var out = row
        out.verdict = outcome.rawValue
        out.results = [name(label): row.results[label] ?? ""]
        out.columns = [name(label): name(names.column)]
        return out
    }
}
