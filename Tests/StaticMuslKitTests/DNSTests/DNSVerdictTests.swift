import Foundation
import XCTest
@testable import StaticMuslKit

/// Verdicts and probe-output parsing, on made-up results (no namespaces).
final class DNSVerdictTests: XCTestCase {
    let scenario = try! DNSScenarioParser.parse(data: Data(#"{"scenarios": [{"id": "s", "title": "t", "why": "w", "resolv_conf": "", "lookup": {"name": "x"}}]}"#.utf8))[0]

    func result(_ v: DNSVariant, _ status: String = "ok", _ addresses: [String] = ["10.0.0.1"], names: [String] = ["x.a.", "x."],
                queries: [DNSQueryRecord] = []) -> DNSResult {
        DNSResult(scenario: "s", variant: v.rawValue, status: status, addresses: addresses, canonicalName: nil, queries: queries,
                  queriedNames: names, queryCount: queries.count, retransmissions: 0, elapsedMs: 1, lookups: [], probeError: nil)
    }

    func testSameNeedsStatusAddressesAndNamesToMatch() {
        let all = DNSVariant.allCases.map { result($0) }
        XCTAssertEqual(DNSSuite.verdict(for: scenario, results: all, variants: DNSVariant.allCases).verdict, "same")
        // Only the order of addresses differs: not the same.
        let reordered = DNSVariant.allCases.map { $0.libc == "musl" ? result($0, "ok", ["10.0.0.1", "10.0.0.2"]) : result($0, "ok", ["10.0.0.2", "10.0.0.1"]) }
        let v = DNSSuite.verdict(for: scenario, results: reordered, variants: DNSVariant.allCases)
        XCTAssertEqual(v.verdict, "differs: addresses glibc [10.0.0.2,10.0.0.1] vs musl [10.0.0.1,10.0.0.2]")
        XCTAssertTrue(v.cSwiftAgree)
    }

    func testNamesAndStatusDifferencesAreSpelledOut() {
        let rs = DNSVariant.allCases.map { $0.libc == "musl" ? result($0, "EAI_AGAIN", [], names: ["x.a."]) : result($0) }
        let v = DNSSuite.verdict(for: scenario, results: rs, variants: DNSVariant.allCases)
        XCTAssertEqual(v.verdict, "differs: status glibc ok vs musl EAI_AGAIN; addresses glibc [10.0.0.1] vs musl []; queried names glibc [x.a. → x.] vs musl [x.a.]")
    }

    func testCAndSwiftDisagreementIsFlagged() {
        let rs = DNSVariant.allCases.map { $0 == .swiftGlibcStatic ? result($0, "EAI_NONAME", []) : result($0) }
        let v = DNSSuite.verdict(for: scenario, results: rs, variants: DNSVariant.allCases)
        XCTAssertFalse(v.cSwiftAgree)
        XCTAssertTrue(v.cSwiftDifference?.hasPrefix("c-glibc-static/swift-glibc-static status: ok vs EAI_NONAME") ?? false, v.cSwiftDifference ?? "")
        XCTAssertTrue(v.verdict.contains("c-glibc-dynamic+c-glibc-static+c-musl-static+swift-glibc-dynamic+swift-musl-static ok vs swift-glibc-static EAI_NONAME"), v.verdict)
    }

    /// musl+c-ares and the other musl do not change the verdict (glibc
    /// against the default musl); each is held against glibc-dynamic on its
    /// own language.
    func testAlternativesAreComparedWithGlibcDynamicApart() {
        let rs = DNSVariant.allCases.map { v -> DNSResult in
            if v.alternative == .cAres { return result(v) }                             // as glibc
            return v.libc == "musl" ? result(v, "EAI_AGAIN", [], names: ["x.a."]) : result(v)
        }
        let v = DNSSuite.verdict(for: scenario, results: rs, variants: DNSVariant.allCases)
        XCTAssertEqual(v.verdict, "differs: status glibc ok vs musl EAI_AGAIN; addresses glibc [10.0.0.1] vs musl []; queried names glibc [x.a. → x.] vs musl [x.a.]")
        XCTAssertEqual(v.alternative(.cAres), DNSAlternativeVerdict(alternative: "musl+c-ares", agreesWithGlibc: true, difference: nil))
        let other = try? XCTUnwrap(v.alternative(.otherMusl))
        let probe = DNSVariant.cMuslOther.rawValue
        XCTAssertEqual(other?.agreesWithGlibc, false)
        XCTAssertEqual(other?.difference?.hasPrefix("\(probe) status EAI_AGAIN vs ok; \(probe) addresses [] vs [10.0.0.1]"), true,
                       other?.difference ?? "")
        // Counted for the summary: of 1 differing scenario, c-ares agrees on 1, the other musl on 0.
        let report = DNSReport(generated: "", versions: ToolchainVersions.detect(), machine: Machine(hostname: "test", kernel: "k", cpuModel: "test", cores: 2, memoryMb: nil, arch: "x86_64"),
                               scenarioFile: "f", variants: DNSVariant.allCases.map(\.rawValue), skippedVariants: [], results: rs,
                               verdicts: [v], elapsedMs: 1)
        XCTAssertTrue(report.alternativeCounts(.cAres) == (1, 1, 1, 0))
        XCTAssertTrue(report.alternativeCounts(.otherMusl) == (1, 1, 0, 0))
        // Only base variants run: no alternatives, as before.
        XCTAssertEqual(DNSSuite.verdict(for: scenario, results: rs, variants: DNSVariant.base).alternatives, [])
    }

    func testObservationsReportTransportsWithoutChangingTheVerdict() {
        func q(_ t: String) -> DNSQueryRecord {
            DNSQueryRecord(server: "127.0.0.1", transport: t, type: "A", name: "x.", edns: nil, flags: ["rd"], response: "", tMs: 0)
        }
        let rs = DNSVariant.allCases.map { result($0, queries: [q($0.libc == "musl" ? "udp" : "tcp")]) }
        let v = DNSSuite.verdict(for: scenario, results: rs, variants: DNSVariant.allCases)
        XCTAssertEqual(v.verdict, "same")
        XCTAssertEqual(v.observations, ["transports glibc tcp vs musl udp"])
    }

    func testProbeOutputParsingAndRetransmissionCount() {
        let out = "probe c musl 1.2.3\nlookup 1\nstatus EAI_NONAME\nend\nlookup 2\nstatus ok\ncanon a.test\naddr 10.0.0.1\naddr ::1 port 80\nend\n"
        let lookups = DNSSuite.parseLookups(out)
        XCTAssertEqual(lookups.map(\.status), ["EAI_NONAME", "ok"])
        XCTAssertEqual(lookups.last?.addresses, ["10.0.0.1", "::1 port 80"])
        func q(_ name: String, _ server: String = "127.0.0.1") -> DNSQueryRecord {
            DNSQueryRecord(server: server, transport: "udp", type: "A", name: name, edns: nil, flags: [], response: "", tMs: 0)
        }
        let run = DNSProbeRun(variant: "c-musl-static", exitStatus: 0, signal: nil, timedOut: false, stdout: out, stderr: "",
                              elapsedMs: 3, queries: [q("a."), q("a.", "127.0.0.2"), q("a."), q("b."), q("a.")])
        let r = DNSSuite.result(from: run, scenario: "s")
        XCTAssertEqual(r.status, "EAI_NONAME then ok")
        XCTAssertEqual(r.canonicalName, "a.test")
        XCTAssertEqual(r.queriedNames, ["a.", "b.", "a."])
        XCTAssertEqual(r.retransmissions, 2)
        XCTAssertNil(r.probeError)
        let crashed = DNSSuite.result(from: DNSProbeRun(variant: "c-musl-static", exitStatus: nil, signal: 11, timedOut: false, stdout: "",
                                                        stderr: "boom", elapsedMs: 1, queries: []), scenario: "s")
        XCTAssertEqual(crashed.status, "probe-failed: signal 11")
        XCTAssertEqual(crashed.probeError, "boom")
    }

    /// Concurrent lookups: one block per thread. The threads' queries
    /// interleave, so their order is not compared; every thread's addresses
    /// are, in full (a swap past the abbreviation still differs), and a
    /// thread whose rounds disagreed says so in the status.
    func testConcurrentThreadsAreCheckedEachAndQueryOrderIsIgnored() {
        func block(_ i: Int, _ addr: String, inconsistent: Bool = false) -> String {
            "lookup \(i + 1)\nthread \(i) t\(i).c.test\nstatus ok\naddr \(addr)\n" + (inconsistent ? "status inconsistent: 2 of 10 rounds differ\n" : "") + "end\n"
        }
        func q(_ name: String) -> DNSQueryRecord {
            DNSQueryRecord(server: "127.0.0.1", transport: "udp", type: "A", name: name, edns: nil, flags: [], response: "", tMs: 0)
        }
        func run(_ v: DNSVariant, _ blocks: [String], _ names: [String]) -> DNSResult {
            DNSSuite.result(from: DNSProbeRun(variant: v.rawValue, exitStatus: 0, signal: nil, timedOut: false,
                                              stdout: "probe c x 1\n" + blocks.joined(), stderr: "", elapsedMs: 5,
                                              queries: names.map(q)), scenario: "s", concurrent: true)
        }
        let right = (0..<8).map { block($0, "10.0.20.\($0)") }
        let names = (0..<8).map { "t\($0).c.test." }
        let glibc = run(.cGlibcDynamic, right, names)
        XCTAssertEqual(glibc.status, "ok")
        XCTAssertEqual(glibc.addresses, (0..<8).map { "t\($0) 10.0.20.\($0)" })
        XCTAssertEqual(glibc.queriedNames, names.sorted())
        // The same answers, queries in another order: same.
        let shuffled = run(.cMuslStatic, right, names.reversed())
        var v = DNSSuite.verdict(for: scenario, results: [glibc, shuffled], variants: [.cGlibcDynamic, .cMuslStatic])
        XCTAssertEqual(v.verdict, "same")
        // Thread 6 got thread 7's address: differs, though the first four agree.
        var swapped = right
        swapped[6] = block(6, "10.0.20.7")
        v = DNSSuite.verdict(for: scenario, results: [glibc, run(.cMuslStatic, swapped, names)], variants: [.cGlibcDynamic, .cMuslStatic])
        XCTAssertTrue(v.verdict.hasPrefix("differs: addresses"), v.verdict)
        // A thread whose rounds disagreed.
        var flaky = right
        flaky[2] = block(2, "10.0.20.2", inconsistent: true)
        let r = run(.cMuslStatic, flaky, names)
        XCTAssertEqual(r.status, "thread 0 ok, thread 1 ok, thread 2 inconsistent: 2 of 10 rounds differ, thread 3 ok, thread 4 ok, thread 5 ok, thread 6 ok, thread 7 ok")
    }

    /// A namespace run that fails as a whole (server crashed or hung) gives
    /// each of its variants a probe-failed result that says what failed and
    /// the last stderr line; a scenario where every variant failed has a
    /// probe-failed verdict (never "same").
    func testFailedLabRunsAreProbeFailedWithTheirReason() {
        let hung = DNSSuite.LabRunFailure(what: "timed out after 29 s", stderr: "")
        let r = DNSSuite.failedResult("s", .cMuslStatic, hung)
        XCTAssertEqual(r.status, "probe-failed: lab run timed out after 29 s; nothing on stderr")
        XCTAssertEqual(r.probeError, "timed out after 29 s; nothing on stderr")
        let crashed = DNSSuite.LabRunFailure(what: "ended with exit 3", stderr: "starting\nFatal error: boom  \n\n")
        XCTAssertEqual(DNSSuite.failedResult("s", .cGlibcStatic, crashed).status,
                       "probe-failed: lab run ended with exit 3; last stderr line: Fatal error: boom")
        let all = DNSVariant.allCases.map { DNSSuite.failedResult("s", $0, hung) }
        let v = DNSSuite.verdict(for: scenario, results: all, variants: DNSVariant.allCases)
        XCTAssertEqual(v.verdict, "probe-failed: lab run timed out after 29 s; nothing on stderr")
        let mixed = DNSVariant.allCases.map { DNSSuite.failedResult("s", $0, $0.libc == "musl" ? crashed : hung) }
        XCTAssertEqual(DNSSuite.verdict(for: scenario, results: mixed, variants: DNSVariant.allCases).verdict,
                       "probe-failed: glibc lab run timed out after 29 s; nothing on stderr vs musl lab run ended with exit 3; last stderr line: Fatal error: boom")
        // Only some variants failed: a difference, as for a crashed probe.
        let some = DNSVariant.allCases.map { $0.libc == "musl" ? DNSSuite.failedResult("s", $0, crashed) : result($0) }
        XCTAssertTrue(DNSSuite.verdict(for: scenario, results: some, variants: DNSVariant.allCases).verdict
            .hasPrefix("differs: status glibc ok vs musl probe-failed: lab run ended with exit 3"))
    }
}
