import Foundation

/// `report --compare OLD NEW`: what changed between two matrix.json files.
/// Regressions: a new DNS difference, size growth above 5 %, a malloc median
/// drop above 10 %, a conformance check that flipped away from "same" (or to
/// "crash"), a binary that stopped being static or stopped running in
/// scratch, a build that stopped succeeding, an ABI item that stopped
/// matching, and a suite that ran in OLD but not in NEW.
public enum ReportCompare {
    public static let sizeGrowthLimit = 0.05
    public static let mallocDropLimit = 0.10

    public struct Change: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case regression, improvement, note }
        public var kind: Kind
        public var suite: String
        public var id: String
        public var message: String
    }

    public struct Result: Codable, Sendable {
        public var changes: [Change]
        /// With `--column`: which column of which file was compared with which.
        public var scope: String?
        public var regressions: [Change] { changes.filter { $0.kind == .regression } }
        public var hasRegression: Bool { !regressions.isEmpty }

        public var text: String {
            let heading = scope.map { "Comparing \($0).\n" } ?? ""
            guard !changes.isEmpty else { return heading + "No changes between the two reports.\n" }
            var out = heading
            for kind in [Change.Kind.regression, .improvement, .note] {
                for c in changes where c.kind == kind {
                    out += "\(kind.rawValue.uppercased()) [\(c.suite)] \(c.id): \(c.message)\n"
                }
            }
            let n = { (k: Change.Kind) in changes.filter { $0.kind == k }.count }
            return out + "\(n(.regression)) regression(s), \(n(.improvement)) improvement(s), \(n(.note)) note(s).\n"
        }
    }

    /// Reads a matrix.json. Each refusal says what is actually wrong: not
    /// JSON at all, JSON of the wrong shape (the top level, schema_version),
    /// a field of the wrong type, or two rows of a section with one id.
    public static func load(_ path: String) throws -> MatrixReport {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ReportError.unreadable(path: path, why: FileFailure.reason(error))
        }
        let top: Any
        do { top = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw ReportError.invalidJSON(path: path, why: "not JSON (\(JSONShape.syntaxError(error)))")
        }
        guard let object = top as? [String: Any] else {
            throw ReportError.invalidJSON(path: path, why: "the top level is \(JSONShape.kind(top)), expected an object")
        }
        guard let version = object["schema_version"] else {
            throw ReportError.invalidJSON(path: path, why: "schema_version: required field is missing")
        }
        guard let found = JSONShape.integer(version) else {
            throw ReportError.invalidJSON(path: path, why: "schema_version is \(JSONShape.kind(version)), expected an integer")
        }
        guard found == MatrixReport.currentSchema else {
            throw ReportError.unsupportedSchema(path: path, found: found, supported: MatrixReport.currentSchema)
        }
        let report: MatrixReport
        do { report = try JSONCoding.decode(MatrixReport.self, from: data) }
        catch { throw ReportError.invalidJSON(path: path, why: ReportError.describe(error, in: object)) }
        if let (section, id) = duplicateRowID(report.sections) {
            throw ReportError.invalidJSON(path: path, why: "sections.\(section).rows: the id \"\(id)\" is used by more than one row")
        }
        return report
    }

    /// The first section whose rows repeat an id, and that id.
    static func duplicateRowID(_ s: ReportSections) -> (section: String, id: String)? {
        for suite in ReportSections.registered {
            if let id = suite.duplicateID(in: s) { return (suite.id.rawValue, id) }
        }
        return nil
    }

    public static func compare(oldPath: String, newPath: String, columns: ColumnPair? = nil) throws -> Result {
        let old = try load(oldPath), new = try load(newPath)
        guard let columns else { return compare(old: old, new: new) }
        return try compare(old: old, new: new, columns: columns, oldName: oldPath, newName: newPath)
    }

    /// OLD's column `columns.old` against NEW's `columns.new`: each report
    /// narrowed to its column and OLD's suite names renamed to NEW's, then
    /// compared as two whole reports are. The ABI section is the same in
    /// both views (it is about glibc and musl, not about a column).
    public static func compare(old: MatrixReport, new: MatrixReport, columns: ColumnPair,
                               oldName: String = "OLD", newName: String = "NEW") throws(ReportError) -> Result {
        let from = try ColumnView.names(of: columns.old, in: old, path: oldName)
        let to = try ColumnView.names(of: columns.new, in: new, path: newName)
        var result = compare(old: ColumnView(names: from, rename: ColumnView.renaming(from, to: to)).project(old),
                             new: ColumnView(names: to, rename: [:]).project(new))
        result.scope = "\(oldName)'s column \(from.column) with \(newName)'s column \(to.column)"
        return result
    }

    public static func compare(old: MatrixReport, new: MatrixReport) -> Result {
        var log = ChangeLog()
        let oldStatus = Dictionary(uniqueKeysWithValues: old.sections.statuses.map { ($0.name, $0.missing) })
        for (name, missing) in new.sections.statuses {
            if let missing, oldStatus[name] ?? nil == nil {
                log.add(.regression, SuiteID(name), name, "ran in the old report, \(missing) in the new one")
            }
        }
        if old.header.toolchain.musl != new.header.toolchain.musl || old.header.toolchain.glibc != new.header.toolchain.glibc
            || old.header.toolchain.swift != new.header.toolchain.swift {
            let t = { (r: MatrixReport) in "Swift \(r.header.toolchain.swift), musl \(r.header.toolchain.musl), glibc \(r.header.toolchain.glibc)" }
            log.add(.note, "header", "toolchain", "\(t(old)) → \(t(new))")
        }
        for suite in ReportSections.registered { suite.changes(old: old.sections, new: new.sections, into: &log) }
        return Result(changes: log.changes, scope: nil)
    }

    static func index<Row: IdentifiedRow>(_ rows: [Row]) -> [String: Row] {
        Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
