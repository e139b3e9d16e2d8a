import Foundation

/// The process groups of `ProcessRunner`'s children that are alive right
/// now (each child leads its own group, so its pid is the group id). An
/// interrupt, or `terminateAllChildGroups`, ends all of them.
enum ChildProcessGroups {
    private static let lock = NSLock()
    /// pgid → whether `terminateAllChildGroups` asked that group to end.
    nonisolated(unsafe) private static var live: [pid_t: Bool] = [:]
    /// Set while an interrupt is being handled: no new children after that,
    /// and no `run` returns.
    nonisolated(unsafe) private static var refusingChildren = false
    /// The output folders of the runs in progress. An interrupt exits without
    /// returning to `run`, whose `defer` would have removed them.
    nonisolated(unsafe) private static var captureFolders: Set<String> = []

    /// Runs `spawn` and registers the child it started. The lock is held
    /// throughout, so `terminateAllChildGroups` either sees the new group
    /// or runs before it exists (and then this spawn never happens); and
    /// no other spawn of ours can inherit the stdin pipe before it is
    /// close-on-exec (Swift's Glibc module lacks pipe2).
    /// Returns the pid and, when asked for, the write end of the child's stdin.
    static func spawnRegistered(_ path: String, withStdinPipe: Bool,
                                _ spawn: (_ stdinReadEnd: Int32?) throws -> pid_t) throws -> (pid_t, Int32?) {
        lock.lock()
        if refusingChildren {
            lock.unlock()
            parkUntilExit()
        }
        defer { lock.unlock() }
        var stdinPipe: (read: Int32, write: Int32)?
        if withStdinPipe {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { throw ProcessError.launchFailed(path, "pipe: \(errnoDescription())") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            stdinPipe = (fds[0], fds[1])
        }
        let pid: pid_t
        do {
            pid = try spawn(stdinPipe?.read)
        } catch {
            if let stdinPipe { close(stdinPipe.read); close(stdinPipe.write) }
            throw error
        }
        if let stdinPipe { close(stdinPipe.read) }   // the child has its copy
        live[pid] = false
        return (pid, stdinPipe?.write)
    }

    /// Called once `run` has reaped the child (and, if it ended the group,
    /// SIGKILLed the rest). During an interrupt it does not return.
    static func unregister(_ pgid: pid_t) {
        lock.lock()
        live[pgid] = nil
        let interrupted = refusingChildren
        lock.unlock()
        if interrupted { parkUntilExit() }
    }

    /// While an interrupt is handled, the watcher thread is about to exit
    /// the process with 128 + signal. A `run` that returned now would hand
    /// its caller a child "killed by SIGTERM", which it could report as a
    /// failure, or act on, before that exit; so the thread waits for it.
    private static func parkUntilExit() -> Never {
        while true { pause() }
    }

    static func terminationRequested(_ pgid: pid_t) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return live[pgid] ?? false
    }

    static func isLive(_ pgid: pid_t) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return live[pgid] != nil
    }

    /// Marks every live group as to be ended, and returns them.
    static func requestTerminationOfAll() -> [pid_t] {
        lock.lock(); defer { lock.unlock() }
        for pgid in live.keys { live[pgid] = true }
        return Array(live.keys)
    }

    /// Work to do after an interrupt has ended every child group and before
    /// we exit (removing a scratch run's cgroup and staging folder), by token.
    nonisolated(unsafe) private static var interruptCleanups: [Int: @Sendable () -> Void] = [:]
    nonisolated(unsafe) private static var nextCleanupToken = 0

    /// Registers `work` to run if an interrupt ends us; returns the token
    /// that `untrackInterruptCleanup` takes once the work is done normally.
    static func trackInterruptCleanup(_ work: @escaping @Sendable () -> Void) -> Int {
        lock.lock(); defer { lock.unlock() }
        nextCleanupToken += 1
        interruptCleanups[nextCleanupToken] = work
        return nextCleanupToken
    }

    static func untrackInterruptCleanup(_ token: Int) {
        lock.lock(); defer { lock.unlock() }
        interruptCleanups[token] = nil
    }

    private static func takeInterruptCleanups() -> [@Sendable () -> Void] {
        lock.lock(); defer { lock.unlock() }
        defer { interruptCleanups = [:] }
        return interruptCleanups.sorted { $0.key < $1.key }.map(\.value)
    }

    static func trackCaptureFolder(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        captureFolders.insert(path)
    }

    static func untrackCaptureFolder(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        captureFolders.remove(path)
    }

    private static func takeCaptureFolders() -> Set<String> {
        lock.lock(); defer { lock.unlock() }
        defer { captureFolders = [] }
        return captureFolders
    }

    static func refuseNewChildren() {
        lock.lock(); defer { lock.unlock() }
        refusingChildren = true
    }

    // MARK: Interrupts

    static let handledSignals = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the SIGINT/SIGTERM/SIGHUP handlers, once. Our children are
    /// not in the terminal's foreground group, so a Ctrl-C reaches only us:
    /// without these, it would kill us and leave them running.
    static func installInterruptHandlers() { _ = handlersInstalled }

    private static let handlersInstalled: Void = {
        // The self-pipe trick: a signal handler may only do async-signal-safe
        // things (taking the registry lock is not one), so it just writes the
        // signal number to a pipe, and a thread does the work.
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }   // no handlers then; timeouts still end groups
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)   // the handler must never block
        interruptPipeWriteEnd = fds[1]
        let readEnd = fds[0]
        Thread.detachNewThread { watchInterrupts(readEnd) }

        for signal in handledSignals {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0 else { continue }
            // Take over only signals at their default: one ignored at startup
            // (nohup, `cmd &` in a script) stays ignored, and a handler that
            // someone else installed stays theirs.
            guard unsafeBitCast(current.__sigaction_handler, to: UInt.self) == 0 else { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = forwardSignalToWatcher
            action.sa_flags = SA_RESTART   // other threads' blocking calls carry on
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        // Not DispatchSource.makeSignalSource: on Linux it reads a signalfd
        // and blocks the signal only in the thread that created it, so a
        // signal delivered to any other thread would be lost.
    }()

    /// Waits for a signal number from the handler, ends every child group,
    /// and exits the way a shell reports a signal death (128 + signal).
    private static func watchInterrupts(_ readEnd: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = read(readEnd, &byte, 1)
            if count == 1 { break }
            if count < 0, errno == EINTR { continue }
            return
        }
        refuseNewChildren()
        ProcessRunner.terminateAllChildGroups()
        for folder in takeCaptureFolders() { try? FileManager.default.removeItem(atPath: folder) }
        for work in takeInterruptCleanups() { work() }
        exit(128 + Int32(byte))
    }
}

/// The handler's only state; set before any handler is installed.
nonisolated(unsafe) private var interruptPipeWriteEnd: Int32 = -1

private let forwardSignalToWatcher: @convention(c) (Int32) -> Void = { signal in
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(interruptPipeWriteEnd, &byte, 1)
    errno = savedErrno
}

extension ProcessRunner {
    /// Ends every child process group that `run` started and that is still
    /// alive: SIGTERM to each group, up to `terminationGrace` seconds for
    /// them to go, then SIGKILL. Each interrupted `run` returns with the
    /// signal (not `timedOut`). Safe to call from any thread; the interrupt
    /// handlers call it before exiting.
    public static func terminateAllChildGroups() {
        let groups = ChildProcessGroups.requestTerminationOfAll()
        guard !groups.isEmpty else { return }
        for pgid in groups {
            kill(-pgid, SIGTERM)
            kill(-pgid, SIGCONT)   // a stopped member acts on SIGTERM only once continued
        }
        // A group is done when it is empty, or once its `run` has reaped the
        // leader and SIGKILLed the rest (a leader that is a zombie still
        // counts as a member, so emptiness alone would wait for the reaper).
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(terminationGrace * 1e9)
        var remaining = groups
        while !remaining.isEmpty, DispatchTime.now().uptimeNanoseconds < deadline {
            usleep(10_000)
            remaining = remaining.filter { pgid in
                ChildProcessGroups.isLive(pgid) && !(kill(-pgid, 0) == -1 && errno == ESRCH)
            }
        }
        for pgid in remaining { kill(-pgid, SIGKILL) }
    }
}
