import Foundation
import XCTest
@testable import StaticMuslKit

/// The report model and its three renderings, from the fixture suite JSON.
final class ReportRenderTests: XCTestCase {
    override func setUp() { setenv("STATIC_MUSL_QUIET", "1", 1) }

    func cell(_ r: MatrixReport, _ row: String, _ column: String) throws -> VerdictCell {
        let found = try XCTUnwrap(r.verdict.first { $0.id == row }, "no verdict row \(row)")
        return try XCTUnwrap(found.cells[column], "no \(column) cell in row \(row)")
    }

    func testVerdictTableFromFixtures() throws {
        let (outcome, _) = try renderReport()
        let r = outcome.report
        XCTAssertEqual(r.variants, ["musl", "musl-1.2.5", "glibc-static", "glibc-dynamic", "embedded-musl", "sdk", "musl+mimalloc"])
        XCTAssertEqual(r.baseline, "glibc-dynamic")
        XCTAssertEqual(r.verdict.map(\.id), ["static", "size", "scratch", "dns", "malloc", "server", "conformance"])
        for row in r.verdict {
            XCTAssertEqual(Set(row.cells.keys), Set(r.variants), "row \(row.id) lacks a column")
            for (column, c) in row.cells { XCTAssertFalse(c.text.isEmpty, "\(row.id)/\(column) is empty") }
        }
        XCTAssertEqual(try cell(r, "static", "musl").mark, .pass)
        XCTAssertEqual(try cell(r, "static", "glibc-dynamic").mark, .fail)
        XCTAssertEqual(try cell(r, "size", "musl").value, 5_530_112)                  // stripped size from the manifest
        XCTAssertEqual(try cell(r, "size", "embedded-musl").text, "22.5 kB stripped (embedded-probe)")
        XCTAssertEqual(try cell(r, "scratch", "glibc-dynamic").mark, .fail)
        XCTAssertTrue(try cell(r, "scratch", "glibc-dynamic").text.contains("missing loader"))
        XCTAssertEqual(try cell(r, "dns", "musl").mark, .warn)
        XCTAssertEqual(try cell(r, "dns", "musl").value, 3)
        XCTAssertEqual(try cell(r, "dns", "glibc-static").mark, .pass)
        // At 2 threads (the fixture machine has 2 cores): musl-static / glibc-dynamic per workload, geometric mean
        // of 10.5/38.8, 3.9/50.44, 4.1/13.58, 3.6/18.43, 0.7/5.432, 12/85.36.
        let malloc = try cell(r, "malloc", "musl")
        XCTAssertEqual(malloc.mark, .fail)
        XCTAssertEqual(try XCTUnwrap(malloc.value), 0.168, accuracy: 0.001)
        XCTAssertTrue(malloc.text.hasPrefix("0.17× at 2 threads, worst small-churn 0.08×"), malloc.text)
        XCTAssertEqual(try cell(r, "malloc", "musl+mimalloc").mark, .pass)
        XCTAssertEqual(try cell(r, "conformance", "musl").text, "11/14 same, 3 differ")
        XCTAssertEqual(try cell(r, "conformance", "musl").mark, .warn)
        // Stand-ins, each named in its cell: the C musl probe's resolver for Embedded Swift, musl's
        // mallocng numbers for it, and the Swift musl probe for the mimalloc build.
        XCTAssertEqual(try cell(r, "dns", "embedded-musl").text, "3 of 8 differ (c-musl-static probe)")
        XCTAssertEqual(try cell(r, "dns", "musl+mimalloc").text, "3 of 8 differ (swift-musl-static probe)")
        XCTAssertTrue(try cell(r, "malloc", "embedded-musl").text.hasSuffix("(musl's mallocng, as measured for musl)"))
        XCTAssertEqual(try cell(r, "conformance", "embedded-musl").mark, .na)
        // The skipped SDK explains itself in every row.
        for row in r.verdict { XCTAssertTrue(row.cells["sdk"]?.text.hasPrefix("skipped: ") == true, row.id) }
    }

    /// The musl 1.2.5 column, right after musl: each cell from that suite's 1.2.5 data, or why there is none.
    func testMusl125ColumnFromFixtures() throws {
        let r = try renderReport().0.report
        let c = "musl-1.2.5"
        XCTAssertEqual(r.variants.firstIndex(of: c), try XCTUnwrap(r.variants.firstIndex(of: "musl")) + 1)
        // The fixtures' manifest and inspect run are musl 1.2.3's: the cells say so, naming the header's musl.
        for row in ["static", "size"] {
            let cell = try cell(r, row, c)
            XCTAssertEqual(cell.mark, .na, row)
            XCTAssertTrue(cell.text.hasPrefix("no musl 1.2.5 binary ") && cell.text.hasSuffix("covers musl \(r.header.toolchain.musl) only"),
                          cell.text)
        }
        XCTAssertEqual(try cell(r, "scratch", c), VerdictCell(.pass, "ok (c-musl-1.2.5-static probe)"))
        // DNS: the scenarios whose Swift 1.2.5 probe the report marks as differing, as the musl column counts its own.
        let differ = r.sections.dns.rows.filter { $0.differing.contains("swift-musl-1.2.5-static") }.count
        XCTAssertEqual(try cell(r, "dns", c), VerdictCell(.warn, "\(differ) of \(r.sections.dns.rows.count) differ", value: Double(differ)))
        XCTAssertEqual(try cell(r, "dns", "musl").value, Double(differ + 1), "1.2.5 has the TCP fallback: tc-with-tcp no longer differs")
        // malloc: the geometric mean at 2 threads (the fixture's cores) of musl-1.2.5-static over glibc-dynamic.
        let at2 = r.sections.malloc.rows.filter { $0.threads == 2 }
        let ratios = Dictionary(grouping: at2, by: \.workload).compactMap { _, rows -> Double? in
            guard let mine = rows.first(where: { $0.variant == "musl-1.2.5-static" }),
                  let base = rows.first(where: { $0.variant == "glibc-dynamic" }) else { return nil }
            return mine.opsPerSec.median / base.opsPerSec.median
        }
        XCTAssertEqual(ratios.count, 6)
        let geomean = exp(ratios.map(log).reduce(0, +) / Double(ratios.count))
        let malloc = try cell(r, "malloc", c)
        XCTAssertEqual(try XCTUnwrap(malloc.value), geomean, accuracy: 1e-9)
        XCTAssertGreaterThan(geomean, try XCTUnwrap(cell(r, "malloc", "musl").value), "medium scales on 1.2.5")
        XCTAssertEqual(try cell(r, "server", c), VerdictCell(.na, "not benchmarked: the server bench builds on musl 1.2.3 only"))
        // The 1.2.5 probe answers every check as 1.2.3's.
        XCTAssertEqual(try cell(r, "conformance", c), try cell(r, "conformance", "musl"))
    }

    /// On the sample report's saved suites, the other musl's DNS cell counts the scenarios where the
    /// DNS suite itself says that musl does not answer as glibc (whichever version the sample's run had beside its default).
    func testSampleReportOtherMuslDNSCellAgreesWithTheSuite() throws {
        let suites = Fixtures.projectRoot + "/docs/sample-report/suites"
        let r = try renderReport(suites).0.report
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: suites + "/dns.json"))) as? [String: Any])
        let verdicts = doc["verdicts"] as? [[String: Any]] ?? []
        let version = try XCTUnwrap(MuslSource.versions.first { v in r.variants.contains(VariantColumns.otherMuslColumn(v)) },
                                    "the sample report has no other-musl column: \(r.variants)")
        let disagree = verdicts.filter { v in
            (v["alternatives"] as? [[String: Any]] ?? []).contains {
                $0["alternative"] as? String == "musl \(version)" && $0["agrees_with_glibc"] as? Bool == false
            }
        }.count
        XCTAssertGreaterThan(disagree, 0)
        XCTAssertEqual(try cell(r, "dns", VariantColumns.otherMuslColumn(version)),
                       VerdictCell(.warn, "\(disagree) of \(verdicts.count) differ", value: Double(disagree)))
    }

    /// The conformance suite calls the 1.2.5 build variant "musl": its label, not that, decides the column.
    func testOtherMuslLabelStandsForItsOwnColumnOnly() throws {
        let input = try copyReportFixtures(editing: ["conformance.json": { doc in
            var checks = doc["checks"] as? [[String: Any]] ?? []
            var results = checks[0]["results"] as? [String: Any] ?? [:]
            results["swift-musl-1.2.5-static"] = "planted 1.2.5 answer"
            checks[0]["results"] = results
            doc["checks"] = checks
        }])
        let r = try renderReport(input).0.report
        let plain = try renderReport().0.report
        XCTAssertEqual(try cell(r, "conformance", "musl"), try cell(plain, "conformance", "musl"))
        XCTAssertEqual(try cell(r, "conformance", "musl-1.2.5").text, "10/14 same, 4 differ")
        XCTAssertEqual(r.sections.conformance.rows[0].columns["swift-musl-1.2.5-static"], "musl-1.2.5")
    }

    /// Without data from another musl, the table has no column for it (an older report renders as before).
    func testNoOtherMuslColumnWithoutItsData() throws {
        func dropping(_ key: String, _ names: Set<String>) -> (inout [String: Any]) -> Void {
            { doc in doc[key] = (doc[key] as? [[String: Any]] ?? []).filter { !names.contains($0["variant"] as? String ?? "") } }
        }
        let input = try copyReportFixtures(editing: [
            "dns.json": dropping("results", ["c-musl-1.2.5-static", "swift-musl-1.2.5-static"]),
            "malloc.json": dropping("results", ["musl-1.2.5-static"]),
            "scratch.json": dropping("runs", ["c-musl-1.2.5-static"]),
            "conformance.json": { doc in
                doc["variants"] = (doc["variants"] as? [[String: Any]] ?? []).filter { $0["label"] as? String != "swift-musl-1.2.5-static" }
                doc["checks"] = (doc["checks"] as? [[String: Any]] ?? []).map { check in
                    var check = check
                    var results = check["results"] as? [String: Any] ?? [:]
                    results["swift-musl-1.2.5-static"] = nil
                    check["results"] = results
                    return check
                }
            },
        ])
        let r = try renderReport(input).0.report
        XCTAssertEqual(r.variants, ["musl", "glibc-static", "glibc-dynamic", "embedded-musl", "sdk", "musl+mimalloc"])
    }

    /// Another musl's column reads each suite under the names the suites themselves write, for
    /// the other musl of today's runs and for every version `--musl` knows (a report made while the
    /// other default was in force still has its column).
    func testOtherMuslNamesAreTheSuitesOwn() throws {
        let names = try XCTUnwrap(VariantColumns.names(ofColumn: VariantColumns.otherMuslColumn(MuslSource.otherVersion)))
        XCTAssertEqual(names.swiftProbe, DNSVariant.swiftMuslOther.rawValue)
        XCTAssertEqual(names.cProbe, DNSVariant.cMuslOther.rawValue)
        XCTAssertEqual(names.malloc, MallocVariant.muslOtherStatic.rawValue)
        for v in ["1.2.3", "1.2.5"] {
            XCTAssertEqual(VariantColumns.columnName(for: "swift-musl-\(v)-static"), "musl-\(v)")
            XCTAssertEqual(VariantColumns.columnName(for: "musl-\(v)-static"), "musl-\(v)")
            XCTAssertNil(VariantColumns.columnName(for: "c-musl-\(v)-static"), "C probes stand for no column in the DNS cells")
        }
        XCTAssertEqual(VariantColumns.all.map(\.column).prefix(4), ["musl", "musl-1.2.3", "musl-1.2.5", "glibc-static"])
    }

    func testStableRowIDs() throws {
        let (outcome, _) = try renderReport()
        let s = outcome.report.sections
        XCTAssertTrue(s.build.rows.contains { $0.id == "build/Sample/musl" })
        XCTAssertTrue(s.inspect.rows.contains { $0.id == "inspect/Sample/glibc-static" })
        XCTAssertTrue(s.scratch.rows.contains { $0.id == "scratch/Sample/glibc-dynamic/docker" })
        XCTAssertTrue(s.dns.rows.contains { $0.id == "dns/k8s-ndots5" })
        XCTAssertTrue(s.malloc.rows.contains { $0.id == "malloc/thread-local/musl-static/2" })
        XCTAssertTrue(s.server.rows.contains { $0.id == "server/vapor-hello/musl+mimalloc" })
        XCTAssertTrue(s.conformance.rows.contains { $0.id == "conformance/libc.strerror0" })
        XCTAssertTrue(s.abi.rows.contains { $0.id == "abi/type/regex_t" })
        XCTAssertTrue(s.size.rows.contains { $0.id == "size/Sample/musl" })
        for ids in [s.build.rows.map(\.id), s.dns.rows.map(\.id), s.malloc.rows.map(\.id), s.server.rows.map(\.id)] {
            XCTAssertEqual(Set(ids).count, ids.count, "row ids repeat")
        }
    }

    func testMissingSuiteIsExplicitInEveryOutput() throws {
        let input = try copyReportFixtures(removing: ["dns.json"])
        let (outcome, out) = try renderReport(input)
        XCTAssertEqual(outcome.report.sections.dns.status, .notRun)
        let reason = "not run: no dns.json in \(input)"
        XCTAssertEqual(outcome.report.sections.dns.missingText, reason)
        let cellText = try cell(outcome.report, "dns", "musl").text
        XCTAssertTrue(cellText == reason || (cellText.hasSuffix("… (see Suites)") && reason.hasPrefix(cellText.dropLast(15))), cellText)
        XCTAssertTrue(try ReportFixtures.read(out + "/matrix.json").contains("\"not_run\""))
        XCTAssertTrue(try ReportFixtures.read(out + "/MATRIX.md").contains("**\(reason)**"))
        XCTAssertTrue(try ReportFixtures.read(out + "/index.html").contains("<p class=\"missing\">\(HTML.escape(reason))</p>"))
    }

    func testRecordedReasonIsKept() throws {
        let input = try copyReportFixtures(removing: ["malloc.json"])
        try Data(#"{"malloc": "not run: suite not available in this build"}"#.utf8)
            .write(to: URL(fileURLWithPath: input + "/status.json"))
        let (outcome, _) = try renderReport(input)
        XCTAssertEqual(outcome.report.sections.malloc.missingText, "not run: suite not available in this build")
    }

    func testSuiteJSONMissingAFieldFailsThatSectionNamingTheField() throws {
        let input = try copyReportFixtures(editing: ["dns.json": { doc in
            var results = doc["results"] as? [[String: Any]] ?? []
            results[2].removeValue(forKey: "status")
            doc["results"] = results
        }])
        let (outcome, _) = try renderReport(input)
        XCTAssertEqual(outcome.report.sections.dns.status, .failed)
        XCTAssertEqual(outcome.report.sections.dns.reason,
                       "dns.json does not match the documented JSON: results[2].status: required field is missing")
        XCTAssertEqual(outcome.report.sections.malloc.status, .ok, "one bad suite must not take others down")
    }

    func testNonJSONFileIsRefused() throws {
        let input = try copyReportFixtures()
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: input + "/abi.json"))
        XCTAssertThrowsError(try renderReport(input)) { error in
            XCTAssertEqual(error as? ReportError, .invalidJSON(path: input + "/abi.json", why: "not JSON"))
        }
        XCTAssertThrowsError(try ReportRunner.render(fromJSON: input + "/abi.json", out: input + "/o")) { error in
            XCTAssertEqual(error as? ReportError, .notADirectory(input + "/abi.json"))
        }
    }

    func testMarkdownStartsWithVerdictTable() throws {
        let (_, out) = try renderReport()
        let md = try ReportFixtures.read(out + "/MATRIX.md")
        let firstSection = try XCTUnwrap(md.range(of: "\n## "))
        XCTAssertTrue(md[firstSection.lowerBound...].hasPrefix("\n## Verdict\n\n|  | musl | musl-1.2.5 | glibc-static | glibc-dynamic |"))
        XCTAssertTrue(md.contains("musl 1.2.3") && md.contains("glibc 2.36"), "versions belong in the header")
        XCTAssertTrue(md.contains("| Runs in FROM scratch | ✓ ok |"))
        XCTAssertTrue(md.contains("| `regex_t` | type |"))
    }

    func testHTMLIsSelfContained() throws {
        let (_, out) = try renderReport()
        let html = try ReportFixtures.read(out + "/index.html")
        XCTAssertFalse(html.contains("<script"), "the page needs no scripts")
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "no external assets")
        let refs = html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        for ref in refs { XCTAssertTrue(ref.hasPrefix("#") || ref.hasPrefix("data:"), "external reference \(ref)") }
        XCTAssertFalse(html.contains("src=\""))
        XCTAssertEqual(html.components(separatedBy: "<details id=\"dns/").count - 1, 8, "one <details> per DNS scenario")
        XCTAssertTrue(html.contains("<details><summary>Readiness battery, root &quot;docker&quot;: 3 checks, 2 answered differently</summary>"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 7, "a size chart and one malloc chart per workload")
    }

    func testHTMLEscapesSuiteText() throws {
        let input = try copyReportFixtures(editing: ["conformance.json": { doc in
            var checks = doc["checks"] as? [[String: Any]] ?? []
            checks[6]["explanation"] = "<script>alert(1)</script> & \"quotes\""
            doc["checks"] = checks
        }])
        let (_, out) = try renderReport(input)
        let html = try ReportFixtures.read(out + "/index.html")
        XCTAssertFalse(html.contains("<script>alert(1)"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))
    }

    /// A probe that did not finish is never "same", even when both sides failed alike.
    func testFailedDNSProbeIsAFailNotSame() throws {
        let input = try copyReportFixtures(editing: ["dns.json": { doc in
            var results = doc["results"] as? [[String: Any]] ?? []
            for i in results.indices where (results[i]["variant"] as? String)?.hasPrefix("swift-") == true {
                results[i]["status"] = "probe-failed: no result printed"
                results[i]["addresses"] = [String]()
                results[i]["queries"] = [[String: Any]]()
            }
            doc["results"] = results
            doc.removeValue(forKey: "scenarios")
        }])
        let r = try renderReport(input).0.report
        XCTAssertEqual(try cell(r, "dns", "musl").mark, .fail)
        XCTAssertEqual(try cell(r, "dns", "musl").text, "probe failed in 8 of 8")
        XCTAssertEqual(try cell(r, "dns", "glibc-dynamic").mark, .fail)
    }

    /// Without the suite's verdicts, the report compares status, addresses
    /// and the sequence of distinct queried names; a retransmission is counted, not compared.
    func testDNSVerdictFromResults() throws {
        func result(_ variant: String, _ status: String = "ok", names: [String]) -> DNSResult {
            // As the suite records them: the queried names with consecutive repeats collapsed.
            let queried = names.enumerated().filter { $0.offset == 0 || names[$0.offset - 1] != $0.element }.map(\.element)
            return DNSResult(scenario: "s", variant: variant, status: status, addresses: ["10.0.0.1"], canonicalName: nil,
                             queries: names.map { DNSQueryRecord(server: "127.0.0.1", transport: "udp", type: "A", name: $0, edns: nil,
                                                                 flags: ["rd"], response: "NOERROR, 1 answers", tMs: 0) },
                             queriedNames: queried, queryCount: names.count, retransmissions: names.count - queried.count,
                             elapsedMs: 1, lookups: [], probeError: nil)
        }
        func report(_ results: [DNSResult], verdicts: [DNSScenarioVerdict] = []) -> DNSReport {
            DNSReport(generated: "2026-11-22T12:00:00Z", versions: ToolchainVersions(swift: "6.3", root: "/opt/swift", musl: "1.2.5", glibc: "2.36"),
                      machine: Machine(hostname: "test", kernel: "6.1.0", cpuModel: "test", cores: 2, memoryMb: nil, arch: "x86_64"), scenarioFile: "scenarios.json", variants: results.map(\.variant),
                      skippedVariants: [], results: results, verdicts: verdicts, elapsedMs: 1)
        }
        let retransmitted = report([result("c-glibc-dynamic", names: ["a.", "b."]), result("c-musl-static", names: ["a.", "a.", "b."])])
        XCTAssertEqual(retransmitted.sectionRows[0].verdict, "same")
        XCTAssertEqual(retransmitted.sectionRows[0].results[1].queryCount, 3)
        let reordered = report([result("c-glibc-dynamic", names: ["a.", "b."]), result("c-musl-static", names: ["b.", "a."])])
        let row = reordered.sectionRows[0]
        XCTAssertEqual(row.differing, ["c-musl-static"])
        XCTAssertTrue(row.verdict.hasPrefix("differs: c-musl-static: queried names differ"), row.verdict)
        let status = report([result("swift-glibc-dynamic", names: ["a."]), result("swift-musl-static", "EAI_AGAIN", names: ["a."])],
                            verdicts: [DNSScenarioVerdict(scenario: "s", title: "t", why: "", verdict: "", cSwiftAgree: true,
                                                          cSwiftDifference: nil, observations: [])])
        XCTAssertTrue(status.sectionRows[0].verdict.contains("status EAI_AGAIN vs ok"))
    }
}
