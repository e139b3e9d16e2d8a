import Foundation

/// `static-musl bench server`: one HTTP server, built in several variants,
/// under wrk (Debian's) with keep-alive connections on 127.0.0.1. Every
/// figure is also a ratio to glibc-static taken in the same run, because
/// this machine is noisy: compare ratios, not req/s across runs.
public enum ServerBench {
    public struct Options: Sendable {
        /// musl+c-ares is a control: the server resolves no names, so it
        /// should match musl.
        public var variants: [Variant] = [.glibcDynamic, .glibcStatic, .musl, .muslMimalloc, .muslCAres]
        public var product = "vapor-hello"
        /// The server's arguments; `{port}` is replaced by the port.
        public var serverArguments = ["serve", "--hostname", "127.0.0.1", "--port", "{port}"]
        public var path = "/"
        public var seconds = 5
        public var runs = 3
        public var connections = 16
        /// The product's builds, found or made by the engine (`SuiteProbes.server`).
        public var artifacts: [Artifact] = []
        public init() {}
    }

    public struct Run: Codable, Sendable, Equatable {
        public var requestsPerSecond: Double
        public var p50Ms: Double
        public var p99Ms: Double
        enum CodingKeys: String, CodingKey {
            case requestsPerSecond = "requests_per_second", p50Ms = "p50_ms", p99Ms = "p99_ms"
        }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var variant: String
        public var runs: [Run]
        public var requestsPerSecond: Double     // median of the runs
        public var p50Ms: Double                 // of the median run
        public var p99Ms: Double
        public var peakRSSKiB: Int?              // VmHWM of the server after the runs
        public var requestsRatio: Double?        // to glibc-static, same run
        public var p99Ratio: Double?
        enum CodingKeys: String, CodingKey {
            case variant, runs
            case requestsPerSecond = "requests_per_second", p50Ms = "p50_ms", p99Ms = "p99_ms"
            case peakRSSKiB = "peak_rss_kib", requestsRatio = "requests_ratio_to_glibc_static", p99Ratio = "p99_ratio_to_glibc_static"
        }
    }

    public struct Report: Codable, Sendable, PrettyJSONEncodable {
        public var schemaVersion = 1
        public var product: String
        public var path: String
        public var seconds: Int
        public var runs: Int
        public var connections: Int
        public var cores: Int
        public var pinning: String
        public var versions: ToolchainVersions
        public var rows: [Row]
        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version", product, path, seconds, runs, connections, cores, pinning, versions, rows
        }
    }

    public enum BenchError: Error, CustomStringConvertible {
        case noBinary(String)
        case serverFailed(variant: String, output: String)
        case unparsable(variant: String, output: String)
        public var description: String {
            switch self {
            case .noBinary(let why): return why
            case .serverFailed(let v, let out): return "\(v): the server or wrk failed: \(out.split(separator: "\n").suffix(3).joined(separator: " | "))"
            case .unparsable(let v, let out): return "\(v): cannot read wrk's output: \(out.split(separator: "\n").prefix(3).joined(separator: " | "))"
            }
        }
    }

    public static func run(_ options: Options, progress: Progress = Progress(suite: "bench server")) throws -> Report {
        let binaries = try options.variants.map { variant -> (Variant, Artifact) in
            guard let a = options.artifacts.first(where: { $0.product == options.product && $0.variant == variant }) else {
                throw BenchError.noBinary("no \(options.product) build for \(variant.rawValue) among the given artifacts")
            }
            return (variant, a)
        }
        try SystemPackages.ensure("wrk", package: "wrk")
        try SystemPackages.ensure("curl", package: "curl")
        try SystemPackages.ensure("taskset", package: "util-linux")
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // The server on the first half of the CPUs, wrk on the rest.
        let serverCPUs = cores >= 2 ? "0-\(max(0, cores / 2 - 1))" : ""
        let wrkCPUs = cores >= 2 ? "\(cores / 2)-\(cores - 1)" : ""
        var rows: [Row] = []
        for (variant, artifact) in binaries {
            progress.note("\(variant.rawValue): \(options.runs) × \(options.seconds) s, \(options.connections) connections")
            rows.append(try measure(artifact.path, variant: variant.rawValue, options: options, serverCPUs: serverCPUs, wrkCPUs: wrkCPUs))
        }
        if let base = rows.first(where: { $0.variant == Variant.glibcStatic.rawValue }) {
            for i in rows.indices {
                rows[i].requestsRatio = base.requestsPerSecond > 0 ? rows[i].requestsPerSecond / base.requestsPerSecond : nil
                rows[i].p99Ratio = base.p99Ms > 0 ? rows[i].p99Ms / base.p99Ms : nil
            }
        }
        return Report(product: options.product, path: options.path, seconds: options.seconds, runs: options.runs,
                      connections: options.connections, cores: cores,
                      pinning: serverCPUs.isEmpty ? "none (1 CPU)" : "server on CPUs \(serverCPUs), wrk on CPUs \(wrkCPUs)",
                      versions: ToolchainVersions.detect(), rows: rows)
    }

    /// One variant: the server in the background, wrk `runs` times, the
    /// server's peak RSS, all in one shell so one process group holds them.
    static func measure(_ binary: String, variant: String, options: Options, serverCPUs: String, wrkCPUs: String) throws -> Row {
        let port = try freePort()
        let arguments = options.serverArguments.map { $0.replacingOccurrences(of: "{port}", with: String(port)) }
        let url = "http://127.0.0.1:\(port)\(options.path)"
        let script = """
            pin() { cpus=$1; shift; if [ -n "$cpus" ]; then taskset -c "$cpus" "$@"; else "$@"; fi; }
            \(serverCPUs.isEmpty ? "" : "taskset -c \(serverCPUs) ")\(shellQuote([binary] + arguments)) >/dev/null 2>&1 &
            pid=$!   # taskset execs the server: $pid is the server itself (its VmHWM is the peak RSS)
            trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT   # never leave the server behind
            up=0
            for i in $(seq 300); do curl -s -o /dev/null '\(url)' && { up=1; break; }; sleep 0.1; done
            [ $up = 1 ] || { echo "server did not answer on \(url)"; kill $pid 2>/dev/null; exit 1; }
            for r in $(seq \(options.runs)); do
                echo "=== run $r"
                pin "\(wrkCPUs)" wrk -t1 -c\(options.connections) -d\(options.seconds)s --latency '\(url)' || exit 1
            done
            echo "=== rss $(awk '/VmHWM/ { print $2 }' /proc/$pid/status)"
            exit 0
            """
        let timeout = Double(options.runs * (options.seconds + 10) + 60)
        let r = try ProcessRunner.run("/bin/bash", ["-c", script], environment: ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LOG_LEVEL": "error"], timeout: timeout)
        guard r.succeeded else { throw BenchError.serverFailed(variant: variant, output: r.stdout + r.stderr) }
        let runs = parseRuns(r.stdout)
        guard runs.count == options.runs else { throw BenchError.unparsable(variant: variant, output: r.stdout) }
        let median = runs.sorted { $0.requestsPerSecond < $1.requestsPerSecond }[runs.count / 2]
        let rss = r.stdout.split(separator: "\n").first { $0.hasPrefix("=== rss ") }.flatMap { Int($0.dropFirst("=== rss ".count)) }
        return Row(variant: variant, runs: runs, requestsPerSecond: median.requestsPerSecond, p50Ms: median.p50Ms,
                   p99Ms: median.p99Ms, peakRSSKiB: rss)
    }

    /// wrk's "Requests/sec:" and its latency distribution, per "=== run" block.
    public static func parseRuns(_ text: String) -> [Run] {
        var runs: [Run] = []
        for block in text.components(separatedBy: "=== run ").dropFirst() {
            var rps: Double?, p50: Double?, p99: Double?
            for line in block.split(separator: "\n") {
                let words = line.split(separator: " ")
                if words.first == "Requests/sec:", words.count >= 2 { rps = Double(words[1]) }
                if words.count == 2, words[0] == "50%" { p50 = milliseconds(String(words[1])) }
                if words.count == 2, words[0] == "99%" { p99 = milliseconds(String(words[1])) }
            }
            if let rps, let p50, let p99 { runs.append(Run(requestsPerSecond: rps, p50Ms: p50, p99Ms: p99)) }
        }
        return runs
    }

    /// "155.00us", "1.23ms", "2.00s" → milliseconds.
    static func milliseconds(_ text: String) -> Double? {
        for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(unit) {
            return Double(text.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError.noBinary("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw BenchError.noBinary("bind() on 127.0.0.1 failed") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func shellQuote(_ words: [String]) -> String {
        words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
    }

    /// The README's table: req/s and p99 per variant, with the ratios.
    public static func markdown(_ report: Report) -> String {
        var lines = ["| variant | req/s (median of \(report.runs)) | × glibc-static | p50 | p99 | p99 × glibc-static | peak RSS |",
                     "|---|---:|---:|---:|---:|---:|---:|"]
        for row in report.rows {
            let ratio = row.requestsRatio.map { String(format: "%.2f", $0) } ?? "-"
            let p99r = row.p99Ratio.map { String(format: "%.2f", $0) } ?? "-"
            let rss = row.peakRSSKiB.map { String(format: "%.1f MB", Double($0) / 1024) } ?? "-"
            lines.append("| \(row.variant) | \(String(format: "%.0f", row.requestsPerSecond)) | \(ratio) | \(String(format: "%.2f ms", row.p50Ms)) | \(String(format: "%.2f ms", row.p99Ms)) | \(p99r) | \(rss) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
