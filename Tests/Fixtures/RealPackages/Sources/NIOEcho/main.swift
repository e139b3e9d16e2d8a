// nio-echo: a TCP echo server and client in one process over a 4-thread
// MultiThreadedEventLoopGroup. Every message is length-prefixed (UInt32, big
// endian) on the wire and reassembled by a ByteToMessageDecoder on both sides,
// so echo boundaries never depend on how TCP happens to split the stream.
// stdout depends only on the message count: no port, timing or libc details.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore
import NIOPosix

let threadCount = 4
let defaultMessageCount = 10_000
let timeoutSeconds: UInt32 = 60
/// Messages the client keeps in flight before waiting for echoes.
let pipelineWindow = 32
/// Largest frame either side accepts; real payloads are far smaller.
let maxFrameLength = 1 << 16

func fail(_ message: String) -> Never {
    var errorStream = StandardError()
    print("nio-echo: error: \(message)", to: &errorStream)
    exit(1)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        fputs(string, stderr)
    }
}

/// Message `index`: "msg-<index>-" followed by 0...22 deterministic bytes
/// (any byte value, newlines included, which the length prefix must carry).
func payload(_ index: Int) -> [UInt8] {
    var bytes = Array("msg-\(index)-".utf8)
    for k in 0..<(index % 23) {
        bytes.append(UInt8(truncatingIfNeeded: index &* 31 &+ k &* 7))
    }
    return bytes
}

/// 64-bit FNV-1a over all echoed payload bytes, in order.
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

struct FrameTooLarge: Error, CustomStringConvertible {
    let length: Int
    var description: String { "frame of \(length) bytes exceeds \(maxFrameLength)" }
}

/// Splits the stream into frames: UInt32 big-endian length, then that many bytes.
struct LengthPrefixedFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self), length > maxFrameLength {
            throw FrameTooLarge(length: Int(length))
        }
        // nil (reader index untouched) until the whole frame has arrived.
        guard let frame = buffer.readLengthPrefixedSlice(as: UInt32.self) else {
            return .needMoreData
        }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }
}

/// Adds the UInt32 length prefix to each outbound frame.
struct LengthPrefixedFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = ByteBuffer

    func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        out.writeInteger(UInt32(data.readableBytes))
        out.writeImmutableBuffer(data)
    }
}

/// Server side: writes every decoded frame straight back.
final class EchoServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

struct EchoSummary {
    let messages: Int
    let bytes: Int
    let checksum: String
}

struct EchoMismatch: Error, CustomStringConvertible {
    let index: Int
    var description: String { "echo of message \(index) differs from what was sent" }
}

struct ConnectionClosedEarly: Error, CustomStringConvertible {
    let received: Int
    var description: String { "connection closed after \(received) echoes" }
}

/// Client side: keeps up to `pipelineWindow` messages in flight and checks that
/// echoes come back byte-identical and in order.
final class EchoClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let total: Int
    private let done: EventLoopPromise<EchoSummary>
    private var nextToSend = 0
    private var nextExpected = 0
    private var bytes = 0
    private var checksum = FNV1a64()
    private var finished = false

    init(total: Int, done: EventLoopPromise<EchoSummary>) {
        self.total = total
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        sendWindow(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        let frame = unwrapInboundIn(data)
        guard frame.readableBytesView.elementsEqual(payload(nextExpected)) else {
            finish(.failure(EchoMismatch(index: nextExpected)), context: context)
            return
        }
        checksum.update(frame.readableBytesView)
        bytes += frame.readableBytes
        nextExpected += 1
        if nextExpected == total {
            finish(.success(EchoSummary(messages: total, bytes: bytes, checksum: checksum.hex)), context: context)
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
            let buffer = context.channel.allocator.buffer(bytes: payload(nextToSend))
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

/// `--messages N` (N >= 1); no arguments means the default count.
func parseMessageCount(_ arguments: [String]) -> Int {
    switch arguments.count {
    case 0:
        return defaultMessageCount
    case 2 where arguments[0] == "--messages":
        guard let count = Int(arguments[1]), count >= 1 else {
            fail("--messages needs a positive integer, got '\(arguments[1])'")
        }
        return count
    default:
        fail("usage: nio-echo [--messages N]")
    }
}

// Watchdog independent of the event loops: if anything hangs, SIGALRM exits 1.
// The handler may only use async-signal-safe calls (write, _exit) and cannot
// capture, hence the literal that repeats `timeoutSeconds`.
signal(SIGALRM) { _ in
    let message: StaticString = "nio-echo: error: timed out after 60 s\n"
    message.withUTF8Buffer { _ = write(2, $0.baseAddress, $0.count) }
    _exit(1)
}
alarm(timeoutSeconds)

let messageCount = parseMessageCount(Array(CommandLine.arguments.dropFirst()))
let group = MultiThreadedEventLoopGroup(numberOfThreads: threadCount)

func runEcho() throws -> EchoSummary {
    let server = try ServerBootstrap(group: group)
        .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers(
                    ByteToMessageHandler(LengthPrefixedFrameDecoder()),
                    MessageToByteHandler(LengthPrefixedFrameEncoder()),
                    EchoServerHandler()
                )
            }
        }
        .bind(host: "127.0.0.1", port: 0)
        .wait()
    defer { try? server.close().wait() }

    guard let port = server.localAddress?.port else {
        throw ChannelError.unknownLocalAddress
    }

    let done = group.next().makePromise(of: EchoSummary.self)
    let client = try ClientBootstrap(group: group)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers(
                    ByteToMessageHandler(LengthPrefixedFrameDecoder()),
                    MessageToByteHandler(LengthPrefixedFrameEncoder()),
                    EchoClientHandler(total: messageCount, done: done)
                )
            }
        }
        .connect(host: "127.0.0.1", port: port)
        .wait()
    defer { try? client.close().wait() }

    return try done.futureResult.wait()
}

let result = Result { try runEcho() }
do {
    try group.syncShutdownGracefully()
} catch {
    fail("event loop group shutdown failed: \(error)")
}

switch result {
case .success(let summary):
    print("nio-echo: \(summary.messages) messages echoed over \(threadCount) event-loop threads")
    print("nio-echo: bytes=\(summary.bytes) checksum=\(summary.checksum)")
    print("nio-echo: ok")
case .failure(let error):
    fail("\(error)")
}
