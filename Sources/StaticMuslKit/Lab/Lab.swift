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
    static func ensureTools(_ namespaces: Set<Sandbox.Namespace>) throws {
        var needs = [("unshare", "util-linux"), ("mount", "mount"), ("chroot", "coreutils")]
        if namespaces.contains(.net) { needs.append(("ip", "iproute2")) }
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
        guard !command.isEmpty else { throw LabError.setupFailed("empty command") }
        guard geteuid() == 0 else { throw LabError.notRoot }
        try ensureTools(sandbox.namespaces)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("static-musl-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let script = try makeScript(command, sandbox: sandbox, work: work.path)
        let scriptPath = work.appendingPathComponent("enter.sh").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let result = try ProcessRunner.run("unshare", unshareFlags(sandbox.namespaces.union([.mount])) + ["--", "/bin/sh", scriptPath],
                                           environment: sandbox.environment, timeout: timeout)
        if result.exitStatus == setupFailureStatus, let line = result.stderr.split(separator: "\n").first(where: { $0.hasPrefix(marker) }) {
            throw LabError.setupFailed(String(line.dropFirst(marker.count)).trimmingCharacters(in: .whitespaces))
        }
        if result.exitStatus == 1, result.stderr.hasPrefix("unshare:") {
            throw LabError.namespaceUnavailable(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result
    }

    /// The device nodes runc creates in every container.
    static let containerDevices = ["null", "zero", "full", "random", "urandom", "tty"]

    static func devLines(root: String) -> [String] {
        let dev = quote(root + "/dev")
        var lines = ["mkdir -p \(dev) && mount -t tmpfs -o nosuid,mode=755,size=64k tmpfs \(dev) || fail 'cannot mount a tmpfs on \(root)/dev'"]
        for name in containerDevices {
            lines.append(": > \(dev)/\(name) && mount --bind /dev/\(name) \(dev)/\(name) || fail 'cannot bind /dev/\(name)'")
        }
        lines.append("ln -s /proc/self/fd \(dev)/fd && ln -s /proc/self/fd/0 \(dev)/stdin && ln -s /proc/self/fd/1 \(dev)/stdout && ln -s /proc/self/fd/2 \(dev)/stderr || fail 'cannot link /dev/fd'")
        lines.append("mkdir \(dev)/shm && mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=64m shm \(dev)/shm || fail 'cannot mount /dev/shm'")
        return lines
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    static func makeScript(_ command: [String], sandbox: Sandbox, work: String) throws -> String {
        var lines = ["#!/bin/sh", "set -u",
                     "fail() { echo \"\(marker) $*\" >&2; exit \(setupFailureStatus); }",
                     "mount --make-rprivate / || fail 'cannot make / private'"]
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
        if sandbox.mountProc, sandbox.namespaces.contains(.pid) {
            let proc = (sandbox.root ?? "") + "/proc"
            lines.append("mkdir -p \(quote(proc)) && mount -t proc proc \(quote(proc)) || fail 'cannot mount /proc'")
        }
        if sandbox.populateDev, let root = sandbox.root {
            lines += devLines(root: root)
        }
        for (index, service) in sandbox.services.enumerated() {
            let log = "\(work)/service-\(index).log"
            lines.append("\(service.command.map(quote).joined(separator: " ")) >\(quote(log)) 2>&1 &")
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
            lines.append("status=$?; kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; exit $status")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
