import Foundation
import XCTest
@testable import StaticMuslKit

/// The lab end to end: namespaces, the scripted server, all six probe
/// variants (Swift ones from Fixtures.store(), C ones from CProgramBuilder),
/// on the catalogue's scenarios that show the documented differences.
final class DNSLabTests: XCTestCase {
    static let scenarios = ["ndots-1", "ndots-1-dotted-search-only", "servfail-mid-search", "nodata-mid-search", "tc-with-tcp",
                            "udp-over-512", "nsswitch-dns-files", "hosts-case", "k8s-ndots5-external", "res-search-list",
                            "search-dot", "ns2-first-servfail", "resolv-conf-edited", "env-localdomain"]
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: Result<DNSReport, Error>?

    /// `swift test` builds every product next to the test bundle, the CLI
    /// included (whatever --scratch-path): it serves inside the namespace.
    static func serverExecutable() throws -> String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("static-musl").path
        for path in [beside, Fixtures.projectRoot + "/.build/debug/static-musl"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw DNSError.serverFailed("\(beside) is missing: run `swift build` first")
    }

    static func options() throws -> DNSSuite.Options {
        let store = try Fixtures.store()
        var o = DNSSuite.Options()
        o.projectRoot = Fixtures.projectRoot
        o.serverExecutable = try serverExecutable()
        o.only = scenarios
        // The six base probes, on the default musl; musl+c-ares and the other musl are DNSAlternativesTests'.
        o.variants = DNSVariant.base
        // The engine hands them over: the Swift ones from the fixtures' dist (nothing builds), the C ones compiled.
        let probes = SuiteProbes.dns(o.variants, dist: store.root, buildSwiftProbes: false,
                                     projectRoot: Fixtures.projectRoot, progress: Progress(suite: "dns"))
        o.probes = probes.paths
        o.unavailable = probes.unavailable
        return o
    }

    /// One run shared by the tests of this class (the lab takes seconds).
    func report() throws -> DNSReport {
        try Fixtures.requireLab()
        Self.lock.lock(); defer { Self.lock.unlock() }
        if let cached = Self.cached { return try cached.get() }
        let r = Result { try DNSSuite.run(try Self.options()) }
        Self.cached = r
        return try r.get()
    }

    func result(_ r: DNSReport, _ s: String, _ v: DNSVariant) throws -> DNSResult {
        try XCTUnwrap(r.result(s, v), "no result for \(s) \(v.rawValue)")
    }

    func testAllSixVariantsRunAndCAndSwiftAgree() throws {
        let r = try report()
        XCTAssertEqual(r.variants, DNSVariant.base.map(\.rawValue))
        XCTAssertEqual(r.skippedVariants, [])
        XCTAssertEqual(r.results.count, Self.scenarios.count * 6)
        XCTAssertEqual(r.versions.musl, MuslSource.defaultVersion)
        XCTAssertFalse(r.versions.glibc.isEmpty)
        for v in r.verdicts { XCTAssertTrue(v.cSwiftAgree, "\(v.scenario): \(v.cSwiftDifference ?? "")") }
        for res in r.results { XCTAssertNil(res.probeError, "\(res.scenario) \(res.variant): \(res.status)") }
        XCTAssertEqual(r.verdict("ndots-1")?.verdict, "same")
        // The JSON has the issue's shape.
        let json = try JSONSerialization.jsonObject(with: try r.json()) as? [String: Any]
        let first = try XCTUnwrap((json?["results"] as? [[String: Any]])?.first)
        for key in ["scenario", "variant", "status", "addresses", "canonical_name", "queries", "elapsed_ms"] {
            XCTAssertTrue(first.keys.contains(key), "results[0] lacks \(key)")
        }
        let q = try XCTUnwrap((first["queries"] as? [[String: Any]])?.first)
        for key in ["server", "transport", "type", "name", "edns"] { XCTAssertTrue(q.keys.contains(key), "query lacks \(key)") }
        XCTAssertEqual(json?["schema_version"] as? Int, 1)
    }

    func testServfailAbortsMuslSearchButNotGlibc() throws {
        let r = try report()
        for v in DNSVariant.base {
            let res = try result(r, "servfail-mid-search", v)
            if v.libc == "musl" {
                XCTAssertEqual(res.status, "EAI_AGAIN")
                XCTAssertEqual(res.queriedNames, ["host.a.test.", "host.b.test."])
            } else {
                XCTAssertEqual(res.status, "ok")
                XCTAssertEqual(res.addresses, ["10.0.3.3"])
                XCTAssertEqual(res.queriedNames, ["host.a.test.", "host.b.test.", "host.c.test."])
            }
        }
        XCTAssertTrue(r.verdict("servfail-mid-search")?.verdict.hasPrefix("differs: status glibc ok vs musl EAI_AGAIN") ?? false)
        // NODATA stops musl's search too (name_from_dns returns non-zero: EAI_NONAME on 1.2.3, EAI_NODATA from 1.2.4).
        XCTAssertEqual(try result(r, "nodata-mid-search", .cMuslStatic).queriedNames, ["host.a.test.", "host.b.test."])
        XCTAssertEqual(try result(r, "nodata-mid-search", .cGlibcStatic).status, "ok")
    }

    /// musl 1.2.4 added the TCP fallback: the default musl retries a
    /// truncated answer over TCP when it is 1.2.4 or later, and keeps the
    /// truncated UDP part when it is older (DNSAlternativesTests checks the
    /// other version the other way).
    func testTCPFallbackAsTheDefaultMuslVersionHasIt() throws {
        let r = try report()
        let glibc = try result(r, "tc-with-tcp", .swiftGlibcStatic)
        XCTAssertEqual(glibc.queries.map(\.transport), ["udp", "tcp"])
        XCTAssertEqual(glibc.addresses, ["10.0.5.1", "10.0.5.2"])
        XCTAssertEqual(try result(r, "udp-over-512", .cGlibcDynamic).addresses.count, 40)
        let musl = try result(r, "tc-with-tcp", .swiftMuslStatic)
        let partial = try result(r, "udp-over-512", .cMuslStatic).addresses.count
        if Fixtures.musl(MuslSource.defaultVersion, isAtLeast: "1.2.4") {
            XCTAssertEqual(musl.queries.map(\.transport), ["udp", "tcp"])
            XCTAssertEqual(musl.addresses, glibc.addresses)
            XCTAssertEqual(partial, 40)
            XCTAssertEqual(r.verdict("tc-with-tcp")?.verdict, "same")
        } else {
            XCTAssertEqual(musl.queries.map(\.transport), ["udp"])
            XCTAssertEqual(musl.addresses, [])
            // Over 512 bytes: glibc gets all 40 records over TCP, musl keeps the truncated UDP part.
            XCTAssertGreaterThan(partial, 0)
            XCTAssertLessThan(partial, 40)
        }
    }

    func testMuslIgnoresNsswitchAndMatchesHostsCaseSensitively() throws {
        let r = try report()
        XCTAssertEqual(try result(r, "nsswitch-dns-files", .cGlibcDynamic).addresses, ["10.9.9.9"])
        XCTAssertEqual(try result(r, "nsswitch-dns-files", .cMuslStatic).addresses, ["10.2.0.6"])
        XCTAssertEqual(try result(r, "nsswitch-dns-files", .cMuslStatic).queries, [])
        XCTAssertEqual(try result(r, "hosts-case", .swiftGlibcDynamic).addresses, ["10.2.0.3"])
        XCTAssertEqual(try result(r, "hosts-case", .swiftMuslStatic).status, "EAI_NONAME")
    }

    func testKubernetesPodQueriesPerLookup() throws {
        let r = try report()
        for v in DNSVariant.base {
            let res = try result(r, "k8s-ndots5-external", v)
            XCTAssertEqual(res.status, "ok", v.rawValue)
            XCTAssertEqual(res.queryCount, 8, "\(v.rawValue): three search suffixes and the name itself, A and AAAA each")
            XCTAssertEqual(res.queriedNames.last, "api.example.com.")
        }
    }

    func testMuslQuirksOnTheWire() throws {
        let r = try report()
        // musl's res_search is res_query: no search list.
        XCTAssertEqual(try result(r, "res-search-list", .cMuslStatic).queriedNames, ["api."])
        XCTAssertEqual(try result(r, "res-search-list", .cGlibcDynamic).addresses, ["10.0.15.3"])
        // `search .`: musl 1.2.3 sends a malformed question (the server logs it, answers FORMERR
        // and lives on); from 1.2.4 a search domain of "." is the root, as on glibc.
        let dot = try result(r, "search-dot", .cMuslStatic)
        XCTAssertFalse(dot.queries.isEmpty)
        if Fixtures.musl(MuslSource.defaultVersion, isAtLeast: "1.2.4") {
            XCTAssertEqual(dot.status, "ok")
            XCTAssertEqual(dot.queriedNames.first, "host.")
            XCTAssertEqual(dot.addresses, try result(r, "search-dot", .cGlibcDynamic).addresses)
        } else {
            XCTAssertEqual(dot.status, "EAI_AGAIN")
            XCTAssertTrue(dot.queries.allSatisfy { $0.type == "MALFORMED" && $0.response.hasPrefix("FORMERR") }, "\(dot.queries)")
        }
        XCTAssertEqual(try result(r, "search-dot", .swiftMuslStatic).queriedNames, dot.queriedNames)
        // LOCALDOMAIN: glibc only.
        XCTAssertEqual(try result(r, "env-localdomain", .cGlibcStatic).queriedNames, ["host.env.test."])
        XCTAssertEqual(try result(r, "env-localdomain", .cMuslStatic).queriedNames, ["host.file.test."])
        // Both libcs notice a rewritten resolv.conf.
        for v in DNSVariant.base {
            let e = try result(r, "resolv-conf-edited", v)
            XCTAssertEqual(e.status, "ok then ok", v.rawValue)
            XCTAssertEqual(e.addresses, ["10.0.12.2"], v.rawValue)
        }
        // SERVFAIL from the first of two servers: both end with the second server's answer.
        for v in DNSVariant.base {
            XCTAssertEqual(try result(r, "ns2-first-servfail", v).addresses, ["10.0.9.3"], v.rawValue)
        }
    }

    func testTwoRunsGiveTheSameVerdicts() throws {
        let first = try report()
        let second = try DNSSuite.run(try Self.options())
        XCTAssertEqual(first.verdicts.map(\.verdict), second.verdicts.map(\.verdict))
    }

    /// The bare server as a Lab service (for poking at a scenario by hand).
    func testServiceModeAnswersAndLogsAsJSONLines() throws {
        try Fixtures.requireLab()
        let server = try Self.serverExecutable()
        let probe = try CProgramBuilder(projectRoot: Fixtures.projectRoot)
            .build(name: "dns_probe", sources: ["Probes/programs/dns_probe.c"], variant: .muslStatic)
        let work = try temporaryDirectory("dns-service")
        var sandbox = Sandbox(namespaces: [.mount, .pid, .net])
        sandbox.files = [.init("/etc/resolv.conf", "nameserver 127.0.0.2\nsearch example.test\n"), .init("/etc/hosts", DNSScenario.defaultHosts)]
        sandbox.services = [.init([server, "_dns-serve", "--scenarios", Fixtures.projectRoot + "/dns/scenarios.json", "--id", "ndots-1",
                                   "--ready", work + "/ready", "--log", work + "/log"], readyFile: work + "/ready")]
        let r = try Lab.run([probe, "--name", "api", "--family", "inet"], in: sandbox, timeout: 30)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("status ok\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("addr 10.0.0.1\n"), r.stdout)
        let lines = try String(contentsOfFile: work + "/log", encoding: .utf8).split(separator: "\n")
        let first = try JSONDecoder().decode(DNSQueryRecord.self, from: Data(try XCTUnwrap(lines.first).utf8))
        XCTAssertEqual(first.server, "127.0.0.2")
        XCTAssertEqual(first.name, "api.example.test.")
        XCTAssertEqual(first.type, "A")
        XCTAssertEqual(first.transport, "udp")
    }

    /// One scenario's server fails (exits with a message), another's hangs
    /// past the run's limit: both are recorded as probe-failed with what
    /// failed and the last stderr line, and the run goes on (it used to abort
    /// with "scenario t1: timed out after 29 s:" and nothing after the colon).
    /// No probe build: a shell script stands in for the probe.
    func testAFailingScenarioIsRecordedAndTheRunGoesOn() throws {
        try Fixtures.requireLab()
        let work = try temporaryDirectory("dns-failing")
        func scenario(_ id: String) -> String {
            #"{"id": "\#(id)", "title": "t", "why": "w", "resolv_conf": "nameserver 127.0.0.1\n", "#
                + #""zones": {"ok.test.": {"A": ["10.0.0.1"]}}, "lookup": {"name": "ok.test"}}"#
        }
        try #"{"scenarios": [\#(scenario("server-exits")), \#(scenario("server-hangs")), \#(scenario("healthy"))]}"#
            .write(toFile: work + "/scenarios.json", atomically: true, encoding: .utf8)
        // The real server, except for two scenarios (argv: _dns-serve --plan PLAN --out OUT).
        let server = work + "/server.sh", probe = work + "/probe.sh", real = try Self.serverExecutable()
        try """
        #!/bin/sh
        if grep -q server-exits "$3"; then echo 'starting' >&2; echo 'fatal: cannot bind UDP 0.0.0.0:53: injected' >&2; exit 3; fi
        if grep -q server-hangs "$3"; then exec sleep 60; fi
        exec '\(real)' "$@"
        """.write(toFile: server, atomically: true, encoding: .utf8)
        try "#!/bin/sh\nprintf 'probe c glibc 0\\nlookup 1\\nstatus ok\\naddr 10.0.0.1\\nend\\n'\n".write(toFile: probe, atomically: true, encoding: .utf8)
        for f in [server, probe] { XCTAssertEqual(chmod(f, 0o755), 0) }

        var o = DNSSuite.Options()
        o.projectRoot = Fixtures.projectRoot
        o.scenariosFile = work + "/scenarios.json"
        o.serverExecutable = server
        o.variants = [.cGlibcDynamic]
        o.probes = [.cGlibcDynamic: probe]
        o.namespaceTimeout = 4
        let r = try DNSSuite.run(o)
        XCTAssertEqual(r.verdicts.map(\.scenario), ["server-exits", "server-hangs", "healthy"])
        let exits = try result(r, "server-exits", .cGlibcDynamic)
        XCTAssertEqual(exits.status, "probe-failed: lab run ended with exit 3; last stderr line: fatal: cannot bind UDP 0.0.0.0:53: injected")
        XCTAssertTrue(exits.probeError?.contains("starting") ?? false, exits.probeError ?? "")
        XCTAssertEqual(r.verdict("server-exits")?.verdict, exits.status)
        let hangs = try result(r, "server-hangs", .cGlibcDynamic)
        XCTAssertTrue(hangs.status.hasPrefix("probe-failed: lab run timed out after 4 s; "), hangs.status)
        XCTAssertFalse(hangs.probeError?.isEmpty ?? true)
        XCTAssertEqual(r.verdict("server-hangs")?.verdict, hangs.status)
        let healthy = try result(r, "healthy", .cGlibcDynamic)
        XCTAssertEqual(healthy.status, "ok")
        XCTAssertEqual(healthy.addresses, ["10.0.0.1"])
        XCTAssertEqual(r.verdict("healthy")?.verdict, "same")
        XCTAssertTrue(r.summary().hasSuffix("1 same, 0 differ, 2 probe-failed; C and Swift agree on 3/3"), r.summary())
        // The report JSON holds them, status and verdict alike.
        let json = String(decoding: try r.json(), as: UTF8.self)
        XCTAssertTrue(json.contains("\"status\" : \"probe-failed: lab run ended with exit 3"), json)
    }

    func testUnknownScenarioIdIsRefused() throws {
        var o = DNSSuite.Options()
        o.projectRoot = Fixtures.projectRoot
        o.only = ["no-such-scenario"]
        XCTAssertThrowsError(try DNSSuite.run(o)) { error in
            XCTAssertEqual(error as? DNSError, .unknownScenario("no-such-scenario", known: (try? DNSScenarioParser.load(path: Fixtures.projectRoot + "/dns/scenarios.json").count) ?? 0))
        }
    }
}
