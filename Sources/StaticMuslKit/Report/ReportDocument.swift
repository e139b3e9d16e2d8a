import Foundation

/// The report's content as blocks, built once and rendered as Markdown and
/// as HTML, so both show the same tables. Charts and query logs are HTML-only.
enum Block {
    case heading(Int, String, id: String)
    case paragraph(String)
    case table(Table)
    case missing(String)                                  // "not run: <reason>"
    case lineChart(LineChart)
    case barChart(BarChart)
    /// Written by its section for each renderer (the DNS query logs: HTML only).
    case prerendered(html: String, markdown: String)
    /// Collapsed in HTML (<details>), a plain subsection in Markdown.
    case collapsible(String, [Block])
}

struct Table {
    var headers: [String]
    var rows: [[Cell]]
}

struct Cell {
    var text: String
    var mark: VerdictCell.Mark? = nil
    var code = false
    init(_ text: String, mark: VerdictCell.Mark? = nil, code: Bool = false) {
        self.text = text; self.mark = mark; self.code = code
    }
}

enum ReportDocument {
    static func title(_ r: MatrixReport) -> String { "Compatibility matrix: \(r.header.product)" }

    static func headerLine(_ r: MatrixReport) -> String {
        let h = r.header, m = h.machine, t = h.toolchain
        let dirty = h.project.gitDirty == true ? " (uncommitted changes)" : ""
        return "Generated \(h.generated) (\(h.mode)) on \(m.hostname): \(m.cpuModel), \(m.cores) cores, \(m.arch), "
            + "Linux \(m.kernel). Swift \(t.swift), musl \(t.musl), glibc \(t.glibc)"
            + (t.gcc.map { ", gcc \($0)" } ?? "") + ". Project commit \(h.project.gitCommit)\(dirty)."
    }

    static func blocks(_ r: MatrixReport) -> [Block] {
        [.heading(2, "Verdict", id: "verdict"), .table(verdictTable(r)),
         .paragraph("✓ good · ⚠ differs or slower · ✗ fails · – not measured (the cell says why). "
                    + "Comparisons are against \(r.baseline). Size is the stripped size when the build stripped."),
         .heading(2, "Suites", id: "suites"), .table(suiteTable(r))]
            + ReportSections.registered.flatMap { $0.blocks(in: r) }
    }

    static func verdictTable(_ r: MatrixReport) -> Table {
        Table(headers: [""] + r.variants, rows: r.verdict.map { row in
            [Cell(row.title)] + r.variants.map { v in
                let c = row.cells[v] ?? VerdictCell(.na, "no cell")
                return Cell((c.symbol.isEmpty ? "" : c.symbol + " ") + c.text, mark: c.mark)
            }
        })
    }

    static func suiteTable(_ r: MatrixReport) -> Table {
        Table(headers: ["suite", "status", "rows", "time"], rows: ReportSections.registered.map { suite in
            [Cell(suite.id.rawValue),
             suite.missingText(in: r.sections).map { Cell($0, mark: .na) } ?? Cell("✓ ran", mark: .pass),
             Cell("\(suite.rowCount(in: r.sections))"),
             Cell(suite.elapsedMs(in: r.sections).map { String(format: "%.1f s", $0 / 1000) } ?? "–")]
        })
    }

    static func sectionStart<Row>(_ title: String, _ id: String, _ s: Section<Row>) -> [Block] {
        var out: [Block] = [.heading(2, title, id: id)]
        if let missing = s.missingText { out.append(.missing(missing)) }
        return out
    }
}

extension Array where Element: Hashable {
    /// The elements in first-seen order, without repeats.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
