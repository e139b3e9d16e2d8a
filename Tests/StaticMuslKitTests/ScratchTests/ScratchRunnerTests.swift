import Foundation
import XCTest
@testable import StaticMuslKit

/// The container-like root itself: layout, verdicts, cleanup.
final class ScratchRunnerTests: XCTestCase {
    static func program(_ name: String, _ variant: CVariant = .muslStatic) throws -> String {
        try CProgramBuilder(projectRoot: Fixtures.projectRoot)
            .build(name: name, sources: ["Probes/programs/\(name).c"], variant: variant, withShim: false)
    }

    /// A private parent for scratch roots, so "nothing left behind" is not
    /// confused by other processes using the shared temporary folder.
    static func workDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-tests-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func leftovers(_ dir: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? ["(cannot list \(dir))"]
    }

    /// NaN, infinity, 1e300, 0 and -1 never fire or fire at once: refused
    /// before anything runs (the CLI exits 2).
    func testTimeoutsMustBeFiniteAndPositive() throws {
        let layout = try Self.program("scratch_layout")
        for bad in [Double.nan, .infinity, 1e300, 0, -1] {
            var o = ScratchRunner.Options(binary: layout)
            o.timeout = bad
            XCTAssertThrowsError(try ScratchRunner.run(o), "\(bad)") { error in
                guard case ScratchError.badTimeout = error else { return XCTFail("\(bad): \(error)") }
            }
        }
    }

    /// A symlink to a static binary runs as the binary (it used to be copied
    /// as a dangling link and reported as missing-loader).
    func testASymlinkRunsAsWhatItPointsTo() throws {
        try Fixtures.requireLab([.mount, .pid])
        let layout = try Self.program("scratch_layout")
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("layout-link-\(UUID())").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: layout)
        defer { try? FileManager.default.removeItem(atPath: link) }
        var o = ScratchRunner.Options(binary: link)
        o.detectVersions = false
        let r = try ScratchRunner.run(o)
        XCTAssertEqual(r.verdict, .ok, r.reason)
        XCTAssertEqual(r.exitStatus, 0)
    }

    func testRootLooksLikeADockerScratchContainer() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let layout = try Self.program("scratch_layout")
        let work = try Self.workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        var o = ScratchRunner.Options(binary: layout)
        o.workDirectory = work
        let r = try ScratchRunner.run(o)
        XCTAssertEqual(r.verdict, .ok, r.stderr)
        let checks = ScratchReadiness.parseChecks(r.stdout)
        let name = (layout as NSString).lastPathComponent
        XCTAssertEqual(checks["root"], ["dev", "etc", name, "proc"].sorted().joined(separator: " "))
        XCTAssertEqual(checks["dev"], "fd full null random shm stderr stdin stdout tty urandom zero")
        XCTAssertEqual(checks["etc"], "hostname hosts resolv.conf")
        XCTAssertEqual(checks["hostname-file"], "scratch")
        XCTAssertEqual(checks["uname"], "scratch")
        XCTAssertEqual(checks["pid"], "1")
        XCTAssertEqual(checks["dev-zero"], "0")
        XCTAssertEqual(checks["proc-self"], "ok")
        XCTAssertEqual(Self.leftovers(work), [], "the scratch root was not removed")
    }

    func testBareRootAndWithItems() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        var o = ScratchRunner.Options(binary: try Self.program("scratch_layout"))
        o.bare = true
        var checks = ScratchReadiness.parseChecks(try ScratchRunner.run(o).stdout)
        XCTAssertEqual(checks["etc"], "(missing)")
        o.with = try ScratchRunner.parseItems(["passwd,group", "tmp", "tzdata,certs,hosts,resolv"])
        checks = ScratchReadiness.parseChecks(try ScratchRunner.run(o).stdout)
        XCTAssertEqual(checks["etc"], "group hosts passwd resolv.conf ssl")
        XCTAssertTrue(checks["root"]?.contains(" tmp ") ?? false, checks["root"] ?? "")
        XCTAssertTrue(checks["root"]?.hasSuffix(" usr") ?? false, checks["root"] ?? "")
        XCTAssertThrowsError(try ScratchRunner.parseItems(["passwd,nope"])) { error in
            XCTAssertTrue("\(error)".contains("'nope'"), "\(error)")
        }
    }

    /// The classic experiment: a dynamic glibc binary in FROM scratch.
    func testDynamicGlibcFailsWithMissingLoader() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let hello = try InspectTestSupport.cBinary(.glibcDynamic, strip: false)
        let r = try ScratchRunner.run(ScratchRunner.Options(binary: hello))
        XCTAssertEqual(r.verdict, .missingLoader, "\(r)")
        XCTAssertEqual(r.reason, "missing loader /lib64/ld-linux-x86-64.so.2")
        XCTAssertEqual(r.exitStatus, 127)
        XCTAssertTrue(r.stderr.contains("No such file or directory"), r.stderr)
        XCTAssertEqual(r.binaryClass, .dynamic)
    }

    func testEveryStaticCKindRuns() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        for variant in CVariant.allCases where variant != .glibcDynamic {
            for strip in [false, true] {
                let r = try ScratchRunner.run(ScratchRunner.Options(binary: try InspectTestSupport.cBinary(variant, strip: strip)))
                XCTAssertEqual(r.verdict, .ok, "\(variant.rawValue): \(r.reason) \(r.stderr)")
                XCTAssertEqual(r.stdout, "hello from \(variant.libc)\n", variant.rawValue)
            }
        }
    }

    func testVerdictsForStatusSignalAndTimeout() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let sleeper = try Self.program("sleeper")
        let work = try Self.workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        var o = ScratchRunner.Options(binary: sleeper, arguments: ["0"])
        o.workDirectory = work
        var r = try ScratchRunner.run(o)
        XCTAssertEqual(r.verdict, .failed); XCTAssertEqual(r.exitStatus, 3); XCTAssertEqual(r.reason, "exited with status 3")
        o.arguments = ["abort"]
        r = try ScratchRunner.run(o)
        XCTAssertEqual(r.verdict, .crashed, "\(r)")
        // The binary is PID 1, as in `docker run` without --init: the kernel
        // drops SIGABRT without a handler, so abort() falls back to a crash
        // instruction and the process dies by SIGSEGV, not SIGABRT.
        XCTAssertNotNil(r.signal)
        XCTAssertTrue(r.reason.hasPrefix("killed by signal"), r.reason)
        o.arguments = []
        o.timeout = 1
        r = try ScratchRunner.run(o)
        XCTAssertEqual(r.verdict, .timeout, "\(r)")
        XCTAssertTrue(r.timedOut)
        XCTAssertEqual(Self.leftovers(work), [], "a scratch root was left behind")
    }

    func testBadInputIsATypedError() throws {
        XCTAssertThrowsError(try ScratchRunner.run(ScratchRunner.Options(binary: "/nonexistent/static-musl-binary"))) { error in
            guard case ScratchError.binaryMissing(let path) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "/nonexistent/static-musl-binary")
        }
    }

    func testResultEncodesTheInterfaceKeys() throws {
        let r = ScratchResult(exitStatus: 0, signal: nil, stdout: "x", stderr: "", verdict: .ok, reason: "exited 0",
                              binary: "/b", arguments: [], with: [.tmp], bare: false, timedOut: false, elapsedMs: 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: r.jsonData()) as? [String: Any])
        for key in ["exit_status", "signal", "stdout", "stderr", "verdict", "reason"] {
            XCTAssertTrue(object.keys.contains(key), "missing \(key)")
        }
        XCTAssertTrue(object["signal"] is NSNull)
    }
}
