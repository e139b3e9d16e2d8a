import Foundation

/// What each suite produced: its JSON, or why there is none.
public enum SuiteOutput: Sendable {
    case json(Data, elapsedMs: Double?)
    case notRun(String)
    case failed(String)
}

/// Turns suite JSON into a MatrixReport. It decodes and summarises; it never
/// runs anything.
public enum ReportBuilder {
    public static func build(header: ReportHeader, outputs: [SuiteID: SuiteOutput]) -> MatrixReport {
        var sections = ReportSections()
        for suite in ReportSections.registered {
            suite.store(outputs[suite.id] ?? .notRun("no output for suite \(suite.id)"), in: &sections)
        }
        let columns = columnsFor(sections)
        let baseline = columns.contains(Variant.glibcDynamic.rawValue) ? Variant.glibcDynamic.rawValue
            : (columns.first(where: { Variant(rawValue: $0)?.libc == "glibc" }) ?? columns.first ?? "glibc-dynamic")
        let table = VerdictTable(sections: sections, columns: columns, baseline: baseline, product: header.product,
                                 cores: header.machine.cores, musl: header.toolchain.musl)
        return MatrixReport(schemaVersion: MatrixReport.currentSchema, header: header, variants: columns,
                            baseline: baseline, verdict: ReportSections.registered.flatMap { $0.verdictRows(table) },
                            sections: sections)
    }

    /// The build's variants; without a build section, every column a suite measured.
    static func columnsFor(_ s: ReportSections) -> [String] {
        var found = Set(s.build.rows.map(\.variant))
        if found.isEmpty { found = Set(ReportSections.registered.flatMap { $0.columns(in: s) }) }
        if found.isEmpty { found = Set(Variant.standard.map(\.rawValue)) }
        found.formUnion(otherMuslColumns(s))
        return found.sorted(by: VariantColumns.precedes)
    }

    /// The columns of builds on another musl that some suite measured: the
    /// manifest and the inspect run cover one musl, so these come from the
    /// suites that build their own (DNS, malloc, conformance, the scratch battery).
    static func otherMuslColumns(_ s: ReportSections) -> [String] {
        VariantColumns.all.filter { $0.otherMuslVersion != nil }.filter { names in
            ReportSections.registered.contains { $0.measures(names, in: s) }
        }.map(\.column)
    }
}
