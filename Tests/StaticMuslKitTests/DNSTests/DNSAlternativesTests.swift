import Foundation
import XCTest
@testable import StaticMuslKit

/// The whole catalogue with the alternatives beside glibc and the default
/// musl: musl with c-ares behind getaddrinfo (`--resolver c-ares`), C and
/// Swift probes, and the other musl version (its C probe: the Swift one is
/// the same libc code, and `static-musl dns` runs both). The suite builds
/// what it lacks (the c-ares recipe, the resolver archive, the Swift probe
/// for musl+c-ares, the other musl's sysroot) into a folder of its own.
final class DNSAlternativesTests: XCTestCase {
    static let variants: [DNSVariant] = [.cGlibcDynamic, .cMuslStatic, .swiftGlibcDynamic,
                                         .cMuslCAres, .swiftMuslCAres, .cMuslOther]
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: Result<DNSReport, Error>?

    func report() throws -> DNSReport {
        try Fixtures.requireLab()
        Self.lock.lock(); defer { Self.lock.unlock() }
        if let cached = Self.cached { return try cached.get() }
        let r = Result { () throws -> DNSReport in
            var o = DNSSuite.Options()
            o.projectRoot = Fixtures.projectRoot
            o.serverExecutable = try DNSLabTests.serverExecutable()
            o.variants = Self.variants
            // The engine builds what the fixtures lack (musl+c-ares, the other musl's sysroot) into a folder of its own.
            let probes = SuiteProbes.dns(o.variants, dist: Fixtures.projectRoot + "/.build-static/dist-dns-alternatives",
                                         buildSwiftProbes: true, projectRoot: Fixtures.projectRoot,
                                         progress: Progress(suite: "dns"))
            o.probes = probes.paths
            o.unavailable = probes.unavailable
            // Each scenario's own namespace, mostly waiting on timeouts: 8 at once.
            o.concurrency = 8
            return try DNSSuite.run(o)
        }
        Self.cached = r
        let report = try r.get()
        print(report.summary())
        return report
    }

    func testEveryAlternativeRanOnEveryScenario() throws {
        let r = try report()
        XCTAssertEqual(r.skippedVariants, [], "every alternative must build here")
        let scenarios = try DNSScenarioParser.load(path: Fixtures.projectRoot + "/dns/scenarios.json")
        XCTAssertEqual(r.verdicts.count, scenarios.count)
        for res in r.results { XCTAssertFalse(res.status.hasPrefix("probe-failed"), "\(res.scenario) \(res.variant): \(res.probeError ?? "")") }
        for v in r.verdicts {
            XCTAssertTrue(v.cSwiftAgree, "\(v.scenario): \(v.cSwiftDifference ?? "")")
            XCTAssertEqual(v.alternatives.map(\.alternative), DNSAlternative.allCases.map(\.rawValue), v.scenario)
        }
    }

    /// c-ares agrees with glibc on every scenario where the default musl
    /// differs but those listed with a reason, and differs nowhere musl agrees.
    func testCAresAgreesWithGlibcWhereMuslDiffers() throws {
        let r = try report()
        let counts = r.alternativeCounts(.cAres)
        XCTAssertGreaterThan(counts.muslDiffers, 0)
        let listed = r.verdicts.filter { $0.verdict.hasPrefix("differs") && DNSAlternative.cAres.knownDifferences[$0.scenario] != nil }.count
        XCTAssertEqual(counts.fixed, counts.muslDiffers - listed, "c-ares agrees on only \(counts.fixed) of \(counts.muslDiffers)")
        XCTAssertEqual(counts.broken, 0, "c-ares differs from glibc where musl agrees")
        for v in r.verdicts where v.verdict.hasPrefix("differs") {
            let agrees = try XCTUnwrap(v.alternative(.cAres)).agreesWithGlibc
            if let why = DNSAlternative.cAres.knownDifferences[v.scenario] {
                XCTAssertFalse(agrees, "\(v.scenario) is listed as a known difference (\(why)) but c-ares now agrees: update the list and docs/dns.md")
            } else {
                XCTAssertTrue(agrees, "\(v.scenario): \(v.alternative(.cAres)?.difference ?? "")")
            }
        }
    }

    /// 8 threads at once, each looking up its own name several times: every
    /// variant, alternatives included, gives every thread exactly the address
    /// the zone holds for that thread's name, and no round disagreed.
    func testConcurrentLookupsGiveEveryThreadItsOwnAnswer() throws {
        let r = try report()
        let scenarios = try DNSScenarioParser.load(path: Fixtures.projectRoot + "/dns/scenarios.json").filter(\.lookup.isConcurrent)
        XCTAssertGreaterThanOrEqual(scenarios.count, 2, "the catalogue has no concurrent scenarios")
        for s in scenarios {
            XCTAssertEqual(s.lookup.threads, 8, s.id)
            let expected = (0..<s.lookup.threads).flatMap { i -> [String] in
                let name = s.lookup.name.replacingOccurrences(of: DNSLookup.threadPlaceholder, with: "\(i)")
                let entry = s.zones.first { $0.key.hasPrefix(name + ".") }?.value
                return (entry?.a ?? []).map { "t\(i) \($0)" }
            }
            XCTAssertEqual(expected.count, s.lookup.threads, "\(s.id): one address per thread in the zone")
            for v in Self.variants {
                let res = try XCTUnwrap(r.result(s.id, v), "\(s.id) \(v.rawValue)")
                XCTAssertEqual(res.status, "ok", "\(s.id) \(v.rawValue)")
                XCTAssertEqual(res.addresses, expected, "\(s.id) \(v.rawValue)")
                XCTAssertEqual(res.lookups.count, s.lookup.threads, "\(s.id) \(v.rawValue)")
            }
        }
    }

    /// Kubernetes' failure, named: ndots:5 with a search list, SERVFAIL from
    /// one domain. musl stops; c-ares (like glibc) goes on to the next domain.
    func testCAresSearchGoesOnPastServfailLikeGlibc() throws {
        let r = try report()
        let musl = try XCTUnwrap(r.result("servfail-mid-search", .cMuslStatic))
        let cAres = try XCTUnwrap(r.result("servfail-mid-search", .cMuslCAres))
        let swift = try XCTUnwrap(r.result("servfail-mid-search", .swiftMuslCAres))
        let glibc = try XCTUnwrap(r.result("servfail-mid-search", .cGlibcDynamic))
        XCTAssertNotEqual(musl.status, "ok")
        XCTAssertEqual(cAres.status, "ok")
        XCTAssertEqual(swift.status, "ok")
        XCTAssertEqual(cAres.addresses, glibc.addresses)
        XCTAssertEqual(cAres.queriedNames, glibc.queriedNames)
    }

    /// musl 1.2.4 added the TCP fallback: 1.2.3 takes the empty truncated
    /// answer, 1.2.5 asks again over TCP and answers as glibc does, whichever
    /// of the two is the default (the base probe) and which the alternative.
    func testMusl125RetriesTruncatedAnswersOverTCP() throws {
        let r = try report()
        let newIsDefault = MuslSource.defaultVersion == "1.2.5"
        XCTAssertEqual(Set([MuslSource.defaultVersion, MuslSource.otherVersion]), ["1.2.3", "1.2.5"])
        let old = try XCTUnwrap(r.result("tc-with-tcp", newIsDefault ? .cMuslOther : .cMuslStatic))
        let new = try XCTUnwrap(r.result("tc-with-tcp", newIsDefault ? .cMuslStatic : .cMuslOther))
        let glibc = try XCTUnwrap(r.result("tc-with-tcp", .cGlibcDynamic))
        XCTAssertFalse(old.queries.contains { $0.transport == "tcp" }, "musl 1.2.3 asked over TCP")
        XCTAssertNotEqual(old.addresses, glibc.addresses)
        XCTAssertTrue(new.queries.contains { $0.transport == "tcp" }, "musl 1.2.5 did not ask over TCP")
        XCTAssertEqual(new.status, glibc.status)
        XCTAssertEqual(new.addresses, glibc.addresses)
        // The verdict is the default musl's; the other musl is the alternative.
        XCTAssertEqual(r.verdict("tc-with-tcp")?.verdict == "same", newIsDefault)
        XCTAssertEqual(r.verdict("tc-with-tcp")?.alternative(.otherMusl)?.agreesWithGlibc, !newIsDefault)
        // The Markdown table has the scenario either way: one musl differs there.
        XCTAssertTrue(r.alternativesMarkdown().contains("| `tc-with-tcp` |"), r.alternativesMarkdown())
    }
}
