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
