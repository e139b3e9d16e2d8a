import Foundation
import XCTest
@testable import StaticMuslKit

/// `report --compare`: planted regressions must be caught, noise below the
/// thresholds must not be.
final class ReportCompareTests: XCTestCase {
    override func setUp() { setenv("STATIC_MUSL_QUIET", "1", 1) }

    func report(_ edits: [String: (inout [String: Any]) -> Void] = [:], removing: [String] = []) throws -> MatrixReport {
        try renderReport(copyReportFixtures(editing: edits, removing: removing)).0.report
    }

    static func scaleSampleMusl(_ factor: Double) -> (inout [String: Any]) -> Void {
        { doc in
            var products = doc["products"] as? [[String: Any]] ?? []
            var variants = products[0]["variants"] as? [[String: Any]] ?? []
            let i = variants.firstIndex { $0["variant"] as? String == "musl" } ?? 0
            variants[i]["stripped_size"] = Int(Double(variants[i]["stripped_size"] as? Int ?? 0) * factor)
            products[0]["variants"] = variants
            doc["products"] = products
        }
    }

    static func scaleMalloc(_ workload: String, _ variant: String, _ threads: Int, _ factor: Double) -> (inout [String: Any]) -> Void {
        { doc in
            var results = doc["results"] as? [[String: Any]] ?? []
            for i in results.indices where results[i]["workload"] as? String == workload
                && results[i]["variant"] as? String == variant && results[i]["threads"] as? Int == threads {
                var ops = results[i]["ops_per_sec"] as? [String: Any] ?? [:]
                ops["median"] = (ops["median"] as? Double ?? 0) * factor
                results[i]["ops_per_sec"] = ops
            }
            doc["results"] = results
        }
    }

    func testIdenticalReportsHaveNoChanges() throws {
        let result = ReportCompare.compare(old: try report(), new: try report())
        XCTAssertEqual(result.changes, [])
        XCTAssertFalse(result.hasRegression)
    }

    func testPlantedRegressionsAreDetected() throws {
        let old = try report()
        let new = try report([
            "manifest.json": Self.scaleSampleMusl(1.06),
            "malloc.json": Self.scaleMalloc("thread-local", "musl-static", 2, 0.8),
            "dns.json": { doc in                                                  // musl now sends no EDNS → a new difference
                var results = doc["results"] as? [[String: Any]] ?? []
                for i in results.indices where results[i]["scenario"] as? String == "edns0-option"
                    && results[i]["variant"] as? String == "swift-musl-static" {
                    results[i]["status"] = "EAI_NONAME"
                    results[i]["addresses"] = [String]()
                }
                doc["results"] = results
            },
            "conformance.json": { doc in
                var checks = doc["checks"] as? [[String: Any]] ?? []
                checks[0]["verdict"] = "differs"
                checks[0]["explanation"] = "planted"
                doc["checks"] = checks
            },
        ])
        let result = ReportCompare.compare(old: old, new: new)
        let regressions = Dictionary(result.regressions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(Set(regressions.keys), ["build/Sample/musl", "malloc/thread-local/musl-static/2", "dns/edns0-option",
                                               "conformance/json.roundtrip"], result.text)
        XCTAssertTrue(regressions["build/Sample/musl"]?.message.contains("+6.0 %") == true)
        XCTAssertTrue(regressions["malloc/thread-local/musl-static/2"]?.message.contains("-20.0 %") == true)
        XCTAssertTrue(regressions["dns/edns0-option"]?.message.hasPrefix("new difference: differs: swift-musl-static") == true)
        XCTAssertEqual(regressions["conformance/json.roundtrip"]?.message, "flipped same → differs: planted")
        XCTAssertTrue(result.hasRegression)
        XCTAssertTrue(result.text.contains("REGRESSION [size] build/Sample/musl: grew"), result.text)
    }

    func testChangesBelowThresholdsAreNotRegressions() throws {
        let old = try report()
        let new = try report(["manifest.json": Self.scaleSampleMusl(1.04),
                              "malloc.json": Self.scaleMalloc("small-churn", "musl-static", 4, 0.92)])
        XCTAssertFalse(ReportCompare.compare(old: old, new: new).hasRegression)
    }

    func testImprovementsAreNotRegressions() throws {
        let old = try report()
        let new = try report(["manifest.json": Self.scaleSampleMusl(0.5),
                              "malloc.json": Self.scaleMalloc("medium", "musl-static", 1, 3)])
        let result = ReportCompare.compare(old: old, new: new)
        XCTAssertFalse(result.hasRegression, result.text)
        XCTAssertEqual(result.changes.filter { $0.kind == .improvement }.map(\.id).sorted(),
                       ["build/Sample/musl", "malloc/medium/musl-static/1/main", "malloc/medium/musl-static/1/spawned"])
    }

    func testSuiteThatStoppedRunningIsARegression() throws {
        let result = ReportCompare.compare(old: try report(), new: try report(removing: ["dns.json"]))
        XCTAssertEqual(result.regressions.map(\.id), ["dns"])
        XCTAssertTrue(result.regressions[0].message.contains("not run: no dns.json"))
    }

    func testScratchAndStaticFlipsAreRegressions() throws {
        let new = try report([
            "scratch.json": { doc in
                var runs = doc["runs"] as? [[String: Any]] ?? []
                runs[0]["exit_status"] = 134
                runs[0]["verdict"] = "failed"
                runs[0]["reason"] = "Unable to obtain Swift runtime path"
                doc["runs"] = runs
            },
            "inspect.json": { doc in
                var files = doc["files"] as? [[String: Any]] ?? []
                files[0]["class"] = "dynamic"
                doc["files"] = files
            },
        ])
        let ids = ReportCompare.compare(old: try report(), new: new).regressions.map(\.id).sorted()
        XCTAssertEqual(ids, ["inspect/Sample/musl", "scratch/Sample/musl/docker"])
    }

    func testBadFilesAreRefusedWithTheReason() throws {
        let dir = try temporaryDirectory("cmp")
        let (_, out) = try renderReport()
        let good = out + "/matrix.json"
        XCTAssertThrowsError(try ReportCompare.compare(oldPath: dir + "/absent.json", newPath: good)) {
            XCTAssertEqual($0 as? ReportError, .unreadable(path: dir + "/absent.json", why: "no such file"))
        }
        try Data("[1, 2".utf8).write(to: URL(fileURLWithPath: dir + "/broken.json"))
        XCTAssertThrowsError(try ReportCompare.compare(oldPath: good, newPath: dir + "/broken.json")) {
            guard case .invalidJSON(let path, let why)? = $0 as? ReportError else { return XCTFail("\($0)") }
            XCTAssertEqual(path, dir + "/broken.json")
            XCTAssertTrue(why.hasPrefix("not JSON ("), why)
        }
        try Data(#"{"schema_version": 99}"#.utf8).write(to: URL(fileURLWithPath: dir + "/future.json"))
        XCTAssertThrowsError(try ReportCompare.compare(oldPath: good, newPath: dir + "/future.json")) {
            XCTAssertEqual($0 as? ReportError, .unsupportedSchema(path: dir + "/future.json", found: 99, supported: 1))
        }
        try Data(#"{"schema_version": 1, "header": {}}"#.utf8).write(to: URL(fileURLWithPath: dir + "/partial.json"))
        XCTAssertThrowsError(try ReportCompare.compare(oldPath: good, newPath: dir + "/partial.json")) {
            guard case .invalidJSON(_, let why)? = $0 as? ReportError else { return XCTFail("\($0)") }
            XCTAssertTrue(why.contains("required field is missing"), why)
        }
    }

    /// Valid JSON of the wrong shape is not "not JSON": the refusal says what is wrong.
    func testValidJSONOfTheWrongShapeSaysWhatIsWrong() throws {
        let dir = try temporaryDirectory("cmp-shape")
        let (_, out) = try renderReport()
        let good = out + "/matrix.json"
        let cases: [(String, String)] = [
            (#"{"schema_version": "1"}"#, "schema_version is a string, expected an integer"),
            ("[]", "the top level is an array, expected an object"),
            ("1000000000000000000000000000000", "the top level is the number 1000000000000000000000000000000, expected an object"),
            (#"{"schema_version": 1000000000000000000000000000000}"#, "schema_version is the number 1000000000000000000000000000000, expected an integer"),
            (#"{"schema_version": true}"#, "schema_version is a boolean, expected an integer"),
            (#""text""#, "the top level is a string, expected an object"),
        ]
        for (i, (json, why)) in cases.enumerated() {
            let path = dir + "/case-\(i).json"
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try ReportCompare.compare(oldPath: good, newPath: path)) {
                XCTAssertEqual($0 as? ReportError, .invalidJSON(path: path, why: why))
                XCTAssertFalse("\($0)".contains("not JSON"), "\($0)")
            }
        }
        // A field of the wrong type deep inside: its path and what it is.
        var doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: good))) as? [String: Any])
        var header = doc["header"] as? [String: Any] ?? [:]
        header["generated"] = 42
        doc["header"] = header
        let typed = dir + "/typed.json"
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: typed))
        XCTAssertThrowsError(try ReportCompare.compare(oldPath: good, newPath: typed)) {
            guard case .invalidJSON(_, let why)? = $0 as? ReportError else { return XCTFail("\($0)") }
            XCTAssertEqual(why, "header.generated is the integer 42, expected a string")
        }
    }

    func testDuplicateRowIdsAreRefusedNamingTheId() throws {
        let dir = try temporaryDirectory("cmp-dup")
        let (_, out) = try renderReport()
        let good = out + "/matrix.json"
        var doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: good))) as? [String: Any])
        var sections = try XCTUnwrap(doc["sections"] as? [String: Any])
        var dns = try XCTUnwrap(sections["dns"] as? [String: Any])
        var rows = try XCTUnwrap(dns["rows"] as? [[String: Any]])
        let first = try XCTUnwrap(rows.first)
        let id = try XCTUnwrap(first["id"] as? String)
        rows.append(first)
        dns["rows"] = rows; sections["dns"] = dns; doc["sections"] = sections
        let path = dir + "/dup.json"
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ReportCompare.compare(oldPath: good, newPath: path)) {
            XCTAssertEqual($0 as? ReportError, .invalidJSON(path: path, why: "sections.dns.rows: the id \"\(id)\" is used by more than one row"))
        }
    }

    // MARK: --column OLD=NEW

    /// Two columns of one report: musl 1.2.3 against 1.2.5, OLD's rows under NEW's names.
    func testColumnAgainstColumnOfOneReport() throws {
        let r = try report()
        let result = try ReportCompare.compare(old: r, new: r, columns: ColumnPair(old: "musl", new: "musl-1.2.5"))
        XCTAssertEqual(result.regressions, [], result.text)
        XCTAssertEqual(result.changes.filter { $0.kind == .improvement }.map(\.id).sorted(),
                       ["dns/tc-with-tcp", "malloc/medium/musl-1.2.5-static/2", "malloc/medium/musl-1.2.5-static/4"], result.text)
        XCTAssertTrue(result.text.hasPrefix("Comparing OLD's column musl with NEW's column musl-1.2.5.\n"), result.text)
        let dns = try XCTUnwrap(result.changes.first { $0.id == "dns/tc-with-tcp" })
        XCTAssertTrue(dns.message.hasPrefix("no longer differs (was differs: c-musl-1.2.5-static, swift-musl-1.2.5-static: "), dns.message)
    }

    /// The other way round the same moves are regressions, under OLD's new names (the 1.2.3 ones).
    func testColumnComparisonTheOtherWayFindsRegressions() throws {
        let r = try report()
        let result = try ReportCompare.compare(old: r, new: r, columns: ColumnPair(old: "musl-1.2.5", new: "musl"))
        XCTAssertEqual(result.regressions.map(\.id).sorted(),
                       ["dns/tc-with-tcp", "malloc/medium/musl-static/2", "malloc/medium/musl-static/4"], result.text)
        XCTAssertTrue(result.hasRegression)
    }

    /// Across two reports: a planted flip of the 1.2.5 probe (conformance, scratch battery) is caught.
    func testColumnComparisonAcrossReportsCatchesPlantedRegressions() throws {
        let new = try report([
            "conformance.json": { doc in
                var checks = doc["checks"] as? [[String: Any]] ?? []
                var results = checks[0]["results"] as? [String: Any] ?? [:]
                results["swift-musl-1.2.5-static"] = "planted"
                checks[0]["results"] = results
                doc["checks"] = checks
            },
            "scratch.json": { doc in
                var runs = doc["runs"] as? [[String: Any]] ?? []
                let i = runs.firstIndex { $0["variant"] as? String == "c-musl-1.2.5-static" } ?? 0
                runs[i]["exit_status"] = 1
                runs[i]["verdict"] = "failed"
                doc["runs"] = runs
            },
        ])
        let result = try ReportCompare.compare(old: try report(), new: new, columns: ColumnPair(old: "musl", new: "musl-1.2.5"))
        XCTAssertEqual(result.regressions.map(\.id).sorted(),
                       ["conformance/json.roundtrip", "scratch/c-musl-1.2.5-static/c-musl-1.2.5-static/docker"], result.text)
        // Without --column the whole-report rules see the scratch flip; the conformance row's own verdict did not move.
        XCTAssertEqual(ReportCompare.compare(old: try report(), new: new).regressions.map(\.id),
                       ["scratch/c-musl-1.2.5-static/c-musl-1.2.5-static/docker"])
    }

    func testColumnSpecAndUnknownColumnsAreRefused() throws {
        for spec in ["musl", "=musl-1.2.5", "musl=", "a=b=c", ""] {
            XCTAssertThrowsError(try ColumnPair(parsing: spec)) { XCTAssertEqual($0 as? ReportError, .malformedColumnSpec(spec)) }
        }
        XCTAssertEqual(try ColumnPair(parsing: " musl = musl-1.2.5 "), ColumnPair(old: "musl", new: "musl-1.2.5"))
        let (outcome, out) = try renderReport()
        let path = out + "/matrix.json"
        XCTAssertThrowsError(try ReportCompare.compare(oldPath: path, newPath: path, columns: ColumnPair(old: "musl", new: "musl-9"))) {
            XCTAssertEqual($0 as? ReportError, .unknownColumn("musl-9", path: path, columns: outcome.report.variants))
            XCTAssertTrue("\($0)".hasPrefix("\(path) has no column \"musl-9\"; its columns are musl, musl-1.2.5, "), "\($0)")
        }
    }

    /// A size of 0 is a missing measurement: a regression, never an improvement.
    func testASizeThatDropsToZeroIsARegression() throws {
        let result = ReportCompare.compare(old: try report(), new: try report(["manifest.json": Self.scaleSampleMusl(0)]))
        XCTAssertFalse(result.changes.contains { $0.kind == .improvement && $0.suite == "size" }, result.text)
        let zero = try XCTUnwrap(result.regressions.first { $0.suite == "size" }, result.text)
        XCTAssertTrue(zero.message.contains("missing measurement"), zero.message)
        XCTAssertTrue(result.hasRegression)
    }
}
