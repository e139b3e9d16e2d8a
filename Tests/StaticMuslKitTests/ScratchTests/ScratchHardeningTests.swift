import Foundation
import XCTest
@testable import StaticMuslKit

/// Hostile programs (Tests/Fixtures/hostile) against the hardened scratch
/// root: escapes, a fork bomb, a disk filler, output floods, interrupts and
/// cleanup failures. Each test bounds what the program may take (pids,
/// disk, time) so that a broken limit fails the test, not the machine.
final class ScratchHardeningTests: XCTestCase {
    static func hostile(_ name: String) throws -> String {
        try CProgramBuilder(projectRoot: Fixtures.projectRoot)
            .build(name: name, sources: ["Tests/Fixtures/hostile/\(name).c"], variant: .muslStatic, withShim: false)
    }

    static func options(_ binary: String, _ arguments: [String] = [], work: String) -> ScratchRunner.Options {
        var o = ScratchRunner.Options(binary: binary, arguments: arguments)
        o.detectVersions = false
        o.workDirectory = work
        o.timeout = 60
        return o
    }

    /// A private folder, removed after the test (immutable flags first).
    func privateFolder(_ label: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-hardening-\(label)-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock {
            _ = try? ProcessRunner.run("chattr", ["-R", "-i", dir], timeout: 30)
            try? FileManager.default.removeItem(atPath: dir)
        }
        return dir
    }

    /// Host pids whose command line contains `marker`.
    static func processes(containing marker: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != getpid(),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            return String(decoding: data, as: UTF8.self).contains(marker) ? pid : nil
        }
    }

    /// The sandboxed program itself: its argv[0] is its path inside the
    /// root ("/wait_for_file-…"), unlike the CLI, setpriv, unshare, the
    /// script and scratch_enter, whose command lines also carry `marker`.
    static func sandboxedProgram(_ marker: String, named name: String) -> pid_t? {
        processes(containing: marker).first { pid in
            let argv0 = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")?.split(separator: 0).first
            return argv0.map { String(decoding: $0, as: UTF8.self).hasPrefix("/" + name) } ?? false
        }
    }

    /// Polls `condition` every 20 ms for up to `seconds`; its last value.
    static func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// The run's cgroup folders still present (named after the CLI's pid).
    static func cgroupLeftovers(ownerPid: pid_t) -> [String] {
        ScratchCgroup.parentFolders().flatMap { parent in
            ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [])
                .filter { $0.hasPrefix("\(ScratchRunner.namePrefix)\(ownerPid)-") }.map { parent + "/" + $0 }
        }
    }

    static func hostRootDevice() -> String {
        var info = stat()
        guard stat("/", &info) == 0 else { return "" }
        let dev = UInt64(info.st_dev)
        let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff))
        let minor = (dev & 0xff) | ((dev >> 12) & ~UInt64(0xff))
        return "\(major):\(minor)"
    }

    // MARK: Escapes and privileges

    /// chroot-and-`..`, /proc/<pid>/root, open_tree, mount, core_pattern and
    /// a block device node: none reads the host's marker or creates a host
    /// file. The same program in the old plain chroot does escape, which
    /// shows the checks can fail.
    func testEscapeAttemptsStayInsideTheRoot() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let escape = try Self.hostile("escape")
        let host = try privateFolder("escape")
        let secret = "host-secret-\(UUID().uuidString)"
        let marker = host + "/marker", created = host + "/created-by-the-sandbox"
        try secret.write(toFile: marker, atomically: true, encoding: .utf8)
        let arguments = [marker, created, Self.hostRootDevice()]

        let r = try ScratchRunner.run(Self.options(escape, arguments, work: host))
        XCTAssertEqual(r.verdict, .ok, "\(r.reason) \(r.stderr)")
        for attempt in ["direct", "proc-1-root", "open-tree", "mount-tmpfs", "mount-bind", "umount-proc-sys", "core-pattern",
                        "block-device", "chroot-walk"] {
            XCTAssertTrue(r.stdout.contains("\(attempt): blocked"), "\(attempt) not blocked:\n\(r.stdout)")
        }
        XCTAssertFalse(r.stdout.contains("ESCAPED"), r.stdout)
        XCTAssertFalse(r.stdout.contains(secret), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: created), "the sandbox created a file on the host")

        // The control: chroot alone, as scratch was before.
        let plain = try privateFolder("plain-chroot")
        try FileManager.default.copyItem(atPath: escape, toPath: plain + "/escape")
        var sandbox = Sandbox(namespaces: [.mount, .pid])
        sandbox.root = plain
        let control = try Lab.run(["/escape"] + arguments, in: sandbox, timeout: 30)
        XCTAssertTrue(control.stdout.contains("chroot-walk: ESCAPED"), "the control did not escape:\n\(control.stdout)")
        XCTAssertTrue(control.stdout.contains(secret), control.stdout)
    }

    /// Docker's default capabilities (0xa80425fb) in every set but the
    /// ambient one, and no_new_privs; --privileged keeps the full set.
    func testCapabilitiesAreDockersDefaultSetUnlessPrivileged() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let status = try Self.hostile("show_status")
        let work = try privateFolder("caps")
        var o = Self.options(status, work: work)
        func checks(_ text: String) -> [String: String] { ScratchReadiness.parseChecks(text.replacingOccurrences(of: ":\t", with: ": ")) }
        var lines = checks(try ScratchRunner.run(o).stdout)
        for set in ["CapInh", "CapPrm", "CapEff", "CapBnd"] {
            XCTAssertEqual(lines[set].map { $0.trimmingCharacters(in: .whitespaces) }, "00000000a80425fb", set)
        }
        XCTAssertEqual(lines["CapAmb"]?.trimmingCharacters(in: .whitespaces), "0000000000000000")
        XCTAssertEqual(lines["NoNewPrivs"]?.trimmingCharacters(in: .whitespaces), "1")

        o.privileged = true
        let r = try ScratchRunner.run(o)
        lines = checks(r.stdout)
        let hostStatus = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let hostBounding = checks(hostStatus)["CapBnd"]?.trimmingCharacters(in: .whitespaces)
        XCTAssertEqual(lines["CapBnd"]?.trimmingCharacters(in: .whitespaces), hostBounding)
        XCTAssertEqual(lines["NoNewPrivs"]?.trimmingCharacters(in: .whitespaces), "1")
        XCTAssertEqual(r.limits.first { $0.kind == .capabilities }?.value, "all")
    }

    // MARK: Limits

    /// Every process forks again; the cgroup's pids.max stops it, the run
    /// ends, and the cgroup is removed.
    func testForkBombIsStoppedByThePidsLimit() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let bomb = try Self.hostile("forkbomb")
        var o = Self.options(bomb, ["2048"], work: try privateFolder("forkbomb"))
        o.pidsLimit = 64
        let r = try ScratchRunner.run(o)
        XCTAssertEqual(r.verdict, .ok, "\(r.reason) \(r.stderr)")
        let pids = try XCTUnwrap(r.limits.first { $0.kind == .pids })
        XCTAssertTrue(pids.applied, pids.detail)
        XCTAssertTrue(r.stdout.hasPrefix("fork failed after "), r.stdout)
        XCTAssertTrue(r.stdout.contains("Resource temporarily unavailable"), r.stdout)
        let forks = Int(r.stdout.split(separator: " ").dropFirst(3).first ?? "") ?? .max
        XCTAssertLessThan(forks, 64, r.stdout)
        XCTAssertEqual(Self.cgroupLeftovers(ownerPid: getpid()), [], "the run's cgroup was not removed")
    }

    /// A 2 GiB write ends with ENOSPC at the tmpfs's size; the host's disk
    /// does not take it.
    func testTwoGigabyteWriteStopsAtTheDiskLimit() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let fill = try Self.hostile("diskfill")
        let work = try privateFolder("diskfill")
        var o = Self.options(fill, [String(2 << 30)], work: work)
        o.diskLimitBytes = 8 << 20
        func freeBytes() -> UInt64 {
            var info = statvfs()
            return statvfs(work, &info) == 0 ? UInt64(info.f_bavail) * UInt64(info.f_frsize) : 0
        }
        let before = freeBytes()
        let r = try ScratchRunner.run(o)
        let after = freeBytes()
        XCTAssertEqual(r.verdict, .ok, "\(r.reason) \(r.stderr)")
        XCTAssertTrue(r.stdout.hasSuffix("No space left on device\n"), r.stdout)
        let written = UInt64(r.stdout.split(separator: " ").dropFirst().first ?? "") ?? .max
        XCTAssertLessThanOrEqual(written, (8 << 20) + (1 << 20), r.stdout)
        XCTAssertGreaterThanOrEqual(written, 4 << 20, r.stdout)
        XCTAssertTrue(r.limits.contains { $0.kind == .disk && $0.applied && $0.value == String(8 << 20) }, "\(r.limits)")
        // Other work on this machine moves the free space a little; 1 GiB is what the write would have taken.
        XCTAssertLessThan(Int64(before) - Int64(after), 1 << 30, "the host's disk lost space")
        XCTAssertEqual(ScratchRunnerTests.leftovers(work), [])
    }

    /// A memory limit below the disk limit: the tmpfs's pages are charged
    /// to the cgroup, so filling the disk ends in the OOM killer's SIGKILL,
    /// reported as the memory limit (not as a set-up failure).
    func testMemoryLimitEndsTheRunWithSIGKILL() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        var o = Self.options(try Self.hostile("diskfill"), [String(256 << 20)], work: try privateFolder("memory"))
        o.diskLimitBytes = 512 << 20
        o.memoryLimitBytes = 32 << 20
        let r = try ScratchRunner.run(o)
        let memory = try XCTUnwrap(r.limits.first { $0.kind == .memory })
        XCTAssertTrue(memory.applied, memory.detail)
        XCTAssertEqual(r.verdict, .crashed, "\(r.reason) \(r.stdout)")
        XCTAssertEqual(r.signal, SIGKILL)
        XCTAssertTrue(r.reason.contains("memory limit was reached"), r.reason)
    }

    // MARK: Output

    /// The CLI's peak resident memory while the binary writes 1 GiB, read
    /// from /proc by measure_rss; with --json the count is exact.
    func testOneGigabyteOfOutputKeepsTheCLIsMemoryBounded() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let cli = try BuildCLI.path()
        let measure = try Self.hostile("measure_rss"), flood = try Self.hostile("flood")
        let dir = try privateFolder("flood")
        let gigabyte = 1 << 30, bound = 100 << 10   // KiB
        for json in [false, true] {
            let report = dir + "/report-\(json)", out = json ? dir + "/out.json" : "/dev/null"
            let args = [report, out, cli, "scratch"] + (json ? ["--json"] : []) + [flood, "--", String(gigabyte)]
            let run = try ProcessRunner.run(measure, args, timeout: 120)
            XCTAssertEqual(run.exitStatus, 0, run.stderr)
            let figures = ScratchReadiness.parseChecks(try String(contentsOfFile: report, encoding: .utf8)
                .replacingOccurrences(of: " ", with: ": "))
            XCTAssertEqual(figures["status"], "0", "the CLI failed: \(run.stderr)")
            let peak = Int(figures["peak_kb"] ?? "") ?? .max
            XCTAssertGreaterThan(Int(figures["samples"] ?? "") ?? 0, 0, "no reading of the CLI's memory")
            XCTAssertLessThan(peak, bound, "json \(json): the CLI peaked at \(peak) KiB")
            if json {
                let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
                XCTAssertEqual(object["stdout_bytes"] as? Int, gigabyte)
                XCTAssertEqual(object["stdout_truncated"] as? Bool, true)
                XCTAssertEqual((object["stdout"] as? String)?.utf8.count, OutputStreaming.defaultCaptureLimit)
            }
        }
    }

    /// The 256 byte values come out as exactly those 256 bytes: through
    /// the CLI, in the JSON's base64 and in the result.
    func testNonUTF8OutputPassesThroughByteForByte() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let cli = try BuildCLI.path()
        let measure = try Self.hostile("measure_rss"), flood = try Self.hostile("flood")
        let dir = try privateFolder("bytes")
        let expected = Data((0...255).map { UInt8($0) })
        let r = try ScratchRunner.run(Self.options(flood, ["bytes"], work: dir))
        XCTAssertEqual(r.stdoutCapture.bytes, expected)
        XCTAssertEqual(r.stdoutCapture.totalBytes, 256)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: r.jsonData()) as? [String: Any])
        XCTAssertEqual((object["stdout_base64"] as? String).flatMap { Data(base64Encoded: $0) }, expected)
        XCTAssertEqual(object["stdout_bytes"] as? Int, 256)

        let run = try ProcessRunner.run(measure, [dir + "/report", dir + "/out", cli, "scratch", flood, "--", "bytes"], timeout: 60)
        XCTAssertEqual(run.exitStatus, 0, run.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/out")), expected)
    }

    // MARK: Interrupts

    /// Starts `static-musl scratch wait_for_file` with a private TMPDIR and
    /// returns it once the binary runs in its sandbox.
    func startCLIRun(marker: String, tmp: String) throws -> Process {
        let cli = try BuildCLI.path(), waiter = try Self.hostile("wait_for_file")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = ["scratch", "--timeout", "60", waiter, "--", "/never", "0", marker]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": tmp]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        addTeardownBlock {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            for pid in Self.processes(containing: marker) { kill(pid, SIGKILL) }
        }
        XCTAssertTrue(Self.eventually(30) { Self.sandboxedProgram(marker, named: "wait_for_file") != nil },
                      "the sandboxed program never started")
        return process
    }

    /// SIGINT and SIGTERM to the CLI: the sandbox ends, its folders and
    /// cgroup go, and the CLI exits 128 + the signal.
    func testInterruptsLeaveNoProcessFolderOrCgroup() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        for signal in [SIGINT, SIGTERM] {
            let tmp = try privateFolder("interrupt-\(signal)")
            let marker = "interrupt-marker-\(UUID().uuidString)"
            let cli = try startCLIRun(marker: marker, tmp: tmp)
            let cliPid = cli.processIdentifier
            kill(cliPid, signal)
            XCTAssertTrue(Self.eventually(30) { !cli.isRunning }, "the CLI did not exit on signal \(signal)")
            XCTAssertEqual(cli.terminationReason, .exit)
            XCTAssertEqual(cli.terminationStatus, 128 + signal)
            XCTAssertTrue(Self.eventually(10) { Self.processes(containing: marker).isEmpty },
                          "signal \(signal): sandbox processes left: \(Self.processes(containing: marker))")
            XCTAssertEqual(ScratchRunnerTests.leftovers(tmp), [], "signal \(signal): temporary folders left")
            XCTAssertEqual(Self.cgroupLeftovers(ownerPid: cliPid), [], "signal \(signal): cgroup left")
        }
    }

    /// SIGKILL cannot be caught: the sandbox still dies (setpriv
    /// --pdeathsig and unshare --kill-child) and nothing stays mounted.
    /// What can remain is documented: the staging and work folders, and
    /// the empty cgroup folders, which the next run removes.
    func testSIGKILLOfTheCLIEndsTheSandbox() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let tmp = try privateFolder("sigkill")
        let marker = "sigkill-marker-\(UUID().uuidString)"
        let cli = try startCLIRun(marker: marker, tmp: tmp)
        let cliPid = cli.processIdentifier
        kill(cliPid, SIGKILL)
        XCTAssertTrue(Self.eventually(30) { !cli.isRunning })
        XCTAssertEqual(cli.terminationReason, .uncaughtSignal)
        XCTAssertTrue(Self.eventually(10) { Self.processes(containing: marker).isEmpty },
                      "sandbox processes outlived the CLI: \(Self.processes(containing: marker))")
        let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        XCTAssertFalse(mounts.contains(tmp), "something is still mounted under \(tmp)")

        // The next run sweeps what the killed one could not remove.
        XCTAssertTrue(Self.eventually(10) { Self.cgroupLeftovers(ownerPid: cliPid).allSatisfy { rmdirWouldSucceed($0) } })
        var o = Self.options(try Self.hostile("show_status"), work: tmp)
        o.detectVersions = false
        XCTAssertEqual(try ScratchRunner.run(o).verdict, .ok)
        XCTAssertEqual(ScratchRunnerTests.leftovers(tmp).filter { $0.hasPrefix(ScratchRunner.namePrefix) }, [],
                       "the killed run's staging folder was not swept")
        XCTAssertEqual(Self.cgroupLeftovers(ownerPid: cliPid), [], "the killed run's cgroup was not swept")
        // The Lab work folder is in the CLI's TMPDIR: removed with the test's folder.
    }

    /// A cgroup folder with no process left in it.
    private func rmdirWouldSucceed(_ folder: String) -> Bool {
        ((try? String(contentsOfFile: folder + "/cgroup.procs", encoding: .utf8)) ?? "").isEmpty
    }

    // MARK: Cleanup failures

    /// A staging folder that cannot be removed (an immutable file planted
    /// while the binary runs) is reported beside the binary's own result,
    /// as one short line.
    func testCleanupFailureKeepsTheBinarysResult() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let waiter = try Self.hostile("wait_for_file")
        let work = try privateFolder("cleanup")
        let marker = "cleanup-marker-\(UUID().uuidString)"
        let options = Self.options(waiter, ["/go", "3", marker], work: work)
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<ScratchResult, Error>?
        Thread.detachNewThread {
            outcome = Result { try ScratchRunner.run(options) }
            finished.signal()
        }
        XCTAssertTrue(Self.eventually(30) { Self.sandboxedProgram(marker, named: "wait_for_file") != nil }, "the program never started")
        let stage = try XCTUnwrap(ScratchRunnerTests.leftovers(work).first { $0.hasPrefix(ScratchRunner.namePrefix) })
        let stuck = work + "/" + stage + "/stuck"
        try "x".write(toFile: stuck, atomically: false, encoding: .utf8)
        let chattr = try ProcessRunner.run("chattr", ["+i", stuck], timeout: 30)
        XCTAssertEqual(chattr.exitStatus, 0, "chattr +i failed on this file system: \(chattr.stderr)")
        // Release the program: /go appears in its root (the tmpfs), seen from the host through /proc.
        let pid = try XCTUnwrap(Self.sandboxedProgram(marker, named: "wait_for_file"))
        XCTAssertTrue(FileManager.default.createFile(atPath: "/proc/\(pid)/root/go", contents: Data()))
        XCTAssertEqual(finished.wait(timeout: .now() + 60), .success, "the run never returned")

        let r = try XCTUnwrap(outcome).get()
        XCTAssertEqual(r.verdict, .failed, r.reason)
        XCTAssertEqual(r.exitStatus, 3)
        XCTAssertEqual(r.cleanupErrors.count, 1, "\(r.cleanupErrors)")
        let line = r.cleanupErrors.first ?? ""
        XCTAssertTrue(line.hasPrefix("cannot remove the scratch root "), line)
        XCTAssertFalse(line.contains("\n"))
        XCTAssertLessThanOrEqual(line.count, 300)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: r.jsonData()) as? [String: Any])
        XCTAssertEqual((object["cleanup_errors"] as? [String])?.count, 1)
    }

    /// 3,000 nested folders (deeper than PATH_MAX) live in the tmpfs and go
    /// with it: the binary's status stands, nothing is left on the host.
    func testThousandsOfNestedFoldersCostNothing() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let work = try privateFolder("nested")
        let r = try ScratchRunner.run(Self.options(try Self.hostile("nested"), ["3000"], work: work))
        XCTAssertEqual(r.stdout, "made 3000 nested folders\n")
        XCTAssertEqual(r.exitStatus, 7)
        XCTAssertEqual(r.verdict, .failed)
        XCTAssertEqual(r.cleanupErrors, [])
        XCTAssertEqual(ScratchRunnerTests.leftovers(work), [])
    }

    // MARK: CLI exit statuses

    func testCLIExitStatuses() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let cli = try BuildCLI.path()
        let sleeper = try ScratchRunnerTests.program("sleeper"), status = try Self.hostile("show_status")
        func exit(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32?, String) {
            let r = try ProcessRunner.run(cli, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                                          timeout: 60)
            return (r.exitStatus, r.stderr.split(separator: "\n").last.map(String.init) ?? "")
        }
        XCTAssertEqual(try exit(["scratch", status]).0, 0)
        let failed = try exit(["scratch", sleeper, "--", "0"])
        XCTAssertEqual(failed.0, 1)
        XCTAssertEqual(failed.1, "static-musl scratch: failed: exited with status 3 (exit status 3)")
        XCTAssertEqual(try exit(["scratch", "/nonexistent/binary"]).0, 2)
        XCTAssertEqual(try exit(["scratch", "--disk-limit", "lots", status]).0, 2)
        XCTAssertEqual(try exit(["scratch", "--with", "nope", status]).0, 2)
        let setup = try exit(["scratch", status], environment: ["STATIC_MUSL_ROOT": "/nonexistent"])
        XCTAssertEqual(setup.0, 3, setup.1)
        XCTAssertTrue(setup.1.hasPrefix("static-musl scratch: cannot build the scratch_enter helper"), setup.1)
    }

    // MARK: Parsing

    func testCgroupDetectionForHybridAndUnifiedHierarchies() {
        let hybrid = """
        30 25 0:26 / /sys/fs/cgroup/pids rw,relatime shared:9 - cgroup cgroup rw,pids
        31 25 0:27 / /sys/fs/cgroup/memory rw,relatime shared:10 - cgroup cgroup rw,memory
        32 25 0:28 / /sys/fs/cgroup/unified rw,relatime shared:11 - cgroup2 cgroup2 rw
        """
        let membership = "8:pids:/\n4:memory:/process_api/abc\n0::/\n"
        XCTAssertEqual(ScratchCgroup.parentFolders(mountinfo: hybrid, membership: membership),
                       ["/sys/fs/cgroup/memory/process_api/abc", "/sys/fs/cgroup/pids"])
        let unified = "40 30 0:35 /user.slice /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n"
        XCTAssertEqual(ScratchCgroup.parentFolders(mountinfo: unified, membership: "0::/user.slice/session-1.scope\n"),
                       ["/sys/fs/cgroup/session-1.scope"])
        let none = ScratchCgroup.create(name: "x", pids: 10, memoryBytes: nil, mountinfo: "", membership: "")
        XCTAssertEqual(none.limits.map(\.applied), [false, false])
        XCTAssertTrue(none.limits[0].detail.contains("no cgroup hierarchy"), none.limits[0].detail)
        XCTAssertEqual(none.limits[1].detail, "not asked for")
        XCTAssertEqual(none.procsFiles, [])
    }

    func testByteCounts() {
        XCTAssertEqual(ByteCount.parse("256M"), 256 << 20)
        XCTAssertEqual(ByteCount.parse("1g"), 1 << 30)
        XCTAssertEqual(ByteCount.parse("512KiB"), 512 << 10)
        XCTAssertEqual(ByteCount.parse("4096"), 4096)
        for bad in ["", "0", "-1", "lots", "1.5G", "99999999999T"] { XCTAssertNil(ByteCount.parse(bad), bad) }
    }
}
