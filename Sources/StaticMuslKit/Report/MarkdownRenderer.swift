import Foundation

/// MATRIX.md: the verdict table first, then each suite's details.
public enum MarkdownRenderer {
    public static func render(_ report: MatrixReport) -> String {
        var out = "# \(ReportDocument.title(report))\n\n\(ReportDocument.headerLine(report))\n\n"
        out += "Schema version \(report.schemaVersion). The same data is in matrix.json; index.html has charts and DNS query logs.\n\n"
        for block in ReportDocument.blocks(report) { out += render(block) }
        return out
    }

    static func render(_ block: Block) -> String {
        var out = ""
            switch block {
            case .heading(let level, let text, _): out += String(repeating: "#", count: level) + " " + text + "\n\n"
            case .paragraph(let text): out += text + "\n\n"
            case .missing(let text): out += "**\(text)**\n\n"
            case .table(let t): out += table(t) + "\n"
            case .lineChart, .barChart: break
            case .prerendered(_, let markdown): out += markdown
            case .collapsible(let title, let blocks): out += "### \(title)\n\n" + blocks.map(render).joined()
            }
        return out
    }

    static func table(_ t: Table) -> String {
        var s = "| " + t.headers.map(cell).joined(separator: " | ") + " |\n"
        s += "|" + String(repeating: "---|", count: t.headers.count) + "\n"
        for row in t.rows {
            s += "| " + row.map { c in c.code && !c.text.isEmpty && c.text != "–" ? "`\(cell(c.text))`" : cell(c.text) }
                .joined(separator: " | ") + " |\n"
        }
        return s
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "`", with: "'")
    }
}
