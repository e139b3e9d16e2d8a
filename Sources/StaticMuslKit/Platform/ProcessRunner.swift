import Foundation

/// What a finished child process left behind.
public struct ProcessResult: Codable, Sendable, Equatable {
    public var exitStatus: Int32?      // nil when killed by a signal
    public var signal: Int32?          // the terminating signal, if any
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool
    public var elapsedMs: Double

    public var succeeded: Bool { exitStatus == 0 && !timedOut }
}

public enum ProcessError: Error, CustomStringConvertible {
    case executableNotFound(String)
    case launchFailed(String, String)

    public var description: String {
        switch self {
        case .executableNotFound(let name):
            return "executable not found: \(name) (is the package that provides it installed?)"
        case .launchFailed(let path, let why):
            return "could not start \(path): \(why)"
        }
    }
}

/// One child to run, as `ProcessRunner.run` was asked for it.
public struct ProcessRequest: Sendable, Equatable {
    public var executable: String
    public var arguments: [String]
    public var environment: [String: String]?
    public var currentDirectory: String?
    public var stdin: String?
    public var timeout: Double
    public var outputFileDescriptor: Int32?
}

/// What runs the children `ProcessRunner.run` is asked for: the system,
/// unless a test puts a fake in `ProcessRunner.launcher` for its task.
public protocol ProcessLaunching: Sendable {
    func run(_ request: ProcessRequest) throws -> ProcessResult
}

/// Runs a child with a hard timeout. Output goes to temporary files, not
/// pipes, so a chatty child can never deadlock against us.
///
/// Every child leads its own process group (as swift-subprocess does), so a
/// timeout or an interrupt can end the child *and everything it started*:
/// `sh -c 'server & client'` or a compiler driver's jobs no longer outlive
/// us. The groups alive at any moment are tracked in `ChildProcessGroups`,
/// whose SIGINT/SIGTERM/SIGHUP handlers end them all before we exit.
public enum ProcessRunner {
    /// How long a group gets between SIGTERM and SIGKILL.
    static let terminationGrace: Double = 2

    /// The test seam: a fake that answers `run` (the captured-output form)
    /// instead of the system, within `ProcessRunner.$launcher.withValue(fake) { … }`.
    /// nil (the default) runs real children.
    @TaskLocal public static var launcher: (any ProcessLaunching)?

    /// Looks a command up on PATH (plus the sbin folders, which root's
    /// non-login shells sometimes lack).
    public static func which(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            + ":/usr/local/sbin:/usr/sbin:/sbin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` (looked up with `which`) and waits for it.
    ///
    /// - timeout: seconds; then the child's group gets SIGTERM, SIGKILL after
    ///   `terminationGrace` s, and the result has `timedOut` set.
    /// - outputFileDescriptor: when set, the child's stdout and stderr both go
    ///   to this descriptor (2 streams a long build to the user's terminal)
    ///   and the result's `stdout` and `stderr` are empty.
    public static func run(_ executable: String, _ arguments: [String] = [],
                           environment: [String: String]? = nil,
                           currentDirectory: String? = nil,
                           stdin: String? = nil,
                           timeout: Double = 60,
                           outputFileDescriptor: Int32? = nil) throws -> ProcessResult {
        if let launcher {
            return try launcher.run(ProcessRequest(executable: executable, arguments: arguments, environment: environment,
                                                   currentDirectory: currentDirectory, stdin: stdin, timeout: timeout,
                                                   outputFileDescriptor: outputFileDescriptor))
        }
        guard let path = which(executable) else { throw ProcessError.executableNotFound(executable) }
        ChildProcessGroups.installInterruptHandlers()

        let output: ChildOutput
        var captureFolder: URL?
        if let fd = outputFileDescriptor {
            output = .descriptor(fd)
        } else {
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("static-musl-run-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            ChildProcessGroups.trackCaptureFolder(folder.path)
            captureFolder = folder
            output = .files(stdout: folder.appendingPathComponent("stdout").path,
                            stderr: folder.appendingPathComponent("stderr").path)
        }
        defer {
            if let captureFolder {
                try? FileManager.default.removeItem(at: captureFolder)
                ChildProcessGroups.untrackCaptureFolder(captureFolder.path)
            }
        }

        let start = DispatchTime.now().uptimeNanoseconds
        let (pid, stdinWriteEnd) = try ChildProcessGroups.spawnRegistered(path, withStdinPipe: stdin != nil) { stdinReadEnd in
            try spawn(path, arguments, environment: environment, currentDirectory: currentDirectory,
                      stdinReadEnd: stdinReadEnd, output: output)
        }
        let feeder = stdinWriteEnd.map { StdinFeeder(fd: $0, text: stdin ?? "") }
        let (status, timedOut) = waitForChild(pid, timeout: timeout, start: start)
        feeder?.stop()
        ChildProcessGroups.unregister(pid)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6

        var out = "", err = ""
        if case .files(let outPath, let errPath) = output {
            out = readText(outPath)
            err = readText(errPath)
        }
        let (exitStatus, signal) = decode(status)
        return ProcessResult(exitStatus: exitStatus, signal: signal,
                             stdout: out, stderr: err, timedOut: timedOut, elapsedMs: elapsed)
    }

    /// Runs `executable` like `run`, but reads its stdout and stderr through
    /// pipes as they are written: each chunk is copied at once, byte for
    /// byte, to the descriptor `streaming` names (if any), and at most
    /// `streaming.captureLimit` bytes of each stream are kept, with the
    /// exact total. Memory stays bounded whatever the child writes. The
    /// child's stdin is /dev/null. The returned `process`'s `stdout` and
    /// `stderr` are the kept bytes as text (invalid UTF-8 replaced).
    public static func run(_ executable: String, _ arguments: [String] = [],
                           environment: [String: String]? = nil,
                           currentDirectory: String? = nil,
                           timeout: Double = 60,
                           streaming: OutputStreaming) throws -> StreamedProcessResult {
        guard let path = which(executable) else { throw ProcessError.executableNotFound(executable) }
        ChildProcessGroups.installInterruptHandlers()
        let start = DispatchTime.now().uptimeNanoseconds
        var readEnds: (stdout: Int32, stderr: Int32) = (-1, -1)
        let (pid, _) = try ChildProcessGroups.spawnRegistered(path, withStdinPipe: false) { _ in
            // Made under the registry's lock, close-on-exec: no other spawn of ours inherits them.
            let out = try makePipe(path), err = try makePipe(path)
            defer { close(out.write); close(err.write) }   // the child has its copies
            do {
                let pid = try spawn(path, arguments, environment: environment, currentDirectory: currentDirectory,
                                    stdinReadEnd: nil, output: .pipes(stdout: out.write, stderr: err.write))
                readEnds = (out.read, err.read)
                return pid
            } catch {
                close(out.read); close(err.read)
                throw error
            }
        }
        let pump = OutputPump(stdout: readEnds.stdout, stderr: readEnds.stderr, streaming: streaming)
        let (status, timedOut) = waitForChild(pid, timeout: timeout, start: start)
        ChildProcessGroups.unregister(pid)
        // The group is gone; what is left in the pipes is read to the end.
        // A process that left the group and still holds a write end (a
        // daemon) cannot keep us waiting for more than `drainLimit`.
        let (stdout, stderr) = pump.finish(within: OutputPump.drainLimit)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let (exitStatus, signal) = decode(status)
        return StreamedProcessResult(
            process: ProcessResult(exitStatus: exitStatus, signal: signal, stdout: stdout.text, stderr: stderr.text,
                                   timedOut: timedOut, elapsedMs: elapsed),
            stdout: stdout, stderr: stderr)
    }

    private static func makePipe(_ path: String) throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw ProcessError.launchFailed(path, "pipe: \(errnoDescription())") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// Where the child's stdout and stderr go.
    private enum ChildOutput {
        case files(stdout: String, stderr: String)
        case descriptor(Int32)
        case pipes(stdout: Int32, stderr: Int32)
    }

    /// posix_spawn with the child in a new process group, a clean signal
    /// state and only fds 0–2 open. Returns the pid, which is also the pgid.
    private static func spawn(_ path: String, _ arguments: [String], environment: [String: String]?,
                              currentDirectory: String?, stdinReadEnd: Int32?, output: ChildOutput) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // pgroup 0: the child's own pid becomes its group id.
        try check(posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)),
                  path, "posix_spawnattr_setflags")
        try check(posix_spawnattr_setpgroup(&attributes, 0), path, "posix_spawnattr_setpgroup")
        // A child starts as a shell would start it: nothing blocked, and every
        // signal at its default. Ignored dispositions survive exec, so without
        // this it would inherit our SIG_IGN for SIGPIPE (DNSServer sets it)
        // or for SIGINT/SIGHUP (nohup, background jobs).
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        try check(posix_spawnattr_setsigmask(&attributes, &noSignals), path, "posix_spawnattr_setsigmask")
        try check(posix_spawnattr_setsigdefault(&attributes, &allSignals), path, "posix_spawnattr_setsigdefault")

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch output {
        case .descriptor(let fd):
            try check(posix_spawn_file_actions_adddup2(&actions, fd, 1), path, "dup2 onto stdout")
            try check(posix_spawn_file_actions_adddup2(&actions, fd, 2), path, "dup2 onto stderr")
        case .files(let outPath, let errPath):
            try check(posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600), path, "open \(outPath)")
            try check(posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600), path, "open \(errPath)")
        case .pipes(let outWriteEnd, let errWriteEnd):
            try check(posix_spawn_file_actions_adddup2(&actions, outWriteEnd, 1), path, "dup2 onto stdout")
            try check(posix_spawn_file_actions_adddup2(&actions, errWriteEnd, 2), path, "dup2 onto stderr")
        }
        // stdin last, so an outputFileDescriptor of 0 is dup'ed before fd 0 is replaced.
        if let stdinReadEnd {
            try check(posix_spawn_file_actions_adddup2(&actions, stdinReadEnd, 0), path, "dup2 onto stdin")
        } else {
            try check(posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0), path, "open /dev/null")
        }
        // No other descriptor of ours leaks into the child, as with
        // Foundation's Process: many are not close-on-exec (libdispatch's
        // eventfds, for one), and a leaked pipe end keeps a reader from EOF.
        if let closeFrom = SpawnExtensions.addCloseFrom {
            try check(closeFrom(&actions, 3), path, "posix_spawn_file_actions_addclosefrom_np")
        } else {
            // Older libcs: close what is open now (a close that fails in the child is ignored).
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for fd in open.compactMap({ Int32($0) }) where fd > 2 {
                try check(posix_spawn_file_actions_addclose(&actions, fd), path, "close \(fd)")
            }
        }
        if let currentDirectory {
            guard let addChdir = SpawnExtensions.addChdir else {
                throw ProcessError.launchFailed(path, "this libc has no posix_spawn_file_actions_addchdir_np, so currentDirectory is unsupported")
            }
            try check(addChdir(&actions, currentDirectory), path, "chdir \(currentDirectory)")
        }

        let argv = cStrings([path] + arguments)
        defer { argv.forEach { free($0) } }
        let envp = environment.map { cStrings($0.map { "\($0.key)=\($0.value)" }) }
        defer { envp?.forEach { free($0) } }
        var pid: pid_t = 0
        let rc: Int32
        if let envp {
            rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        } else {
            rc = posix_spawn(&pid, path, &actions, &attributes, argv, environ)   // the parent's
        }
        // glibc reports exec and file-action failures here, and reaps the failed child itself.
        guard rc == 0 else { throw ProcessError.launchFailed(path, errnoDescription(rc)) }
        return pid
    }

    private static func check(_ rc: Int32, _ path: String, _ what: String) throws {
        if rc != 0 { throw ProcessError.launchFailed(path, "\(what): \(errnoDescription(rc))") }
    }

    /// Polls for the child's exit (WNOHANG with short, growing sleeps: no
    /// extra thread, and no SIGCHLD handler to fight over). On timeout, or
    /// when `terminateAllChildGroups` asked, it ends the group: SIGTERM, then
    /// SIGKILL after the grace period. Returns the raw wait status, nil if
    /// the child was reaped elsewhere (someone set SIGCHLD to SIG_IGN).
    private static func waitForChild(_ pid: pid_t, timeout: Double, start: UInt64) -> (status: Int32?, timedOut: Bool) {
        var status: Int32 = 0
        var pauseMicroseconds: UInt32 = 500
        var timedOut = false
        var terminatingSince: UInt64?
        var killed = false
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped == -1 {
                if errno == EINTR { continue }
                return (nil, timedOut)
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if let since = terminatingSince {
                if !killed, Double(now - since) / 1e9 >= terminationGrace {
                    signalChild(pid, SIGKILL)
                    killed = true
                }
            } else {
                let requested = ChildProcessGroups.terminationRequested(pid)
                if requested || Double(now - start) / 1e9 >= timeout {
                    timedOut = !requested
                    signalChild(pid, SIGTERM)
                    terminatingSince = now
                    pauseMicroseconds = 500   // notice the exit promptly
                }
            }
            usleep(pauseMicroseconds)
            pauseMicroseconds = min(pauseMicroseconds * 2, 50_000)
        }
        // The leader is gone, but what it started may have ignored SIGTERM,
        // or still be winding down: make sure nothing of the group survives.
        if terminatingSince != nil { kill(-pid, SIGKILL) }
        return (status, timedOut)
    }

    /// Signals the child's group, and the child itself in case it left the
    /// group (setsid). Only called before the child is reaped, so its pid
    /// cannot have been reused. SIGCONT lets stopped members act on SIGTERM.
    private static func signalChild(_ pid: pid_t, _ signal: Int32) {
        kill(-pid, signal)
        kill(pid, signal)
        if signal != SIGKILL { kill(-pid, SIGCONT) }
    }

    /// (exit status, signal) from a raw wait status; the W* macros do not
    /// import into Swift. (nil, nil) when the status was lost.
    static func decode(_ status: Int32?) -> (Int32?, Int32?) {
        guard let status else { return (nil, nil) }
        let low = status & 0x7f
        if low == 0 { return ((status >> 8) & 0xff, nil) }   // WIFEXITED
        return (nil, low)                                      // WIFSIGNALED (no WUNTRACED, so never stopped)
    }

    /// A NULL-terminated argv/envp; the caller frees each element.
    private static func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] {
        strings.map { strdup($0) } + [nil]
    }

    private static func readText(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// glibc declares these only under _GNU_SOURCE, which Swift's Glibc module
/// does not define, so they are looked up at run time (glibc 2.29 / 2.34).
private enum SpawnExtensions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let address = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}


/// Feeds a string to the child's stdin pipe from its own thread, so a child
/// that reads slowly, or never, cannot stall the wait and its timeout. Stops
/// (closing the pipe) when everything is written, when the reader is gone,
/// or when `stop` is called after the child exits.
private final class StdinFeeder: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    init(fd: Int32, text: String) {
        let bytes = Array(text.utf8)
        // Non-blocking, so a full pipe cannot keep the thread from seeing `stop`.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        Thread.detachNewThread { [self] in feed(fd, bytes) }
    }

    func stop() {
        lock.lock(); stopped = true; lock.unlock()
    }

    private var isStopped: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopped
    }

    private func feed(_ fd: Int32, _ bytes: [UInt8]) {
        defer { close(fd) }
        // Writing to a pipe whose reader exited raises SIGPIPE, which would
        // kill us. Blocked in this thread it only makes write fail with
        // EPIPE; the pending signal is discarded when the thread ends.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        var offset = 0
        while offset < bytes.count, !isStopped {
            var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let polled = poll(&ready, 1, 100)
            if polled == 0 || (polled < 0 && errno == EINTR) { continue }   // re-check `stop`
            if polled < 0 { return }
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(fd, base + offset, bytes.count - offset)
            }
            if written > 0 { offset += written }
            else if written < 0, errno != EAGAIN, errno != EINTR { return }   // EPIPE: the reader is gone
        }
    }
}
