import Foundation

/// Describes a hermetic place to run one command: which namespaces, which
/// files replace which, which root. `Lab.run` is the only code that turns
/// this into namespaces and mounts; DNS, scratch and conformance all use it.
public struct Sandbox: Sendable {
    public enum Namespace: String, Sendable, CaseIterable { case mount, pid, net, uts }

    /// A file whose content replaces `target` inside the sandbox (bind
    /// mount over it; the real file is never touched). When `target` does
    /// not exist on the host, its folder is replaced by a private copy.
    public struct File: Sendable {
        public var target: String
        public var content: String
        public init(_ target: String, _ content: String) { self.target = target; self.content = content }
    }

    /// A process started inside the namespaces before the command runs, for
    /// example a scripted DNS server. `readyFile`: a host path the service
    /// creates once it is listening; the command waits for it (5 s at most).
    public struct Service: Sendable {
        public var command: [String]
        public var readyFile: String?
        public init(_ command: [String], readyFile: String? = nil) {
            self.command = command; self.readyFile = readyFile
        }
    }

    public var namespaces: Set<Namespace> = [.mount, .pid]
    public var files: [File] = []
    public var services: [Service] = []
    /// Bring `lo` up (only meaningful with .net).
    public var loopbackUp = true
    /// Extra loopback addresses to add to lo (127.0.0.0/8 is already local;
    /// kept for IPv6 or documentation purposes).
    public var extraAddresses: [String] = []
    /// Folders hidden behind an empty read-only tmpfs (for example
    /// /usr/share/zoneinfo, to see how a binary behaves without it). Host
    /// paths; applied before `root` is entered.
    public var hiddenFolders: [String] = []
    /// chroot into this folder before exec; nil runs on the host's root.
    public var root: String?
    /// Mount a fresh /proc (inside `root` when set).
    public var mountProc = true
    /// Give `root` a /dev as runc does: a tmpfs holding null, zero, full,
    /// random, urandom and tty (bind mounts of the host's nodes, as runc
    /// does in user namespaces), the fd/stdin/stdout/stderr links and a
    /// /dev/shm tmpfs. Needs `root`; ignored without it.
    public var populateDev = false
    public var hostname: String?
    /// The command's environment; nil keeps the caller's.
    public var environment: [String: String]?
    /// Working directory for the command (inside `root` when set).
    public var workingDirectory: String?
    /// Enter `root` as a container runtime does instead of chroot: see
    /// `Confinement`. nil (the default) keeps the plain chroot.
    public var confinement: Confinement?

    /// What `static-musl scratch` adds to a root to contain a hostile
    /// program, as runc does: the script mounts a size-limited tmpfs (in the
    /// private mount namespace, so it vanishes with it), copies `root` (a
    /// staging folder on the host) into it, mounts /proc with runc's masked
    /// and read-only paths and a nodev /dev, and execs `enterHelper`
    /// (Probes/programs/scratch_enter.c), which pivot_roots into the tmpfs,
    /// detaches the host's root, drops capabilities, sets no_new_privs and
    /// execs the command. The whole sandbox joins `cgroupProcsFiles` first,
    /// and `unshare` runs under `setpriv --pdeathsig KILL`, so the sandbox
    /// dies with its caller even when that is SIGKILLed.
    public struct Confinement: Sendable {
        /// The statically linked scratch_enter program (a host path).
        public var enterHelper: String
        /// The tmpfs's size in bytes (what the root's files take, plus what the command may write).
        public var tmpfsBytes: UInt64
        /// Keep every capability (Docker's --privileged); otherwise Docker's default set.
        public var privileged = false
        /// cgroup.procs files the sandbox writes itself into before anything else.
        public var cgroupProcsFiles: [String] = []
        public init(enterHelper: String, tmpfsBytes: UInt64) { self.enterHelper = enterHelper; self.tmpfsBytes = tmpfsBytes }
    }

    public init(namespaces: Set<Namespace> = [.mount, .pid]) { self.namespaces = namespaces }
}

public enum LabError: Error, CustomStringConvertible {
    case notRoot
    case namespaceUnavailable(String)
    case missingTool(String, package: String)
    case setupFailed(String)

    public var description: String {
        switch self {
        case .notRoot:
            return "the lab needs root to create namespaces (run as root, or inside a user namespace that maps root)"
        case .namespaceUnavailable(let why):
            return "cannot create the sandbox namespaces: \(why)"
        case .missingTool(let tool, let package):
            return "\(tool) is missing: install the Debian package '\(package)'"
        case .setupFailed(let why):
            return "sandbox setup failed: \(why)"
        }
    }
}
