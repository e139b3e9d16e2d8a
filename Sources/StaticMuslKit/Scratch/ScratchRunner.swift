import Foundation

/// What `--with` can add to an otherwise empty scratch root.
public enum ScratchItem: String, Codable, Sendable, CaseIterable {
    case passwd     // /etc/passwd with root and nobody
    case group      // /etc/group with root and nogroup
    case certs      // the host's CA bundle at /etc/ssl/certs/ca-certificates.crt
    case tmp        // /tmp, mode 1777
    case tzdata     // a copy of the host's /usr/share/zoneinfo
    case hosts      // Docker's generated /etc/hosts (already there unless --bare)
    case resolv     // Docker's generated /etc/resolv.conf (already there unless --bare)

    /// Where Debian's ca-certificates puts the bundle, and where the curl
    /// recipe's libcurl (and Debian's own) looks for it.
    public static let caBundlePath = "/etc/ssl/certs/ca-certificates.crt"
}

public enum ScratchError: Error, CustomStringConvertible {
    case binaryMissing(String)
    case hostFileMissing(item: String, path: String)
    case rootNotCleaned(String, mounts: [String])
    case badItem(String)
    case badTimeout(Double)
    /// A limit that is zero, negative or too large: its option and the value.
    case badLimit(option: String, value: String)
    /// scratch_enter (Probes/programs/scratch_enter.c) could not be found or built.
    case helperUnavailable(String)

    public var description: String {
        switch self {
        case .binaryMissing(let path): return "no executable file at \(path)"
        case .hostFileMissing(let item, let path): return "--with \(item) copies \(path) from this machine, which has none"
        case .rootNotCleaned(let root, let mounts):
            return "refusing to delete the scratch root \(root): still mounted at \(mounts.joined(separator: ", "))"
        case .badTimeout(let t): return "the timeout must be a finite number of seconds, above 0 and at most 86400, not \(t)"
        case .badItem(let item):
            return "unknown --with item '\(item)' (known: \(ScratchItem.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .badLimit(let option, let value): return "\(option) must be a whole number above 0, not \(value)"
        case .helperUnavailable(let why): return "cannot build the scratch_enter helper: \(why)"
        }
    }

    /// Bad input (the CLI exits 2) rather than a sandbox that could not be set up (3).
    public var isInputError: Bool {
        switch self {
        case .binaryMissing, .badItem, .badTimeout, .badLimit: return true
        case .hostFileMissing, .rootNotCleaned, .helperUnavailable: return false
        }
    }
}

/// How a scratch run ended.
public enum ScratchVerdict: String, Codable, Sendable {
    case ok               // exit status 0
    case failed           // a non-zero exit status
    case crashed          // killed by a signal
    case timeout          // killed after the time limit
    case missingLoader = "missing-loader"   // exec failed with ENOENT: PT_INTERP is not in the root
    case execFailed = "exec-failed"         // exec failed otherwise (format, permission)
}

/// The result of one scratch run: `static-musl scratch --json` prints it.
public struct ScratchResult: Codable, Sendable, Equatable, PrettyJSONEncodable {
    public var schemaVersion = 1
    public var exitStatus: Int32?
    public var signal: Int32?
    /// The binary's output as text (at most the capture limit; invalid UTF-8 replaced).
    public var stdout: String
    public var stderr: String
    public var verdict: ScratchVerdict
    public var reason: String
    // Extras.
    public var binary: String
    public var arguments: [String]
    public var with: [ScratchItem]
    public var bare: Bool
    public var timedOut: Bool
    public var elapsedMs: Double
    /// The binary's class and libc from inspect, when it parses as ELF.
    public var binaryClass: BinaryClass?
    public var libc: LibcName?
    public var versions: ToolchainVersions?
    /// Each stream's kept bytes (at most the capture limit) and exact total.
    public var stdoutCapture = CapturedOutput()
    public var stderrCapture = CapturedOutput()
    /// Every limit asked for, whether it holds, and how or why not.
    public var limits: [ScratchLimit] = []
    public var privileged = false
    /// What could not be removed afterwards (one short line each); the run's own result stands.
    public var cleanupErrors: [String] = []

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", exitStatus = "exit_status", signal, stdout, stderr, verdict, reason
        case binary, arguments, with, bare, timedOut = "timed_out", elapsedMs = "elapsed_ms"
        case binaryClass = "class", libc, versions
        case stdoutBytes = "stdout_bytes", stderrBytes = "stderr_bytes"
        case stdoutTruncated = "stdout_truncated", stderrTruncated = "stderr_truncated"
        case stdoutBase64 = "stdout_base64", stderrBase64 = "stderr_base64"
        case limits, privileged, cleanupErrors = "cleanup_errors"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(exitStatus, forKey: .exitStatus); try c.encode(signal, forKey: .signal)   // null when absent
        try c.encode(stdout, forKey: .stdout); try c.encode(stderr, forKey: .stderr)
        try c.encode(verdict, forKey: .verdict); try c.encode(reason, forKey: .reason)
        try c.encode(binary, forKey: .binary); try c.encode(arguments, forKey: .arguments)
        try c.encode(with, forKey: .with); try c.encode(bare, forKey: .bare)
        try c.encode(timedOut, forKey: .timedOut); try c.encode(elapsedMs, forKey: .elapsedMs)
        try c.encodeIfPresent(binaryClass, forKey: .binaryClass); try c.encodeIfPresent(libc, forKey: .libc)
        try c.encodeIfPresent(versions, forKey: .versions)
        try c.encode(stdoutCapture.totalBytes, forKey: .stdoutBytes); try c.encode(stderrCapture.totalBytes, forKey: .stderrBytes)
        try c.encode(stdoutCapture.truncated, forKey: .stdoutTruncated); try c.encode(stderrCapture.truncated, forKey: .stderrTruncated)
        // The exact bytes, when the text fields cannot carry them.
        if !stdoutCapture.isValidUTF8 { try c.encode(stdoutCapture.bytes.base64EncodedString(), forKey: .stdoutBase64) }
        if !stderrCapture.isValidUTF8 { try c.encode(stderrCapture.bytes.base64EncodedString(), forKey: .stderrBase64) }
        try c.encode(limits, forKey: .limits); try c.encode(privileged, forKey: .privileged)
        try c.encode(cleanupErrors, forKey: .cleanupErrors)
    }
}

extension ScratchResult {
    /// Reads what `encode` writes (and the older form without the byte counts).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? 1
        exitStatus = try c.decodeIfPresent(Int32.self, forKey: .exitStatus)
        signal = try c.decodeIfPresent(Int32.self, forKey: .signal)
        stdout = try c.decode(String.self, forKey: .stdout)
        stderr = try c.decode(String.self, forKey: .stderr)
        verdict = try c.decode(ScratchVerdict.self, forKey: .verdict)
        reason = try c.decode(String.self, forKey: .reason)
        binary = try c.decode(String.self, forKey: .binary)
        arguments = try c.decode([String].self, forKey: .arguments)
        with = try c.decode([ScratchItem].self, forKey: .with)
        bare = try c.decode(Bool.self, forKey: .bare)
        timedOut = try c.decode(Bool.self, forKey: .timedOut)
        elapsedMs = try c.decode(Double.self, forKey: .elapsedMs)
        binaryClass = try c.decodeIfPresent(BinaryClass.self, forKey: .binaryClass)
        libc = try c.decodeIfPresent(LibcName.self, forKey: .libc)
        versions = try c.decodeIfPresent(ToolchainVersions.self, forKey: .versions)
        func capture(_ text: String, _ base64: CodingKeys, _ total: CodingKeys) throws -> CapturedOutput {
            let bytes = try c.decodeIfPresent(String.self, forKey: base64).flatMap { Data(base64Encoded: $0) } ?? Data(text.utf8)
            return CapturedOutput(bytes: bytes, totalBytes: try c.decodeIfPresent(Int.self, forKey: total) ?? bytes.count)
        }
        stdoutCapture = try capture(stdout, .stdoutBase64, .stdoutBytes)
        stderrCapture = try capture(stderr, .stderrBase64, .stderrBytes)
        limits = try c.decodeIfPresent([ScratchLimit].self, forKey: .limits) ?? []
        privileged = try c.decodeIfPresent(Bool.self, forKey: .privileged) ?? false
        cleanupErrors = try c.decodeIfPresent([String].self, forKey: .cleanupErrors) ?? []
    }
}

/// Runs a binary in an empty, container-like root (like `docker run` of an
/// image built `FROM scratch`): fresh mount, pid, uts and net namespaces;
/// a size-limited tmpfs, mounted in the private mount namespace and holding
/// only the binary, /proc (masked as runc masks it), runc's /dev nodes and
/// Docker's /etc/hostname, /etc/hosts and /etc/resolv.conf; pivot_root into
/// it, the host's root detached; Docker's default capabilities,
/// no_new_privs, and a cgroup with a pids limit (and a memory limit when
/// asked). The files are staged in a host folder first, which is deleted
/// afterwards with the run's cgroup; the tmpfs dies with the namespace.
/// `Sandbox.Confinement` and Probes/programs/scratch_enter.c do the work.
public enum ScratchRunner {
    public struct Options: Sendable {
        public var binary: String
        public var arguments: [String] = []
        public var with: Set<ScratchItem> = []
        /// runc without Docker: no /etc/hostname, hosts or resolv.conf unless `with` names them.
        public var bare = false
        /// A private network namespace with only lo (the default). false shares the host's network.
        public var isolateNetwork = true
        public var hostname = "scratch"
        /// Mount /proc (as every container runtime does). false shows why a
        /// static Swift binary needs it ("Unable to obtain Swift runtime path").
        public var mountProc = true
        /// Added to Docker's default environment (PATH, HOSTNAME).
        public var environment: [String: String] = [:]
        /// More files to create in the root: absolute path inside the root → content.
        public var extraFiles: [String: String] = [:]
        public var timeout: Double = 30
        /// Where the temporary root is made (and removed again); nil: the temporary folder.
        public var workDirectory: String?
        /// Fill in `versions` (runs `swift --version`; the battery does it once instead).
        public var detectVersions = true
        /// Bytes the binary may write in its root (the tmpfs is this plus what the root's own files take).
        public var diskLimitBytes: UInt64 = ScratchRunner.defaultDiskLimitBytes
        /// The cgroup's pids.max: processes and threads the sandbox may have at once; nil: no limit.
        public var pidsLimit: Int? = ScratchRunner.defaultPidsLimit
        /// The cgroup's memory limit in bytes (the tmpfs's pages count too); nil: none.
        public var memoryLimitBytes: UInt64?
        /// Keep every capability, as `docker run --privileged` (no_new_privs and the limits stay).
        public var privileged = false
        /// Copy the binary's stdout and stderr to ours (fds 1 and 2) as they arrive, byte for byte.
        public var forwardOutput = false
        /// The most bytes of each stream kept in the result.
        public var outputCaptureLimit = OutputStreaming.defaultCaptureLimit

        public init(binary: String, arguments: [String] = []) { self.binary = binary; self.arguments = arguments }
    }

    public static let defaultDiskLimitBytes: UInt64 = 256 << 20
    public static let defaultPidsLimit = 1024
    /// Docker's default capability set, which scratch_enter keeps.
    public static let dockerDefaultCapabilities = ["CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID",
                                                   "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
                                                   "AUDIT_WRITE"]
    /// Every scratch root's staging folder and cgroup start with this.
    static let namePrefix = "static-musl-scratch-"

    public static let dockerPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    static let hostCABundle = ScratchItem.caBundlePath
    static let hostZoneinfo = "/usr/share/zoneinfo"

    public static func parseItems(_ list: [String]) throws -> Set<ScratchItem> {
        var items: Set<ScratchItem> = []
        for word in list.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            guard let item = ScratchItem(rawValue: word) else { throw ScratchError.badItem(word) }
            items.insert(item)
        }
        return items
    }

    public static func run(_ options: Options) throws -> ScratchResult {
        let fm = FileManager.default
        guard options.timeout.isFinite, options.timeout > 0, options.timeout <= 86_400 else {
            throw ScratchError.badTimeout(options.timeout)
        }
        try validateLimits(options)
        guard fm.isExecutableFile(atPath: options.binary) else { throw ScratchError.binaryMissing(options.binary) }
        // A symlink is run as what it points to (copying the link itself into
        // the empty root would leave it dangling there).
        var options = options
        options.binary = URL(fileURLWithPath: options.binary).resolvingSymlinksInPath().path
        let elf = try? ELFFile(path: options.binary)
        let inspected = elf.flatMap { try? InspectSuite.inspect($0, path: options.binary) }
        let helper = try enterHelper()
        // Before anything is created: an interrupt from here on ends the
        // sandbox and removes the folder and cgroup (see below).
        ChildProcessGroups.installInterruptHandlers()

        let parent = options.workDirectory.map { URL(fileURLWithPath: $0) } ?? fm.temporaryDirectory
        sweepLeftovers(in: parent.path)
        let name = "\(namePrefix)\(getpid())-\(UUID().uuidString)"
        let stage = parent.appendingPathComponent(name).path
        try fm.createDirectory(atPath: stage, withIntermediateDirectories: true)
        let cgroup = ScratchCgroup.create(name: name, pids: options.pidsLimit, memoryBytes: options.memoryLimitBytes)
        let interruptCleanup = ChildProcessGroups.trackInterruptCleanup {
            _ = cgroup.remove()
            try? FileManager.default.removeItem(atPath: stage)
        }
        defer { ChildProcessGroups.untrackInterruptCleanup(interruptCleanup) }

        var streamed: StreamedProcessResult
        let tmpfsBytes: UInt64
        do {
            let inside = try populate(root: stage, options: options)
            tmpfsBytes = options.diskLimitBytes + footprint(of: stage)
            var sandbox = Sandbox(namespaces: options.isolateNetwork ? [.mount, .pid, .uts, .net] : [.mount, .pid, .uts])
            sandbox.root = stage
            sandbox.populateDev = true
            sandbox.mountProc = options.mountProc
            sandbox.hostname = options.hostname
            sandbox.environment = ["PATH": dockerPath, "HOSTNAME": options.hostname].merging(options.environment) { $1 }
            var confinement = Sandbox.Confinement(enterHelper: helper, tmpfsBytes: tmpfsBytes)
            confinement.privileged = options.privileged
            confinement.cgroupProcsFiles = cgroup.procsFiles
            sandbox.confinement = confinement
            let streaming = OutputStreaming(forwardStdoutTo: options.forwardOutput ? STDOUT_FILENO : nil,
                                            forwardStderrTo: options.forwardOutput ? STDERR_FILENO : nil,
                                            captureLimit: options.outputCaptureLimit)
            streamed = try Lab.run([inside] + options.arguments, in: sandbox, timeout: options.timeout, streaming: streaming)
        } catch {
            _ = cleanUp(stage, cgroup: cgroup)
            throw error
        }
        let oomKills = cgroup.oomKills()
        let cleanupErrors = cleanUp(stage, cgroup: cgroup)

        let result = streamed.process
        var (verdict, reason) = judge(result, interpreter: elf?.interpreter, timeout: options.timeout)
        if verdict == .crashed, result.signal == SIGKILL, oomKills > 0, let memory = options.memoryLimitBytes {
            reason += ": the \(memory)-byte memory limit was reached (the tmpfs's pages count too)"
        }
        var scratch = ScratchResult(
            exitStatus: result.exitStatus, signal: result.signal, stdout: result.stdout, stderr: result.stderr,
            verdict: verdict, reason: reason, binary: options.binary, arguments: options.arguments,
            with: options.with.sorted { $0.rawValue < $1.rawValue }, bare: options.bare,
            timedOut: result.timedOut, elapsedMs: result.elapsedMs,
            binaryClass: inspected?.binaryClass, libc: inspected?.libc,
            versions: options.detectVersions ? ToolchainVersions.detect() : nil)
        scratch.stdoutCapture = streamed.stdout
        scratch.stderrCapture = streamed.stderr
        scratch.privileged = options.privileged
        scratch.limits = limits(options, tmpfsBytes: tmpfsBytes, cgroup: cgroup)
        scratch.cleanupErrors = cleanupErrors
        return scratch
    }

    /// Removes what runs whose CLI was SIGKILLed left behind (their
    /// sandbox died with them, but not their staging folder or their empty
    /// cgroups): names carry the owner's pid, and only those of pids that
    /// no longer exist are touched. Best effort; nothing is reported.
    static func sweepLeftovers(in parent: String) {
        func ownerIsGone(_ name: String) -> Bool {
            guard name.hasPrefix(namePrefix), let pid = pid_t(name.dropFirst(namePrefix.count).prefix { $0 != "-" }),
                  pid > 0 else { return false }
            return kill(pid, 0) == -1 && errno == ESRCH
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where ownerIsGone(name) {
            try? FileManager.default.removeItem(atPath: parent + "/" + name)
        }
        for cgroupParent in ScratchCgroup.parentFolders() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: cgroupParent)) ?? [] where ownerIsGone(name) {
                _ = rmdir(cgroupParent + "/" + name)
            }
        }
    }

    static func validateLimits(_ options: Options) throws {
        guard options.diskLimitBytes > 0, options.diskLimitBytes <= 1 << 50 else {
            throw ScratchError.badLimit(option: "--disk-limit", value: "\(options.diskLimitBytes)")
        }
        if let pids = options.pidsLimit, pids <= 0 || pids > 4_194_304 {
            throw ScratchError.badLimit(option: "--pids-limit", value: "\(pids)")
        }
        if let memory = options.memoryLimitBytes, memory == 0 || memory > 1 << 50 {
            throw ScratchError.badLimit(option: "--memory-limit", value: "\(memory)")
        }
        guard options.outputCaptureLimit >= 0 else {
            throw ScratchError.badLimit(option: "outputCaptureLimit", value: "\(options.outputCaptureLimit)")
        }
    }

    /// The record of every limit: the tmpfs and the helper's are always
    /// applied (the run fails otherwise); the cgroup's say what happened.
    static func limits(_ options: Options, tmpfsBytes: UInt64, cgroup: ScratchCgroup) -> [ScratchLimit] {
        var limits = [ScratchLimit(.disk, value: "\(options.diskLimitBytes)", applied: true,
                                   detail: "a tmpfs of \(tmpfsBytes) bytes: the root's own files plus \(options.diskLimitBytes) for the binary to write")]
        limits += cgroup.limits
        limits.append(options.privileged
            ? ScratchLimit(.capabilities, value: "all", applied: true, detail: "--privileged: every capability kept")
            : ScratchLimit(.capabilities, value: "docker-default", applied: true,
                           detail: "bounding, effective, permitted and inheritable sets: \(dockerDefaultCapabilities.joined(separator: " ")); ambient cleared"))
        limits.append(ScratchLimit(.noNewPrivs, value: "on", applied: true, detail: "PR_SET_NO_NEW_PRIVS before exec"))
        return limits
    }

    /// What the staged files take in a tmpfs: each file's pages, plus a
    /// page per entry and some slack for the folders.
    static func footprint(of folder: String) -> UInt64 {
        let page: UInt64 = 4096
        var total: UInt64 = 16 * page
        let keys: [URLResourceKey] = [.fileSizeKey]
        guard let walk = FileManager.default.enumerator(at: URL(fileURLWithPath: folder), includingPropertiesForKeys: keys) else { return total }
        for case let url as URL in walk {
            let size = UInt64((try? url.resourceValues(forKeys: Set(keys)).fileSize) ?? 0)
            total += (size + page - 1) / page * page + page
        }
        return total
    }

    /// scratch_enter (the lab's own helper, not a probe), compiled as static musl from Probes/programs and cached.
    static func enterHelper() throws -> String {
        guard let root = ProjectLayout.root() else {
            throw ScratchError.helperUnavailable("Probes/programs/scratch_enter.c not found (run inside the swift-static-musl checkout, or set STATIC_MUSL_ROOT)")
        }
        do {
            return try CProgramBuilder(projectRoot: root)
                .build(name: "scratch_enter", sources: ["Probes/programs/scratch_enter.c"], variant: .muslStatic, withShim: false)
        } catch {
            throw ScratchError.helperUnavailable(oneLine("\(error)"))
        }
    }

    /// Turns what happened into a verdict. scratch_enter execs the binary;
    /// when exec fails it prints "scratch_enter: failed to run command …:
    /// <strerror>" and exits 126 or 127, as chroot(8) and `docker run` do.
    static func judge(_ r: ProcessResult, interpreter: String?, timeout: Double) -> (ScratchVerdict, String) {
        if r.timedOut { return (.timeout, "killed after the \(Int(timeout)) s time limit") }
        if let signal = r.signal { return (.crashed, "killed by signal \(signal) (\(signalName(signal)))") }
        let status = r.exitStatus ?? -1
        let execFailure = ["scratch_enter: failed to run command", "chroot: failed to run command"]
        if status == 126 || status == 127,
           let line = r.stderr.split(separator: "\n").first(where: { line in execFailure.contains { line.hasPrefix($0) } }) {
            if line.hasSuffix("No such file or directory") {
                if let interpreter { return (.missingLoader, "missing loader \(interpreter)") }
                return (.missingLoader, "exec failed with ENOENT: the interpreter the file names (#! or PT_INTERP) is not in the root")
            }
            return (.execFailed, "exec failed: \(line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? String(line))")
        }
        if status == 0 { return (.ok, "exited 0") }
        return (.failed, "exited with status \(status)")
    }

    static func signalName(_ s: Int32) -> String {
        let names: [Int32: String] = [4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 15: "SIGTERM", 5: "SIGTRAP"]
        return names[s] ?? "signal \(s)"
    }

    /// Copies the binary in and creates what `options` asks for. Returns
    /// the binary's path inside the root.
    static func populate(root: String, options: Options) throws -> String {
        let fm = FileManager.default
        let name = "/" + ((options.binary as NSString).lastPathComponent.isEmpty ? "app" : (options.binary as NSString).lastPathComponent)
        try fm.copyItem(atPath: options.binary, toPath: root + name)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + name)
        func write(_ path: String, _ content: String, mode: Int = 0o644) throws {
            let full = root + path
            try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: false, encoding: .utf8)
            try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: full)
        }
        let with = options.with
        if !options.bare { try write("/etc/hostname", options.hostname + "\n") }
        if !options.bare || with.contains(.hosts) {
            // What Docker writes for a container on the default bridge.
            try write("/etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
                + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n172.17.0.2\t\(options.hostname)\n")
        }
        if !options.bare || with.contains(.resolv) {
            // Docker's embedded DNS address; nothing answers there in the
            // private network namespace, so lookups fail without traffic leaving it.
            try write("/etc/resolv.conf", "nameserver 127.0.0.11\noptions ndots:0\n")
        }
        if with.contains(.passwd) {
            try write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
        }
        if with.contains(.group) { try write("/etc/group", "root:x:0:\nnogroup:x:65534:\n") }
        if with.contains(.tmp) {
            try fm.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
            try fm.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: root + "/tmp")
        }
        if with.contains(.certs) {
            guard fm.fileExists(atPath: hostCABundle) else { throw ScratchError.hostFileMissing(item: "certs", path: hostCABundle) }
            try fm.createDirectory(atPath: root + "/etc/ssl/certs", withIntermediateDirectories: true)
            try fm.copyItem(atPath: (hostCABundle as NSString).resolvingSymlinksInPath, toPath: root + hostCABundle)
        }
        if with.contains(.tzdata) {
            guard fm.fileExists(atPath: hostZoneinfo) else { throw ScratchError.hostFileMissing(item: "tzdata", path: hostZoneinfo) }
            try fm.createDirectory(atPath: root + "/usr/share", withIntermediateDirectories: true)
            try fm.copyItem(atPath: hostZoneinfo, toPath: root + hostZoneinfo)
        }
        for (path, content) in options.extraFiles.sorted(by: { $0.key < $1.key }) {
            try write(path.hasPrefix("/") ? path : "/" + path, content)
        }
        return name
    }

    /// Deletes the staging folder, after checking that nothing is mounted
    /// under it (the namespace's mounts die with it; this is a guard), and
    /// the run's cgroup. Never throws: returns one short line per problem,
    /// which the result carries beside the binary's own outcome.
    static func cleanUp(_ root: String, cgroup: ScratchCgroup) -> [String] {
        var problems = cgroup.remove()
        do { try cleanUp(root) } catch let error as ScratchError {
            problems.append(oneLine(error.description))
        } catch {
            problems.append(oneLine("cannot remove the scratch root \(root): \(reason(error))"))
        }
        return problems
    }

    static func cleanUp(_ root: String) throws {
        let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        let mounted = mountinfo.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let point = String(fields[4])
            return point == root || point.hasPrefix(root + "/") ? point : nil
        }
        guard mounted.isEmpty else { throw ScratchError.rootNotCleaned(root, mounts: mounted) }
        try FileManager.default.removeItem(atPath: root)
    }

    /// The POSIX reason inside a Foundation file error ("Operation not
    /// permitted"), without the paths it repeats.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }

    /// One line of at most `limit` characters: newlines become spaces, and
    /// the middle of a longer text (a 3,000-folder path) becomes "…".
    static func oneLine(_ text: String, limit: Int = 300) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > limit else { return flat }
        let half = (limit - 1) / 2
        return flat.prefix(half) + "…" + flat.suffix(half)
    }
}
