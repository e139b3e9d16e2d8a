import Foundation

/// Runs an image that `static-musl build --image` wrote (an OCI archive) in a
/// real container runtime, as a user's `docker run` would: Debian's podman
/// with runc. crun, podman's default here, fails on this machine's hybrid
/// cgroups; runc works. The machine's hard ulimits are below podman's
/// defaults, so a containers.conf of its own sets `default_ulimits = []`.
///
/// Nothing of the system's container set-up is touched: every run has its
/// own storage (`--root`, `--runroot`, vfs, `TMPDIR`) in a temporary folder
/// that is removed afterwards, and the container has no network
/// (`--network none`) unless asked.
public enum OCIRuntime {
    public struct Options: Sendable {
        /// The OCI archive (`IMAGE.tar`).
        public var image: String
        /// Passed after the image: the entrypoint's arguments.
        public var arguments: [String] = []
        public var timeout: Double = 120
        /// Give the container the host's network instead of none.
        public var hostNetwork = false
        /// Where the run's storage folder is made (and removed); nil: the temporary folder.
        public var workDirectory: String?
        public init(image: String, arguments: [String] = []) { self.image = image; self.arguments = arguments }
    }

    /// What ran, and what it said.
    public struct Result: Codable, Sendable, Equatable {
        /// "podman 4.3.1, runc 1.1.5+ds1".
        public var engine: String
        public var exitStatus: Int32?
        public var signal: Int32?
        public var timedOut: Bool
        public var stdout: String
        public var stderr: String
        public var elapsedMs: Double

        enum CodingKeys: String, CodingKey {
            case engine, stdout, stderr, signal
            case exitStatus = "exit_status", timedOut = "timed_out", elapsedMs = "elapsed_ms"
        }
    }

    public enum RuntimeError: Error, CustomStringConvertible, Equatable {
        case imageMissing(String)
        case notAnArchive(String)
        case badTimeout(Double)
        case unavailable(String)
        /// podman itself failed (loading the image, creating the container), not the program in it.
        case engineFailed(String)
        /// The entrypoint could not be executed (podman's 126 or 127: not
        /// found, no loader, not executable): the program's own failure.
        case entrypointFailed(status: Int32, String)

        public var description: String {
            switch self {
            case .imageMissing(let path): return "\(path): no such image file"
            case .notAnArchive(let path): return "\(path) is not an OCI archive (no oci-layout and index.json in the tar)"
            case .badTimeout(let t): return "the timeout must be a finite number of seconds above 0, not \(t)"
            case .unavailable(let why): return "no container runtime: \(why)"
            case .engineFailed(let why): return "podman could not run the image: \(why)"
            case .entrypointFailed(let status, let why): return "the entrypoint could not be executed (exit status \(status)): \(why)"
            }
        }

        /// Bad input (exit 2) rather than a failed run (exit 1).
        public var isInputError: Bool {
            switch self {
            case .imageMissing, .notAnArchive, .badTimeout: return true
            case .unavailable, .engineFailed, .entrypointFailed: return false
            }
        }

        /// The program itself failed to start (exit 1), rather than the runtime (exit 3).
        public var isProgramFailure: Bool {
            if case .entrypointFailed = self { return true }
            return false
        }
    }

    /// podman and runc, installed from Debian's packages when missing (as root);
    /// their versions.
    public static func ensureAvailable() throws -> String {
        do {
            _ = try SystemPackages.ensure("podman", package: "podman")
            _ = try SystemPackages.ensure("runc", package: "runc")
        } catch { throw RuntimeError.unavailable("\(error)") }
        func firstLine(_ tool: String, _ args: [String]) -> String {
            let out = (try? ProcessRunner.run(tool, args, timeout: 30))?.stdout ?? ""
            return out.split(separator: "\n").first.map(String.init) ?? tool
        }
        let podman = firstLine("podman", ["--version"]).replacingOccurrences(of: "podman version ", with: "podman ")
        let runc = firstLine("runc", ["--version"]).replacingOccurrences(of: "runc version ", with: "runc ")
        return "\(podman), \(runc)"
    }

    /// The podman command line for one run (without the executable).
    /// podman refuses a runroot path longer than 50 characters, so it is a
    /// short folder of the temporary directory whatever `storage` is.
    static func arguments(_ options: Options, storage: String, runroot: String) -> [String] {
        ["--root", storage + "/storage", "--runroot", runroot, "--storage-driver", "vfs", "--runtime", "runc",
         "--cgroup-manager", "cgroupfs", "--events-backend", "none",
         "run", "--rm", "--network", options.hostNetwork ? "host" : "none", "oci-archive:" + options.image] + options.arguments
    }

    public static func run(_ options: Options) throws -> Result {
        guard options.timeout.isFinite, options.timeout > 0 else { throw RuntimeError.badTimeout(options.timeout) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.image, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw RuntimeError.imageMissing(options.image)
        }
        let listing = try ProcessRunner.run("tar", ["-tf", options.image], timeout: 120)
        let entries = Set(listing.stdout.split(separator: "\n").map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : String($0) })
        guard listing.succeeded, entries.contains("oci-layout"), entries.contains("index.json") else {
            throw RuntimeError.notAnArchive(options.image)
        }
        let engine = try ensureAvailable()
        let parent = options.workDirectory ?? FileManager.default.temporaryDirectory.path
        let id = String(UUID().uuidString.prefix(8)).lowercased()
        let storage = parent + "/static-musl-oci-\(id)", runroot = "/tmp/smoci-\(id)"
        try FileManager.default.createDirectory(atPath: storage + "/tmp", withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: storage)
            try? FileManager.default.removeItem(atPath: runroot)
        }
        try "[containers]\ndefault_ulimits = []\n".write(toFile: storage + "/containers.conf", atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["CONTAINERS_CONF"] = storage + "/containers.conf"
        environment["TMPDIR"] = storage + "/tmp"
        // Loading the image into the run's own storage takes a few seconds before the program starts.
        let r = try ProcessRunner.run("podman", arguments(options, storage: storage, runroot: runroot), environment: environment,
                                      timeout: options.timeout + 60)
        // podman's own failures (125: podman, 126/127: the entrypoint could not be run) are not the program's.
        if let status = r.exitStatus, [125, 126, 127].contains(status), !r.timedOut {
            let line = r.stderr.split(separator: "\n").last { $0.contains("Error") || $0.contains("error") } ?? r.stderr.split(separator: "\n").last
            let message = line.map(String.init) ?? "no message"
            if status == 125 { throw RuntimeError.engineFailed("exit \(status): " + message) }
            throw RuntimeError.entrypointFailed(status: status, message)
        }
        return Result(engine: engine, exitStatus: r.exitStatus, signal: r.signal, timedOut: r.timedOut,
                      stdout: r.stdout, stderr: Self.withoutPullLog(r.stderr), elapsedMs: r.elapsedMs)
    }

    /// podman prints its image copy ("Getting image source signatures",
    /// "Copying blob …") on stderr before the program's own stderr.
    static func withoutPullLog(_ stderr: String) -> String {
        let noise = ["Getting image source signatures", "Copying blob ", "Copying config ", "Writing manifest to image destination",
                     "Storing signatures"]
        return stderr.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in !noise.contains { line.hasPrefix($0) } }.joined(separator: "\n")
    }
}
