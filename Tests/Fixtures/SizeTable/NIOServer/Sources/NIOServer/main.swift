import NIOCore
import NIOPosix
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

final class Hello: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var buf = context.channel.allocator.buffer(capacity: 6); buf.writeString("hello\n")
        var head = HTTPResponseHead(version: .http1_1, status: .ok)
        head.headers.add(name: "content-length", value: "6")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buf))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let port = Int(CommandLine.arguments.dropFirst().first ?? "8080") ?? 8080
let channel = try ServerBootstrap(group: group)
    .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
    .childChannelInitializer { ch in ch.pipeline.configureHTTPServerPipeline().flatMap { ch.pipeline.addHandler(Hello()) } }
    .bind(host: "127.0.0.1", port: port).wait()
print("listening")
if CommandLine.arguments.contains("--once") { try channel.close().wait(); exit(0) }
try channel.closeFuture.wait()
