import Foundation

/// The malloc suite: runs the `malloc-bench` binaries of each variant as
/// child processes, one fixed-duration measurement per process.
public enum MallocBench {
    public static let product = "malloc-bench"

    public struct Options: Sendable {
        public var workloads: [String] = MallocWorkload.allCases.map(\.rawValue)
        /// nil: 1, 2, 4, … up to max(16, 2 × cores).
        public var threads: [Int]? = nil
        public var variants: [String] = MallocVariant.allCases.map(\.rawValue)
        /// Seconds per measurement; nil: 1.0, or 0.075 with `quick`.
        public var duration: Double? = nil
        public var repetitions = 3
        public var quick = false
        /// malloc-bench for each variant, found or built by the engine
        /// (`SuiteProbes.malloc`); a variant asked for and missing here fails the run.
        public var artifacts: [MallocVariant: Artifact] = [:]
        /// Where `artifacts` came from, for the message when one is missing.
        public var artifactSource = "the given artifacts"
        /// Writes the JSON here and one SVG per workload beside it
        /// (`<name>-<workload>.svg`).
        public var jsonOutput: String? = nil
        public var seed: UInt64 = 1
        public var progress = true

        public init() {}
    }

    public static func defaultThreads(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Int] {
        var list = [1], n = 1
        while n < max(16, 2 * cores) { n *= 2; list.append(n) }
        return list
    }

    public static func buildCommand(_ variants: [MallocVariant]) -> String {
        let here = variants.filter { $0.muslVersion == nil }
        var cmd = "./toolchain/build-static.sh --product malloc-bench"
        for v in here where v.buildVariant.libc != "musl" || v == .muslStatic { cmd += " --variant \(v.buildVariant.rawValue)" }
        if here.contains(where: { $0.buildVariant.libc == "musl" }) && !here.contains(.muslStatic) { cmd += " --variant musl" }
        if here.contains(.muslMimalloc) { cmd += " --allocator mimalloc" }
        if here.contains(.muslCAres) { cmd += " --resolver c-ares" }
        for version in Set(variants.compactMap(\.muslVersion)).sorted() {
            cmd += "; ./toolchain/build-static.sh --product malloc-bench --variant musl --musl \(version) --out DIST-musl-\(version)"
        }
        return cmd
    }

    // MARK: - entry point

    /// What a run measures, read from the options: each name known and
    /// each number in range. The CLI checks this before the engine builds
    /// anything, so bad input is refused at once.
    public struct Plan: Sendable {
        public var workloads: [MallocWorkload]
        public var variants: [MallocVariant]
        public var threads: [Int]
        public var duration: Double
        public var warmup: Double
    }

    public static func plan(_ options: Options) throws -> Plan {
        let workloads = try options.workloads.map { name -> MallocWorkload in
            guard let w = MallocWorkload(rawValue: name) else {
                throw MallocError.unknownWorkload(name, valid: MallocWorkload.allCases.map(\.rawValue))
            }
            return w
        }
        let variants = try options.variants.map { name -> MallocVariant in
            guard let v = MallocVariant(rawValue: name) else {
                throw MallocError.unknownVariant(name, valid: MallocVariant.allCases.map(\.rawValue))
            }
            return v
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let threads = Array(Set(options.threads ?? defaultThreads(cores: cores))).sorted()
        guard !threads.isEmpty, threads.allSatisfy({ (1...1024).contains($0) }) else {
            throw MallocError.badThreads("thread counts must be 1...1024, got \(options.threads ?? [])")
        }
        let duration = options.duration ?? (options.quick ? 0.075 : 1.0)
        guard duration >= 0.001, duration <= 3600 else { throw MallocError.badDuration(duration) }
        guard options.repetitions >= 1 else { throw MallocError.badRepetitions(options.repetitions) }
        return Plan(workloads: workloads, variants: variants, threads: threads, duration: duration,
                    warmup: min(duration, options.quick ? 0.05 : 0.25))
    }

    public static func run(_ options: Options) throws -> MallocReport {
        let plan = try plan(options)
        let (workloads, variants, threads, duration, warmup) = (plan.workloads, plan.variants, plan.threads, plan.duration, plan.warmup)
        let cores = ProcessInfo.processInfo.activeProcessorCount

        for v in variants where options.artifacts[v] == nil {
            throw MallocError.variantMissing(variant: v.rawValue, reason: "not in \(options.artifactSource)",
                                             buildCommand: buildCommand(variants))
        }
        let artifacts: [(MallocVariant, Artifact)] = variants.compactMap { v in options.artifacts[v].map { (v, $0) } }
        let progress = Progress(suite: "malloc")
        var infos: [MallocReport.VariantInfo] = []
        for (v, a) in artifacts {
            let info = try identify(a, variant: v)
            guard info.allocator.verified else {
                throw MallocError.allocatorMismatch(variant: v.rawValue, claimed: info.allocator.claimed,
                                                    found: info.allocator.found, evidence: info.allocator.evidence)
            }
            infos.append(info)
        }

        // Cells, interleaved by variant so background noise spreads evenly.
        struct Cell: Hashable { var workload: MallocWorkload; var threads: Int; var spawned: Bool }
        var cells: [Cell] = []
        for w in workloads {
            for t in threads {
                if t == 1 { cells.append(Cell(workload: w, threads: 1, spawned: false)) }
                cells.append(Cell(workload: w, threads: t, spawned: true))
            }
        }
        let total = cells.count * options.repetitions * variants.count + workloads.count * variants.count
        var done = 0
        var samples: [String: [Sample]] = [:]
        func key(_ c: Cell, _ v: MallocVariant) -> String { "\(c.workload.rawValue)|\(c.threads)|\(c.spawned)|\(v.rawValue)" }
        for w in workloads {
            for (v, a) in artifacts {   // warm-up: page cache, CPU frequency, one discarded run
                done += 1
                if options.progress { progress.step(done, of: total, "\(v.rawValue) \(w.rawValue) warm-up") }
                _ = try measure(a, variant: v, workload: w, threads: 1, spawned: true, duration: warmup, seed: options.seed)
            }
            for c in cells where c.workload == w {
                for rep in 0..<options.repetitions {
                    for (v, a) in artifacts {
                        done += 1
                        if options.progress {
                            progress.step(done, of: total, "\(v.rawValue) \(w.rawValue) ×\(c.threads)\(c.threads == 1 ? (c.spawned ? " spawned" : " main") : "") rep \(rep + 1)/\(options.repetitions)")
                        }
                        let s = try measure(a, variant: v, workload: w, threads: c.threads, spawned: c.spawned,
                                            duration: duration, seed: options.seed &+ UInt64(rep))
                        samples[key(c, v), default: []].append(s)
                    }
                }
            }
        }

        var results: [MallocReport.Result] = []
        for c in cells {
            for v in variants {
                let list = samples[key(c, v)] ?? []
                let rates = list.map(\.opsPerSec)
                let stats = MallocReport.Stats(rates)
                let median = list.sorted { $0.opsPerSec < $1.opsPerSec }[list.count / 2]
                results.append(MallocReport.Result(
                    workload: c.workload.rawValue, variant: v.rawValue, threads: c.threads, spawned: c.spawned,
                    repetitions: list.count, opsPerSec: stats,
                    nsPerOp: stats.median > 0 ? Double(c.threads) * 1e9 / stats.median : 0,
                    efficiency: nil, userS: median.userS, sysS: median.sysS, peakRssKb: median.peakRssKb))
            }
        }
        for i in results.indices {
            let r = results[i]
            if let base = results.first(where: { $0.workload == r.workload && $0.variant == r.variant && $0.threads == 1 && $0.spawned }),
               base.opsPerSec.median > 0 {
                results[i].efficiency = r.opsPerSec.median / (Double(r.threads) * base.opsPerSec.median)
            }
        }

        let versions = ToolchainVersions.detect()
        var notes: [String] = []
        if cores < 16 {
            notes.append("This machine has \(cores) cores: thread counts above \(cores) time-share the cores, so they show contention and lock hand-off cost, not parallel speed-up.")
        }
        for info in infos where !info.allocator.alsoLinked.isEmpty {
            notes.append("\(info.variant): " + info.allocator.alsoLinked.joined(separator: "; "))
        }
        let report = MallocReport(
            generated: ISO8601DateFormatter().string(from: Date()),
            machine: { var m = Machine.current(); m.cores = cores; return m }(),
            versions: versions,
            settings: .init(quick: options.quick, durationS: duration, warmupS: warmup, repetitions: options.repetitions,
                            workloads: workloads.map(\.rawValue), threads: threads, variants: variants.map(\.rawValue)),
            variants: infos, results: results, notes: notes)
        if let out = options.jsonOutput { try write(report, to: out) }
        return report
    }

    // MARK: - pieces

    /// Writes the JSON and one SVG chart per workload beside it. Returns the SVG paths.
    @discardableResult
    public static func write(_ report: MallocReport, to jsonPath: String) throws -> [String] {
        let url = URL(fileURLWithPath: jsonPath)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try report.jsonData().write(to: url)
        } catch { throw MallocError.writeFailed(path: jsonPath, reason: "\(error)") }
        return try writeCharts(report, besideJSON: jsonPath)
    }

    /// A saved run (`--json`), to re-render its table and charts without measuring.
    public static func load(_ jsonPath: String) throws -> MallocReport {
        guard let data = FileManager.default.contents(atPath: jsonPath) else {
            throw MallocError.readFailed(path: jsonPath, reason: FileFailure.problem(with: jsonPath) ?? "not readable")
        }
        do { return try JSONCoding.decode(MallocReport.self, from: data) }
        catch { throw MallocError.readFailed(path: jsonPath, reason: "not a malloc report (static-musl bench malloc --json): \(FileFailure.reason(error))") }
    }

    /// One SVG chart per workload beside the JSON: `<base>-<workload>.svg`.
    @discardableResult
    public static func writeCharts(_ report: MallocReport, besideJSON jsonPath: String) throws -> [String] {
        let base = URL(fileURLWithPath: jsonPath).deletingPathExtension().path
        var paths: [String] = []
        for w in report.settings.workloads {
            let path = "\(base)-\(w).svg"
            do { try MallocChart.svg(report, workload: w).write(toFile: path, atomically: true, encoding: .utf8) }
            catch { throw MallocError.writeFailed(path: path, reason: "\(error)") }
            paths.append(path)
        }
        return paths
    }

    /// Runs `malloc-bench --info` and checks the ELF.
    static func identify(_ a: Artifact, variant: MallocVariant) throws -> MallocReport.VariantInfo {
        let r = try ProcessRunner.run(a.path, ["--info"], timeout: 30)
        struct Info: Decodable { var libc: String; var libcVersion: String; var allocator: String
            enum CodingKeys: String, CodingKey { case libc, allocator, libcVersion = "libc_version" } }
        guard r.succeeded, let info = try? JSONCoding.decode(Info.self, from: Data(r.stdout.utf8)) else {
            throw MallocError.badOutput(variant: variant.rawValue, command: "\(a.path) --info", output: r.stdout + r.stderr)
        }
        if let version = variant.muslVersion, info.libcVersion != version {
            throw MallocError.badOutput(variant: variant.rawValue, command: "\(a.path) --info",
                                        output: "it reports \(info.libc) \(info.libcVersion), not musl \(version)")
        }
        let check = try AllocatorCheck.check(path: a.path, claimed: variant.claimedAllocator, runtime: info.allocator)
        return .init(variant: variant.rawValue, path: a.path, libc: info.libc, libcVersion: info.libcVersion, allocator: check)
    }

    struct Sample: Decodable {
        var ops: UInt64
        var elapsedS: Double
        var userS: Double
        var sysS: Double
        var peakRssKb: Int64
        var opsPerSec: Double { elapsedS > 0 ? Double(ops) / elapsedS : 0 }
        enum CodingKeys: String, CodingKey {
            case ops, elapsedS = "elapsed_s", userS = "user_s", sysS = "sys_s", peakRssKb = "peak_rss_kb"
        }
    }

    static func measure(_ a: Artifact, variant: MallocVariant, workload: MallocWorkload, threads: Int, spawned: Bool,
                        duration: Double, seed: UInt64) throws -> Sample {
        var args = ["--workload", workload.rawValue, "--threads", "\(threads)", "--duration", "\(duration)", "--seed", "\(seed)"]
        if spawned && threads == 1 { args.append("--spawn-single") }
        let r = try ProcessRunner.run(a.path, args, timeout: duration * 20 + 30)
        guard r.succeeded else {
            let status = r.timedOut ? "timed out" : r.signal.map { "killed by signal \($0)" } ?? "exit status \(r.exitStatus ?? -1)"
            throw MallocError.runFailed(variant: variant.rawValue, workload: workload.rawValue, threads: threads,
                                        status: status, stderr: r.stderr)
        }
        guard let line = r.stdout.split(separator: "\n").last,
              let s = try? JSONCoding.decode(Sample.self, from: Data(line.utf8)) else {
            throw MallocError.badOutput(variant: variant.rawValue, command: ([a.path] + args).joined(separator: " "), output: r.stdout)
        }
        return s
    }
}
