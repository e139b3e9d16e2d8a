import Foundation

/// Runs commands in hermetic sandboxes built from Linux namespaces.
///
/// Implementation: `unshare(1)` creates the namespaces and forks; inside,
/// a generated POSIX sh script (visible in `lastScript` for debugging)
/// makes mounts private, brings lo up, bind-mounts the replacement files,
/// starts services, mounts /proc and finally `exec`s the command, through
/// `chroot` when a root is given. The script's exit status is the command's.
/// A setup failure exits with status 125 and a line starting with
/// "static-musl-lab:" on stderr, which `run` turns into a LabError.
public enum Lab {
    static let setupFailureStatus: Int32 = 125
    static let marker = "static-musl-lab:"

    /// Checks that the sandbox can be created at all, with a reason if not.
    public static func checkAvailable(_ namespaces: Set<Sandbox.Namespace> = [.mount, .pid, .net]) throws {
        guard geteuid() == 0 else { throw LabError.notRoot }
        try ensureTools(namespaces)
        let probe = try ProcessRunner.run("unshare", unshareFlags(namespaces) + ["--", "/bin/true"], timeout: 10)
        guard probe.succeeded else {
            throw LabError.namespaceUnavailable(probe.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// unshare and mount (util-linux), ip (iproute2) for network labs;
    /// installed when missing and root, else a LabError naming the package.
    static func ensureTools(_ namespaces: Set<Sandbox.Namespace>, confined: Bool = false) throws {
        var needs = [("unshare", "util-linux"), ("mount", "mount"), ("chroot", "coreutils")]
        if namespaces.contains(.net) { needs.append(("ip", "iproute2")) }
        if confined { needs.append(("setpriv", "util-linux")) }
        for (tool, package) in needs {
            do { try SystemPackages.ensure(tool, package: package) }
            catch { throw LabError.missingTool(tool, package: package) }
        }
    }

    static func unshareFlags(_ ns: Set<Sandbox.Namespace>) -> [String] {
        var flags: [String] = []
        if ns.contains(.mount) { flags.append("--mount") }
        if ns.contains(.pid) { flags += ["--pid", "--fork", "--kill-child"] }
        if ns.contains(.net) { flags.append("--net") }
        if ns.contains(.uts) { flags.append("--uts") }
        return flags
    }

    /// Runs `command` (argv; argv[0] is a path inside the sandbox's root)
    /// in `sandbox`, killing the whole namespace after `timeout` seconds.
    public static func run(_ command: [String], in sandbox: Sandbox, timeout: Double = 30) throws -> ProcessResult {
        try execute(command, in: sandbox, timeout: timeout, streaming: nil).process
    }

    /// `run`, with the command's output streamed as `streaming` says
    /// (copied as it arrives, kept up to a cap, counted exactly).
    public static func run(_ command: [String], in sandbox: Sandbox, timeout: Double = 30,
                           streaming: OutputStreaming) throws -> StreamedProcessResult {
        try execute(command, in: sandbox, timeout: timeout, streaming: streaming)
    }

    private static func execute(_ command: [String], in sandbox: Sandbox, timeout: Double,
                                streaming: OutputStreaming?) throws -> StreamedProcessResult {
        guard !command.isEmpty else { throw LabError.setupFailed("empty command") }
        guard geteuid() == 0 else { throw LabError.notRoot }
        try ensureTools(sandbox.namespaces, confined: sandbox.confinement != nil)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("static-musl-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        // An interrupt exits without returning here: it removes the folder then.
        ChildProcessGroups.trackCaptureFolder(work.path)
        defer {
            try? FileManager.default.removeItem(at: work)
            ChildProcessGroups.untrackCaptureFolder(work.path)
        }
        let script = try makeScript(command, sandbox: sandbox, work: work.path)
        let scriptPath = work.appendingPathComponent("enter.sh").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        var executable = "unshare"
        var arguments = unshareFlags(sandbox.namespaces.union([.mount])) + ["--", "/bin/sh", scriptPath]
        if sandbox.confinement != nil {
            // If we die, even by SIGKILL, unshare gets SIGKILL, and its
            // --kill-child takes the namespace's init, so the whole sandbox, with it.
            arguments = ["--pdeathsig", "KILL", ProcessRunner.which("unshare") ?? "unshare"] + arguments
            executable = "setpriv"
        }
        var streamed: StreamedProcessResult
        if let streaming {
            streamed = try ProcessRunner.run(executable, arguments, environment: sandbox.environment, timeout: timeout,
                                             streaming: streaming)
        } else {
            let result = try ProcessRunner.run(executable, arguments, environment: sandbox.environment, timeout: timeout)
            streamed = StreamedProcessResult(process: result, stdout: CapturedOutput(bytes: Data(result.stdout.utf8), totalBytes: result.stdout.utf8.count),
                                             stderr: CapturedOutput(bytes: Data(result.stderr.utf8), totalBytes: result.stderr.utf8.count))
        }
        var result = streamed.process
        // unshare re-raises its child's deadly signal on itself, but cannot
        // for SIGKILL (an OOM kill, a kill from outside): it then exits 1 with
        // this line. That is the command's SIGKILL, not a set-up failure.
        if result.exitStatus == 1,
           result.stderr.split(separator: "\n").last == "unshare: sigprocmask unblock failed: Invalid argument" {
            result.exitStatus = nil
            result.signal = SIGKILL
            streamed.process = result
        }
        if result.exitStatus == setupFailureStatus {
            let recorded = (try? String(contentsOfFile: work.appendingPathComponent(setupErrorFile).path, encoding: .utf8)) ?? ""
            if let line = (recorded + result.stderr).split(separator: "\n").first(where: { $0.hasPrefix(marker) }) {
                throw LabError.setupFailed(String(line.dropFirst(marker.count)).trimmingCharacters(in: .whitespaces))
            }
        }
        if result.exitStatus == 1, result.stderr.hasPrefix("unshare:") || result.stderr.hasPrefix("setpriv:") {
            throw LabError.namespaceUnavailable(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return streamed
    }

    /// Where a confined sandbox's script writes its set-up failure (in the
    /// work folder), so it is not streamed as if the command had said it.
    static let setupErrorFile = "setup-error"

    /// The device nodes runc creates in every container.
    static let containerDevices = ["null", "zero", "full", "random", "urandom", "tty"]

    static func devLines(root: String, nodev: Bool = false) -> [String] {
        let dev = quote(root + "/dev")
        var lines = ["mkdir -p \(dev) && mount -t tmpfs -o nosuid,\(nodev ? "nodev," : "")mode=755,size=64k tmpfs \(dev) || fail 'cannot mount a tmpfs on \(root)/dev'"]
        for name in containerDevices {
            lines.append(": > \(dev)/\(name) && mount --bind /dev/\(name) \(dev)/\(name) || fail 'cannot bind /dev/\(name)'")
        }
        lines.append("ln -s /proc/self/fd \(dev)/fd && ln -s /proc/self/fd/0 \(dev)/stdin && ln -s /proc/self/fd/1 \(dev)/stdout && ln -s /proc/self/fd/2 \(dev)/stderr || fail 'cannot link /dev/fd'")
        lines.append("mkdir \(dev)/shm && mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=64m shm \(dev)/shm || fail 'cannot mount /dev/shm'")
        return lines
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    static func makeScript(_ command: [String], sandbox: Sandbox, work: String) throws -> String {
        var lines = ["#!/bin/sh", "set -u"]
        if let confinement = sandbox.confinement {
            lines.append("fail() { echo \"\(marker) $*\" > \(quote(work + "/" + setupErrorFile)); exit \(setupFailureStatus); }")
            // First, so that everything the sandbox starts counts against the cgroup's limits.
            for procs in confinement.cgroupProcsFiles {
                lines.append("echo 0 > \(quote(procs)) || fail 'cannot join the cgroup \((procs as NSString).deletingLastPathComponent)'")
            }
        } else {
            lines.append("fail() { echo \"\(marker) $*\" >&2; exit \(setupFailureStatus); }")
        }
        lines.append("mount --make-rprivate / || fail 'cannot make / private'")
        if sandbox.namespaces.contains(.net), sandbox.loopbackUp {
            lines.append("ip link set lo up || fail 'cannot bring lo up'")
            for address in sandbox.extraAddresses {
                lines.append("ip addr add \(quote(address)) dev lo 2>/dev/null || true")
            }
        }
        if let hostname = sandbox.hostname, sandbox.namespaces.contains(.uts) {
            lines.append("hostname \(quote(hostname)) || fail 'cannot set hostname'")
        }
        // Replacement files: folders that lack a target get a private copy.
        var copiedFolders: Set<String> = []
        for (index, file) in sandbox.files.enumerated() {
            let source = "\(work)/file-\(index)"
            try file.content.write(toFile: source, atomically: true, encoding: .utf8)
            let folder = (file.target as NSString).deletingLastPathComponent
            if !FileManager.default.fileExists(atPath: file.target), !copiedFolders.contains(folder) {
                copiedFolders.insert(folder)
                let copy = "\(work)/folder-\(index)"
                lines.append("mkdir -p \(quote(copy)) && cp -a \(quote(folder))/. \(quote(copy))/ 2>/dev/null; mount --bind \(quote(copy)) \(quote(folder)) || fail 'cannot replace folder \(folder)'")
            }
            lines.append("[ -e \(quote(file.target)) ] || : > \(quote(file.target)) || fail 'cannot create \(file.target)'")
            lines.append("mount --bind \(quote(source)) \(quote(file.target)) || fail 'cannot bind \(file.target)'")
        }
        for folder in sandbox.hiddenFolders {
            lines.append("[ -d \(quote(folder)) ] && { mount -t tmpfs -o ro,size=4k,mode=0755 none \(quote(folder)) || fail 'cannot hide \(folder)'; }")
        }
        if let confinement = sandbox.confinement, let stage = sandbox.root {
            return (lines + confinedRootLines(command, sandbox: sandbox, confinement: confinement, stage: stage, work: work))
                .joined(separator: "\n") + "\n"
        }
        if sandbox.mountProc, sandbox.namespaces.contains(.pid) {
            let proc = (sandbox.root ?? "") + "/proc"
            lines.append("mkdir -p \(quote(proc)) && mount -t proc proc \(quote(proc)) || fail 'cannot mount /proc'")
        }
        if sandbox.populateDev, let root = sandbox.root {
            lines += devLines(root: root)
        }
        for (index, service) in sandbox.services.enumerated() {
            let log = "\(work)/service-\(index).log"
            // Remember each service's pid: dash runs $(jobs -p) in a subshell, where it is empty.
            lines.append("\(service.command.map(quote).joined(separator: " ")) >\(quote(log)) 2>&1 & services=\"${services:-} $!\"")
            if let ready = service.readyFile {
                lines.append("i=0; while [ ! -e \(quote(ready)) ]; do i=$((i+1)); [ $i -gt 500 ] && { cat \(quote(log)) >&2; fail 'service \(index) never became ready'; }; sleep 0.01; done")
            }
        }
        let argv = command.map(quote).joined(separator: " ")
        if let root = sandbox.root {
            // chroot(8) chdirs to the new / and execs argv there: no shell
            // or loader is needed inside the root. `workingDirectory` is
            // ignored here; a scratch root starts in / as containers do.
            lines.append("\(sandbox.services.isEmpty ? "exec " : "")chroot \(quote(root)) \(argv)")
        } else {
            if let dir = sandbox.workingDirectory { lines.append("cd \(quote(dir)) || fail 'no folder \(dir)'") }
            lines.append("\(sandbox.services.isEmpty ? "exec " : "")\(argv)")
        }
        if !sandbox.services.isEmpty {
            // Keep the command's status; the services die with the namespace.
            lines.append("status=$?; kill $services 2>/dev/null; wait 2>/dev/null; exit $status")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The paths runc masks in /proc (an empty read-only tmpfs over a
    /// folder, /dev/null over a file), and those it makes read-only.
    /// /proc/sys read-only matters most: root writing
    /// /proc/sys/kernel/core_pattern would run a program on the host.
    static let maskedProcPaths = ["acpi", "asound", "interrupts", "kcore", "keys", "latency_stats", "timer_list",
                                  "timer_stats", "sched_debug", "scsi"]
    static let readOnlyProcPaths = ["bus", "fs", "irq", "sys", "sysrq-trigger"]

    /// The confined root: a size-limited, nodev tmpfs mounted in the
    /// private mount namespace, filled from the staging folder, with /proc
    /// (masked as runc does) and /dev; then scratch_enter pivots into it.
    static func confinedRootLines(_ command: [String], sandbox: Sandbox, confinement: Sandbox.Confinement,
                                  stage: String, work: String) -> [String] {
        let newRoot = work + "/root"
        let root = quote(newRoot)
        var lines = [
            "mkdir -p \(root) && mount -t tmpfs -o nodev,mode=0755,size=\(confinement.tmpfsBytes) static-musl-scratch \(root) || fail 'cannot mount the root tmpfs'",
            "cp -a \(quote(stage))/. \(root)/ || fail 'cannot copy the root into its tmpfs (\(confinement.tmpfsBytes) bytes)'",
        ]
        if sandbox.mountProc, sandbox.namespaces.contains(.pid) {
            let proc = newRoot + "/proc"
            lines.append("mkdir -p \(quote(proc)) && mount -t proc -o nosuid,nodev,noexec proc \(quote(proc)) || fail 'cannot mount /proc'")
            for name in maskedProcPaths {
                let path = quote(proc + "/" + name)
                lines.append("if [ -d \(path) ]; then mount -t tmpfs -o ro,nosuid,nodev,noexec,size=4k masked \(path) || fail 'cannot mask /proc/\(name)'; "
                             + "elif [ -e \(path) ]; then mount --bind /dev/null \(path) || fail 'cannot mask /proc/\(name)'; fi")
            }
            for name in readOnlyProcPaths {
                let path = quote(proc + "/" + name)
                lines.append("if [ -e \(path) ]; then mount --bind \(path) \(path) && mount -o remount,bind,ro \(path) || fail 'cannot make /proc/\(name) read-only'; fi")
            }
        }
        if sandbox.populateDev { lines += devLines(root: newRoot, nodev: true) }
        let helper = [confinement.enterHelper] + (confinement.privileged ? ["--privileged"] : []) + [newRoot] + command
        lines.append("exec " + helper.map(quote).joined(separator: " "))
        return lines
    }
}
