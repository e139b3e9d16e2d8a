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
        do { report = try JSONDecoder().decode(MatrixReport.self, from: data) }
        catch { throw ReportError.invalidJSON(path: path, why: ReportError.describe(error, in: object)) }
        if let (section, id) = duplicateRowID(report.sections) {
            throw ReportError.invalidJSON(path: path, why: "sections.\(section).rows: the id \"\(id)\" is used by more than one row")
        }
        return report
    }

    /// The first section whose rows repeat an id, and that id.
    static func duplicateRowID(_ s: ReportSections) -> (section: String, id: String)? {
        let ids: [(String, [String])] = [
            ("build", s.build.rows.map(\.id)), ("inspect", s.inspect.rows.map(\.id)), ("scratch", s.scratch.rows.map(\.id)),
            ("dns", s.dns.rows.map(\.id)), ("malloc", s.malloc.rows.map(\.id)), ("server", s.server.rows.map(\.id)),
            ("conformance", s.conformance.rows.map(\.id)), ("abi", s.abi.rows.map(\.id)), ("size", s.size.rows.map(\.id)),
        ]
        for (section, list) in ids {
            var seen = Set<String>()
            for id in list where !seen.insert(id).inserted { return (section, id) }
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
        var changes: [Change] = []
        func add(_ k: Change.Kind, _ suite: String, _ id: String, _ msg: String) {
            changes.append(Change(kind: k, suite: suite, id: id, message: msg))
        }
        let o = old.sections, n = new.sections
        let oldStatus = Dictionary(uniqueKeysWithValues: o.statuses.map { ($0.name, $0.missing) })
        for (name, missing) in n.statuses {
            if let missing, oldStatus[name] ?? nil == nil {
                add(.regression, name, name, "ran in the old report, \(missing) in the new one")
            }
        }
        if old.header.toolchain.musl != new.header.toolchain.musl || old.header.toolchain.glibc != new.header.toolchain.glibc
            || old.header.toolchain.swift != new.header.toolchain.swift {
            let t = { (r: MatrixReport) in "Swift \(r.header.toolchain.swift), musl \(r.header.toolchain.musl), glibc \(r.header.toolchain.glibc)" }
            add(.note, "header", "toolchain", "\(t(old)) → \(t(new))")
        }

        let oldBuild = index(o.build.rows)
        for b in n.build.rows {
            guard let a = oldBuild[b.id] else { continue }
            if a.status == "ok" && b.status != "ok" { add(.regression, "build", b.id, "built before, now \(b.status): \(b.reason ?? "")") }
            if a.isStatic == true && b.isStatic == false { add(.regression, "build", b.id, "was static, now dynamic") }
            // A size of 0 is a measurement that is missing, not a binary that shrank.
            if let before = a.strippedSize ?? a.size, let after = b.strippedSize ?? b.size, before > 0, after == 0 {
                add(.regression, "size", b.id, "\(Fmt.bytes(before)) → 0 bytes: the new report has no size for it (a missing measurement)")
            } else if let before = a.strippedSize ?? a.size, let after = b.strippedSize ?? b.size, before > 0 {
                let growth = Double(after - before) / Double(before)
                let msg = "\(Fmt.bytes(before)) → \(Fmt.bytes(after)) (\(Fmt.percent(growth * 100)))"
                if growth > sizeGrowthLimit { add(.regression, "size", b.id, "grew " + msg) }
                else if growth < -sizeGrowthLimit { add(.improvement, "size", b.id, "shrank " + msg) }
            }
        }

        let oldInspect = index(o.inspect.rows)
        for i in n.inspect.rows {
            guard let a = oldInspect[i.id], a.class != i.class else { continue }
            let wasStatic = ["static", "static-pie"].contains(a.class), isStatic = ["static", "static-pie"].contains(i.class)
            add(wasStatic && !isStatic ? .regression : .note, "inspect", i.id, "class \(a.class) → \(i.class)")
        }

        let oldScratch = index(o.scratch.rows)
        for s in n.scratch.rows {
            guard let a = oldScratch[s.id], a.passed != s.passed else { continue }
            if a.passed { add(.regression, "scratch", s.id, "ran in scratch before, now \(s.verdict): \(s.reason ?? "")") }
            else { add(.improvement, "scratch", s.id, "now runs in scratch (was \(a.verdict))") }
        }

        let oldDNS = index(o.dns.rows)
        for d in n.dns.rows {
            let before = oldDNS[d.id]
            if d.verdict != "same" && (before == nil || before?.verdict == "same") {
                add(before == nil ? .note : .regression, "dns", d.id,
                    before == nil ? "new scenario, \(d.verdict)" : "new difference: \(d.verdict)")
            } else if d.verdict == "same", let b = before, b.verdict != "same" {
                add(.improvement, "dns", d.id, "no longer differs (was \(b.verdict))")
            } else if let b = before, b.verdict != d.verdict, d.verdict != "same" {
                add(.note, "dns", d.id, "difference changed: \(b.verdict) → \(d.verdict)")
            }
        }

        let oldMalloc = index(o.malloc.rows)
        for m in n.malloc.rows {
            guard let a = oldMalloc[m.id], a.opsPerSec.median > 0 else { continue }
            let change = (m.opsPerSec.median - a.opsPerSec.median) / a.opsPerSec.median
            let msg = "\(Fmt.ops(a.opsPerSec.median)) → \(Fmt.ops(m.opsPerSec.median)) (\(Fmt.percent(change * 100)))"
            if change < -mallocDropLimit { add(.regression, "malloc", m.id, "slower: " + msg) }
            else if change > mallocDropLimit { add(.improvement, "malloc", m.id, "faster: " + msg) }
        }

        let oldConf = index(o.conformance.rows)
        let rank = ["same": 0, "differs": 1, "crash": 2]
        for c in n.conformance.rows {
            guard let a = oldConf[c.id] else {
                if c.verdict != "same" { add(.note, "conformance", c.id, "new check, \(c.verdict)") }
                continue
            }
            guard a.verdict != c.verdict else { continue }
            let worse = (rank[c.verdict] ?? 3) > (rank[a.verdict] ?? 3)
            add(worse ? .regression : .improvement, "conformance", c.id,
                "flipped \(a.verdict) → \(c.verdict)" + (c.explanation.map { ": \($0)" } ?? ""))
        }

        let oldABI = index(o.abi.rows)
        for x in n.abi.rows {
            guard let a = oldABI[x.id], a.match != x.match else { continue }
            add(a.match ? .regression : .improvement, "abi", x.id,
                a.match ? "now mismatches: glibc \(x.glibc), musl \(x.musl)" : "now matches")
        }
        return Result(changes: changes, scope: nil)
    }

    static func index<Row: IdentifiedRow>(_ rows: [Row]) -> [String: Row] {
        Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
