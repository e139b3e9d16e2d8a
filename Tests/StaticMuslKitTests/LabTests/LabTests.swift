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

    /// The namespace's init SIGKILLed from outside (as the OOM killer does)
    /// in a plain sandbox: unshare cannot re-raise SIGKILL and exits 1 with a
    /// line of its own, which is the command's SIGKILL, not a namespace
    /// set-up failure.
    func testSIGKILLOfTheSandboxIsItsSignalNotASetupFailure() throws {
        try Fixtures.requireLab()
        let marker = "lab-sigkill-" + UUID().uuidString.prefix(8)
        let outcome = LockedBox<Result<ProcessResult, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let result = Result { try Lab.run(["/bin/sh", "-c", "sleep 30; : \(marker)"], in: Sandbox(namespaces: [.mount, .pid]), timeout: 25) }
            outcome.mutate { $0 = result }
            done.signal()
        }.start()
        // The namespace's init: the process unshare forked, running the lab's
        // script and then the command, whose text holds the marker.
        func parentCommand(_ pid: pid_t) -> String? {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let ppid = Int32(fields[1]),
                  let comm = try? String(contentsOfFile: "/proc/\(ppid)/comm", encoding: .utf8) else { return nil }
            return comm.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var initPid: pid_t?
        for _ in 0..<100 where initPid == nil {
            initPid = ScratchHardeningTests.processes(containing: marker).first { parentCommand($0) == "unshare" }
            if initPid == nil { usleep(50_000) }
        }
        let pid = try XCTUnwrap(initPid, "the sandbox's init never appeared")
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success)
        let r = try XCTUnwrap(outcome.value).get()
        XCTAssertEqual(r.signal, SIGKILL, "status \(String(describing: r.exitStatus)), stderr \(r.stderr)")
        XCTAssertNil(r.exitStatus)
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
        let binary = try builder.build(name: "hello", sources: ["Probes/programs/hello.c"], variant: .muslStatic)
        let root = try temporaryDirectory("lab-root")
        try FileManager.default.copyItem(atPath: binary, toPath: root + "/hello")
        var sandbox = Sandbox(namespaces: [.mount, .pid])
        sandbox.root = root
        let r = try Lab.run(["/hello"], in: sandbox, timeout: 20)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        XCTAssertEqual(r.stdout, "hello from musl\n")
    }
}
