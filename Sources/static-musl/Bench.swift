import ArgumentParser
import Foundation
import StaticMuslKit

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (malloc throughput under threads).",
        subcommands: [BenchMalloc.self])
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
    @Flag(name: .long, help: "Fail instead of building missing variants.")
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
        o.distDirectory = dist
        o.build = !noBuild
        let report: MallocReport
        do { report = try MallocBench.run(o) } catch { throw CLIFailure(error) }
        print(MallocTable.markdown(report), terminator: "")
        if let json { print("wrote \(json) and \(report.settings.workloads.count) SVG chart(s) beside it") }
    }

    private func split(_ list: [String]) -> [String] {
        list.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }
}
