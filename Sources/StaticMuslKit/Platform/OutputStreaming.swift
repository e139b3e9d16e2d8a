import Foundation

/// How `ProcessRunner.run(_:_:streaming:)` treats a child's output: copied
/// as it arrives to our own descriptors (or not), and kept up to a cap.
public struct OutputStreaming: Sendable {
    /// Where the child's stdout bytes are copied as they arrive (1 for ours); nil: not copied.
    public var forwardStdoutTo: Int32?
    /// Where the child's stderr bytes are copied as they arrive (2 for ours); nil: not copied.
    public var forwardStderrTo: Int32?
    /// The most bytes kept of each stream; the rest is counted, not kept.
    public var captureLimit: Int

    public static let defaultCaptureLimit = 1 << 20

    public init(forwardStdoutTo: Int32? = nil, forwardStderrTo: Int32? = nil, captureLimit: Int = defaultCaptureLimit) {
        self.forwardStdoutTo = forwardStdoutTo
        self.forwardStderrTo = forwardStderrTo
        self.captureLimit = max(0, captureLimit)
    }
}

/// What was kept of one output stream.
public struct CapturedOutput: Sendable, Equatable {
    /// The stream's first bytes, at most the capture limit.
    public var bytes: Data
    /// Every byte the child wrote to the stream, kept or not.
    public var totalBytes: Int

    public init(bytes: Data = Data(), totalBytes: Int = 0) { self.bytes = bytes; self.totalBytes = totalBytes }

    public var truncated: Bool { totalBytes > bytes.count }
    /// The kept bytes as text; invalid UTF-8 is replaced by U+FFFD.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    /// Whether the kept bytes are valid UTF-8 (a multi-byte character cut
    /// by the capture limit does not count against them).
    public var isValidUTF8: Bool {
        if String(validating: bytes, as: UTF8.self) != nil { return true }
        guard truncated else { return false }
        // Drop at most 3 bytes of a character the cap cut in two.
        for cut in 1...3 where bytes.count >= cut {
            if String(validating: bytes.dropLast(cut), as: UTF8.self) != nil { return true }
        }
        return false
    }
}

/// A finished child whose output was streamed: the usual result (its
/// `stdout`/`stderr` hold the kept bytes as text) and each stream's bytes.
public struct StreamedProcessResult: Sendable {
    public var process: ProcessResult
    public var stdout: CapturedOutput
    public var stderr: CapturedOutput
}

/// Reads a child's stdout and stderr pipes on its own thread until both
/// reach end of file: copies each chunk to its forward descriptor, keeps
/// the first `captureLimit` bytes, counts the rest. It owns the read ends
/// and closes them when done.
final class OutputPump: @unchecked Sendable {
    /// How long `finish` waits for end of file once the child is gone.
    static let drainLimit: Double = 5
    private static let chunkSize = 64 * 1024

    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var stopRequested = false
    private var captured = [CapturedOutput(), CapturedOutput()]

    init(stdout: Int32, stderr: Int32, streaming: OutputStreaming) {
        let streams = [(stdout, streaming.forwardStdoutTo), (stderr, streaming.forwardStderrTo)]
        let limit = streaming.captureLimit
        Thread.detachNewThread { [self] in pump(streams, limit: limit) }
    }

    /// Waits until both pipes are at end of file, or `seconds` have passed
    /// (then the pump stops at its next poll); returns what was kept.
    func finish(within seconds: Double) -> (CapturedOutput, CapturedOutput) {
        if done.wait(timeout: .now() + seconds) == .timedOut {
            lock.lock(); stopRequested = true; lock.unlock()
            _ = done.wait(timeout: .now() + 1)
        }
        lock.lock(); defer { lock.unlock() }
        return (captured[0], captured[1])
    }

    private var isStopRequested: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopRequested
    }

    private func pump(_ streams: [(fd: Int32, forward: Int32?)], limit: Int) {
        // Writing to a closed pipe (our own stdout piped into `head`) raises
        // SIGPIPE, which would kill us; blocked in this thread, the write
        // fails with EPIPE instead, and that stream is no longer copied.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        var open = [true, true]
        var forwards = streams.map(\.forward)
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        defer {
            for stream in streams { close(stream.fd) }
            done.signal()
        }
        while open.contains(true), !isStopRequested {
            var fds = streams.enumerated().map { index, stream in
                pollfd(fd: open[index] ? stream.fd : -1, events: Int16(POLLIN), revents: 0)
            }
            let ready = poll(&fds, nfds_t(fds.count), 100)
            if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            if ready < 0 { return }
            for index in 0..<streams.count where open[index] && fds[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(streams[index].fd, $0.baseAddress, Self.chunkSize) }
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                if count <= 0 { open[index] = false; continue }
                if let forward = forwards[index], !Self.writeAll(forward, buffer, count) { forwards[index] = nil }
                lock.lock()
                let room = max(0, limit - captured[index].bytes.count)
                if room > 0 { captured[index].bytes.append(contentsOf: buffer[0..<min(room, count)]) }
                captured[index].totalBytes += count
                lock.unlock()
            }
        }
    }

    /// Writes `count` bytes of `buffer` to `fd`, retrying partial writes;
    /// false when the descriptor no longer takes them.
    private static func writeAll(_ fd: Int32, _ buffer: [UInt8], _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let written = buffer.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return write(fd, base + offset, count - offset)
            }
            if written > 0 { offset += written; continue }
            if written < 0, errno == EINTR { continue }
            if written < 0, errno == EAGAIN { usleep(1000); continue }
            return false
        }
        return true
    }
}
