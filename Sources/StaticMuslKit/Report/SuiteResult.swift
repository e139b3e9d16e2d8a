import Foundation

/// One suite's result as the report reads it. The conforming type is what
/// the report decodes from the suite's JSON (suites/<id>.json); it lives in
/// the suite's own folder with everything the report does with its rows:
/// the section's blocks, its verdict-table rows, how two reports' rows
/// compare and how one column's rows are picked out. Adding a suite is one
/// folder and one line in `ReportSections.registered`.
protocol SuiteResult: Decodable {
    associatedtype SectionRow: Codable & Sendable & IdentifiedRow
    static var id: SuiteID { get }
    /// matrix.json files from before this section existed decode it as "not run" with this reason.
    static var absentReason: String? { get }
    /// How the report runs it; nil for the build, which the report does itself.
    static var suite: ReportRunner.ReportSuite? { get }

    /// The section's rows, with stable ids.
    var sectionRows: [SectionRow] { get }
    /// The suite's own versions, machine or setup, kept as the section's suite_versions.
    var suiteVersions: JSONValue? { get }

    /// The section in the document: a heading (`ReportDocument.sectionStart`), then its tables and charts.
    static func blocks(_ section: Section<SectionRow>, in report: MatrixReport) -> [Block]
    /// The verdict table's rows this suite answers (most answer one).
    static func verdictRows(_ table: VerdictTable) -> [VerdictRow]
    /// The verdict-table columns its rows measured (used when the report has no build section).
    static func columns(_ rows: [SectionRow]) -> [String]
    /// Whether its rows measured `names`' column (for the columns of builds on another musl); by default,
    /// whether `columns` has it.
    static func measures(_ names: VariantColumns.Names, _ rows: [SectionRow]) -> Bool
    /// `report --compare`: what changed between two reports' rows.
    static func changes(old: [SectionRow], new: [SectionRow], into log: inout ChangeLog)
    /// `report --compare --column`: the rows about the view's column, renamed to the other column's names.
    static func project(_ rows: [SectionRow], through view: ColumnView, baseline: String) -> [SectionRow]
}

extension SuiteResult {
    static var absentReason: String? { nil }
    static var suite: ReportRunner.ReportSuite? { nil }
    static func verdictRows(_ table: VerdictTable) -> [VerdictRow] { [] }
    static func columns(_ rows: [SectionRow]) -> [String] { [] }
    static func measures(_ names: VariantColumns.Names, _ rows: [SectionRow]) -> Bool { columns(rows).contains(names.column) }
    static func changes(old: [SectionRow], new: [SectionRow], into log: inout ChangeLog) {}
    static func project(_ rows: [SectionRow], through view: ColumnView, baseline: String) -> [SectionRow] { rows }

    /// The suite's JSON as a section: its rows, or why there are none.
    static func section(_ output: SuiteOutput) -> Section<SectionRow> {
        switch output {
        case .notRun(let why): return .notRun(why)
        case .failed(let why): return .failed(why)
        case .json(let data, let elapsed):
            do {
                let result = try JSONCoding.decode(Self.self, from: data)
                return Section(status: .ok, reason: nil, elapsedMs: elapsed, suiteVersions: result.suiteVersions,
                               rows: uniqueIDs(result.sectionRows))
            } catch {
                return .failed("\(id.fileName) does not match the documented JSON: \(ReportError.describe(error))")
            }
        }
    }

    /// Stable ids must also be unique: a repeated id gets "#2", "#3"…
    static func uniqueIDs(_ rows: [SectionRow]) -> [SectionRow] {
        var seen: [String: Int] = [:]
        return rows.map { row in
            var row = row
            let n = (seen[row.id] ?? 0) + 1
            seen[row.id] = n
            if n > 1 { row.id += "#\(n)" }
            return row
        }
    }

    static func blocks(in report: MatrixReport) -> [Block] { blocks(report.sections[Self.self], in: report) }
    static func columns(in sections: ReportSections) -> [String] { columns(sections[Self.self].rows) }
    static func measures(_ names: VariantColumns.Names, in sections: ReportSections) -> Bool {
        measures(names, sections[Self.self].rows)
    }
    static func changes(old: ReportSections, new: ReportSections, into log: inout ChangeLog) {
        changes(old: old[Self.self].rows, new: new[Self.self].rows, into: &log)
    }
    static func project(_ sections: inout ReportSections, through view: ColumnView, baseline: String) {
        sections[Self.self].rows = project(sections[Self.self].rows, through: view, baseline: baseline)
    }
    static func duplicateID(in sections: ReportSections) -> String? {
        var seen = Set<String>()
        return sections[Self.self].rows.map(\.id).first { !seen.insert($0).inserted }
    }
    static func store(_ output: SuiteOutput, in sections: inout ReportSections) { sections[Self.self] = section(output) }
    static func rowCount(in sections: ReportSections) -> Int { sections[Self.self].rows.count }
    static func elapsedMs(in sections: ReportSections) -> Double? { sections[Self.self].elapsedMs }
    static func missingText(in sections: ReportSections) -> String? { sections[Self.self].missingText }

    static func encode(_ sections: ReportSections, into c: inout KeyedEncodingContainer<SuiteID>) throws {
        try c.encode(sections[Self.self], forKey: id)
    }
    static func decode(from c: KeyedDecodingContainer<SuiteID>, into sections: inout ReportSections) throws {
        if let reason = absentReason, !c.contains(id) { sections[Self.self] = .notRun(reason); return }
        sections[Self.self] = try c.decode(Section<SectionRow>.self, forKey: id)
    }
}

/// A suite's name: its section's key in matrix.json, its verdict row's and its file's.
public struct SuiteID: Hashable, Sendable, CodingKey, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public init?(stringValue: String) { rawValue = stringValue }
    public init?(intValue: Int) { nil }
    public var stringValue: String { rawValue }
    public var intValue: Int? { nil }
    public var description: String { rawValue }

    /// The file name a saved suite JSON has in a `--from-json` folder.
    public var fileName: String { self == .build ? "manifest.json" : rawValue + ".json" }

    /// Every suite, in report order.
    public static var allCases: [SuiteID] { ReportSections.registered.map { $0.id } }
}

/// Every suite's section, in report order. matrix.json keeps each under its id.
public struct ReportSections: Codable, Sendable {
    /// The suites the report has a section for, in report order: one line per suite.
    static let registered: [any SuiteResult.Type] = [
        Manifest.self, InspectReport.self, ScratchReadinessReport.self, DNSReport.self, MallocReport.self,
        ServerBench.Report.self, ConformanceReport.self, ABIReport.self, SizeRuns.self,
    ]

    private var stored: [SuiteID: any Sendable] = [:]

    init() {}

    /// One suite's section; "not run" until it is set.
    subscript<Result: SuiteResult>(_ suite: Result.Type) -> Section<Result.SectionRow> {
        get { stored[Result.id] as? Section<Result.SectionRow> ?? .notRun("no \(Result.id) section") }
        set { stored[Result.id] = newValue }
    }

    /// Section names in report order, with their missing text when absent.
    public var statuses: [(name: String, missing: String?)] {
        Self.registered.map { ($0.id.rawValue, $0.missingText(in: self)) }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: SuiteID.self)
        for suite in Self.registered { try suite.decode(from: c, into: &self) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: SuiteID.self)
        for suite in Self.registered { try suite.encode(self, into: &c) }
    }
}

/// Rows with a stable id, so duplicates can be numbered and reports compared.
protocol IdentifiedRow { var id: String { get set } }

/// `report --compare`'s findings, in the order they were found.
struct ChangeLog {
    var changes: [ReportCompare.Change] = []
    mutating func add(_ kind: ReportCompare.Change.Kind, _ suite: SuiteID, _ id: String, _ message: String) {
        changes.append(ReportCompare.Change(kind: kind, suite: suite.rawValue, id: id, message: message))
    }
}
