import Foundation
import XCTest
@testable import StaticMuslKit

/// ProcessRunner starts every child in its own process group and ends the
/// whole group on timeout or interrupt. Each test runs alone (they call
/// terminateAllChildGroups, which ends every child of this process).
final class ProcessGroupTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("process-group-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    // MARK: Groups, timeouts, interrupts

    func testChildLeadsItsOwnProcessGroup() throws {
        // Field 5 of /proc/PID/stat is the process group; fields are counted
        // after the ")" that closes the command name.
        let r = try ProcessRunner.run("/bin/sh", ["-c", "cat /proc/$$/stat"], timeout: 30)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        let stat = try XCTUnwrap(Self.statFields(r.stdout))
        let pid = try XCTUnwrap(Int32(r.stdout.prefix { $0 != " " }))
        let pgrp = try XCTUnwrap(Int32(stat[2]))
        XCTAssertEqual(pgrp, pid, "the child should lead its own group")
        XCTAssertNotEqual(pgrp, getpgrp(), "the child should not share the test's group")
    }

    func testTimeoutEndsTheChildAndItsGrandchild() throws {
        let pidFile = folder + "/grandchild.pid"
        let started = Date()
        let r = try ProcessRunner.run("/bin/sh", ["-c", "sleep 300 & echo $! > '\(pidFile)'; sleep 300"], timeout: 1)
        XCTAssertTrue(r.timedOut)
        XCTAssertFalse(r.succeeded)
        XCTAssertNil(r.exitStatus)
        XCTAssertEqual(r.signal, SIGTERM, "sh dies of the SIGTERM sent to its group")
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        let grandchild = try Self.readPid(pidFile)
        XCTAssertTrue(Self.waitUntilGone(grandchild), "the grandchild \(grandchild) survived the timeout")
    }

    func testTimeoutKillsAGrandchildThatIgnoresSIGTERM() throws {
        // The grandchild ignores SIGTERM; sh does not, so it is reaped at
        // once, and only the SIGKILL sent to the group after that can end
        // the grandchild.
        let pidFile = folder + "/grandchild.pid"
        let script = "(trap '' TERM; exec sleep 300) & echo $! > '\(pidFile)'; sleep 300"
        let started = Date()
        let r = try ProcessRunner.run("/bin/sh", ["-c", script], timeout: 1)
        XCTAssertTrue(r.timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        let grandchild = try Self.readPid(pidFile)
        XCTAssertTrue(Self.waitUntilGone(grandchild), "the SIGTERM-proof grandchild \(grandchild) survived")
    }

    func testTimeoutKillsAChildThatIgnoresSIGTERM() throws {
        let started = Date()
        let r = try ProcessRunner.run("/bin/sh", ["-c", "trap '' TERM; while :; do sleep 1; done"], timeout: 1)
        XCTAssertTrue(r.timedOut)
        XCTAssertEqual(r.signal, SIGKILL)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testTerminateAllChildGroupsFromAnotherThread() throws {
        let pidFile = folder + "/grandchild.pid"
        let box = ResultBox()
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.set(Result { try ProcessRunner.run("/bin/sh", ["-c", "sleep 300 & echo $! > '\(pidFile)'; sleep 300"], timeout: 300) })
            finished.signal()
        }
        XCTAssertTrue(Self.waitFor { FileManager.default.fileExists(atPath: pidFile) }, "the child never started")
        let grandchild = try Self.readPid(pidFile)

        let started = Date()
        let caller = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            ProcessRunner.terminateAllChildGroups()
            caller.signal()
        }
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success, "run did not return after terminateAllChildGroups")
        XCTAssertEqual(caller.wait(timeout: .now() + 10), .success, "terminateAllChildGroups did not return")
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        let r = try XCTUnwrap(box.get()).get()
        XCTAssertFalse(r.timedOut)
        XCTAssertNil(r.exitStatus)
        XCTAssertEqual(r.signal, SIGTERM)
        XCTAssertTrue(Self.waitUntilGone(grandchild), "the grandchild \(grandchild) survived terminateAllChildGroups")
    }

    func testTerminateAllChildGroupsWithNoChildrenReturns() {
        ProcessRunner.terminateAllChildGroups()
        // Later children still start: only an interrupt refuses new ones.
        XCTAssertEqual(try ProcessRunner.run("/bin/sh", ["-c", "exit 0"], timeout: 30).exitStatus, 0)
    }

    /// End to end: a second copy of this test bundle runs
    /// `interruptHelperBody` (a run of sh with a grandchild) and gets SIGINT,
    /// as from Ctrl-C. It must exit 130 and leave no descendant behind.
    func testInterruptEndsChildGroupsAndExits() throws {
        let bundle = try XCTUnwrap(Self.testBundleExecutable(), "cannot find this test bundle's executable")
        // The helper's temporary folder is ours, to see that it leaves nothing there.
        let helperTemporary = folder + "/tmp"
        try FileManager.default.createDirectory(atPath: helperTemporary, withIntermediateDirectories: true)
        let environment = ProcessInfo.processInfo.environment
            .merging([Self.helperVariable: folder, "TMPDIR": helperTemporary]) { $1 }
        let box = ResultBox()
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.set(Result { try ProcessRunner.run(bundle, [Self.helperTestName], environment: environment, timeout: 120) })
            finished.signal()
        }
        let files = ["helper.pid", "child.pid", "grandchild.pid"].map { folder + "/" + $0 }
        let ready = Self.waitFor(seconds: 60) { files.allSatisfy { FileManager.default.fileExists(atPath: $0) } }
        guard ready else {
            ProcessRunner.terminateAllChildGroups()
            _ = finished.wait(timeout: .now() + 10)
            let r = try? box.get()?.get()
            return XCTFail("the helper never started its child: \(r?.stdout.suffix(2000) ?? "")\(r?.stderr.suffix(2000) ?? "")")
        }
        let pids = try files.map(Self.readPid)
        XCTAssertEqual(kill(pids[0], SIGINT), 0)
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success, "the helper did not exit after SIGINT")
        let r = try XCTUnwrap(box.get()).get()
        XCTAssertEqual(r.exitStatus, 128 + SIGINT, "helper: \(r.stdout.suffix(2000))\(r.stderr.suffix(2000))")
        XCTAssertTrue(Self.waitUntilGone(pids[1]), "the helper's child \(pids[1]) survived the interrupt")
        XCTAssertTrue(Self.waitUntilGone(pids[2]), "the helper's grandchild \(pids[2]) survived the interrupt")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: helperTemporary), [],
                       "the interrupted run's output folder was left behind")
    }

    /// Only does something when started by `testInterruptEndsChildGroupsAndExits`.
    func testInterruptHelperBody() throws {
        guard let dir = ProcessInfo.processInfo.environment[Self.helperVariable] else {
            throw XCTSkip("runs only as the helper process of testInterruptEndsChildGroupsAndExits")
        }
        try FileManager.default.removeItem(atPath: folder)   // setUp's, in the parent's TMPDIR; unused here
        try "\(getpid())".write(toFile: dir + "/helper.pid", atomically: true, encoding: .utf8)
        let script = "sleep 300 & echo $! > '\(dir)/grandchild.pid'; echo $$ > '\(dir)/child.pid'; sleep 300"
        _ = try ProcessRunner.run("/bin/sh", ["-c", script], timeout: 100)
        XCTFail("the helper's child should not finish: SIGINT should have ended this process")
    }

    // MARK: Results, stdin, environment, directory, output

    func testExitStatusAndSignalDecoding() throws {
        let exited = try ProcessRunner.run("/bin/sh", ["-c", "exit 3"], timeout: 30)
        XCTAssertEqual(exited.exitStatus, 3)
        XCTAssertNil(exited.signal)
        XCTAssertFalse(exited.timedOut)
        XCTAssertFalse(exited.succeeded)

        let killed = try ProcessRunner.run("/bin/sh", ["-c", "kill -KILL $$"], timeout: 30)
        XCTAssertNil(killed.exitStatus)
        XCTAssertEqual(killed.signal, SIGKILL)
        XCTAssertFalse(killed.timedOut)

        let ok = try ProcessRunner.run("/bin/sh", ["-c", "echo out; echo err >&2"], timeout: 30)
        XCTAssertTrue(ok.succeeded)
        XCTAssertEqual(ok.stdout, "out\n")
        XCTAssertEqual(ok.stderr, "err\n")
    }

    func testStdinIsDelivered() throws {
        let r = try ProcessRunner.run("cat", stdin: "hello\nworld\n", timeout: 30)
        XCTAssertEqual(r.stdout, "hello\nworld\n")

        // Far more than a pipe holds: the feeder must keep writing while we wait.
        let big = String(repeating: "0123456789abcdef", count: 65_536)   // 1 MiB
        let counted = try ProcessRunner.run("wc", ["-c"], stdin: big, timeout: 30)
        XCTAssertEqual(counted.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "1048576")

        // A child that never reads: no hang, and its exit must not kill us with SIGPIPE.
        let ignored = try ProcessRunner.run("/bin/sh", ["-c", "exit 0"], stdin: big, timeout: 30)
        XCTAssertEqual(ignored.exitStatus, 0)
        XCTAssertFalse(ignored.timedOut)

        let noStdin = try ProcessRunner.run("cat", timeout: 30)   // /dev/null: EOF at once
        XCTAssertEqual(noStdin.exitStatus, 0)
        XCTAssertEqual(noStdin.stdout, "")
    }

    func testEnvironmentAndCurrentDirectoryAreHonoured() throws {
        let r = try ProcessRunner.run("/bin/sh", ["-c", "echo \"$GROUP_TEST\"; pwd -P"],
                                      environment: ["GROUP_TEST": "value with spaces", "PATH": "/usr/bin:/bin"],
                                      currentDirectory: folder, timeout: 30)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        let expected = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        XCTAssertEqual(r.stdout, "value with spaces\n\(expected)\n")

        // Without an environment the child gets ours.
        let inherited = try ProcessRunner.run("/bin/sh", ["-c", "echo \"$PATH\""], timeout: 30)
        XCTAssertEqual(inherited.stdout, (ProcessInfo.processInfo.environment["PATH"] ?? "") + "\n")
        let only = try ProcessRunner.run("/usr/bin/env", environment: ["ONLY": "1"], timeout: 30)
        XCTAssertEqual(only.stdout, "ONLY=1\n")
    }

    func testMissingExecutableAndDirectoryThrow() {
        XCTAssertThrowsError(try ProcessRunner.run("no-such-tool-\(UUID().uuidString)")) { error in
            guard case ProcessError.executableNotFound = error else { return XCTFail("got \(error)") }
        }
        XCTAssertThrowsError(try ProcessRunner.run("/bin/sh", ["-c", "exit 0"], currentDirectory: folder + "/missing")) { error in
            guard case ProcessError.launchFailed = error else { return XCTFail("got \(error)") }
        }
    }

    func testOutputFileDescriptorReceivesStdoutAndStderr() throws {
        let path = folder + "/combined"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let r = try ProcessRunner.run("/bin/sh", ["-c", "echo out; echo err >&2"], timeout: 30, outputFileDescriptor: fd)
        XCTAssertEqual(r.exitStatus, 0)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "out\nerr\n")
    }

    func testChildStartsWithDefaultSignalsAndOnlyStandardDescriptors() throws {
        // Ignore SIGPIPE here, as DNSServer does: the child must not inherit that.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        // A descriptor without O_CLOEXEC, which a plain exec would pass on.
        let leaky = open("/dev/null", O_RDONLY)
        XCTAssertGreaterThanOrEqual(leaky, 0)
        defer { close(leaky) }
        // grep reads its own status (a shell's mask changes while it forks).
        let r = try ProcessRunner.run("grep", ["-E", "^Sig(Ign|Blk):", "/proc/self/status"], timeout: 30)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        var masks: [String: UInt64] = [:]
        for line in r.stdout.split(separator: "\n") {
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { masks[parts[0]] = UInt64(parts[1], radix: 16) }
        }
        XCTAssertEqual(masks["SigBlk"], 0, r.stdout)
        // glibc's posix_spawn itself leaves its internal signals 32 and 33
        // ignored; every ordinary signal must be at its default.
        let ignored = try XCTUnwrap(masks["SigIgn"], r.stdout)
        for signal in [SIGHUP, SIGINT, SIGPIPE, SIGTERM, SIGQUIT, SIGCHLD] {
            XCTAssertEqual(ignored & (1 << UInt64(signal - 1)), 0, "signal \(signal) is ignored in the child: \(r.stdout)")
        }
        XCTAssertEqual(ignored & 0x7fff_ffff, 0, r.stdout)   // signals 1-31

        let listing = try ProcessRunner.run("/bin/sh", ["-c", "ls /proc/$$/fd"], timeout: 30)
        let fds = Set(listing.stdout.split(separator: "\n").compactMap { Int32($0) })
        XCTAssertEqual(fds, [0, 1, 2], "the child's descriptors (the test's fd \(leaky) must not leak)")
    }

    // MARK: Helpers

    static let helperVariable = "STATIC_MUSL_PROCESS_GROUP_HELPER"
    static let helperTestName = "StaticMuslKitTests.ProcessGroupTests/testInterruptHelperBody"

    /// The fields after the command name in a /proc/PID/stat line (state first).
    static func statFields(_ line: String) -> [Substring]? {
        guard let close = line.lastIndex(of: ")") else { return nil }
        return line[line.index(after: close)...].split(separator: " ")
    }

    static func readPid(_ path: String) throws -> pid_t {
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return try XCTUnwrap(pid_t(text), "no pid in \(path): \(text)")
    }

    /// True once `pid` no longer exists, or is a zombie (reparented to an
    /// init that may reap it late, or never: then it is dead all the same).
    static func waitUntilGone(_ pid: pid_t, seconds: Double = 5) -> Bool {
        waitFor(seconds: seconds) {
            if kill(pid, 0) == -1, errno == ESRCH { return true }
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            return statFields(stat)?.first == "Z"
        }
    }

    static func waitFor(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// The executable that runs this bundle's tests (on Linux the .xctest file itself).
    static func testBundleExecutable() -> String? {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}

/// A result handed from a worker thread to the test.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<ProcessResult, Error>?
    func set(_ v: Result<ProcessResult, Error>) { lock.lock(); value = v; lock.unlock() }
    func get() -> Result<ProcessResult, Error>? { lock.lock(); defer { lock.unlock() }; return value }
}
