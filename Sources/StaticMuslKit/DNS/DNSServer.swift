import Foundation
internal import CShimSockets

/// The scripted DNS server: one UDP socket and one TCP listener, bound to
/// 0.0.0.0 inside the lab's network namespace (where only lo exists), so
/// every 127.x nameserver of a scenario reaches it. IP_PKTINFO tells which
/// address a datagram was sent to, and replies leave from that address.
///
/// Plain POSIX sockets and one poll(2) loop on one thread: queries are
/// handled strictly in arrival order (one receive queue), so the log is
/// deterministic, and no SwiftNIO keeps builds minutes shorter.
/// The server never dies on bad input: every error is logged and skipped.
public final class DNSServer: @unchecked Sendable {
    public let responder: DNSResponder
    private var udp: Int32 = -1
    private var listener: Int32 = -1
    private var wake: (read: Int32, write: Int32) = (-1, -1)
    private struct Conn { var fd: Int32; var peer: String; var local: String; var buffer: [UInt8] }
    private var conns: [Conn] = []
    private struct Pending { var due: UInt64; var transport: DNSResponder.Transport; var fd: Int32; var peer: String; var port: Int32; var local: String; var bytes: [UInt8] }
    private var pending: [Pending] = []
    private var log: [DNSQueryRecord] = []
    private var epoch = DispatchTime.now().uptimeNanoseconds
    private let lock = NSLock()
    private var request: Command?
    private var reply: [DNSQueryRecord] = []
    private let replied = DispatchSemaphore(value: 0)
    private var thread: Thread?
    /// Called after each query is logged (service mode writes it out).
    public var onQuery: (@Sendable (DNSQueryRecord) -> Void)?

    private enum Command { case collect, stop }

    /// Binds the sockets (port 53 in the lab; tests use a high port).
    public init(scenario: DNSScenario, address: String = "0.0.0.0", port: Int = 53) throws {
        responder = DNSResponder(scenario: scenario)
        udp = cshim_dns_listen(address, Int32(port), 0)
        guard udp >= 0 else { throw DNSError.serverFailed("cannot bind UDP \(address):\(port): \(errnoDescription(-udp))") }
        if scenario.tcp {
            listener = cshim_dns_listen(address, Int32(port), 1)
            guard listener >= 0 else {
                close(udp)
                throw DNSError.serverFailed("cannot listen on TCP \(address):\(port): \(errnoDescription(-listener))")
            }
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw DNSError.serverFailed("pipe: \(errnoDescription())") }
        wake = (fds[0], fds[1])
        _ = fcntl(wake.read, F_SETFL, O_NONBLOCK)
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        for fd in [udp, listener, wake.read, wake.write] + conns.map(\.fd) where fd >= 0 { close(fd) }
    }

    /// Starts the poll loop on its own thread.
    public func start() {
        let t = Thread { [self] in loop() }
        t.stackSize = 1 << 20
        thread = t
        t.start()
    }

    /// Handles every query already queued (a finished probe sent them all),
    /// then returns the log since the last call and forgets delayed replies.
    public func collect() -> [DNSQueryRecord] { command(.collect) }

    public func stop() { _ = command(.stop) }

    private func command(_ c: Command) -> [DNSQueryRecord] {
        lock.lock(); request = c; lock.unlock()
        var b: UInt8 = 1
        _ = write(wake.write, &b, 1)
        replied.wait()
        lock.lock(); defer { lock.unlock() }
        return reply
    }

    private func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    private var tMs: Int { Int((now() - epoch) / 1_000_000) }

    private func loop() {
        var running = true
        while running {
            var fds = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0), pollfd(fd: udp, events: Int16(POLLIN), revents: 0)]
            if listener >= 0 { fds.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0)) }
            fds += conns.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            var timeout: Int32 = 1000
            if let due = pending.map(\.due).min() {
                timeout = Int32(min(1000, due > now() ? (due - now()) / 1_000_000 + 1 : 0))
            }
            let n = poll(&fds, nfds_t(fds.count), timeout)
            if n < 0 && errno != EINTR { usleep(1000) }
            if fds[0].revents != 0 {
                var buf = [UInt8](repeating: 0, count: 16)
                _ = read(wake.read, &buf, 16)
                lock.lock(); let c = request; request = nil; lock.unlock()
                if let c {
                    drainAll()
                    lock.lock()
                    reply = log
                    lock.unlock()
                    log = []
                    pending = []
                    epoch = now()
                    if case .stop = c { running = false }
                    replied.signal()
                }
            }
            drainAll()
            flushPending()
        }
    }

    /// Reads everything queued on every socket, in order.
    private func drainAll() {
        readUDP()
        acceptAll()
        for i in conns.indices.reversed() { readConn(i) }
        flushPending()
    }

    private func readUDP() {
        var buf = [UInt8](repeating: 0, count: 65536)
        var peer = [CChar](repeating: 0, count: 64), local = [CChar](repeating: 0, count: 64)
        var port: Int32 = 0
        while true {
            let n = cshim_dns_udp_recv(udp, &buf, buf.count, &peer, &port, &local)
            if n < 0 { return }
            let p = String(cString: peer), l = String(cString: local)
            handle(Array(buf[0..<Int(n)]), transport: .udp, fd: udp, peer: p, port: port, local: l)
        }
    }

    private func acceptAll() {
        guard listener >= 0 else { return }
        var peer = [CChar](repeating: 0, count: 64), local = [CChar](repeating: 0, count: 64)
        var port: Int32 = 0
        while true {
            let fd = cshim_dns_tcp_accept(listener, &peer, &port, &local)
            if fd < 0 { return }
            conns.append(Conn(fd: fd, peer: String(cString: peer), local: String(cString: local), buffer: []))
        }
    }

    private func readConn(_ i: Int) {
        var buf = [UInt8](repeating: 0, count: 65536)
        var closed = false
        while true {
            let n = read(conns[i].fd, &buf, buf.count)
            if n > 0 { conns[i].buffer += buf[0..<n]; continue }
            if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { closed = true }
            break
        }
        while conns[i].buffer.count >= 2 {
            let len = Int(conns[i].buffer[0]) << 8 | Int(conns[i].buffer[1])
            guard conns[i].buffer.count >= 2 + len else { break }
            let msg = Array(conns[i].buffer[2..<(2 + len)])
            conns[i].buffer.removeFirst(2 + len)
            handle(msg, transport: .tcp, fd: conns[i].fd, peer: conns[i].peer, port: 0, local: conns[i].local)
        }
        if closed {
            close(conns[i].fd)
            pending.removeAll { $0.fd == conns[i].fd && $0.transport == .tcp }
            conns.remove(at: i)
        }
    }

    private func handle(_ bytes: [UInt8], transport: DNSResponder.Transport, fd: Int32, peer: String, port: Int32, local: String) {
        let (record, action) = responder.handle(bytes, server: local, transport: transport, tMs: tMs)
        log.append(record)
        onQuery?(record)
        if case .reply(let out, let delay) = action {
            let p = Pending(due: now() + UInt64(delay) * 1_000_000, transport: transport, fd: fd, peer: peer, port: port, local: local, bytes: out)
            if delay == 0 { transmit(p) } else { pending.append(p) }
        }
    }

    private func flushPending() {
        let t = now()
        let due = pending.filter { $0.due <= t }
        pending.removeAll { $0.due <= t }
        due.forEach(transmit)
    }

    private func transmit(_ p: Pending) {
        if p.transport == .udp {
            _ = cshim_dns_udp_send(p.fd, p.bytes, p.bytes.count, p.peer, p.port, p.local)
        } else {
            // The responder never builds more than 65,535 bytes; a longer
            // message could not be framed, so it is not sent (never a trap).
            guard let length = UInt16(exactly: p.bytes.count) else { return }
            let framed = [UInt8(length >> 8), UInt8(length & 0xff)] + p.bytes
            sendAll(p.fd, framed)
        }
    }

    /// Writes a whole TCP frame. The connection is non-blocking and a large
    /// answer (up to 64 KiB) may not fit in the socket buffer at once: wait
    /// for room (the resolver reads as we write), give up after 2 s without progress.
    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            if n < 0 && errno == EINTR { continue }
            guard n < 0, errno == EAGAIN || errno == EWOULDBLOCK else { return }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, 2000) > 0 else { return }
        }
    }
}
