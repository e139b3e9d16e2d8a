import Foundation
import XCTest
@testable import StaticMuslKit

/// `--resolver c-ares`: the musl+c-ares variant links CShim/resolver and the
/// c-ares recipe in place of musl's resolver, records it in the manifest,
/// and carries a marker that `inspect` reads, stripped or not.
final class ResolverShimTests: XCTestCase {
    static func store() throws -> ArtifactStore {
        var options = BuildStatic.Options(out: Fixtures.projectRoot + "/.build-static/dist-resolver")
        options.products = ["dns-probe"]
        options.variants = ["musl"]
        options.resolver = .cAres
        return try Fixtures.store(options)
    }

    func testManifestRecordsTheResolverAndItsLibrary() throws {
        let store = try Self.store()
        let plain = try store.artifact(product: "dns-probe", variant: .musl)
        let cAres = try store.artifact(product: "dns-probe", variant: .muslCAres)
        XCTAssertEqual(cAres.entry.status, "ok", cAres.entry.reason ?? "")
        XCTAssertEqual(cAres.entry.isStatic, true)
        XCTAssertNil(plain.entry.resolver)
        let resolver = try XCTUnwrap(cAres.entry.resolver)
        XCTAssertTrue(resolver.hasPrefix("c-ares 1."), resolver)
        let library = try XCTUnwrap(cAres.entry.libraries?.first { $0.name == "c-ares" })
        XCTAssertTrue(library.source.contains("Debian source package c-ares"), library.source)
    }

    /// musl's resolver is not in the binary at all: its getaddrinfo and
    /// gethostbyname2_r are the only callers of __lookup_name.
    func testMuslsResolverIsReplacedNotWrapped() throws {
        let store = try Self.store()
        let plain = try store.artifact(product: "dns-probe", variant: .musl)
        let cAres = try store.artifact(product: "dns-probe", variant: .muslCAres)
        func symbols(_ path: String) throws -> Set<String> {
            let r = try ProcessRunner.run("nm", [path], timeout: 60)
            XCTAssertTrue(r.succeeded, r.stderr)
            return Set(r.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) })
        }
        let withCAres = try symbols(cAres.path), withMusl = try symbols(plain.path)
        XCTAssertTrue(withMusl.contains("__lookup_name"))
        XCTAssertFalse(withCAres.contains("__lookup_name"), "musl's resolver was linked beside c-ares")
        for symbol in ["__cshim_resolver_lookup", "ares_init_options", "getaddrinfo", "freeaddrinfo", "getnameinfo"] {
            XCTAssertTrue(withCAres.contains(symbol), symbol)
        }
        let map = try String(contentsOfFile: cAres.path + ".map", encoding: .utf8)
        XCTAssertTrue(map.contains("libcshim_resolver.a(getaddrinfo.o)"))
        XCTAssertFalse(map.contains("libc.a(getaddrinfo.o)"))
    }

    func testInspectNamesTheResolverStrippedAndNot() throws {
        let store = try Self.store()
        let cAres = try store.artifact(product: "dns-probe", variant: .muslCAres)
        let stripped = FileManager.default.temporaryDirectory.appendingPathComponent("resolver-\(UUID()).stripped").path
        defer { try? FileManager.default.removeItem(atPath: stripped) }
        let r = try ProcessRunner.run("strip", ["-o", stripped, cAres.path], timeout: 60)
        XCTAssertTrue(r.succeeded, r.stderr)
        for path in [cAres.path, stripped] {
            let file = try InspectSuite.inspect(path: path)
            XCTAssertEqual(file.libc, .musl, path)
            XCTAssertEqual(file.resolver?.hasPrefix("c-ares 1."), true, "\(path): \(file.resolver ?? "nil")")
        }
        XCTAssertEqual(try InspectSuite.inspect(path: try store.artifact(product: "dns-probe", variant: .musl).path).resolver, "musl")
    }

    func testResolverFlagIsValidated() throws {
        let cli = try DNSLabTests.serverExecutable()
        let r = try ProcessRunner.run(cli, ["build", "--resolver", "bind9"], timeout: 60)
        XCTAssertEqual(r.exitStatus, 2)
        XCTAssertTrue(r.stderr.contains("--resolver must be one of musl, c-ares, not 'bind9'"), r.stderr)
    }
}

/// swift-nio's resolver (GetaddrinfoResolver, through getaddrinfo) in a
/// musl+c-ares build of Tests/Fixtures/RealPackages' nio-resolve, run by
/// the DNS lab as a Swift probe: a name served only through a search domain
/// resolves, as with glibc, where plain musl does not.
final class ResolverSwiftNIOTests: XCTestCase {
    func testSwiftNIOResolvesThroughCAresWhereMuslFails() throws {
        try Fixtures.requireLab()
        var options = BuildStatic.Options(out: Fixtures.projectRoot + "/.build-static/dist-nio-resolve")
        options.packagePath = RealPackageTests.packagePath
        options.products = ["nio-resolve"]
        options.variants = ["musl", "glibc-dynamic"]
        options.resolver = .cAres
        let store = try Fixtures.store(options)
        var o = DNSSuite.Options()
        o.projectRoot = Fixtures.projectRoot
        o.serverExecutable = try DNSLabTests.serverExecutable()
        // "db.internal" with ndots:1 and search example.test: musl asks for the
        // name as it is only; glibc and c-ares then try db.internal.example.test.
        o.only = ["ndots-1-dotted-search-only", "servfail-mid-search"]
        o.variants = [.swiftGlibcDynamic, .swiftMuslStatic, .swiftMuslCAres]
        o.probes = [.swiftGlibcDynamic: try store.artifact(product: "nio-resolve", variant: .glibcDynamic).path,
                    .swiftMuslStatic: try store.artifact(product: "nio-resolve", variant: .musl).path,
                    .swiftMuslCAres: try store.artifact(product: "nio-resolve", variant: .muslCAres).path]
        let report = try DNSSuite.run(o)
        print(report.summary())
        for scenario in o.only {
            let glibc = try XCTUnwrap(report.result(scenario, .swiftGlibcDynamic))
            let musl = try XCTUnwrap(report.result(scenario, .swiftMuslStatic))
            let cAres = try XCTUnwrap(report.result(scenario, .swiftMuslCAres))
            XCTAssertEqual(glibc.status, "ok", "\(scenario): glibc \(glibc.probeError ?? "")")
            XCTAssertFalse(glibc.addresses.isEmpty, scenario)
            XCTAssertNotEqual(musl.status, "ok", "\(scenario): plain musl resolved it, so the scenario shows nothing")
            XCTAssertEqual(cAres.status, "ok", "\(scenario): \(cAres.probeError ?? "")")
            XCTAssertEqual(cAres.addresses, glibc.addresses, scenario)
            XCTAssertEqual(cAres.queriedNames, glibc.queriedNames, scenario)
            XCTAssertEqual(report.verdict(scenario)?.alternative(.cAres)?.agreesWithGlibc, true, scenario)
        }
    }
}
