// tls-echo: a TLS line echo server and client on swift-nio-ssl (vendored
// BoringSSL) over NIOPosix, meant to interoperate with OpenSSL's tools.
//
//   tls-echo server --port P --cert C.pem --key K.pem [--once]
//     Listens on 127.0.0.1:P (P may be 0), prints
//     `tls-echo: listening on 127.0.0.1:<port>` once ready and echoes every
//     byte it receives. With --once it exits after the first connection
//     closes, printing `tls-echo: connection closed, <n> bytes echoed`
//     (exit 1 if that connection never completed a TLS handshake). Without
//     --once it serves until SIGTERM / SIGINT and then exits 0.
//   tls-echo client --port P --ca CA.pem [--messages N] [--reversed]
//     Connects to 127.0.0.1:P, verifies the server certificate against CA.pem
//     for the name "localhost" (SNI "localhost"), sends N lines (default 100)
//     and checks that each comes back. --reversed expects every line reversed,
//     as `openssl s_server -rev` answers.
//
// Client stdout depends only on N and the negotiated protocol version:
//   tls-echo: 100 lines echoed over TLSv1.3
//   tls-echo: bytes=<n> checksum=<fnv1a64>
//   tls-echo: ok
// Client mode and server --once mode exit 1 after 60 s (SIGALRM watchdog).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

let timeoutSeconds: UInt32 = 60
let defaultMessageCount = 100
let serverName = "localhost"
let host = "127.0.0.1"
/// Lines the client keeps in flight before waiting for echoes.
let pipelineWindow = 32
/// Longest line either side accepts; real lines are far shorter.
let maxLineLength = 1 << 16

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        fputs(string, stderr)
    }
}

func warn(_ message: String) {
    var errorStream = StandardError()
    print("tls-echo: \(message)", to: &errorStream)
}

func fail(_ message: String) -> Never {
    warn("error: \(message)")
    exit(1)
}

let usage = """
    usage: tls-echo server --port P --cert CERT.pem --key KEY.pem [--once]
           tls-echo client --port P --ca CA.pem [--messages N] [--reversed]
    """

// MARK: Command line

struct Options {
    var mode: String
    var port: Int?
    var cert: String?
    var key: String?
    var ca: String?
    var messages = defaultMessageCount
    var once = false
    var reversed = false
}

func parseOptions(_ arguments: [String]) -> Options {
    guard let mode = arguments.first, mode == "server" || mode == "client" else {
        fail("expected 'server' or 'client'\n\(usage)")
    }
    var options = Options(mode: mode)
    var rest = arguments.dropFirst()[...]
    func value(for flag: String) -> String {
        guard let value = rest.popFirst() else { fail("\(flag) needs a value\n\(usage)") }
        return value
    }
    while let flag = rest.popFirst() {
        switch (mode, flag) {
        case (_, "--port"):
            let text = value(for: flag)
            guard let port = Int(text), (0...65535).contains(port) else {
                fail("--port needs a port number, got '\(text)'")
            }
            options.port = port
        case ("server", "--cert"):
            options.cert = value(for: flag)
        case ("server", "--key"):
            options.key = value(for: flag)
        case ("server", "--once"):
            options.once = true
        case ("client", "--ca"):
            options.ca = value(for: flag)
        case ("client", "--messages"):
            let text = value(for: flag)
            guard let count = Int(text), count >= 1 else {
                fail("--messages needs a positive integer, got '\(text)'")
            }
            options.messages = count
        case ("client", "--reversed"):
            options.reversed = true
        default:
            fail("unexpected argument '\(flag)' for \(mode)\n\(usage)")
        }
    }
    guard options.port != nil else { fail("--port is required\n\(usage)") }
    if mode == "server" {
        guard options.cert != nil, options.key != nil else { fail("--cert and --key are required\n\(usage)") }
    } else {
        guard options.ca != nil else { fail("--ca is required\n\(usage)") }
        guard options.port != 0 else { fail("the client needs a non-zero --port") }
    }
    return options
}

// MARK: Shared pieces

/// Line `index` without its newline: printable ASCII only, 0...22 filler letters,
/// so `openssl s_server -rev` can reverse it byte by byte.
func line(_ index: Int) -> [UInt8] {
    var bytes = Array("tls-echo line \(index) ".utf8)
    for k in 0..<(index % 23) {
        bytes.append(UInt8(ascii: "a") + UInt8((index &* 7 &+ k &* 3) % 26))
    }
    return bytes
}

/// 64-bit FNV-1a over all echoed line bytes (newlines included), in order.
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
    }

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

struct LineTooLong: Error, CustomStringConvertible {
    var description: String { "line longer than \(maxLineLength) bytes" }
}

/// Splits the stream at "\n" (dropped, as is a "\r" before it).
struct LineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maxLineLength { throw LineTooLong() }
            return .needMoreData
        }
        var frame = buffer.readSlice(length: newline - buffer.readerIndex)!
        buffer.moveReaderIndex(forwardBy: 1)
        if frame.readableBytesView.last == UInt8(ascii: "\r") {
            frame = frame.getSlice(at: frame.readerIndex, length: frame.readableBytes - 1)!
        }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        // A trailing partial line is not an echo of anything we sent: drop it.
        while try decode(context: context, buffer: &buffer) == .continue {}
        buffer.clear()
        return .needMoreData
    }
}

func describe(_ version: TLSVersion?) -> String {
    switch version {
    case .tlsv1: return "TLSv1"
    case .tlsv11: return "TLSv1.1"
    case .tlsv12: return "TLSv1.2"
    case .tlsv13: return "TLSv1.3"
    case nil: return "an unknown TLS version"
    }
}

// MARK: Server

/// Echoes raw bytes back (no framing), so any line-based client works.
final class EchoServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let stats: ConnectionStats

    init(stats: ConnectionStats) {
        self.stats = stats
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        stats.bytes += unwrapInboundIn(data).readableBytes
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            stats.handshakeCompleted = true
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A peer that just drops TCP after its last read is normal for s_client.
        if let sslError = error as? NIOSSLError, case .uncleanShutdown = sslError {
            context.close(promise: nil)
            return
        }
        warn("connection error: \(error)")
        context.close(promise: nil)
    }
}

/// Per-connection counters; only touched on that connection's event loop
/// until its close future fires.
final class ConnectionStats: @unchecked Sendable {
    var bytes = 0
    var handshakeCompleted = false
}

func runServer(_ options: Options, group: EventLoopGroup) throws -> Int32 {
    let certificates = try NIOSSLCertificate.fromPEMFile(options.cert!)
    let key = try NIOSSLPrivateKey(file: options.key!, format: .pem)
    let configuration = TLSConfiguration.makeServerConfiguration(
        certificateChain: certificates.map { .certificate($0) },
        privateKey: .privateKey(key)
    )
    let sslContext = try NIOSSLContext(configuration: configuration)
    let firstConnection = group.next().makePromise(of: ConnectionStats.self)
    let once = options.once

    let server = try ServerBootstrap(group: group)
        .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
            let stats = ConnectionStats()
            channel.closeFuture.whenComplete { _ in
                if once { firstConnection.succeed(stats) }
            }
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers(
                    NIOSSLServerHandler(context: sslContext),
                    EchoServerHandler(stats: stats)
                )
            }
        }
        .bind(host: host, port: options.port!)
        .wait()

    guard let port = server.localAddress?.port else {
        throw ChannelError.unknownLocalAddress
    }
    print("tls-echo: listening on \(host):\(port)")
    fflush(stdout)

    guard once else {
        // Serves until SIGTERM or SIGINT, which end the process with status 0
        // (nothing is buffered: every echo is flushed as it is read).
        signal(SIGTERM) { _ in _exit(0) }
        signal(SIGINT) { _ in _exit(0) }
        try server.closeFuture.wait()
        return 0
    }
    let stats = try firstConnection.futureResult.wait()
    try server.close().wait()
    guard stats.handshakeCompleted else {
        warn("error: the connection closed before a TLS handshake completed")
        return 1
    }
    print("tls-echo: connection closed, \(stats.bytes) bytes echoed")
    return 0
}

// MARK: Client

struct EchoSummary {
    let lines: Int
    let bytes: Int
    let checksum: String
    let version: TLSVersion?
}

struct EchoMismatch: Error, CustomStringConvertible {
    let index: Int
    let got: String
    var description: String { "echo of line \(index) differs from what was sent: '\(got)'" }
}

struct ConnectionClosedEarly: Error, CustomStringConvertible {
    let received: Int
    var description: String { "connection closed after \(received) echoed lines" }
}

/// Sends lines once the handshake is done, keeping up to `pipelineWindow` in
/// flight, and checks that echoes come back identical (or reversed) and in order.
final class EchoClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let total: Int
    private let reversed: Bool
    private let done: EventLoopPromise<EchoSummary>
    private var version: TLSVersion?
    private var nextToSend = 0
    private var nextExpected = 0
    private var bytes = 0
    private var checksum = FNV1a64()
    private var finished = false

    init(total: Int, reversed: Bool, done: EventLoopPromise<EchoSummary>) {
        self.total = total
        self.reversed = reversed
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            version = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).tlsVersion
            sendWindow(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        let frame = unwrapInboundIn(data)
        let sent = line(nextExpected)
        let expected = reversed ? Array(sent.reversed()) : sent
        guard frame.readableBytesView.elementsEqual(expected) else {
            let got = String(decoding: frame.readableBytesView, as: UTF8.self)
            finish(.failure(EchoMismatch(index: nextExpected, got: got)), context: context)
            return
        }
        checksum.update(sent)
        checksum.update(CollectionOfOne(UInt8(ascii: "\n")))
        bytes += sent.count + 1
        nextExpected += 1
        if nextExpected == total {
            let summary = EchoSummary(lines: total, bytes: bytes, checksum: checksum.hex, version: version)
            finish(.success(summary), context: context)
        } else {
            sendWindow(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ConnectionClosedEarly(received: nextExpected)), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(.failure(error), context: context)
    }

    private func sendWindow(context: ChannelHandlerContext) {
        var wrote = false
        while nextToSend < total && nextToSend - nextExpected < pipelineWindow {
            var buffer = context.channel.allocator.buffer(capacity: 64)
            buffer.writeBytes(line(nextToSend))
            buffer.writeInteger(UInt8(ascii: "\n"))
            context.write(wrapOutboundOut(buffer), promise: nil)
            nextToSend += 1
            wrote = true
        }
        if wrote {
            context.flush()
        }
    }

    /// Completes `done` exactly once; on failure also closes the connection.
    private func finish(_ result: Result<EchoSummary, Error>, context: ChannelHandlerContext) {
        guard !finished else { return }
        finished = true
        if case .failure = result {
            context.close(promise: nil)
        }
        done.completeWith(result)
    }
}

func runClient(_ options: Options, group: EventLoopGroup) throws -> EchoSummary {
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(options.ca!))
    configuration.certificateVerification = .fullVerification
    let sslContext = try NIOSSLContext(configuration: configuration)

    let done = group.next().makePromise(of: EchoSummary.self)
    let total = options.messages
    let reversed = options.reversed
    let client = try ClientBootstrap(group: group)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers(
                    try NIOSSLClientHandler(context: sslContext, serverHostname: serverName),
                    ByteToMessageHandler(LineDecoder()),
                    EchoClientHandler(total: total, reversed: reversed, done: done)
                )
            }
        }
        .connect(host: host, port: options.port!)
        .wait()
    defer { try? client.close().wait() }
    return try done.futureResult.wait()
}

// MARK: Main

let options = parseOptions(Array(CommandLine.arguments.dropFirst()))

if options.mode == "client" || options.once {
    // Watchdog independent of the event loops. The handler may only use
    // async-signal-safe calls, hence the literal that repeats `timeoutSeconds`.
    signal(SIGALRM) { _ in
        let message: StaticString = "tls-echo: error: timed out after 60 s\n"
        message.withUTF8Buffer { _ = write(2, $0.baseAddress, $0.count) }
        _exit(1)
    }
    alarm(timeoutSeconds)
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
var status: Int32 = 0
do {
    if options.mode == "server" {
        status = try runServer(options, group: group)
    } else {
        let summary = try runClient(options, group: group)
        print("tls-echo: \(summary.lines) lines echoed over \(describe(summary.version))")
        print("tls-echo: bytes=\(summary.bytes) checksum=\(summary.checksum)")
        print("tls-echo: ok")
    }
} catch {
    warn("error: \(error)")
    status = 1
}
do {
    try group.syncShutdownGracefully()
} catch {
    fail("event loop group shutdown failed: \(error)")
}
exit(status)
