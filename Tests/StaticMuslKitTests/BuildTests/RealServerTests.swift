import Foundation
import XCTest
@testable import StaticMuslKit

/// The servers of Tests/Fixtures/RealPackages: swift-nio-ssl's TLS echo
/// (its own BoringSSL) and a Vapor 4 server, static on musl, run in the
/// scratch root (sharing the host's loopback) and talked to by real peers:
/// OpenSSL's s_client and s_server, and curl. Everything they answer must
/// be what glibc-dynamic answers.
final class RealServerTests: XCTestCase {
    static func store() throws -> ArtifactStore {
        var options = BuildStatic.Options(out: Fixtures.projectRoot + "/.build-static/dist-realservers")
        options.packagePath = RealPackageTests.packagePath
        options.products = ["tls-echo", "vapor-hello"]
        options.variants = ["musl", "glibc-dynamic"]
        return try Fixtures.store(options)
    }

    func artifact(_ product: String, _ variant: Variant) throws -> Artifact {
        try Self.store().artifact(product: product, variant: variant)
    }

    /// Runs `body` on another thread; `wait()` returns its result.
    final class Background<T>: @unchecked Sendable {
        private let group = DispatchGroup()
        private var result: Result<T, Error>?
        init(_ body: @escaping @Sendable () throws -> T) {
            group.enter()
            DispatchQueue.global().async { [self] in
                result = Result { try body() }
                group.leave()
            }
        }
        func wait() throws -> T {
            group.wait()
            guard let result else { throw XCTSkip("no result") }
            return try result.get()
        }
    }

    /// Polls until something listens on 127.0.0.1:port (without connecting,
    /// which would use up a server that accepts once).
    func waitForListener(_ port: Int, seconds: Double = 60) throws {
        try SystemPackages.ensure("ss", package: "iproute2")
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let r = try ProcessRunner.run("ss", ["-Hltn", "sport = :\(port)"], timeout: 10)
            if r.stdout.contains(":\(port)") { return }
            usleep(100_000)
        }
        XCTFail("nothing listens on 127.0.0.1:\(port) after \(Int(seconds)) s")
    }

    func scratch(_ binary: String, _ arguments: [String], files: [String: String] = [:], timeout: Double = 90) -> ScratchRunner.Options {
        var options = ScratchRunner.Options(binary: binary, arguments: arguments)
        options.isolateNetwork = false
        options.extraFiles = files
        options.timeout = timeout
        options.detectVersions = false
        return options
    }

    // MARK: TLS

    typealias Certificates = TestCertificates

    func makeCertificates() throws -> Certificates {
        let made = try TestCertificates.make()
        addTeardownBlock { try? FileManager.default.removeItem(atPath: made.directory) }
        return made
    }

    /// glibc-dynamic's client against its own server: the reference output.
    func glibcReference(_ certs: Certificates) throws -> String {
        let dir = try temporaryDirectory("tls-ref")
        for (name, text) in [("ca.pem", certs.ca), ("server.pem", certs.cert), ("server.key", certs.key)] {
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        let glibc = try artifact("tls-echo", .glibcDynamic).path
        let port = try ServerBench.freePort()
        let server = Background { try ProcessRunner.run(glibc, ["server", "--port", "\(port)", "--cert", dir + "/server.pem", "--key", dir + "/server.key", "--once"], timeout: 90) }
        try waitForListener(port)
        let client = try ProcessRunner.run(glibc, ["client", "--port", "\(port)", "--ca", dir + "/ca.pem", "--messages", "100"], timeout: 90)
        XCTAssertEqual(client.exitStatus, 0, client.stderr)
        XCTAssertEqual(try server.wait().exitStatus, 0)
        return client.stdout
    }

    /// (a) OpenSSL's s_client against the musl server; (b) the musl client
    /// against OpenSSL's s_server. Both in the scratch root.
    func testTLSEchoInteroperatesWithOpenSSL() throws {
        try Fixtures.requireLab([.mount, .pid])
        let certs = try makeCertificates()
        let musl = try artifact("tls-echo", .musl)
        XCTAssertEqual(musl.entry.isStatic, true)
        let reference = try glibcReference(certs)
        XCTAssertTrue(reference.hasSuffix("tls-echo: ok\n"), reference)

        // (a) s_client → musl server in the scratch root.
        var port = try ServerBench.freePort()
        let files = ["/tls/ca.pem": certs.ca, "/tls/server.pem": certs.cert, "/tls/server.key": certs.key]
        let server = Background { [self] in
            try ScratchRunner.run(scratch(musl.path, ["server", "--port", "\(port)", "--cert", "/tls/server.pem", "--key", "/tls/server.key", "--once"], files: files))
        }
        try waitForListener(port)
        let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID()).pem").path
        try certs.ca.write(toFile: caFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let sClient = try ProcessRunner.run("/bin/sh", ["-c", "(printf 'hello over tls\\n'; sleep 1) | openssl s_client -connect 127.0.0.1:\(port) -CAfile \(caFile) -verify_return_error -servername localhost -verify_hostname localhost -brief"], timeout: 60)
        XCTAssertEqual(sClient.exitStatus, 0, sClient.stderr)
        XCTAssertEqual(sClient.stdout, "hello over tls\n")
        XCTAssertTrue(sClient.stderr.contains("Verification: OK"), sClient.stderr)
        let served = try server.wait()
        XCTAssertEqual(served.exitStatus, 0, served.stderr)
        XCTAssertTrue(served.stdout.contains("tls-echo: connection closed, 15 bytes echoed"), served.stdout)

        // (b) the musl client in the scratch root → s_server -rev on the host.
        port = try ServerBench.freePort()
        let keyFile = caFile + ".key", certFile = caFile + ".cert"
        try certs.key.write(toFile: keyFile, atomically: true, encoding: .utf8)
        try certs.cert.write(toFile: certFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: keyFile); try? FileManager.default.removeItem(atPath: certFile) }
        let sServer = Background { try ProcessRunner.run("openssl", ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certFile, "-key", keyFile, "-naccept", "1", "-rev"], timeout: 90) }
        try waitForListener(port)
        let client = try ScratchRunner.run(scratch(musl.path, ["client", "--port", "\(port)", "--ca", "/tls/ca.pem", "--messages", "100", "--reversed"], files: files))
        XCTAssertEqual(client.exitStatus, 0, client.stderr)
        XCTAssertEqual(client.stdout, reference, "the musl client against s_server differs from glibc's client against its own server")
        XCTAssertEqual(try sServer.wait().exitStatus, 0)
    }

    // MARK: Vapor

    struct Answers: Equatable { var root: String; var json: String; var echo: String }

    func query(_ port: Int) throws -> Answers {
        let base = "http://127.0.0.1:\(port)"
        func curl(_ args: [String]) throws -> String {
            let r = try ProcessRunner.run("curl", ["-sS", "--retry", "100", "--retry-connrefused", "--retry-delay", "0", "--retry-max-time", "60",
                                                   "-w", "\\n%{http_code} %{content_type}"] + args, timeout: 90)
            XCTAssertEqual(r.exitStatus, 0, r.stderr)
            return r.stdout
        }
        return Answers(root: try curl([base + "/"]), json: try curl([base + "/json"]),
                       echo: try curl(["-X", "POST", "-H", "Content-Type: application/x-test; charset=utf-8", "--data-binary", "ping {\"a\":1}", base + "/echo"]))
    }

    /// GET /, GET /json and POST /echo, answered by the musl server in the
    /// scratch root exactly as by glibc-dynamic.
    func testVaporServesTheSameAnswersAsGlibc() throws {
        try Fixtures.requireLab([.mount, .pid])
        try SystemPackages.ensure("curl", package: "curl")
        let musl = try artifact("vapor-hello", .musl)
        XCTAssertEqual(musl.entry.isStatic, true)
        XCTAssertEqual(musl.entry.libraries?.map(\.name), ["zlib"], "swift-nio-extras links -lz: the zlib recipe")

        var port = try ServerBench.freePort()
        let glibcServer = Background { [port] in
            try ProcessRunner.run(try self.artifact("vapor-hello", .glibcDynamic).path, ["serve", "--hostname", "127.0.0.1", "--port", "\(port)"], timeout: 120)
        }
        try waitForListener(port)
        let glibc = try query(port)
        ProcessRunner.terminateAllChildGroups()
        _ = try? glibcServer.wait()
        XCTAssertEqual(glibc.root, "Hello, static world!\n200 text/plain; charset=utf-8")
        XCTAssertEqual(glibc.json, "{\"name\":\"static-musl\",\"tags\":[\"musl\",\"glibc\"],\"version\":1}\n200 application/json; charset=utf-8")
        XCTAssertEqual(glibc.echo, "ping {\"a\":1}\n200 application/x-test; charset=utf-8")

        port = try ServerBench.freePort()
        let muslServer = Background { [self] in
            try ScratchRunner.run(scratch(musl.path, ["serve", "--hostname", "127.0.0.1", "--port", "\(port)"], timeout: 120))
        }
        try waitForListener(port)
        let answers = try query(port)
        ProcessRunner.terminateAllChildGroups()
        let scratchRun = try muslServer.wait()
        XCTAssertTrue(scratchRun.stdout.hasPrefix("vapor-hello: listening on http://127.0.0.1:\(port)"), scratchRun.stdout + scratchRun.stderr)
        XCTAssertEqual(answers, glibc)
    }
}
