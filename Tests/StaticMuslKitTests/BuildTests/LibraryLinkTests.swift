import Foundation
import XCTest
@testable import StaticMuslKit

/// Tests/Fixtures/Libraries: URLSession (libcurl + OpenSSL), XMLParser
/// (libxml2) and a systemLibrary target on SQLite, built for musl from
/// Debian's source packages by the recipes and for glibc-dynamic from the
/// system's, run (musl in the scratch root), and compared line for line.
final class LibraryLinkTests: XCTestCase {
    static let packagePath = Fixtures.projectRoot + "/Tests/Fixtures/Libraries"

    static func store() throws -> ArtifactStore {
        var options = BuildStatic.Options(out: Fixtures.projectRoot + "/.build-static/dist-libraries")
        options.packagePath = packagePath
        options.products = ["urlsession-client", "xml-parse", "sqlite-sum"]
        options.variants = ["musl", "glibc-dynamic"]
        return try Fixtures.store(options)
    }

    func artifact(_ product: String, _ variant: Variant) throws -> Artifact {
        try Self.store().artifact(product: product, variant: variant)
    }

    func scratch(_ binary: String, _ arguments: [String] = [], files: [String: String] = [:], timeout: Double = 120) throws -> ScratchResult {
        var options = ScratchRunner.Options(binary: binary, arguments: arguments)
        options.isolateNetwork = false   // the test server listens on the host's loopback
        options.extraFiles = files
        options.timeout = timeout
        options.detectVersions = false
        return try ScratchRunner.run(options)
    }

    /// The libraries the musl link built, by recipe name.
    func recipes(_ artifact: Artifact) -> [String] { (artifact.entry.libraries ?? []).map(\.name) }

    func testSQLiteThroughASystemLibraryTargetMatchesGlibc() throws {
        let musl = try artifact("sqlite-sum", .musl)
        XCTAssertEqual(musl.entry.isStatic, true)
        XCTAssertTrue(recipes(musl).contains("sqlite3"), "\(recipes(musl))")
        let glibc = try ProcessRunner.run(try artifact("sqlite-sum", .glibcDynamic).path, timeout: 60)
        XCTAssertEqual(glibc.exitStatus, 0, glibc.stdout + glibc.stderr)
        // 3 × (1 + … + 1000); 142 names are multiples of 7; widget-…99x: none below 1000 but 99x (990…999) → 10.
        XCTAssertTrue(glibc.stdout.contains("rows: 1000\nsum(amount): 1501500\nLIKE 'widget-%': 142\nLIKE '%-99_': 10\n"), glibc.stdout)
        try Fixtures.requireLab()
        let r = try scratch(musl.path)
        XCTAssertEqual(r.exitStatus, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, glibc.stdout)
    }

    func testXMLParserMatchesGlibc() throws {
        let musl = try artifact("xml-parse", .musl)
        XCTAssertEqual(musl.entry.isStatic, true)
        XCTAssertTrue(recipes(musl).contains("libxml2"), "\(recipes(musl))")
        let glibc = try ProcessRunner.run(try artifact("xml-parse", .glibcDynamic).path, timeout: 60)
        XCTAssertEqual(glibc.exitStatus, 0, glibc.stdout + glibc.stderr)
        for line in ["start book ns=urn:example:catalog qname=book [id=b1 p:currency=EUR]",
                     "  text: Musl & Glibc — a <comparison>", "start publisher ns=urn:example:catalog qname=publisher",
                     "  cdata: <not> & parsed", "  prefix 'p' -> urn:example:price",
                     "start price ns=urn:example:price qname=p:price", "  text: Zürich édition", "xml-parse: ok"] {
            XCTAssertTrue(glibc.stdout.contains(line + "\n"), "glibc-dynamic printed no '\(line)':\n\(glibc.stdout)")
        }
        try Fixtures.requireLab()
        let r = try scratch(musl.path)
        XCTAssertEqual(r.exitStatus, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, glibc.stdout)
    }

    /// GET, POST, a followed redirect, a 404 and a 10 MiB download checked
    /// by SHA-256, against a Python server on 127.0.0.1.
    func testURLSessionOverHTTPMatchesGlibc() throws {
        let musl = try artifact("urlsession-client", .musl)
        XCTAssertEqual(musl.entry.isStatic, true)
        XCTAssertTrue(recipes(musl).contains("curl") && recipes(musl).contains("openssl"), "\(recipes(musl))")
        let server = try TestServer.start()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let glibc = try ProcessRunner.run(try artifact("urlsession-client", .glibcDynamic).path, ["http", base], timeout: 120)
        XCTAssertEqual(glibc.exitStatus, 0, glibc.stdout + glibc.stderr)
        XCTAssertTrue(glibc.stdout.contains("GET /big.bin: 200 10485760 bytes sha256 \(server.bigDigest)\n"), glibc.stdout)
        XCTAssertTrue(glibc.stdout.contains("GET /redirect: 200 landed on /hello.txt: hello from the test server\n"), glibc.stdout)
        XCTAssertTrue(glibc.stdout.contains(#"POST /echo: 200 {"greeting":"grüezi","numbers":[1,2,3]}"#), glibc.stdout)
        try Fixtures.requireLab()
        let r = try scratch(musl.path, ["http", base])
        XCTAssertEqual(r.exitStatus, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, glibc.stdout)
    }

    /// `static-musl size` gives each recipe's archive its own bytes, as a
    /// recipe archive: libcurl, its TLS library and zlib in the URLSession
    /// binary, and nothing of them in glibc-dynamic's (the system's .so).
    func testSizeAttributesEachLibraryToItsArchive() throws {
        let musl = try artifact("urlsession-client", .musl)
        let report = try SizeAttribution.analyze(binary: musl.path, map: musl.linkMap)
        let recipeModules = Dictionary(uniqueKeysWithValues: report.modules.filter { $0.kind == "recipe-archive" }.map { ($0.module, $0.bytes) })
        for name in ["curl", "z"] {
            XCTAssertGreaterThan(recipeModules[name] ?? 0, 10_000, "\(name): \(recipeModules)")
        }
        XCTAssertTrue(recipeModules.keys.contains { ["ssl", "crypto", "mbedtls", "mbedcrypto"].contains($0) }, "no TLS archive: \(recipeModules)")
        let curl = try XCTUnwrap(report.archives.first { $0.archive == "libcurl.a" })
        XCTAssertTrue(curl.path.contains("/.build-static/libraries/curl-"), curl.path)
    }

    /// HTTPS to a server whose private CA is the only certificate in the
    /// root's bundle (/etc/ssl/certs/ca-certificates.crt, where the curl
    /// recipe looks): it succeeds with the bundle, and without it fails with
    /// a URLError, quickly. glibc-dynamic gets the same bundle by a bind
    /// mount in its own mount namespace.
    func testURLSessionOverHTTPSTrustsOnlyTheRootsBundle() throws {
        try Fixtures.requireLab()
        let certs = try TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: certs.directory) }
        let server = try TestServer.start(tls: certs)
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/hello.txt"
        let musl = try artifact("urlsession-client", .musl)
        let bundle = ScratchItem.caBundlePath
        let trusted = try scratch(musl.path, ["https", url], files: [bundle: certs.ca])
        XCTAssertEqual(trusted.exitStatus, 0, trusted.stdout + trusted.stderr)
        XCTAssertEqual(trusted.stdout, "https GET: 200 hello from the test server\nurlsession-client: ok\n")

        let started = Date()
        let untrusted = try scratch(musl.path, ["https", url], timeout: 60)
        XCTAssertFalse(untrusted.timedOut, "HTTPS without a CA bundle hung")
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertEqual(untrusted.exitStatus, 1, untrusted.stdout + untrusted.stderr)
        XCTAssertTrue(untrusted.stdout.hasPrefix("https GET: failed: URLError -"), untrusted.stdout)

        try SystemPackages.ensure("update-ca-certificates", package: "ca-certificates")
        let caFile = certs.directory + "/ca.pem"
        let glibcBinary = try artifact("urlsession-client", .glibcDynamic).path
        let glibc = try ProcessRunner.run("unshare", ["--mount", "--propagation", "private", "sh", "-c",
                                                      "mount --bind \"$0\" \"$1\" && exec \"$2\" https \"$3\"", caFile, bundle, glibcBinary, url],
                                          timeout: 60)
        XCTAssertEqual(glibc.stdout, trusted.stdout, glibc.stderr)
    }

    /// A library nothing provides fails the musl variant in one line that
    /// names it, what wanted it and the option that fixes it; `--lib
    /// NAME=PATH` then links the user's own archive. Bad --lib values are
    /// usage errors.
    func testLibraryWithoutARecipeAndTheUsersOwnArchive() throws {
        let cli = try BuildCLI.path()
        let out = Fixtures.projectRoot + "/.build-static/dist-libraries-frob"
        try? FileManager.default.removeItem(atPath: out)
        let quiet = ProcessInfo.processInfo.environment.merging(["STATIC_MUSL_QUIET": "1"]) { $1 }
        let base = ["build", "--package-path", Self.packagePath, "--product", "needs-frob", "--variant", "musl", "--out", out]
        let missing = try ProcessRunner.run(cli, base, environment: quiet, timeout: 1800)
        XCTAssertEqual(missing.exitStatus, 1, missing.stderr)
        let failures = missing.stderr.split(separator: "\n").filter { $0.hasPrefix("FAILED ") }
        XCTAssertEqual(failures.count, 1, missing.stderr)
        let line = String(failures.first ?? "")
        XCTAssertTrue(line.hasPrefix("FAILED needs-frob (musl): -lfrob (wanted by module needs_frob)"), line)
        XCTAssertTrue(line.contains("--lib frob=PATH/libfrob.a"), line)

        let sysroot = try SysrootTests.defaultSysroot()
        let dir = try temporaryDirectory("frob")
        try "int frob_answer(int question) { return question * 7; }\n".write(toFile: dir + "/frob.c", atomically: true, encoding: .utf8)
        XCTAssertTrue(try ProcessRunner.run(sysroot.muslGCC, ["-O2", "-c", dir + "/frob.c", "-o", dir + "/frob.o"], timeout: 60).succeeded)
        XCTAssertTrue(try ProcessRunner.run("ar", ["rcs", dir + "/libfrob.a", dir + "/frob.o"], timeout: 60).succeeded)
        let supplied = try ProcessRunner.run(cli, base + ["--lib", "frob=\(dir)/libfrob.a"], environment: quiet, timeout: 1800)
        XCTAssertEqual(supplied.exitStatus, 0, supplied.stderr)
        let store = try ArtifactStore(distDirectory: out)
        let binary = try store.artifact(product: "needs-frob", variant: .musl)
        XCTAssertEqual(binary.entry.isStatic, true)
        XCTAssertEqual(try ProcessRunner.run(binary.path, timeout: 30).stdout, "frob_answer(6): 42\n")
        XCTAssertEqual(binary.entry.libraries?.map(\.source), ["--lib frob=\(dir)/libfrob.a"])

        for (value, expected) in [("nosuch", "--lib nosuch: no recipe named 'nosuch'"),
                                  ("frob=/nonexistent/libfrob.a", "--lib frob=/nonexistent/libfrob.a: no file at /nonexistent/libfrob.a"),
                                  ("frob=\(dir)/frob.c", "--lib frob=\(dir)/frob.c: \(dir)/frob.c is not a static archive")] {
            let bad = try ProcessRunner.run(cli, base + ["--lib", value], timeout: 60)
            XCTAssertEqual(bad.exitStatus, 2, value)
            XCTAssertTrue(bad.stderr.hasPrefix("static-musl build: " + expected), bad.stderr)
            XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        }
    }
}

/// Tests/Fixtures/Libraries/test-server.py in the background.
final class TestServer {
    struct StartFailure: Error, CustomStringConvertible {
        var firstLine: String
        var description: String { "test-server.py did not start (first line: '\(firstLine)')" }
    }

    let process = Process()
    let port: Int
    let bigDigest: String

    private init(arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", LibraryLinkTests.packagePath + "/test-server.py"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var first = Data()
        while !first.contains(0x0A) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first.append(chunk)
        }
        let fields = String(decoding: first, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let port = Int(fields[0]) else {
            process.terminate()
            throw StartFailure(firstLine: String(decoding: first, as: UTF8.self))
        }
        self.port = port
        bigDigest = String(fields[1])
    }

    static func start(tls: TestCertificates? = nil) throws -> TestServer {
        try TestServer(arguments: tls.map { ["--tls", $0.directory + "/server.pem", $0.directory + "/server.key"] } ?? [])
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
