import Foundation
import XCTest
@testable import StaticMuslKit

/// A private CA and a server certificate for 127.0.0.1 and localhost, made
/// by Debian's openssl at test time (P-256, 30 days), PEM text and files.
struct TestCertificates {
    var ca: String
    var cert: String
    var key: String
    /// Holds ca.pem, server.pem and server.key; the caller removes it.
    var directory: String

    static func make() throws -> TestCertificates {
        try SystemPackages.ensure("openssl", package: "openssl")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let ext = "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
        try ext.write(toFile: dir + "/server.ext", atomically: true, encoding: .utf8)
        for step in [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
             "-days", "30", "-subj", "/CN=static-musl test CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
             "-days", "30", "-extfile", "server.ext"],
        ] {
            let r = try ProcessRunner.run("openssl", step, currentDirectory: dir, timeout: 60)
            XCTAssertTrue(r.succeeded, "openssl \(step.first ?? ""): \(r.stderr)")
        }
        func read(_ name: String) throws -> String { try String(contentsOfFile: dir + "/" + name, encoding: .utf8) }
        return TestCertificates(ca: try read("ca.pem"), cert: try read("server.pem"), key: try read("server.key"), directory: dir)
    }
}
