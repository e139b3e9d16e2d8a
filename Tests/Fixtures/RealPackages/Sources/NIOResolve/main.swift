// nio-resolve: a name lookup the way a swift-nio client makes it, printed in
// the DNS lab's probe protocol (Probes/programs/dns_probe.c), so the lab can
// run it as a Swift probe. It connects with ClientBootstrap to NAME:PORT:
// swift-nio resolves NAME through getaddrinfo (its GetaddrinfoResolver),
// then tries each address. The addresses it resolved are printed whether
// or not the connection then succeeds (the lab's namespace routes only
// loopback). Arguments: --name NAME [--port PORT]; the lab's other
// arguments (--call, --family, --flags, ...) are accepted and ignored.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore
import NIOPosix

var name: String?
var port = 53
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--name": name = arguments.popFirst()
    case "--port": port = arguments.popFirst().flatMap { Int($0) } ?? port
    case "--null-hints": continue
    default: _ = arguments.popFirst()     // --call getaddrinfo, --family inet, ...
    }
}
guard let name else {
    print("nio-resolve: --name is required")
    exit(2)
}

func ip(_ address: SocketAddress) -> String { address.ipAddress ?? "\(address)" }

print("probe swift-nio")
print("lookup 1")
let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let bootstrap = ClientBootstrap(group: group)
    .connectTimeout(.seconds(3))
    .channelInitializer { _ in group.next().makeSucceededVoidFuture() }
do {
    let channel = try bootstrap.connect(host: name, port: port).wait()
    print("status ok")
    if let remote = channel.remoteAddress { print("addr \(ip(remote))") }
    try channel.close().wait()
} catch let error as NIOConnectionError {
    if error.connectionErrors.isEmpty {
        // Neither A nor AAAA resolved: what getaddrinfo said, as swift-nio passes it on.
        print("status resolve-failed")
    } else {
        print("status ok")
        for failure in error.connectionErrors { print("addr \(ip(failure.target))") }
    }
} catch {
    print("status error \(type(of: error))")
}
print("end")
try? group.syncShutdownGracefully()
