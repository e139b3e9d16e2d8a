import ArgumentParser
import Foundation
import StaticMuslKit

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (malloc throughput under threads, an HTTP server under wrk, inspect against readelf).",
        subcommands: [BenchMalloc.self, BenchServer.self, BenchInspect.self])
}

struct BenchInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "static-musl inspect against readelf -hlWd over the same ELF files: both times, the ratio and peak memory.",
        discussion: "Both tools run as child processes on the same batches of paths (alternating, so both see the same page cache); wall time, CPU time and peak RSS come from wait4. Default files: the ELF files under \(InspectBench.defaultRoots.joined(separator: ", ")), at most --limit, shared evenly.")

    @Option(name: .long, help: "A file or folder to take ELF files from (repeatable; default: \(InspectBench.defaultRoots.joined(separator: " "))).")
    var path: [String] = []
    @Option(name: .long, help: "At most this many ELF files.") var limit = 2000
    @Option(name: .long, help: "Paths per child process.") var batch = 400
    @Option(name: .long, help: "Write the JSON here.") var json: String?

    func run() throws {
        guard limit >= 1, batch >= 1 else {
            throw ExitStatus.fail("bench inspect", "--limit and --batch must be at least 1", .usage)
        }
        guard let executable = Bundle.main.executablePath else {
            throw ExitStatus.fail("bench inspect", "cannot find this static-musl executable to run inspect with", .environment)
        }
        var options = InspectBench.Options(inspectExecutable: executable)
        if !path.isEmpty { options.paths = path }
        options.limit = limit
        options.batchSize = batch
        let report: InspectBench.Report
        do { report = try InspectBench.run(options) } catch let error as InspectBench.BenchError {
            switch error {
            case .spawnFailed: throw ExitStatus.fail("bench inspect", "\(error)", .environment)
            default: throw ExitStatus.fail("bench inspect", "\(error)", .usage)
            }
        }
        if let json {
            do { try report.jsonData().write(to: URL(fileURLWithPath: json)) } catch {
                throw ExitStatus.fail("bench inspect", "cannot write \(json): \(FileFailure.reason(error))", .usage)
            }
        }
        print(report.text)
    }
}

struct BenchServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "An HTTP server (the Vapor fixture) under wrk, in several variants; ratios to glibc-static.",
        discussion: "Builds Tests/Fixtures/RealPackages' vapor-hello in glibc-dynamic, glibc-static, musl and musl+mimalloc (into .build-static/bench-server unless --dist), then runs wrk (Debian's, keep-alive) against each on 127.0.0.1, the server and wrk pinned to separate CPUs. Reports the median req/s of the runs, p50/p99 latency and the server's peak RSS.")

    @Option(help: "Seconds per wrk run (at least 5 for the README's table).") var seconds = 5
    @Option(help: "wrk runs per variant (the median is reported).") var runs = 3
    @Option(help: "Keep-alive connections.") var connections = 16
    @Option(help: "Variants (default: glibc-dynamic glibc-static musl musl+mimalloc).") var variant: [String] = []
    @Option(help: "A dist folder holding the server's variants.") var dist: String?
    @Option(help: "Write the JSON here.") var json: String?

    func run() throws {
        guard seconds >= 1, runs >= 1, connections >= 1 else {
            throw ExitStatus.fail("bench server", "--seconds, --runs and --connections must be at least 1", .usage)
        }
        var options = ServerBench.Options()
        options.seconds = seconds
        options.runs = runs
        options.connections = connections
        if !variant.isEmpty {
            var chosen: [Variant] = []
            for name in variant {
                guard let v = Variant(rawValue: name), ServerBench.Options().variants.contains(v) else {
                    throw ExitStatus.fail("bench server", "unknown variant '\(name)' (\(ServerBench.Options().variants.map(\.rawValue).joined(separator: ", ")))", .usage)
                }
                chosen.append(v)
            }
            options.variants = chosen
        }
        guard let root = ProjectLayout.root() else {
            throw ExitStatus.fail("bench server", "cannot find this project's checkout; run inside it or set STATIC_MUSL_ROOT", .environment)
        }
        do {
            let progress = Progress(suite: "bench server")
            options.artifacts = try SuiteProbes.server(product: options.product, variants: options.variants, dist: dist,
                                                       projectRoot: root, progress: progress)
            let report = try ServerBench.run(options, progress: progress)
            if let json { try report.jsonData().write(to: URL(fileURLWithPath: json)) }
            print(ServerBench.markdown(report), terminator: "")
            print("\(report.pinning); \(report.cores) cores; musl \(report.versions.musl), glibc \(report.versions.glibc), Swift \(report.versions.swift)")
        } catch {
            throw ExitStatus.fail("bench server", CLIFailure.describe(error), ExitStatus.of(error))
        }
    }
}

struct BenchMalloc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "malloc",
        abstract: "malloc throughput under threads: musl mallocng vs glibc vs musl+mimalloc.",
        discussion: "Workloads: \(MallocWorkload.allCases.map(\.rawValue).joined(separator: ", ")). Variants: \(MallocVariant.allCases.map(\.rawValue).joined(separator: ", ")). Missing malloc-bench builds are made first (static-musl build) (into .build-static/bench-malloc unless --dist).")

    @Option(name: .long, parsing: .upToNextOption, help: "Workloads to run (default: all; commas allowed).")
    var workloads: [String] = []
    @Option(name: .long, parsing: .upToNextOption, help: "Thread counts (default: 1 2 4 … max(16, 2×cores)).")
    var threads: [String] = []
    @Option(name: .long, parsing: .upToNextOption, help: "Variants (default: all four).")
    var variants: [String] = []
    @Option(name: .long, help: "Seconds per measurement (default 1, or 0.075 with --quick).")
    var duration: Double?
    @Option(name: .long, help: "Repetitions per cell (at least 3).")
    var repetitions = 3
    @Flag(name: .long, help: "Short runs: the whole default matrix in about a minute.")
    var quick = false
    @Option(name: .long, help: "Write the JSON here, plus one SVG chart per workload beside it.")
    var json: String?
    @Option(name: .long, help: "A build-static.sh output folder holding malloc-bench builds.")
    var dist: String?
    @Flag(name: .long, help: "Build nothing: take the builds the dist folders hold, and fail naming any variant they lack.")
    var noBuild = false
    @Option(name: .long, help: "Re-render the table and the SVG charts of a saved run (its --json file); measures nothing.")
    var fromJson: String?

    func run() throws {
        if let fromJson {
            do {
                let report = try MallocBench.load(fromJson)
                let charts = try MallocBench.writeCharts(report, besideJSON: fromJson)
                print(MallocTable.markdown(report), terminator: "")
                print("re-rendered \(charts.count) SVG chart(s) beside \(fromJson)")
            } catch { throw CLIFailure(error) }
            return
        }
        var o = MallocBench.Options()
        if !workloads.isEmpty { o.workloads = split(workloads) }
        if !variants.isEmpty { o.variants = split(variants) }
        if !threads.isEmpty {
            o.threads = try split(threads).map {
                guard let n = Int($0) else { throw ValidationError("--threads takes whole numbers, not '\($0)'") }
                return n
            }
        }
        guard repetitions >= 3 else { throw ValidationError("--repetitions must be at least 3, not \(repetitions)") }
        o.duration = duration
        o.repetitions = repetitions
        o.quick = quick
        o.jsonOutput = json
        let report: MallocReport
        do {
            // Bad input is refused before the engine finds or builds malloc-bench.
            let plan = try MallocBench.plan(o)
            let root = ProjectLayout.root() ?? FileManager.default.currentDirectoryPath
            o.artifacts = try SuiteProbes.malloc(plan.variants, dist: dist ?? root + "/.build-static/bench-malloc", build: !noBuild,
                                                 projectRoot: root, progress: Progress(suite: "malloc"))
            o.artifactSource = dist ?? ".build-static/bench-malloc"
            report = try MallocBench.run(o)
        } catch { throw CLIFailure(error) }
        print(MallocTable.markdown(report), terminator: "")
        if let json { print("wrote \(json) and \(report.settings.workloads.count) SVG chart(s) beside it") }
    }

    private func split(_ list: [String]) -> [String] {
        list.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }
}
