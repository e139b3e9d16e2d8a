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

    /// The report narrowed to the column: each section keeps the rows about it (`SuiteResult.project`).
    func project(_ r: MatrixReport) -> MatrixReport {
        let c = names.column
        var out = r
        for suite in ReportSections.registered { suite.project(&out.sections, through: self, baseline: r.baseline) }
        out.variants = [name(c)]
        out.verdict = r.verdict.map { row in
            var row = row
            row.cells = row.cells[c].map { [name(c): $0] } ?? [:]
            return row
        }
        return out
    }
}
