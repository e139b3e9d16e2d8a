// vapor-hello: a Vapor 4 HTTP server with three fixed routes.
//
//   vapor-hello serve --hostname 127.0.0.1 --port P [--log LEVEL]
//
// Vapor's own `serve` command parses the flags (P may be 0). Once the server
// is bound this prints `vapor-hello: listening on http://127.0.0.1:<port>` on
// stdout (flushed) with the real port, then serves until SIGTERM or SIGINT,
// shuts down cleanly and exits 0 (Vapor's serve command first prints one empty
// line on the signal). Logging defaults to `error` unless `--log LEVEL` or the
// LOG_LEVEL environment variable says otherwise.
//
// Routes, all with byte-stable bodies:
//   GET  /      -> text/plain  "Hello, static world!"
//   GET  /json  -> application/json {"name":"static-musl","tags":["musl","glibc"],"version":1}
//                  (sorted keys, no whitespace)
//   POST /echo  -> the request body, with the request's Content-Type (up to 1 MiB)
import Foundation
import Vapor

struct Info: Content {
    let name: String
    let version: Int
    let tags: [String]
}

func routes(_ app: Application) {
    app.get { _ in
        "Hello, static world!"
    }

    app.get("json") { _ in
        Info(name: "static-musl", version: 1, tags: ["musl", "glibc"])
    }

    app.on(.POST, "echo", body: .collect(maxSize: "1mb")) { req -> Response in
        var headers = HTTPHeaders()
        if let contentType = req.headers.first(name: .contentType) {
            headers.replaceOrAdd(name: .contentType, value: contentType)
        }
        return Response(status: .ok, headers: headers, body: .init(buffer: req.body.data ?? ByteBuffer()))
    }
}

@main
enum VaporHello {
    static func main() async throws {
        var env = try Environment.detect()
        let wantsLogLevel = env.arguments.contains { $0 == "--log" || $0.hasPrefix("--log=") }
            || ProcessInfo.processInfo.environment["LOG_LEVEL"] != nil
        if !wantsLogLevel {
            env.arguments += ["--log", "error"]
        }
        try LoggingSystem.bootstrap(from: &env)

        let app = try await Application.make(env)
        do {
            // Sorted keys make the /json body independent of dictionary order.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            ContentConfiguration.global.use(encoder: encoder, for: .json)
            routes(app)

            // What Application.execute() does, split so the bound address
            // (port 0 resolved) can be announced once the server is up.
            try await app.startup()
            if let running = app.running {
                if let address = app.http.server.shared.localAddress,
                   let host = address.ipAddress, let port = address.port {
                    print("vapor-hello: listening on http://\(host):\(port)")
                    fflush(stdout)
                }
                try await running.onStop.get()
            }
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
