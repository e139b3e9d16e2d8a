import Foundation

extension SuiteID { public static let conformance: SuiteID = "conformance" }

/// The conformance suite's own report (`static-musl conformance --json OUT`) is what the report reads.
extension ConformanceReport: SuiteResult {
    static var id: SuiteID { .conformance }

    /// The probe in every variant, and on each other musl.
    static var suite: ReportRunner.ReportSuite? {
        ReportRunner.ReportSuite(.conformance) { ctx in
            let artifacts = (ctx.probes.artifacts(product: ConformanceSuite.product) + ctx.otherMuslProbes)
                .filter { $0.product == ConformanceSuite.product }
            return try ConformanceSuite.run(.init(artifacts: artifacts)).json()
        }
    }

    var sectionRows: [ConformanceRow] {
        // A label stands for a column when its name maps onto one or the suite says so (host runs only).
        // The name comes first: a build on another musl is the variant "musl" in a label of its own.
        var labelColumns: [String: String] = [:]
        for l in variants where l.place == "host" {
            if let c = VariantColumns.columnName(for: l.label) ?? VariantColumns.columnName(for: l.variant) {
                labelColumns[l.label] = c
            }
        }
        return checks.map { c -> ConformanceRow in
            var columns: [String: String] = [:]
            for label in c.results.keys { columns[label] = labelColumns[label] }
            return ConformanceRow(id: "conformance/" + c.id, check: c.id, verdict: c.verdict.rawValue, explanation: c.explanation,
                                  explained: c.explained, results: c.results, columns: columns)
        }
    }

    var suiteVersions: JSONValue? { JSONValue(encoding: versions) }

    static func blocks(_ s: Section<ConformanceRow>, in r: MatrixReport) -> [Block] {
        var out = ReportDocument.sectionStart("Swift runtime conformance", "conformance", s)
        guard s.status == .ok else { return out }
        let count = { (v: String) in s.rows.filter { $0.verdict == v }.count }
        out.append(.paragraph("\(s.rows.count) checks: \(count("same")) same, \(count("differs")) differ, \(count("crash")) crash."))
        let notSame = s.rows.filter { $0.verdict != "same" }
        if !notSame.isEmpty {
            let variants = s.rows.flatMap { $0.results.keys }.uniqued().sorted()
            out.append(.table(Table(headers: ["check", "verdict"] + variants + ["explanation"], rows: notSame.map { c in
                [Cell(c.check, code: true), Cell(c.verdict, mark: c.verdict == "crash" ? .fail : .warn)]
                    + variants.map { Cell(c.results[$0] ?? "–", code: true) }
                    + [Cell((c.explained ? "" : "UNEXPLAINED ") + (c.explanation ?? ""), mark: c.explained ? nil : .fail)]
            })))
        }
        return out
    }

    static func verdictRows(_ t: VerdictTable) -> [VerdictRow] {
        [t.row("conformance", "Swift conformance vs \(t.baseline)") { c in
            if let cell = t.notBuilt(c) { return cell }
            let section = t.sections.conformance
            guard section.status == .ok else { return VerdictCell(.na, t.clipped(section.missingText)) }
            let mine = section.rows.filter { $0.label(for: c) != nil }
            if mine.isEmpty && c == Variant.embeddedMusl.rawValue {
                return VerdictCell(.na, "does not apply: Embedded Swift has no Foundation or runtime to check")
            }
            guard !mine.isEmpty else { return VerdictCell(.na, "no conformance probe for this variant") }
            if c == t.baseline { return VerdictCell(.info, "baseline (\(mine.count) check\(mine.count == 1 ? "" : "s"))") }
            var same = 0, differs = 0, crashes = 0, unexplained = 0
            for row in mine {
                switch row.outcome(column: c, baseline: t.baseline) {
                case nil: continue
                case .same?: same += 1; continue
                case .crash?: crashes += 1
                case .differs?: differs += 1
                }
                if !row.explained { unexplained += 1 }
            }
            let total = same + differs + crashes
            var text = "\(same)/\(total) same"
            if differs > 0 { text += ", \(differs) differ" }
            if crashes > 0 { text += ", \(crashes) crash" }
            if unexplained > 0 { text += ", \(unexplained) unexplained" }
            let mark: VerdictCell.Mark = crashes > 0 || unexplained > 0 ? .fail : (differs > 0 ? .warn : .pass)
            return VerdictCell(mark, text, value: Double(differs + crashes))
        }]
    }

    static func measures(_ names: VariantColumns.Names, _ rows: [ConformanceRow]) -> Bool {
        rows.contains { $0.columns.values.contains(names.column) }
    }

    static func changes(old: [ConformanceRow], new: [ConformanceRow], into log: inout ChangeLog) {
        let before = ReportCompare.index(old)
        let rank = ["same": 0, "differs": 1, "crash": 2]
        for c in new {
            guard let a = before[c.id] else {
                if c.verdict != "same" { log.add(.note, .conformance, c.id, "new check, \(c.verdict)") }
                continue
            }
            guard a.verdict != c.verdict else { continue }
            let worse = (rank[c.verdict] ?? 3) > (rank[a.verdict] ?? 3)
            log.add(worse ? .regression : .improvement, .conformance, c.id,
                    "flipped \(a.verdict) → \(c.verdict)" + (c.explanation.map { ": \($0)" } ?? ""))
        }
    }

    /// Each check as the column's probe answered it: its verdict is the column's
    /// outcome against the report's baseline (same, differs or crash).
    static func project(_ rows: [ConformanceRow], through view: ColumnView, baseline: String) -> [ConformanceRow] {
        rows.compactMap { row in
            let column = view.names.column
            guard let label = row.label(for: column), let outcome = row.outcome(column: column, baseline: baseline) else {
                return nil
            }
            var out = row
            out.verdict = outcome.rawValue
            out.results = [view.name(label): row.results[label] ?? ""]
            out.columns = [view.name(label): view.name(column)]
            return out
        }
    }
}

extension ReportSections {
    public var conformance: Section<ConformanceRow> {
        get { self[ConformanceReport.self] } set { self[ConformanceReport.self] = newValue }
    }
}

public struct ConformanceRow: Codable, Sendable, IdentifiedRow {
    public var id: String                       // conformance/<check>
    public var check: String
    public var verdict: String                  // same, differs or crash
    public var explanation: String?
    public var explained: Bool
    public var results: [String: String]
    /// Result label → the build variant column it stands for.
    public var columns: [String: String]

    /// How one column's probe answered a check, against the baseline column's.
    enum Outcome: String { case same, differs, crash }

    /// The result label that stands for `column` (the first by name when several do).
    func label(for column: String) -> String? { columns.keys.sorted().first { columns[$0] == column } }

    /// nil when no label stands for `column` or it has no result.
    func outcome(column: String, baseline: String) -> Outcome? {
        guard let key = label(for: column), let value = results[key] else { return nil }
        let base = label(for: baseline).flatMap { results[$0] }
            ?? VariantColumns.conformanceBaselines.lazy.compactMap { results[$0] }.first
        if value == base { return .same }
        return verdict == "crash" && Self.looksLikeCrash(value) ? .crash : .differs
    }

    static func looksLikeCrash(_ value: String) -> Bool {
        let v = value.lowercased()
        return v.hasPrefix("crash") || v.contains("signal") || v.contains("fatal error")
    }
}
