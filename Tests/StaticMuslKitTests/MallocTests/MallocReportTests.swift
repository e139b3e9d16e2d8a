import Foundation
import XCTest
@testable import StaticMuslKit

/// The harness end to end on the fixture builds, tiny durations: the JSON
/// has the shape and an SVG is written per workload.
final class MallocReportTests: XCTestCase {
    func options(_ dir: String) throws -> MallocBench.Options {
        var o = MallocBench.Options()
        o.artifacts = try MallocVariantTests.artifacts()
        o.progress = false
        o.jsonOutput = dir + "/malloc.json"
        return o
    }

    func tempDir() throws -> String {
        let dir = try temporaryDirectory("malloc")
        return dir
    }

    /// `--quick`'s code path (its duration and warm-up) on a subset of the matrix.
    func testQuickWritesValidJSONAndSVG() throws {
        let dir = try tempDir()
        var o = try options(dir)
        o.quick = true
        o.workloads = ["small-churn"]
        o.threads = [1, 2]
        let report = try MallocBench.run(o)
        XCTAssertEqual(report.settings.durationS, 0.075)
        XCTAssertEqual(report.results.count, 3 * MallocVariant.allCases.count, "1 main + 1 spawned + 2, per variant")

        let data = try XCTUnwrap(FileManager.default.contents(atPath: dir + "/malloc.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let machine = try XCTUnwrap(json["machine"] as? [String: Any])
        for key in ["hostname", "cores", "cpu_model", "kernel", "arch"] { XCTAssertNotNil(machine[key], "machine.\(key)") }
        let versions = try XCTUnwrap(json["versions"] as? [String: Any])
        for key in ["musl", "glibc"] { XCTAssertNotNil(versions[key], "versions.\(key)") }
        XCTAssertEqual(json["schema_version"] as? Int, 1)
        let results = try XCTUnwrap(json["results"] as? [[String: Any]])
        for r in results {
            for key in ["workload", "variant", "threads", "ops_per_sec", "ns_per_op", "efficiency", "user_s", "sys_s", "peak_rss_kb"] {
                XCTAssertNotNil(r[key], "results[].\(key)")
            }
            let ops = try XCTUnwrap(r["ops_per_sec"] as? [String: Double])
            XCTAssertEqual(Set(ops.keys), ["median", "min", "max"])
            XCTAssertGreaterThan(ops["median"] ?? 0, 0)
            XCTAssertLessThanOrEqual(ops["min"] ?? 0, ops["median"] ?? 0)
            XCTAssertTrue(MallocVariant.allCases.map(\.rawValue).contains(r["variant"] as? String ?? ""))
        }
        let variants = try XCTUnwrap(json["variants"] as? [[String: Any]])
        XCTAssertEqual(variants.count, MallocVariant.allCases.count)
        XCTAssertTrue(variants.allSatisfy { ($0["allocator"] as? [String: Any])?["verified"] as? Bool == true })

        let svg = try String(contentsOfFile: dir + "/malloc-small-churn.svg", encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, MallocVariant.allCases.count, "one line per variant")
        XCTAssertFalse(svg.contains("http://") && svg.contains("<script"), "self-contained")
        let decoded = try JSONDecoder().decode(MallocReport.self, from: data)
        XCTAssertEqual(decoded.results.count, report.results.count)
    }

    func testEfficiencyAndTableFromARun() throws {
        let dir = try tempDir()
        var o = try options(dir)
        o.workloads = ["thread-local"]
        o.variants = ["musl-static", "glibc-static"]
        o.threads = [1, 2]
        o.duration = 0.02
        let report = try MallocBench.run(o)
        let one = try XCTUnwrap(report.result("thread-local", "musl-static", threads: 1))
        XCTAssertEqual(one.efficiency ?? 0, 1, accuracy: 1e-9, "1 thread spawned is the baseline")
        XCTAssertTrue(one.spawned)
        XCTAssertNotNil(report.result("thread-local", "musl-static", threads: 1, spawned: false))
        let table = MallocTable.markdown(report)
        XCTAssertTrue(table.contains("| 1 (main) |"))
        XCTAssertTrue(table.contains("thread-local at 2 threads: musl-static"))
    }

    func testBadInputNamesWhatAndWhy() throws {
        var o = MallocBench.Options()
        o.progress = false
        o.workloads = ["thread-locl"]
        XCTAssertThrowsError(try MallocBench.run(o)) { e in
            XCTAssertTrue("\(e)".contains("unknown workload 'thread-locl'"), "\(e)")
        }
        o.workloads = ["medium"]
        o.variants = ["musl"]
        XCTAssertThrowsError(try MallocBench.run(o)) { e in
            XCTAssertTrue("\(e)".contains("unknown variant 'musl'") && "\(e)".contains("musl-static+mimalloc"), "\(e)")
        }
        o.variants = ["musl-static"]
        o.threads = [0]
        XCTAssertThrowsError(try MallocBench.run(o)) { e in XCTAssertTrue("\(e)".contains("threads"), "\(e)") }
        o.threads = [1]
        o.duration = -1
        XCTAssertThrowsError(try MallocBench.run(o)) { e in XCTAssertTrue("\(e)".contains("--duration"), "\(e)") }
        o.duration = 0.01
        o.artifactSource = "/nonexistent-dist"
        XCTAssertThrowsError(try MallocBench.run(o)) { e in
            XCTAssertTrue("\(e)".contains("musl-static") && "\(e)".contains("not in /nonexistent-dist"), "\(e)")
            XCTAssertTrue("\(e)".contains("build-static.sh --product malloc-bench"), "\(e)")
        }
    }

    /// The ratio table divides each variant's median by glibc-static's at
    /// 2 threads, from the report's own numbers, and mallocng 1.2.5 is held
    /// against 1.2.3's.
    func testRatioTableAndMusl125Finding() {
        func row(_ v: String, _ ops: Double) -> MallocReport.Result {
            .init(workload: "medium", variant: v, threads: 2, spawned: true, repetitions: 1,
                  opsPerSec: .init([ops]), nsPerOp: 1, efficiency: 1, userS: 0, sysS: 0, peakRssKb: 1)
        }
        let variants = ["glibc-static", "musl-static", "musl-1.2.5-static", "musl-static+c-ares"]
        let report = MallocReport(
            generated: "now", machine: Machine(hostname: "test", kernel: "6.1", cpuModel: "x", cores: 2, memoryMb: nil, arch: "x86_64"),
            versions: .init(swift: "6", root: "/", musl: "1.2.3", glibc: "2.36"),
            settings: .init(quick: true, durationS: 0.1, warmupS: 0.05, repetitions: 1, workloads: ["medium"],
                            threads: [1, 2], variants: variants),
            variants: [],
            results: [row("glibc-static", 4e6), row("musl-static", 1e6), row("musl-1.2.5-static", 3e6), row("musl-static+c-ares", 1e6)],
            notes: [])
        let table = MallocTable.ratios(report)
        XCTAssertTrue(table.contains("| workload | glibc-static | musl-static | musl-1.2.5-static | musl-static+c-ares |"), table)
        XCTAssertTrue(table.contains("| medium | 1.00× | 0.25× | 0.75× | 0.25× |"), table)
        XCTAssertTrue(MallocTable.findings(report).contains("medium at 2 threads: mallocng of musl 1.2.5 3.00× musl 1.2.3's (3.00 vs 1.00 Mops/s)"),
                      "\(MallocTable.findings(report))")
        XCTAssertTrue(MallocTable.markdown(report).contains(table))
        XCTAssertNotEqual(SVG.color("musl-1.2.5-static", 0), SVG.color("musl-static", 0))
        XCTAssertEqual(SVG.color("musl-static+c-ares", 0), SVG.color("swift-musl-static+c-ares", 5))
    }

    func testChartIsLogScaleWithOneLinePerVariant() throws {
        func row(_ v: String, _ t: Int, _ ops: Double, spawned: Bool = true) -> MallocReport.Result {
            .init(workload: "medium", variant: v, threads: t, spawned: spawned, repetitions: 3,
                  opsPerSec: .init([ops, ops * 0.9, ops * 1.1]), nsPerOp: 1, efficiency: 1, userS: 0, sysS: 0, peakRssKb: 1)
        }
        let report = MallocReport(
            generated: "now", machine: Machine(hostname: "test", kernel: "6.1", cpuModel: "x", cores: 2, memoryMb: nil, arch: "x86_64"),
            versions: .init(swift: "6", root: "/", musl: "1.2.3", glibc: "2.36"),
            settings: .init(quick: true, durationS: 0.1, warmupS: 0.05, repetitions: 3, workloads: ["medium"],
                            threads: [1, 2], variants: ["musl-static", "glibc-static"]),
            variants: [],
            results: [row("musl-static", 1, 2e5, spawned: false), row("musl-static", 1, 1e5), row("musl-static", 2, 9e4),
                      row("glibc-static", 1, 3e6), row("glibc-static", 2, 5e6)],
            notes: [])
        let svg = MallocChart.svg(report, workload: "medium")
        // --from-json: a saved run re-renders to the same charts, and a file
        // that is not a malloc report is refused as unreadable.
        let dir = try temporaryDirectory("malloc-rerender")
        let json = dir + "/run.json"
        XCTAssertNoThrow(try MallocBench.write(report, to: json))
        try? FileManager.default.removeItem(atPath: dir + "/run-medium.svg")
        XCTAssertEqual(try MallocBench.writeCharts(MallocBench.load(json), besideJSON: json), [dir + "/run-medium.svg"])
        XCTAssertEqual(try String(contentsOfFile: dir + "/run-medium.svg", encoding: .utf8), svg)
        XCTAssertThrowsError(try MallocBench.load("/etc/hostname")) { e in
            XCTAssertTrue("\(e)".hasPrefix("cannot read /etc/hostname: not a malloc report"), "\(e)")
        }
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2)
        for decade in ["10k", "100k", "1M", "10M"] { XCTAssertTrue(svg.contains(">\(decade)</text>"), decade) }
        XCTAssertTrue(svg.contains("fill=\"white\" stroke=\"#d62728\""), "main-thread point drawn hollow")
        XCTAssertEqual(MallocChart.label(1_234_567), "1.2M")
    }
}
