import Foundation

/// `static-musl bench inspect`: `static-musl inspect` against
/// `readelf -hlWd` over the same ELF files, in one run: both tools get the
/// same batches of paths as child processes, and each child's wall time, CPU
/// time and peak RSS (wait4's rusage) are summed or maxed per tool.
public enum InspectBench {
    public static let defaultRoots = ["/usr/bin", "/usr/lib", "/opt/swift"]
    public static let readelfArguments = ["-hlWd"]

    public struct Options: Sendable {
        /// Files and folders (searched recursively, symlinks not followed).
        public var paths: [String] = InspectBench.defaultRoots
        /// At most this many ELF files, shared evenly between `paths`.
        public var limit = 2000
        /// Paths per child process.
        public var batchSize = 400
        /// The `static-musl` executable that runs `inspect`.
        public var inspectExecutable: String
        public var readelf = "readelf"
        public init(inspectExecutable: String) { self.inspectExecutable = inspectExecutable }
    }

    /// One tool's totals over every batch.
    public struct ToolRun: Codable, Sendable, Equatable {
        public var command: String
        public var wallSeconds: Double
        public var cpuSeconds: Double
        /// The largest peak RSS of any of its child processes.
        public var peakRSSBytes: Int
        /// Batches whose process exited non-zero (inspect exits 2 when a file is not a 64-bit ELF it reads).
        public var failedBatches: Int

        enum CodingKeys: String, CodingKey {
            case command, wallSeconds = "wall_seconds", cpuSeconds = "cpu_seconds", peakRSSBytes = "peak_rss_bytes"
            case failedBatches = "failed_batches"
        }
    }

    public struct Report: Codable, Sendable, PrettyJSONEncodable {
        public var files: Int
        public var totalBytes: Int
        public var batches: Int
        public var inspect: ToolRun
        public var readelf: ToolRun
        /// inspect's wall time over readelf's.
        public var wallRatio: Double
        public var cpuRatio: Double

        enum CodingKeys: String, CodingKey {
            case files, totalBytes = "total_bytes", batches, inspect, readelf, wallRatio = "wall_ratio", cpuRatio = "cpu_ratio"
        }

        public var text: String {
            func line(_ name: String, _ r: ToolRun) -> String {
                "  \(name): \(String(format: "%.2f", r.wallSeconds)) s wall, \(String(format: "%.2f", r.cpuSeconds)) s CPU, "
                    + "peak RSS \(String(format: "%.1f", Double(r.peakRSSBytes) / 1_048_576)) MiB"
                    + (r.failedBatches > 0 ? " (\(r.failedBatches) batch(es) exited non-zero)" : "")
            }
            return """
            inspect against readelf \(InspectBench.readelfArguments.joined(separator: " ")) over \(files) ELF files \
            (\(String(format: "%.1f", Double(totalBytes) / 1_048_576)) MiB) in \(batches) batch(es):
            \(line("static-musl inspect", inspect))
            \(line("readelf \(InspectBench.readelfArguments.joined(separator: " "))", readelf))
              ratio inspect / readelf: \(String(format: "%.2f", wallRatio))x wall, \(String(format: "%.2f", cpuRatio))x CPU
            """
        }
    }

    public enum BenchError: Error, CustomStringConvertible, Equatable {
        case noFiles(paths: [String])
        case missingPath(String)
        case badLimit(Int)
        case spawnFailed(command: String, reason: String)

        public var description: String {
            switch self {
            case .noFiles(let paths): return "no ELF files under \(paths.joined(separator: ", "))"
            case .missingPath(let path): return "\(path): no such file or folder"
            case .badLimit(let n): return "--limit must be at least 1, not \(n)"
            case .spawnFailed(let command, let reason): return "cannot start \(command): \(reason)"
            }
        }
    }

    public static func run(_ options: Options) throws -> Report {
        guard options.limit >= 1 else { throw BenchError.badLimit(options.limit) }
        for path in options.paths where !FileManager.default.fileExists(atPath: path) { throw BenchError.missingPath(path) }
        let files = elfFiles(under: options.paths, limit: options.limit)
        guard !files.isEmpty else { throw BenchError.noFiles(paths: options.paths) }
        let batches = stride(from: 0, to: files.count, by: max(1, options.batchSize)).map {
            Array(files[$0..<min(files.count, $0 + max(1, options.batchSize))])
        }
        var inspect = ToolRun(command: "\(options.inspectExecutable) inspect --json", wallSeconds: 0, cpuSeconds: 0, peakRSSBytes: 0, failedBatches: 0)
        var readelf = ToolRun(command: "\(options.readelf) \(readelfArguments.joined(separator: " "))", wallSeconds: 0, cpuSeconds: 0,
                              peakRSSBytes: 0, failedBatches: 0)
        for batch in batches {
            // Alternate within each batch so both tools see the same page cache.
            try accumulate(&inspect, try ChildUsage.run(options.inspectExecutable, ["inspect", "--json"] + batch))
            try accumulate(&readelf, try ChildUsage.run(options.readelf, readelfArguments + batch))
        }
        let totalBytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        return Report(files: files.count, totalBytes: totalBytes, batches: batches.count, inspect: inspect, readelf: readelf,
                      wallRatio: readelf.wallSeconds > 0 ? inspect.wallSeconds / readelf.wallSeconds : 0,
                      cpuRatio: readelf.cpuSeconds > 0 ? inspect.cpuSeconds / readelf.cpuSeconds : 0)
    }

    static func accumulate(_ run: inout ToolRun, _ usage: ChildUsage) throws {
        run.wallSeconds += usage.wallSeconds
        run.cpuSeconds += usage.cpuSeconds
        run.peakRSSBytes = max(run.peakRSSBytes, usage.peakRSSBytes)
        if usage.exitStatus != 0 { run.failedBatches += 1 }
    }

    /// Regular files starting with "\u{7f}ELF", in sorted walk order, at most
    /// `limit` in all and `limit / paths.count` (rounded up) from each path.
    public static func elfFiles(under paths: [String], limit: Int) -> [String] {
        let share = (limit + max(1, paths.count) - 1) / max(1, paths.count)
        var files: [String] = []
        for root in paths {
            var taken = 0
            walk(root) { path in
                guard taken < share, files.count < limit else { return false }
                if isELF(path) { files.append(path); taken += 1 }
                return true
            }
        }
        return files
    }

    /// Depth-first over `path` (sorted names, symlinks not followed); `visit`
    /// gets each regular file and returns false to stop.
    @discardableResult
    static func walk(_ path: String, _ visit: (String) -> Bool) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return true }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return visit(path)
        case S_IFDIR:
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return true }
            for name in names.sorted() where !walk(path == "/" ? "/" + name : path + "/" + name, visit) { return false }
            return true
        default: return true
        }
    }

    static func isELF(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 4)
        let n = magic.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 4, 0) }
        return n == 4 && magic == [0x7f, 0x45, 0x4c, 0x46]
    }
}

/// One child process run to completion with its output thrown away, and
/// what wait4(2) says it cost.
struct ChildUsage {
    var exitStatus: Int32
    var wallSeconds: Double
    var cpuSeconds: Double
    var peakRSSBytes: Int

    static func run(_ executable: String, _ arguments: [String]) throws -> ChildUsage {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let start = DispatchTime.now()
        let spawned = posix_spawnp(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw InspectBench.BenchError.spawnFailed(command: executable, reason: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else {
                throw InspectBench.BenchError.spawnFailed(command: executable, reason: "wait4: \(String(cString: strerror(errno)))")
            }
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        // WIFEXITED / WEXITSTATUS by hand (the macros are not imported).
        let exited = status & 0x7f == 0
        return ChildUsage(exitStatus: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), wallSeconds: wall,
                          cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), peakRSSBytes: Int(usage.ru_maxrss) * 1024)
    }
}
