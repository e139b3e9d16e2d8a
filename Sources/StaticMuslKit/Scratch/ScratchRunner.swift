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

    public var description: String {
        switch self {
        case .binaryMissing(let path): return "no executable file at \(path)"
        case .hostFileMissing(let item, let path): return "--with \(item) copies \(path) from this machine, which has none"
        case .rootNotCleaned(let root, let mounts):
            return "refusing to delete the scratch root \(root): still mounted at \(mounts.joined(separator: ", "))"
        case .badTimeout(let t): return "the timeout must be a finite number of seconds, above 0 and at most 86400, not \(t)"
        case .badItem(let item):
            return "unknown --with item '\(item)' (known: \(ScratchItem.allCases.map(\.rawValue).joined(separator: ", ")))"
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

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", exitStatus = "exit_status", signal, stdout, stderr, verdict, reason
        case binary, arguments, with, bare, timedOut = "timed_out", elapsedMs = "elapsed_ms"
        case binaryClass = "class", libc, versions
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
    }
}

/// Runs a binary in an empty, container-like root (like `docker run` of an
/// image built `FROM scratch`): fresh mount, pid, uts and net namespaces,
/// chroot into a temporary root holding only the binary, /proc, runc's /dev
/// nodes and Docker's /etc/hostname, /etc/hosts and /etc/resolv.conf.
/// The root is deleted afterwards.
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

        public init(binary: String, arguments: [String] = []) { self.binary = binary; self.arguments = arguments }
    }

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
        guard fm.isExecutableFile(atPath: options.binary) else { throw ScratchError.binaryMissing(options.binary) }
        // A symlink is run as what it points to (copying the link itself into
        // the empty root would leave it dangling there).
        var options = options
        options.binary = URL(fileURLWithPath: options.binary).resolvingSymlinksInPath().path
        let elf = try? ELFFile(path: options.binary)
        let inspected = elf.flatMap { try? InspectSuite.inspect($0, path: options.binary) }

        let parent = options.workDirectory.map { URL(fileURLWithPath: $0) } ?? fm.temporaryDirectory
        let root = parent.appendingPathComponent("static-musl-scratch-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        var result: ProcessResult
        do {
            let inside = try populate(root: root, options: options)
            var sandbox = Sandbox(namespaces: options.isolateNetwork ? [.mount, .pid, .uts, .net] : [.mount, .pid, .uts])
            sandbox.root = root
            sandbox.populateDev = true
            sandbox.mountProc = options.mountProc
            sandbox.hostname = options.hostname
            sandbox.environment = ["PATH": dockerPath, "HOSTNAME": options.hostname].merging(options.environment) { $1 }
            result = try Lab.run([inside] + options.arguments, in: sandbox, timeout: options.timeout)
        } catch {
            try? cleanUp(root)
            throw error
        }
        try cleanUp(root)

        let (verdict, reason) = judge(result, interpreter: elf?.interpreter, timeout: options.timeout)
        return ScratchResult(
            exitStatus: result.exitStatus, signal: result.signal, stdout: result.stdout, stderr: result.stderr,
            verdict: verdict, reason: reason, binary: options.binary, arguments: options.arguments,
            with: options.with.sorted { $0.rawValue < $1.rawValue }, bare: options.bare,
            timedOut: result.timedOut, elapsedMs: result.elapsedMs,
            binaryClass: inspected?.binaryClass, libc: inspected?.libc,
            versions: options.detectVersions ? ToolchainVersions.detect() : nil)
    }

    /// Turns what happened into a verdict. chroot(8) execs the binary; when
    /// exec fails it prints "chroot: failed to run command …: <strerror>"
    /// and exits 126 or 127, which is how `docker run` fails too.
    static func judge(_ r: ProcessResult, interpreter: String?, timeout: Double) -> (ScratchVerdict, String) {
        if r.timedOut { return (.timeout, "killed after the \(Int(timeout)) s time limit") }
        if let signal = r.signal { return (.crashed, "killed by signal \(signal) (\(signalName(signal)))") }
        let status = r.exitStatus ?? -1
        if status == 126 || status == 127, let line = r.stderr.split(separator: "\n").first(where: { $0.hasPrefix("chroot: failed to run command") }) {
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

    /// Deletes the root, after checking that nothing is still mounted
    /// under it (the namespace's mounts die with it; this is a guard).
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
}
