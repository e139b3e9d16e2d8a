import Foundation
import XCTest
@testable import StaticMuslKit

final class LabTests: XCTestCase {
    func testReplacedFilesAreVisibleInsideAndHostIsUntouched() throws {
        try Fixtures.requireLab()
        let before = try String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)
        var sandbox = Sandbox(namespaces: [.mount, .pid, .net])
        sandbox.files = [.init("/etc/resolv.conf", "nameserver 127.0.0.9\n"),
                         .init("/etc/static-musl-lab-test.conf", "created\n")]
        let r = try Lab.run(["/bin/sh", "-c", "cat /etc/resolv.conf /etc/static-musl-lab-test.conf; ip -o link show up | cut -d: -f2"],
                            in: sandbox, timeout: 20)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        XCTAssertEqual(r.stdout, "nameserver 127.0.0.9\ncreated\n lo\n")
        XCTAssertEqual(try String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/etc/static-musl-lab-test.conf"))
    }

    func testTimeoutKillsTheNamespace() throws {
        try Fixtures.requireLab()
        let r = try Lab.run(["/bin/sleep", "30"], in: Sandbox(namespaces: [.mount, .pid]), timeout: 1)
        XCTAssertTrue(r.timedOut)
        XCTAssertLessThan(r.elapsedMs, 10_000)
    }

    func testSetupFailureIsATypedError() throws {
        try Fixtures.requireLab()
        var sandbox = Sandbox(namespaces: [.mount, .pid])
        sandbox.root = "/etc/hostname"   // a file: /proc cannot be made under it
        XCTAssertThrowsError(try Lab.run(["/x"], in: sandbox, timeout: 10)) { error in
            guard case LabError.setupFailed(let why) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(why.contains("/proc"), why)
        }
    }

    func testStaticMuslProgramRunsInAnEmptyRoot() throws {
        try Fixtures.requireLab()
        let builder = CProgramBuilder(projectRoot: Fixtures.projectRoot)
        let binary = try builder.build(name: "hello", sources: ["CShim/programs/hello.c"], variant: .muslStatic)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lab-root-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.copyItem(atPath: binary, toPath: root + "/hello")
        var sandbox = Sandbox(namespaces: [.mount, .pid])
        sandbox.root = root
        let r = try Lab.run(["/hello"], in: sandbox, timeout: 20)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        XCTAssertEqual(r.stdout, "hello from musl\n")
    }
}
