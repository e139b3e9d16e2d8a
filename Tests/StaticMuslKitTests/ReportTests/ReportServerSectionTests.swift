import Foundation
import XCTest
@testable import StaticMuslKit

/// The server section and its verdict row, from the fixture server.json
/// (`bench server --json` as --quick runs it; invented numbers): no build, no wrk.
final class ReportServerSectionTests: XCTestCase {
    override func setUp() { setenv("STATIC_MUSL_QUIET", "1", 1) }

    func cell(_ r: MatrixReport, _ column: String) throws -> VerdictCell {
        let row = try XCTUnwrap(r.verdict.first { $0.id == "server" }, "no server verdict row")
        return try XCTUnwrap(row.cells[column], "no \(column) cell")
    }

    /// The section of MATRIX.md from its heading to the next section's.
    func markdownSection(_ md: String) throws -> String {
        let start = try XCTUnwrap(md.range(of: "## HTTP server under load"), md)
        let rest = md[start.lowerBound...]
        let end = rest.dropFirst(3).range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end]) + "\n"
    }

    static func editRow(_ variant: String, _ edit: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
        { doc in
            var rows = doc["rows"] as? [[String: Any]] ?? []
            for i in rows.indices where rows[i]["variant"] as? String == variant { edit(&rows[i]) }
            doc["rows"] = rows
        }
    }

    func testRowsAndRatiosFromFixture() throws {
        let s = try renderReport().0.report.sections.server
        XCTAssertEqual(s.status, .ok)
        XCTAssertEqual(s.rows.map(\.id), ["server/vapor-hello/glibc-dynamic", "server/vapor-hello/glibc-static",
                                          "server/vapor-hello/musl", "server/vapor-hello/musl+mimalloc"])
        XCTAssertEqual(s.rows.map(\.column), ["glibc-dynamic", "glibc-static", "musl", "musl+mimalloc"])
        let musl = try XCTUnwrap(s.rows.first { $0.variant == "musl" })
        XCTAssertEqual(musl.requestsPerSecond, 10218.7)
        XCTAssertEqual(try XCTUnwrap(musl.requestsRatio), 10218.7 / 11051.2, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(musl.p99Ratio), 6.02 / 5.52, accuracy: 1e-12)
        XCTAssertEqual(musl.peakRssKib, 19968)
        XCTAssertEqual(musl.runs, [ServerBench.Run(requestsPerSecond: 10218.7, p50Ms: 0.71, p99Ms: 6.02)])
        // The bench's setup is kept with the section.
        XCTAssertEqual(s.suiteVersions?["cores"], .number(2))
        XCTAssertEqual(s.suiteVersions?["pinning"], .string("server on CPUs 0-0, wrk on CPUs 1-1"))
        XCTAssertEqual(s.suiteVersions?["runs"], .number(1))
        XCTAssertEqual(s.suiteVersions?["seconds"], .number(3))
    }

    /// A document without ratios gets them from its glibc-static row.
    func testRatiosAreComputedWhenTheDocumentLacksThem() throws {
        let input = try copyReportFixtures(editing: ["server.json": { doc in
            var rows = doc["rows"] as? [[String: Any]] ?? []
            for i in rows.indices {
                rows[i].removeValue(forKey: "requests_ratio_to_glibc_static")
                rows[i].removeValue(forKey: "p99_ratio_to_glibc_static")
            }
            doc["rows"] = rows
        }])
        let rows = try renderReport(input).0.report.sections.server.rows
        XCTAssertEqual(try XCTUnwrap(rows[3].requestsRatio), 12380.9 / 11051.2, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(rows[3].p99Ratio), 4.81 / 5.52, accuracy: 1e-12)
        XCTAssertEqual(rows[1].requestsRatio, 1)
    }

    func testVerdictRowShowsRatiosToGlibcStatic() throws {
        let r = try renderReport().0.report
        let row = try XCTUnwrap(r.verdict.first { $0.id == "server" })
        XCTAssertEqual(row.title, "HTTP server req/s vs glibc-static (vapor-hello)")
        XCTAssertEqual(try cell(r, "glibc-static"), VerdictCell(.info, "baseline (11,051 req/s)"))
        XCTAssertEqual(try cell(r, "glibc-dynamic").text, "1.03× (11,420 req/s)")
        XCTAssertEqual(try cell(r, "musl").mark, .info, "no threshold for musl: a number, not a judgement")
        XCTAssertEqual(try cell(r, "musl").text, "0.92× (10,219 req/s)")
        XCTAssertEqual(try XCTUnwrap(try cell(r, "musl").value), 10218.7 / 11051.2, accuracy: 1e-12)
        XCTAssertEqual(try cell(r, "musl+mimalloc").mark, .info)
        XCTAssertEqual(try cell(r, "musl+mimalloc").text, "1.12× (12,381 req/s)")
        XCTAssertEqual(try cell(r, "embedded-musl"), VerdictCell(.na, "not benchmarked"))
        XCTAssertTrue(try cell(r, "sdk").text.hasPrefix("skipped: "))
    }

    /// musl+mimalloc should reach 0.9× glibc-static; below it the cell and the table warn.
    func testMimallocBelowTheFloorWarns() throws {
        let input = try copyReportFixtures(editing: ["server.json": Self.editRow("musl+mimalloc") { row in
            row["requests_per_second"] = 9500.0
            row["requests_ratio_to_glibc_static"] = 9500.0 / 11051.2
        }])
        let (outcome, out) = try renderReport(input)
        let c = try cell(outcome.report, "musl+mimalloc")
        XCTAssertEqual(c.mark, .warn)
        XCTAssertEqual(c.text, "0.86× (9,500 req/s)")
        XCTAssertEqual(try cell(outcome.report, "musl").mark, .info)
        XCTAssertTrue(try ReportFixtures.read(out + "/index.html").contains("<td class=\"warn nw\">0.86×</td>"))
    }

    func testMarkdownSection() throws {
        let (_, out) = try renderReport()
        let section = try markdownSection(ReportFixtures.read(out + "/MATRIX.md"))
        XCTAssertEqual(section, """
            ## HTTP server under load (vapor-hello)

            wrk (Debian's, 16 keep-alive connections) against GET / on 127.0.0.1: 1 run of 3 s per variant (--quick; a full report runs 3 runs of 5 s). 2 cores; server on CPUs 0-0, wrk on CPUs 1-1.

            Every ratio is to glibc-static measured in the same run, on a noisy machine: compare the ratios, not req/s across runs or machines. Peak RSS is the server's VmHWM after the runs. musl+mimalloc is expected at 0.9× glibc-static or better; below that it is marked ⚠.

            | variant | req/s | × glibc-static | p50 | p99 | p99 × glibc-static | peak RSS |
            |---|---|---|---|---|---|---|
            | `glibc-dynamic` | 11,420 | 1.03× | 0.88 ms | 5.21 ms | 0.94× | 27.7 MiB |
            | `glibc-static` | 11,051 | 1.00× | 0.84 ms | 5.52 ms | 1.00× | 27.2 MiB |
            | `musl` | 10,219 | 0.92× | 0.71 ms | 6.02 ms | 1.09× | 19.5 MiB |
            | `musl+mimalloc` | 12,381 | 1.12× | 0.63 ms | 4.81 ms | 0.87× | 22.9 MiB |


            """)
        let md = try ReportFixtures.read(out + "/MATRIX.md")
        XCTAssertTrue(md.contains("| server | ✓ ran | 4 |"), "the Suites table lists the server section")
        XCTAssertTrue(md.contains("| HTTP server req/s vs glibc-static (vapor-hello) | 0.92× (10,219 req/s) |"))
        let html = try ReportFixtures.read(out + "/index.html")
        XCTAssertTrue(html.contains("<a href=\"#server\">HTTP server under load</a>"))
        XCTAssertTrue(html.contains("<h2 id=\"server\">HTTP server under load (vapor-hello)</h2>"))
    }

    /// A full-mode run: the median of several runs, and each run's req/s beside it.
    func testSeveralRunsShowTheMedianAndEachRun() throws {
        let input = try copyReportFixtures(editing: [
            "server.json": { doc in
                doc["runs"] = 3
                doc["seconds"] = 5
                var rows = doc["rows"] as? [[String: Any]] ?? []
                for i in rows.indices {
                    let rps = rows[i]["requests_per_second"] as? Double ?? 0
                    rows[i]["runs"] = [0.97, 1.0, 1.02].map { ["requests_per_second": rps * $0, "p50_ms": 1.0, "p99_ms": 5.0] }
                }
                doc["rows"] = rows
            },
            "header.json": { doc in doc["mode"] = "full" },
        ])
        let (_, out) = try renderReport(input)
        let section = try markdownSection(ReportFixtures.read(out + "/MATRIX.md"))
        XCTAssertTrue(section.contains(": 3 runs of 5 s per variant, the median run shown. 2 cores;"), section)
        XCTAssertFalse(section.contains("--quick"), section)
        XCTAssertTrue(section.contains("| variant | req/s (median of 3) | × glibc-static |"), section)
        XCTAssertTrue(section.contains("| 22.9 MiB | 12,009 · 12,381 · 12,629 |"), section)
    }

    func testMissingServerJSONIsNotRun() throws {
        let input = try copyReportFixtures(removing: ["server.json"])
        let (outcome, out) = try renderReport(input)
        let reason = "not run: no server.json in \(input)"
        XCTAssertEqual(outcome.report.sections.server.missingText, reason)
        XCTAssertEqual(outcome.report.sections.server.rows.count, 0)
        let musl = try cell(outcome.report, "musl")
        XCTAssertEqual(musl.mark, .na)
        XCTAssertTrue(musl.text == reason || (musl.text.hasSuffix("… (see Suites)") && reason.hasPrefix(musl.text.dropLast(15))), musl.text)
        XCTAssertEqual(outcome.report.sections.malloc.status, .ok, "the other benchmark is unaffected")
        let md = try ReportFixtures.read(out + "/MATRIX.md")
        XCTAssertTrue(md.contains("## HTTP server under load\n\n**\(reason)**\n\n## "), "heading without a product, then the reason")
    }

    /// The reason the report recorded (status.json) when wrk could not be installed.
    func testFailedBenchKeepsItsReason() throws {
        let input = try copyReportFixtures(removing: ["server.json"])
        let why = "wrk is missing and the Debian package 'wrk' could not be installed: apt-get install failed: E: Unable to locate package wrk"
        try JSONEncoder().encode(["server": "failed: " + why]).write(to: URL(fileURLWithPath: input + "/status.json"))
        let (outcome, out) = try renderReport(input)
        XCTAssertEqual(outcome.report.sections.server.status, .failed)
        XCTAssertEqual(outcome.report.sections.server.reason, why)
        XCTAssertEqual(try cell(outcome.report, "musl+mimalloc").mark, .na)
        XCTAssertTrue(try ReportFixtures.read(out + "/MATRIX.md").contains("**failed: \(why)**"))
    }

    func testServerJSONMissingAFieldFailsOnlyItsSection() throws {
        let input = try copyReportFixtures(editing: ["server.json": Self.editRow("musl") { $0.removeValue(forKey: "p99_ms") }])
        let s = try renderReport(input).0.report.sections
        XCTAssertEqual(s.server.status, .failed)
        XCTAssertEqual(s.server.reason, "server.json does not match the documented JSON: rows[2].p99_ms: required field is missing")
        XCTAssertEqual(s.malloc.status, .ok)
    }

    /// The fixture has the bench's own shape, and what the bench writes the report reads.
    func testFixtureIsTheBenchsJSON() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: ReportFixtures.directory + "/server.json"))
        let bench = try JSONDecoder().decode(ServerBench.Report.self, from: data)
        XCTAssertEqual(bench.rows.map(\.variant), ["glibc-dynamic", "glibc-static", "musl", "musl+mimalloc"])
        XCTAssertEqual([bench.runs, bench.seconds, bench.connections, bench.cores], [1, 3, 16, 2])

        let written = try bench.jsonData()
        let input = try JSONDecoder().decode(ServerBench.Report.self, from: written)
        let (rows, setup) = (input.sectionRows, input.suiteVersions)
        XCTAssertEqual(rows.map(\.requestsPerSecond), bench.rows.map(\.requestsPerSecond))
        XCTAssertEqual(rows.map(\.peakRssKib), bench.rows.map(\.peakRSSKiB))
        XCTAssertEqual(setup?["product"], .string("vapor-hello"))
    }

    /// A matrix.json written before the server section existed still loads for --compare.
    func testOlderMatrixWithoutServerSectionLoads() throws {
        let (outcome, out) = try renderReport()
        var doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/matrix.json"))) as? [String: Any])
        var sections = try XCTUnwrap(doc["sections"] as? [String: Any])
        sections.removeValue(forKey: "server")
        doc["sections"] = sections
        doc["verdict"] = (doc["verdict"] as? [[String: Any]] ?? []).filter { $0["id"] as? String != "server" }
        let old = out + "/old-matrix.json"
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: old))
        let loaded = try ReportCompare.load(old)
        XCTAssertEqual(loaded.sections.server.missingText, "not run: " + (ServerBench.Report.absentReason ?? ""))
        let result = ReportCompare.compare(old: loaded, new: outcome.report)
        XCTAssertFalse(result.hasRegression, result.text)
        // The other way round, the section that stopped running is a regression, as for every suite.
        XCTAssertEqual(ReportCompare.compare(old: outcome.report, new: loaded).regressions.map(\.id), ["server"])
    }
}
